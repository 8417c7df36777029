import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { buildSync } from 'esbuild';
import { directionsFor } from '../../scripts/codegen/directions';
import { loadVersion, VERSIONS, type LoadedVersion } from '../../scripts/codegen/schemas';
import { checkSupported } from '../../scripts/codegen/validators';
import { OCPP16_ACTIONS } from '../../src/generated/ocpp16/actions';
import { validators as v16 } from '../../src/generated/ocpp16/validators';
import { OCPP201_ACTIONS } from '../../src/generated/ocpp201/actions';
import { validators as v201 } from '../../src/generated/ocpp201/validators';
import { OCPP21_ACTIONS, OCPP21_SEND_ACTIONS } from '../../src/generated/ocpp21/actions';
import { sendValidators as send21, validators as v21 } from '../../src/generated/ocpp21/validators';
import { actionSender, canSend, isKnownAction } from '../../src/ocpp/actions';

const ROOT = path.resolve(__dirname, '..', '..');
const GENERATED = path.join(ROOT, 'src', 'generated');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ocpp-sdk-generated-test-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** Output folder under src/generated/ to version. */
const DIRS: Record<string, string> = { ocpp16: 'ocpp1.6', ocpp201: 'ocpp2.0.1', ocpp21: 'ocpp2.1' };
/** Entries of each `validators` table: the actions that travel as CALL. */
const CALL_ACTIONS: Record<string, number> = { ocpp16: 39, ocpp201: 64, ocpp21: 90 };

function countSenders(table: Record<string, string>): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const sender of Object.values(table)) counts[sender] = (counts[sender] ?? 0) + 1;
  return counts;
}

describe('generated action tables', () => {
  const cases = [
    {
      version: 'ocpp1.6',
      table: OCPP16_ACTIONS as Record<string, string>,
      validators: v16,
      size: 39,
      senders: { ChargePoint: 13, Both: 1, CentralSystem: 25 },
      send: [],
    },
    {
      version: 'ocpp2.0.1',
      table: OCPP201_ACTIONS as Record<string, string>,
      validators: v201,
      size: 64,
      senders: { ChargePoint: 24, Both: 1, CentralSystem: 39 },
      send: [],
    },
    {
      // 2.0.1's 64 actions and 27 new ones: 12 from the Charging Station (one of them,
      // NotifyPeriodicEventStream, a SEND) and 15 from the CSMS.
      version: 'ocpp2.1',
      table: OCPP21_ACTIONS as Record<string, string>,
      validators: v21,
      size: 91,
      senders: { ChargePoint: 36, Both: 1, CentralSystem: 54 },
      send: ['NotifyPeriodicEventStream'],
    },
  ] as const;
  for (const c of cases) {
    it(`${c.version}: ${c.size} actions, each CALL action with a request and a response validator, and the expected senders`, () => {
      assert.equal(Object.keys(c.table).length, c.size);
      const callActions = Object.keys(c.table).filter((a) => !(c.send as readonly string[]).includes(a));
      assert.deepEqual(Object.keys(c.validators).sort(), callActions.sort());
      for (const action of callActions) {
        assert.equal(typeof c.validators[action].request, 'function', `${action} request`);
        assert.equal(typeof c.validators[action].response, 'function', `${action} response`);
        assert.notEqual(c.validators[action].request, c.validators[action].response, action);
      }
      assert.deepEqual(countSenders(c.table), c.senders);
      assert.equal(c.table['DataTransfer'], 'Both');
    });
  }

  it('tables and validators are frozen', () => {
    assert.ok(Object.isFrozen(v16) && Object.isFrozen(v201) && Object.isFrozen(v21) && Object.isFrozen(send21));
    assert.ok(Object.isFrozen(v16['Heartbeat']) && Object.isFrozen(v21['Heartbeat']));
  });

  it('ocpp2.1: NotifyPeriodicEventStream travels as SEND: a sender, one payload validator, no response validator', () => {
    assert.deepEqual(OCPP21_SEND_ACTIONS, ['NotifyPeriodicEventStream']);
    assert.equal(OCPP21_ACTIONS.NotifyPeriodicEventStream, 'ChargePoint');
    assert.deepEqual(Object.keys(send21), ['NotifyPeriodicEventStream']);
    assert.equal(v21['NotifyPeriodicEventStream'], undefined);
    const validate = send21['NotifyPeriodicEventStream'];
    assert.equal(validate({ id: 1, pending: 0, basetime: '2025-01-01T00:00:00Z', data: [{ t: 0, v: '1.0' }] }), true);
    assert.equal(validate({ id: 1, pending: 0, basetime: '2025-01-01T00:00:00Z', data: [] }), false);
    assert.equal(validate.errors?.[0].keyword, 'minItems');
  });

  it('spot checks of directions against the specifications', () => {
    assert.equal(OCPP16_ACTIONS.BootNotification, 'ChargePoint');
    assert.equal(OCPP16_ACTIONS.Reset, 'CentralSystem');
    assert.equal(OCPP16_ACTIONS.SignCertificate, 'ChargePoint');
    assert.equal(OCPP16_ACTIONS.ExtendedTriggerMessage, 'CentralSystem');
    assert.equal(OCPP201_ACTIONS.TransactionEvent, 'ChargePoint');
    assert.equal(OCPP201_ACTIONS.RequestStartTransaction, 'CentralSystem');
    assert.equal(OCPP201_ACTIONS.Get15118EVCertificate, 'ChargePoint');
    assert.equal(OCPP201_ACTIONS.CostUpdated, 'CentralSystem');
    // 2.1: the 2.0.1 actions keep their senders; spot checks of the new ones.
    for (const [action, sender] of Object.entries(OCPP201_ACTIONS)) assert.equal(OCPP21_ACTIONS[action as keyof typeof OCPP21_ACTIONS], sender, action);
    assert.equal(OCPP21_ACTIONS.BatterySwap, 'ChargePoint');
    assert.equal(OCPP21_ACTIONS.RequestBatterySwap, 'CentralSystem');
    assert.equal(OCPP21_ACTIONS.OpenPeriodicEventStream, 'ChargePoint');
    assert.equal(OCPP21_ACTIONS.AdjustPeriodicEventStream, 'CentralSystem');
    assert.equal(OCPP21_ACTIONS.SetDefaultTariff, 'CentralSystem');
    assert.equal(OCPP21_ACTIONS.NotifySettlement, 'ChargePoint');
    assert.equal(OCPP21_ACTIONS.NotifyWebPaymentStarted, 'CentralSystem');
    assert.equal(OCPP21_ACTIONS.GetCertificateChainStatus, 'ChargePoint');
  });
});

