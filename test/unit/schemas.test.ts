// Checks schemas/ against its two sources of truth:
// 1. ocpp-rpc 2.2.1 (the devDependency in node_modules), which scripts/fetch-schemas.js copies
//    from: every file must be exactly what that package ships, i.e. no hand edits.
// 2. The OCA reference copies in ../shared/ocpp-schemas (when present): every file must mean
//    the same as the OCA original, except for the differences allowed, with a reason, in
//    ALLOWED_DIFFERENCES below and documented in schemas/README.md.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';

const ROOT = path.resolve(__dirname, '..', '..');
const SCHEMAS = path.join(ROOT, 'schemas');
const REFERENCE = path.resolve(ROOT, '..', 'shared', 'ocpp-schemas');
const HAS_REFERENCE = fs.existsSync(REFERENCE);

const VERSIONS = ['ocpp1.6', 'ocpp2.0.1'] as const;
type Version = (typeof VERSIONS)[number];

/** The 1.6 Security Extension actions (Security Whitepaper ed. 2); the OCA 1.6 download has no schemas for them. */
const SECURITY_16 = [
  'CertificateSigned',
  'DeleteCertificate',
  'ExtendedTriggerMessage',
  'GetInstalledCertificateIds',
  'GetLog',
  'InstallCertificate',
  'LogStatusNotification',
  'SecurityEventNotification',
  'SignCertificate',
  'SignedFirmwareStatusNotification',
  'SignedUpdateFirmware',
];

/** Keywords that do not change what a schema accepts. */
const ANNOTATIONS = new Set(['$id', 'id', '$schema', 'title', 'description', 'comment', 'javaType']);

/** One difference in meaning between our file and the reference. */
interface Difference {
  version: Version;
  file: string;
  /** JSON Pointer into the schema. */
  path: string;
  ours: unknown;
  reference: unknown;
}

/**
 * The only differences in meaning allowed between schemas/ and the OCA originals. Each one is
 * documented in schemas/README.md ("Differences from the OCA originals").
 */
const ALLOWED_DIFFERENCES: readonly (Omit<Difference, 'ours' | 'reference'> & { why: string })[] = [
  {
    // OCA's 1.6 errata added the correct spelling "Celsius" next to the spec's "Celcius" in
    // MeterValues but not in StopTransaction's transactionData; ocpp-rpc adds it there too, so
    // the two messages accept the same units. Strictly more permissive than OCA: a charger
    // sending "Celsius" in StopTransaction is accepted.
    version: 'ocpp1.6',
    file: 'StopTransaction.json',
    path: '/properties/transactionData/items/properties/sampledValue/items/properties/unit/enum',
    why: 'ocpp-rpc adds "Celsius" to the unit enum (OCA: only "Celcius" in this message)',
  },
];

