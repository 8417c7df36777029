// Checks schemas/ against its sources (schemas/README.md):
// 1. OCA's originals, byte for byte, in a reference folder: OCPP_REFERENCE_SCHEMAS, else the
//    default folder next to the checkout that scripts/fetch-schemas.js uses too. Skipped, with
//    the reason, where there is none.
// 2. The digests scripts/fetch-schemas.js pins for OCA's files (always; no reference needed).
// 3. The 1.6 Security Extension files, which are not OCA originals: exactly what ocpp-rpc 2.2.1 ships.
// 4. The generator-time patches (scripts/codegen/patches.ts): applied to copies, never to the files.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, it } from 'node:test';
import { patchedSchema, SCHEMA_PATCHES } from '../../scripts/codegen/patches';
import { loadVersion, SECURITY_EXTENSION_16, VERSIONS, type JsonSchema } from '../../scripts/codegen/schemas';

const ROOT = path.resolve(__dirname, '..', '..');
const SCHEMAS = path.join(ROOT, 'schemas');
const REFERENCE = path.resolve(process.env['OCPP_REFERENCE_SCHEMAS'] || path.join(ROOT, '..', 'shared', 'ocpp-schemas'));
const HAS_REFERENCE = fs.existsSync(REFERENCE);

/** What scripts/fetch-schemas.js exports: its pins. */
interface FetchPins {
  OCA: readonly { folder: string; files: number; digest: string }[];
  SECURITY_EXTENSION_16: readonly string[];
  sha256: (data: Buffer | string) => string;
}
const pins = createRequire(__filename)('../../scripts/fetch-schemas.js') as FetchPins;

const FOLDERS = ['ocpp1.6', 'ocpp2.0.1', 'ocpp2.1'] as const;

function jsonFiles(dir: string): string[] {
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort();
}

/** The 22 file names of the 1.6 Security Extension. */
const SECURITY_FILES = SECURITY_EXTENSION_16.flatMap((a) => [`${a}.json`, `${a}Response.json`]);

function isOca(folder: string, file: string): boolean {
  return !(folder === 'ocpp1.6' && SECURITY_FILES.includes(file));
}

describe('schemas/ - shape', () => {
  it('1.6: 39 actions in 78 files: 56 OCA files (28 core actions) and 22 Security Extension files (11 actions)', () => {
    const files = jsonFiles(path.join(SCHEMAS, 'ocpp1.6'));
    assert.equal(files.length, 78);
    assert.equal(files.filter((f) => isOca('ocpp1.6', f)).length, 56);
    for (const f of SECURITY_FILES) assert.ok(files.includes(f), f);
  });

  it('2.0.1: 128 files; 2.1: 181 files (90 CALL actions with request and response, and NotifyPeriodicEventStream.json, a SEND)', () => {
    assert.equal(jsonFiles(path.join(SCHEMAS, 'ocpp2.0.1')).length, 128);
    const files21 = jsonFiles(path.join(SCHEMAS, 'ocpp2.1'));
    assert.equal(files21.length, 181);
    assert.deepEqual(
      files21.filter((f) => !/(Request|Response)\.json$/.test(f)),
      ['NotifyPeriodicEventStream.json'],
    );
    assert.deepEqual(
      VERSIONS.map((v) => [v.version, loadVersion(ROOT, v).actions.length]),
      [
        ['ocpp1.6', 39],
        ['ocpp2.0.1', 64],
        ['ocpp2.1', 91],
      ],
    );
  });

  it('the OCA files of each version hash to the digests scripts/fetch-schemas.js pins', () => {
    assert.deepEqual(
      pins.OCA.map((v) => v.folder),
      [...FOLDERS],
    );
    for (const v of pins.OCA) {
      const dir = path.join(SCHEMAS, v.folder);
      const names = jsonFiles(dir).filter((f) => isOca(v.folder, f));
      assert.equal(names.length, v.files, v.folder);
      const listing = names.map((n) => `${pins.sha256(fs.readFileSync(path.join(dir, n)))}  ${n}\n`).join('');
      assert.equal(pins.sha256(listing), v.digest, `${v.folder}: OCA files differ from the pinned edition`);
    }
  });

  it('the 1.6 Security Extension files are exactly what ocpp-rpc 2.2.1 ships, pretty-printed by scripts/fetch-schemas.js', () => {
    assert.deepEqual([...pins.SECURITY_EXTENSION_16], [...SECURITY_EXTENSION_16]);
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules', 'ocpp-rpc', 'package.json'), 'utf8')) as { version: string };
    assert.equal(pkg.version, '2.2.1', 'node_modules/ocpp-rpc is not the pinned 2.2.1');
    const shipped = JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules', 'ocpp-rpc', 'lib', 'schemas', 'ocpp1_6.json'), 'utf8')) as { $id: string }[];
    let compared = 0;
    for (const schema of shipped) {
      const [, action, kind] = /^urn:(\w+)\.(req|conf)$/.exec(schema.$id)!;
      if (!SECURITY_EXTENSION_16.includes(action)) continue;
      const name = kind === 'conf' ? `${action}Response.json` : `${action}.json`;
      assert.equal(fs.readFileSync(path.join(SCHEMAS, 'ocpp1.6', name), 'utf8'), JSON.stringify(schema, null, 2) + '\n', name);
      compared++;
    }
    assert.equal(compared, 22);
  });
});