describe('src/ocpp/actions helpers', () => {
  it('isKnownAction is exact and version-specific', () => {
    assert.equal(isKnownAction('ocpp1.6', 'BootNotification'), true);
    assert.equal(isKnownAction('ocpp1.6', 'TransactionEvent'), false);
    assert.equal(isKnownAction('ocpp2.0.1', 'TransactionEvent'), true);
    assert.equal(isKnownAction('ocpp2.0.1', 'bootnotification'), false);
    assert.equal(isKnownAction('ocpp2.0.1', 'constructor'), false);
    assert.equal(isKnownAction('ocpp2.1', 'BatterySwap'), true);
    assert.equal(isKnownAction('ocpp2.0.1', 'BatterySwap'), false);
    assert.throws(() => isKnownAction('ocpp2.2' as 'ocpp1.6', 'Heartbeat'), TypeError);
  });

  it('actionSender and canSend follow the tables; DataTransfer goes both ways', () => {
    assert.equal(actionSender('ocpp1.6', 'Heartbeat'), 'ChargePoint');
    assert.equal(actionSender('ocpp1.6', 'Nope'), undefined);
    assert.equal(canSend('ocpp1.6', 'ChargePoint', 'Heartbeat'), true);
    assert.equal(canSend('ocpp1.6', 'CentralSystem', 'Heartbeat'), false);
    assert.equal(canSend('ocpp1.6', 'CentralSystem', 'Reset'), true);
    assert.equal(canSend('ocpp1.6', 'ChargePoint', 'Reset'), false);
    assert.equal(canSend('ocpp2.0.1', 'ChargePoint', 'DataTransfer'), true);
    assert.equal(canSend('ocpp2.0.1', 'CentralSystem', 'DataTransfer'), true);
    assert.equal(canSend('ocpp2.0.1', 'CentralSystem', 'Nope'), false);
    assert.equal(canSend('ocpp2.1', 'CentralSystem', 'SetDefaultTariff'), true);
    assert.equal(canSend('ocpp2.1', 'ChargePoint', 'SetDefaultTariff'), false);
    assert.equal(actionSender('ocpp2.1', 'NotifyPeriodicEventStream'), 'ChargePoint');
  });
});

