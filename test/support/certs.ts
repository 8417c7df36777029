/**
 * Throwaway PKI for TLS tests (security profiles 2 and 3), made with the system `openssl` CLI
 * in a temporary folder: a CA, a server certificate for 127.0.0.1/localhost, client
 * certificates signed by the CA, and a client certificate from an unrelated ("rogue") CA.
 * EC P-256 keys keep generation fast; everything is generated once per process and the folder
 * is removed when the process exits.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A PEM certificate with its PEM private key. */
export interface KeyPair {
  readonly key: string;
  readonly cert: string;
}

/** Everything the TLS tests need. */
export interface TestPki {
  /** The trusted CA certificate (PEM). */
  readonly ca: string;
  /** Server certificate, subjectAltName IP:127.0.0.1, DNS:localhost, signed by `ca`. */
  readonly server: KeyPair;
  /** Client certificate with CN = the identity it was made for, signed by `ca`. */
  client(commonName: string): KeyPair;
  /** A client certificate with CN = `commonName` signed by a CA nobody trusts. */
  rogueClient(commonName: string): KeyPair;
}

/** The absolute path of `openssl`, or undefined when it is not installed. */
export function opensslPath(): string | undefined {
  const r = spawnSync('sh', ['-c', 'command -v openssl'], { encoding: 'utf8' });
  const path = r.status === 0 ? r.stdout.trim() : '';
  return path.length > 0 ? path : undefined;
}

const REQ_CONFIG = `[req]
distinguished_name = dn
prompt = no
[dn]
CN = placeholder
[v3_ca]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
`;

let cached: TestPki | undefined;

/**
 * Generates (once per process) and returns the test PKI.
 * @throws Error with a clear message when `openssl` is missing.
 */
export function testPki(): TestPki {
  if (cached) return cached;
  const openssl = opensslPath();
  if (openssl === undefined) {
    throw new Error('the TLS tests need the openssl command-line tool (apt-get install openssl); `command -v openssl` found nothing');
  }
  const dir = mkdtempSync(join(tmpdir(), 'ocpp-sdk-pki-'));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  const file = (name: string): string => join(dir, name);
  const run = (args: string[]): void => {
    execFileSync(openssl, args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  };
  writeFileSync(file('req.cnf'), REQ_CONFIG);
  const ecKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];

  const makeCa = (name: string, cn: string): void => {
    run([
      'req',
      '-x509',
      ...ecKey,
      '-config',
      'req.cnf',
      '-extensions',
      'v3_ca',
      '-subj',
      `/CN=${cn}`,
      '-days',
      '2',
      '-keyout',
      `${name}.key`,
      '-out',
      `${name}.crt`,
    ]);
  };
  let serial = 1000;
  const makeLeaf = (name: string, subject: string, extensions: string, caName: string): KeyPair => {
    writeFileSync(file(`${name}.ext`), extensions);
    run(['req', '-new', ...ecKey, '-config', 'req.cnf', '-subj', subject, '-keyout', `${name}.key`, '-out', `${name}.csr`]);
    run([
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      '-CA',
      `${caName}.crt`,
      '-CAkey',
      `${caName}.key`,
      '-set_serial',
      String(serial++),
      '-days',
      '2',
      '-sha256',
      '-extfile',
      `${name}.ext`,
      '-out',
      `${name}.crt`,
    ]);
    return { key: readFileSync(file(`${name}.key`), 'utf8'), cert: readFileSync(file(`${name}.crt`), 'utf8') };
  };
  const clientExt = 'basicConstraints = CA:FALSE\nkeyUsage = critical,digitalSignature\nextendedKeyUsage = clientAuth\n';

  makeCa('ca', 'ocpp-sdk test CA');
  const server = makeLeaf(
    'server',
    '/CN=localhost',
    'basicConstraints = CA:FALSE\nkeyUsage = critical,digitalSignature\nextendedKeyUsage = serverAuth\nsubjectAltName = IP:127.0.0.1,DNS:localhost\n',
    'ca',
  );
  let rogueMade = false;
  const clients = new Map<string, KeyPair>();
  let n = 0;
  const safeName = (): string => `leaf${n++}`;
  cached = {
    ca: readFileSync(file('ca.crt'), 'utf8'),
    server,
    client(commonName) {
      const key = `ca|${commonName}`;
      let pair = clients.get(key);
      if (!pair) clients.set(key, (pair = makeLeaf(safeName(), `/O=ocpp-sdk tests/CN=${commonName}`, clientExt, 'ca')));
      return pair;
    },
    rogueClient(commonName) {
      if (!rogueMade) {
        makeCa('rogue', 'rogue CA');
        rogueMade = true;
      }
      const key = `rogue|${commonName}`;
      let pair = clients.get(key);
      if (!pair) clients.set(key, (pair = makeLeaf(safeName(), `/O=ocpp-sdk tests/CN=${commonName}`, clientExt, 'rogue')));
      return pair;
    },
  };
  return cached;
}
