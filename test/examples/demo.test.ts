/**
 * The demo (`npm run demo`) finishes by itself with exit code 0, covers all three versions (2.1
 * with a SEND and a CALLRESULTERROR) and prints a summary; the exchange log's formatting and
 * colour rules hold.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { colorEnabled, ExchangeLog, summarize } from '../../examples/exchange-log';
import { ROOT, runExample } from './helpers';

describe('examples/demo.ts (npm run demo)', () => {
  test('the npm script runs the demo with tsx', () => {
    const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    assert.equal(pkg.scripts.demo, 'tsx examples/demo.ts');
  });

  test('runs full sessions in OCPP 1.6, 2.0.1 and 2.1, then exits 0 with a summary', async () => {
    const started = Date.now();
    const { code, timedOut, output } = await runExample('examples/demo.ts', [], { timeoutMs: 25_000 });
    assert.deepEqual([code, timedOut], [0, false], output);
    assert.ok(Date.now() - started < 25_000);
    for (const action of [
      'BootNotification',
      'StatusNotification',
      'Authorize',
      'RemoteStartTransaction',
      'StartTransaction',
      'MeterValues',
      'RemoteStopTransaction',
      'StopTransaction',
    ]) {
      assert.match(output, new RegExp(`DEMO-16 +[→←] CSMS +CALL +${action} `), action);
    }
    for (const action of [
      'BootNotification',
      'StatusNotification',
      'Authorize',
      'RequestStartTransaction',
      'RequestStopTransaction',
      'GetVariables',
      'SetVariables',
    ]) {
      assert.match(output, new RegExp(`DEMO-201 +[→←] CSMS +CALL +${action} `), action);
    }
    assert.match(output, /DEMO-201 +→ CSMS +CALL +TransactionEvent +eventType=Updated .*energy=\d+Wh/);
    assert.match(output, /✔ ocpp1\.6 +DEMO-16 +9 steps passed, \d+ frames, 0 CALLERRORs/);
    assert.match(output, /✔ ocpp2\.0\.1 +DEMO-201 +9 steps passed, \d+ frames, 0 CALLERRORs/);
    // 2.1: the same session, plus a stream of SENDs and one CALLRESULTERROR the CSMS saw.
    assert.match(output, /── OCPP 2\.1: DEMO-21 /);
    for (const action of [
      'BootNotification',
      'StatusNotification',
      'Authorize',
      'RequestStartTransaction',
      'OpenPeriodicEventStream',
      'RequestStopTransaction',
    ]) {
      assert.match(output, new RegExp(`DEMO-21 +[→←] CSMS +CALL +${action} `), action);
    }
    for (const eventType of ['Started', 'Updated', 'Ended'])
      assert.match(output, new RegExp(`DEMO-21 +→ CSMS +CALL +TransactionEvent +eventType=${eventType} `));
    assert.match(output, /DEMO-21 +← CSMS +RESULT +Authorize +status=Accepted tariffId=/);
    assert.match(output, /DEMO-21 +→ CSMS +RESERR +Authorize +NotSupported: this charger applies no tariffs/);
    assert.match(output, /DEMO-21 refused the Authorize answer with a CALLRESULTERROR: NotSupported/);
    assert.match(output, /DEMO-21 +→ CSMS +SEND +NotifyPeriodicEventStream +id=1 /);
    assert.doesNotMatch(output, /DEMO-21 +← CSMS +RESULT +NotifyPeriodicEventStream/, 'a SEND is never answered');
    assert.match(output, /✔ ocpp2\.1 +DEMO-21 +11 steps passed, \d+ frames, 0 CALLERRORs, 1 CALLRESULTERROR, \d+ SENDs \(2 checked\)/);
    assert.match(output, /All checks passed in [\d.]+ s \(OCPP 1\.6, 2\.0\.1 and 2\.1\)/);
    assert.ok(!output.includes('\x1b['), 'no colour when stdout is not a terminal');
  });
});

describe('examples/exchange-log.ts', () => {
  test('colour only on a TTY with NO_COLOR unset or empty', (t) => {
    const saved = process.env.NO_COLOR;
    t.after(() => {
      if (saved === undefined) delete process.env.NO_COLOR;
      else process.env.NO_COLOR = saved;
    });
    delete process.env.NO_COLOR;
    assert.equal(colorEnabled({ isTTY: true }), true);
    assert.equal(colorEnabled({ isTTY: false }), false);
    assert.equal(colorEnabled({}), false);
    process.env.NO_COLOR = '1';
    assert.equal(colorEnabled({ isTTY: true }), false);
  });

  test('one line per frame: identity, arrow from the sender, kind, action, summary', () => {
    const lines: string[] = [];
    const log = new ExchangeLog({ write: (l) => lines.push(l), color: false });
    const call = { type: 2, messageId: 'm1', action: 'Authorize', payload: { idTag: 'TAG-001' } } as const;
    log.frame('CP1', 'charger', { direction: 'inbound', text: '', frame: call, messageId: 'm1', action: 'Authorize' });
    log.frame('CP1', 'csms', {
      direction: 'outbound',
      text: '',
      frame: { type: 3, messageId: 'm1', payload: { idTagInfo: { status: 'Accepted' } } },
      messageId: 'm1',
    });
    log.frame('CP1', 'charger', {
      direction: 'inbound',
      text: '',
      frame: { type: 4, messageId: 'm2', errorCode: 'NotSupported', errorDescription: 'no', errorDetails: {} },
      messageId: 'm2',
    });
    assert.match(lines[0], /CP1 +→ CSMS +CALL +Authorize +idTag=TAG-001$/);
    assert.match(lines[1], /CP1 +← CSMS +RESULT +Authorize +status=Accepted$/);
    assert.match(lines[2], /CP1 +→ CSMS +ERROR +\? +NotSupported: no$/);
    assert.deepEqual(log.countsFor('CP1'), { frames: 3, callErrors: 1 });
  });

  test('2.1: a SEND is a SEND line and never pending; a CALLRESULTERROR names the action it refused', () => {
    const lines: string[] = [];
    const log = new ExchangeLog({ write: (l) => lines.push(l), color: false });
    const send = { type: 6, messageId: 's1', action: 'NotifyPeriodicEventStream', payload: { id: 1, pending: 0, data: [{ t: 0, v: '11' }] } } as const;
    log.frame('CP21', 'charger', { direction: 'inbound', text: '', frame: send, messageId: 's1', action: 'NotifyPeriodicEventStream' });
    const call = { type: 2, messageId: 'm1', action: 'Authorize', payload: { idToken: { idToken: 'T', type: 'ISO14443' } } } as const;
    log.frame('CP21', 'charger', { direction: 'inbound', text: '', frame: call, messageId: 'm1', action: 'Authorize' });
    log.frame('CP21', 'csms', {
      direction: 'outbound',
      text: '',
      frame: { type: 3, messageId: 'm1', payload: { idTokenInfo: { status: 'Accepted' } } },
      messageId: 'm1',
    });
    const refusal = { type: 5, messageId: 'm1', errorCode: 'NotSupported', errorDescription: 'no tariffs', errorDetails: {} } as const;
    log.frame('CP21', 'charger', { direction: 'inbound', text: '', frame: refusal, messageId: 'm1' });
    assert.match(lines[0], /CP21 +→ CSMS +SEND +NotifyPeriodicEventStream +id=1 pending=0 t=0 v=11$/);
    assert.match(lines[3], /CP21 +→ CSMS +RESERR +Authorize +NotSupported: no tariffs$/);
    assert.deepEqual(log.countsFor('CP21'), { frames: 4, callErrors: 0, callResultErrors: 1, sends: 1 });
  });

  test('summaries drop timestamps and shorten samples, device-model entries and UUIDs', () => {
    assert.equal(summarize({}), '{}');
    assert.equal(summarize({ timestamp: 'x', meterValue: [{ sampledValue: [{ value: '5', unit: 'Wh', context: 'Trigger' }] }] }), 'energy=5Wh');
    assert.equal(summarize({ getVariableData: [{ component: { name: 'AuthCtrlr' }, variable: { name: 'Enabled' } }] }), 'AuthCtrlr/Enabled');
    assert.equal(summarize({ transactionId: '0e4c8c1a-1b2c-4d5e-8f90-123456789abc' }), 'transactionId=0e4c8c1a…');
    assert.equal(summarize({ a: 'x'.repeat(200) }, 20).length, 20);
  });
});