function readJson(file: string): unknown {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/**
 * The meaning of a schema: annotations dropped at schema positions (never a property that is
 * merely named `description` or `id`), and `additionalProperties` dropped where the schema's
 * type is not object, since it only ever applies to objects. Returns the dropped items too, so
 * that the annotation differences can be checked as well.
 */
function meaning(schema: unknown, at = '', dropped: { path: string; key: string; value: unknown }[] = []): unknown {
  if (Array.isArray(schema)) return schema.map((s, i) => meaning(s, `${at}/${i}`, dropped));
  if (!isObject(schema)) return schema;
  const out: Record<string, unknown> = {};
  const noOpAdditional = schema['type'] !== undefined && schema['type'] !== 'object';
  for (const [key, value] of Object.entries(schema)) {
    if (ANNOTATIONS.has(key) || (key === 'additionalProperties' && noOpAdditional)) {
      dropped.push({ path: `${at}/${key}`, key, value });
      continue;
    }
    if ((key === 'properties' || key === 'definitions') && isObject(value)) {
      const map: Record<string, unknown> = {};
      for (const [name, sub] of Object.entries(value)) map[name] = meaning(sub, `${at}/${key}/${name}`, dropped);
      out[key] = map;
    } else if (key === 'enum' || key === 'required') {
      out[key] = value; // value lists, not schemas
    } else {
      out[key] = meaning(value, `${at}/${key}`, dropped);
    }
  }
  return out;
}

/** Differences between two normalised schemas, as JSON Pointers. Key order is ignored; array order is not. */
function diff(ours: unknown, ref: unknown, at: string, out: Omit<Difference, 'version' | 'file'>[]): void {
  if (isObject(ours) && isObject(ref)) {
    for (const key of new Set([...Object.keys(ours), ...Object.keys(ref)])) diff(ours[key], ref[key], `${at}/${key}`, out);
    return;
  }
  if (Array.isArray(ours) && Array.isArray(ref) && ours.length === ref.length && ours.every((v) => !isObject(v) && !Array.isArray(v))) {
    if (ours.every((v, i) => v === ref[i])) return;
  } else if (Array.isArray(ours) && Array.isArray(ref) && ours.length === ref.length) {
    ours.forEach((v, i) => diff(v, ref[i], `${at}/${i}`, out));
    return;
  } else if (ours === ref) {
    return;
  }
  out.push({ path: at || '/', ours, reference: ref });
}

function files(version: Version): string[] {
  return fs
    .readdirSync(path.join(SCHEMAS, version))
    .filter((f) => f.endsWith('.json'))
    .sort();
}

function actionsOf(version: Version): Set<string> {
  const suffix = version === 'ocpp1.6' ? /(Response)?\.json$/ : /(Request|Response)\.json$/;
  return new Set(files(version).map((f) => f.replace(suffix, '')));
}

describe('schemas/ - shape', () => {
  it('1.6 has 39 actions (28 core + 11 Security Extension), each with request and response', () => {
    const actions = actionsOf('ocpp1.6');
    assert.equal(actions.size, 39);
    assert.equal(files('ocpp1.6').length, 78);
    for (const a of actions) {
      assert.ok(fs.existsSync(path.join(SCHEMAS, 'ocpp1.6', `${a}.json`)), `${a}.json`);
      assert.ok(fs.existsSync(path.join(SCHEMAS, 'ocpp1.6', `${a}Response.json`)), `${a}Response.json`);
    }
    assert.equal([...actions].filter((a) => !SECURITY_16.includes(a)).length, 28);
  });

  it('2.0.1 has 64 actions, each with request and response', () => {
    const actions = actionsOf('ocpp2.0.1');
    assert.equal(actions.size, 64);
    assert.equal(files('ocpp2.0.1').length, 128);
    for (const a of actions) {
      assert.ok(fs.existsSync(path.join(SCHEMAS, 'ocpp2.0.1', `${a}Request.json`)), `${a}Request.json`);
      assert.ok(fs.existsSync(path.join(SCHEMAS, 'ocpp2.0.1', `${a}Response.json`)), `${a}Response.json`);
    }
  });

  it('every file is exactly what ocpp-rpc 2.2.1 ships, pretty-printed by scripts/fetch-schemas.js (no hand edits)', () => {
    const pkg = readJson(path.join(ROOT, 'node_modules', 'ocpp-rpc', 'package.json')) as { version: string };
    assert.equal(pkg.version, '2.2.1', 'node_modules/ocpp-rpc is not the pinned 2.2.1');
    const sources: Record<Version, string> = { 'ocpp1.6': 'ocpp1_6.json', 'ocpp2.0.1': 'ocpp2_0_1.json' };
    for (const version of VERSIONS) {
      const shipped = readJson(path.join(ROOT, 'node_modules', 'ocpp-rpc', 'lib', 'schemas', sources[version])) as { $id: string }[];
      assert.equal(shipped.length, files(version).length, version);
      for (const schema of shipped) {
        const [, action, kind] = /^urn:(\w+)\.(req|conf)$/.exec(schema.$id)!;
        const name = kind === 'conf' ? `${action}Response.json` : `${action}${version === 'ocpp1.6' ? '' : 'Request'}.json`;
        const text = fs.readFileSync(path.join(SCHEMAS, version, name), 'utf8');
        assert.equal(text, JSON.stringify(schema, null, 2) + '\n', `${version}/${name}`);
      }
    }
  });
});

describe('schemas/ - same meaning as the OCA originals', { skip: HAS_REFERENCE ? false : `no OCA reference copies at ${REFERENCE}` }, () => {
  it('every file with a reference copy differs only as allowed', (t) => {
    const found: Difference[] = [];
    let compared = 0;
    for (const version of VERSIONS) {
      for (const file of files(version)) {
        const refFile = path.join(REFERENCE, version, file);
        if (!fs.existsSync(refFile)) continue;
        compared++;
        const out: Omit<Difference, 'version' | 'file'>[] = [];
        diff(meaning(readJson(path.join(SCHEMAS, version, file))), meaning(readJson(refFile)), '', out);
        found.push(...out.map((d) => ({ version, file, ...d })));
      }
    }
    for (const d of found) t.diagnostic(`${d.version}/${d.file} ${d.path}: ours ${JSON.stringify(d.ours)}, OCA ${JSON.stringify(d.reference)}`);
    assert.equal(compared, 56 + 128, 'files compared');
    const key = (d: { version: string; file: string; path: string }) => `${d.version}/${d.file}${d.path}`;
    const allowed = new Set(ALLOWED_DIFFERENCES.map(key));
    const unexpected = found.filter((d) => !allowed.has(key(d)));
    assert.deepEqual(unexpected, [], 'differences in meaning not in ALLOWED_DIFFERENCES');
    const unused = ALLOWED_DIFFERENCES.filter((a) => !found.some((d) => key(d) === key(a)));
    assert.deepEqual(unused, [], 'ALLOWED_DIFFERENCES entries that no longer occur (remove them and their README note)');
  });

  it('the Celsius difference is exactly one added enum value', () => {
    /** The path to the unit enum, as the 1.6 StopTransaction schema nests it. */
    interface StopTransactionSchema {
      properties: { transactionData: { items: { properties: { sampledValue: { items: { properties: { unit: { enum: string[] } } } } } } } };
    }
    const ours = readJson(path.join(SCHEMAS, 'ocpp1.6', 'StopTransaction.json')) as StopTransactionSchema;
    const ref = readJson(path.join(REFERENCE, 'ocpp1.6', 'StopTransaction.json')) as StopTransactionSchema;
    const unit = (s: StopTransactionSchema): string[] => s.properties.transactionData.items.properties.sampledValue.items.properties.unit.enum;
    assert.deepEqual(
      unit(ours).filter((u) => !unit(ref).includes(u)),
      ['Celsius'],
    );
    assert.deepEqual(
      unit(ref).filter((u) => !unit(ours).includes(u)),
      [],
    );
  });

  it('annotation differences are only the documented ones (ids, $schema, titles, comments, javaType, no-op additionalProperties)', () => {
    // Counts per (version, keyword, how it differs); schemas/README.md lists the same.
    const expected: Record<string, number> = {
      'ocpp1.6 $id only-ours': 56, // urn:Authorize.req
      'ocpp1.6 id only-OCA': 56, // draft-04 id urn:OCPP:1.6:2019:12:AuthorizeRequest
      'ocpp1.6 $schema changed': 56, // draft-07 instead of draft-04
      'ocpp1.6 title only-OCA': 56,
      'ocpp1.6 additionalProperties only-OCA': 52, // `additionalProperties: false` on string enums
      'ocpp2.0.1 $id changed': 128, // urn:Authorize.req instead of urn:OCPP:Cp:2:2020:3:AuthorizeRequest
      'ocpp2.0.1 $schema changed': 128, // draft-07 instead of draft-06
      'ocpp2.0.1 comment only-OCA': 128, // "OCPP 2.0.1 FINAL"
      'ocpp2.0.1 javaType only-OCA': 470,
      'ocpp2.0.1 additionalProperties only-OCA': 150, // `additionalProperties: false` on string enums
    };
    const counts: Record<string, number> = {};
    for (const version of VERSIONS) {
      for (const file of files(version)) {
        const refFile = path.join(REFERENCE, version, file);
        if (!fs.existsSync(refFile)) continue;
        const oursDropped: { path: string; key: string; value: unknown }[] = [];
        const refDropped: { path: string; key: string; value: unknown }[] = [];
        meaning(readJson(path.join(SCHEMAS, version, file)), '', oursDropped);
        meaning(readJson(refFile), '', refDropped);
        const refByPath = new Map(refDropped.map((d) => [d.path, d]));
        const oursByPath = new Map(oursDropped.map((d) => [d.path, d]));
        const bump = (k: string) => (counts[k] = (counts[k] ?? 0) + 1);
        for (const d of oursDropped) {
          const r = refByPath.get(d.path);
          if (!r) bump(`${version} ${d.key} only-ours`);
          else if (JSON.stringify(r.value) !== JSON.stringify(d.value)) bump(`${version} ${d.key} changed`);
        }
        for (const d of refDropped) if (!oursByPath.has(d.path)) bump(`${version} ${d.key} only-OCA`);
      }
    }
    // Descriptions are not in the list: ocpp-rpc keeps every one of them unchanged.
    assert.deepEqual(counts, expected);
  });

  it('1.6 Security Extension files have no OCA reference copy; they exist here with request and response', (t) => {
    for (const action of SECURITY_16) {
      assert.equal(fs.existsSync(path.join(REFERENCE, 'ocpp1.6', `${action}.json`)), false, `${action} unexpectedly has a reference copy`);
      assert.ok(fs.existsSync(path.join(SCHEMAS, 'ocpp1.6', `${action}.json`)), `${action}.json`);
      assert.ok(fs.existsSync(path.join(SCHEMAS, 'ocpp1.6', `${action}Response.json`)), `${action}Response.json`);
    }
    t.diagnostic(`not compared (no OCA reference for the 1.6 Security Extension): ${SECURITY_16.map((a) => `${a}.json, ${a}Response.json`).join(', ')}`);
  });
});