describe('generated files', () => {
  it('every file starts with the GENERATED header naming its source and generator', () => {
    assert.deepEqual(fs.readdirSync(GENERATED).sort(), Object.keys(DIRS).sort());
    for (const [dir, version] of Object.entries(DIRS)) {
      for (const file of fs.readdirSync(path.join(GENERATED, dir))) {
        const first = fs.readFileSync(path.join(GENERATED, dir, file), 'utf8').split('\n', 1)[0];
        assert.equal(
          first,
          `// GENERATED, DO NOT EDIT. Source: schemas/${version}/ (OCA JSON schemas, patched in memory by scripts/codegen/patches.ts). Generator: scripts/generate.ts (npm run generate).`,
          `${dir}/${file}`,
        );
      }
    }
  });

  it('the validator modules load nothing at run time (no require( or import outside strings)', () => {
    for (const dir of Object.keys(DIRS)) {
      const text = fs.readFileSync(path.join(GENERATED, dir, 'validators.js'), 'utf8');
      assert.doesNotMatch(text, /\bimport\b/, `${dir}: import`);
      assert.doesNotMatch(text, /__require\b/, `${dir}: esbuild require shim`);
      // The only require( is ajv's ucs2length carrying its own source as a string (ucs2length.code).
      const requires = [...text.matchAll(/.require\s*\(/g)].map((m) => m[0][0]);
      assert.deepEqual(requires, ["'"], `${dir}: require( outside the known inert string`);
      assert.match(text, /ucs2length\.code='require\("ajv\/dist\/runtime\/ucs2length"\)\.default'/);
      assert.equal(text.split('\n')[1], "'use strict';");
    }
  });

  for (const [dir, size] of Object.entries(CALL_ACTIONS)) {
    it(`${dir}/validators.js loads with require (CJS) and, bundled, with import (ESM) from a folder without node_modules`, () => {
      const source = path.join(GENERATED, dir, 'validators.js');
      // A copy outside the project: nothing to resolve, no transpiler, no bundler.
      const cjs = path.join(tmp, `${dir}-validators.cjs`);
      fs.copyFileSync(source, cjs);
      // ESM consumers get it through a bundler (tsup/esbuild) or Node's CommonJS interop.
      const esm = path.join(tmp, `${dir}-validators.mjs`);
      buildSync({
        stdin: { contents: `export { validators } from ${JSON.stringify(source)};`, resolveDir: tmp },
        bundle: true,
        outfile: esm,
        format: 'esm',
        platform: 'neutral',
        logLevel: 'silent',
      });
      const probe = `const ok = v.validators.Heartbeat.request({}) === true && v.validators.Heartbeat.response({}) === false && v.validators.Heartbeat.response.errors[0].keyword === 'required';
        process.stdout.write(String(Object.keys(v.validators).length) + ' ' + ok);`;
      const viaRequire = spawnSync(process.execPath, ['-e', `const v = require(${JSON.stringify(cjs)}); ${probe}`], { cwd: tmp, encoding: 'utf8' });
      assert.equal(viaRequire.status, 0, viaRequire.stderr);
      assert.equal(viaRequire.stdout, `${size} true`);
      const viaImport = spawnSync(process.execPath, ['--input-type=module', '-e', `const v = await import(${JSON.stringify('file://' + esm)}); ${probe}`], {
        cwd: tmp,
        encoding: 'utf8',
      });
      assert.equal(viaImport.status, 0, viaImport.stderr);
      assert.equal(viaImport.stdout, `${size} true`);
    });
  }

  it('the generated .js loads with plain node, no transpiler (what ts-node relies on)', () => {
    const r = spawnSync(
      process.execPath,
      ['-e', `const v = require('./src/generated/ocpp201/validators.js'); process.stdout.write(String(Object.keys(v.validators).length));`],
      { cwd: ROOT, encoding: 'utf8' },
    );
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, '64');
  });
});

describe('generator', () => {
  it('regenerating into a temporary folder is byte-identical to src/generated/; --check names a hand-edited and a stale file', () => {
    const out = path.join(tmp, 'gen');
    const run = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'scripts/generate.ts', ...args], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(run('--out', out).status, 0);
    for (const dir of Object.keys(DIRS)) {
      for (const file of fs.readdirSync(path.join(GENERATED, dir))) {
        assert.ok(fs.readFileSync(path.join(out, dir, file)).equals(fs.readFileSync(path.join(GENERATED, dir, file))), `${dir}/${file}`);
      }
    }
    fs.appendFileSync(path.join(out, 'ocpp16', 'types.ts'), '// hand edit\n');
    fs.writeFileSync(path.join(out, 'leftover.ts'), '');
    const failed = run('--check', '--out', out);
    assert.equal(failed.status, 1);
    assert.match(failed.stderr, /differs: +\S*ocpp16\/types\.ts/);
    assert.match(failed.stderr, /stale: +\S*leftover\.ts/);
  });

  it('fails when an action has no direction or a direction names no schema', () => {
    const loaded = loadVersion(ROOT, VERSIONS[0]);
    const extra: LoadedVersion = { ...loaded, actions: [...loaded.actions, 'FutureAction'].sort() };
    assert.throws(() => directionsFor(extra), /FutureAction has a schema but no direction/);
    const fewer: LoadedVersion = { ...loaded, actions: loaded.actions.filter((a) => a !== 'Reset') };
    assert.throws(() => directionsFor(fewer), /direction table names Reset, which has no schema/);
    assert.equal(directionsFor(loaded).size, 39);
  });

  it('fails on schema features it would get wrong; property names are not mistaken for keywords', () => {
    assert.throws(() => checkSupported({ properties: { mail: { type: 'string', format: 'email' } } }, 'x'), /format "email"/);
    assert.throws(() => checkSupported({ type: 'number', minimum: 0, exclusiveMinimum: true }, 'x'), /boolean exclusiveMinimum/);
    assert.throws(() => checkSupported({ properties: { a: { const: 1 } } }, 'x'), /keyword const/);
    assert.doesNotThrow(() => checkSupported({ properties: { const: { type: 'string' }, format: { type: 'string' } } }, 'x'));
  });
});