describe(
  'schemas/ - byte-identical to the OCA originals',
  { skip: HAS_REFERENCE ? false : `no OCA reference folder at ${REFERENCE} (set OCPP_REFERENCE_SCHEMAS)` },
  () => {
    for (const folder of FOLDERS) {
      it(`${folder}: every OCA file is here, byte for byte, and nothing else is, but the 1.6 Security Extension`, () => {
        const ref = jsonFiles(path.join(REFERENCE, folder));
        const ours = jsonFiles(path.join(SCHEMAS, folder));
        assert.deepEqual(
          ours.filter((f) => isOca(folder, f)),
          ref,
        );
        for (const file of ref) {
          assert.ok(
            fs.readFileSync(path.join(SCHEMAS, folder, file)).equals(fs.readFileSync(path.join(REFERENCE, folder, file))),
            `${folder}/${file} differs from OCA's`,
          );
        }
      });
    }

    it("the 1.6 Security Extension has no OCA reference copy (its files are ocpp-rpc's, not checked against OCA)", (t) => {
      for (const file of SECURITY_FILES) assert.equal(fs.existsSync(path.join(REFERENCE, 'ocpp1.6', file)), false, `${file} now has an OCA copy`);
      t.diagnostic(`not compared with OCA (no OCA original): ${SECURITY_FILES.join(', ')}`);
    });
  },
);

describe('generator-time patches (scripts/codegen/patches.ts)', () => {
  const read = (folder: string, file: string): JsonSchema => JSON.parse(fs.readFileSync(path.join(SCHEMAS, folder, file), 'utf8')) as JsonSchema;
  /** The unit enum of 1.6 StopTransaction's sampled values. */
  const stopUnits = (s: JsonSchema): string[] =>
    (
      s as {
        properties: { transactionData: { items: { properties: { sampledValue: { items: { properties: { unit: { enum: string[] } } } } } } } };
      }
    ).properties.transactionData.items.properties.sampledValue.items.properties.unit.enum;

  it('1.6 StopTransaction: "Celsius" is added after "Celcius" in memory; the file keeps OCA\'s enum', () => {
    const original = read('ocpp1.6', 'StopTransaction.json');
    const before = JSON.stringify(original);
    const patched = patchedSchema('ocpp1.6', 'StopTransaction.json', original);
    assert.equal(JSON.stringify(original), before, 'the original was mutated');
    assert.equal(stopUnits(original).includes('Celsius'), false);
    assert.deepEqual(
      stopUnits(patched).filter((u) => !stopUnits(original).includes(u)),
      ['Celsius'],
    );
    assert.equal(stopUnits(patched).indexOf('Celsius'), stopUnits(patched).indexOf('Celcius') + 1);
  });

  it('a patch whose erratum OCA has fixed stops generation instead of becoming a no-op', () => {
    const fixed = structuredClone(read('ocpp1.6', 'StopTransaction.json'));
    stopUnits(fixed).push('Celsius');
    assert.throws(() => patchedSchema('ocpp1.6', 'StopTransaction.json', fixed), /already holds "Celsius"; the patch is no longer needed/);
  });

  it('every loaded schema loses $schema, $id/id and the no-op additionalProperties of string enums, and nothing else', () => {
    const original = read('ocpp2.1', 'AuthorizeRequest.json');
    const patched = patchedSchema('ocpp2.1', 'AuthorizeRequest.json', original);
    for (const key of ['$schema', '$id', 'id']) assert.equal(key in patched, false, key);
    const defs = (s: JsonSchema) => s['definitions'] as Record<string, JsonSchema>;
    assert.equal(defs(original)['HashAlgorithmEnumType']['additionalProperties'], false);
    assert.equal('additionalProperties' in defs(patched)['HashAlgorithmEnumType'], false);
    // Objects keep theirs: it is what closes them.
    assert.equal(patched['additionalProperties'], false);
    assert.equal(patched['comment'], original['comment']);
  });

  it('the patch list is the documented one', () => {
    assert.deepEqual(
      SCHEMA_PATCHES.map((p) => `${p.version}/${p.file}`),
      ['ocpp1.6/StopTransaction.json'],
    );
    const readme = fs.readFileSync(path.join(SCHEMAS, 'README.md'), 'utf8');
    for (const p of SCHEMA_PATCHES) assert.ok(readme.includes(`${p.version}/${p.file}`), `schemas/README.md does not list ${p.version}/${p.file}`);
  });
});
