// Benchmark of the generated validators: `npm run bench:validators` (not part of npm test).
//
// 1. Module load time per version: the generated validators.js, compiled to plain CommonJS the
//    way a build would, required in a fresh Node process (timed inside the process, so Node's
//    own start-up is excluded); median of 5 processes. For comparison, the time ajv needs to
//    compile the same schemas at run time, which is what precompiling avoids; also median of 5.
// 2. Validations per second of a MeterValues request with 10 sampled values, for 1.6 and
//    2.0.1: the raw precompiled function, and through createPayloadValidator (the path the core
//    uses: one Map lookup, one validator call). Median of 7 runs of ~300 ms each.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildSync } from 'esbuild';
import { validators as v16 } from '../src/generated/ocpp16/validators';
import { validators as v201 } from '../src/generated/ocpp201/validators';
import { createPayloadValidator } from '../src/ocpp/validation';
import type { OcppVersion } from '../src/ocpp/version';

const ROOT = path.resolve(__dirname, '..');
const LOAD_RUNS = 5;
const SPEED_RUNS = 7;
const SPEED_RUN_MS = 300;

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** Runs `code` in a fresh Node process that prints one number; returns it. */
function inFreshProcess(code: string): number {
  const r = spawnSync(process.execPath, ['-e', code], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return Number(r.stdout.trim());
}

function loadTimes(tmp: string): { version: string; precompiledMs: number; runtimeCompileMs: number; sizeKb: number }[] {
  const out = [];
  for (const [version, dir, folder] of [
    ['ocpp1.6', 'ocpp16', 'ocpp1.6'],
    ['ocpp2.0.1', 'ocpp201', 'ocpp2.0.1'],
  ] as const) {
    const source = path.join(ROOT, 'src', 'generated', dir, 'validators.js');
    const compiled = path.join(tmp, `${dir}.cjs`);
    // Whitespace stays minified as in the generated file; a pretty-printed copy is ~30% larger.
    buildSync({ entryPoints: [source], outfile: compiled, format: 'cjs', platform: 'neutral', minifyWhitespace: true, logLevel: 'silent' });
    const precompiled = Array.from({ length: LOAD_RUNS }, () =>
      inFreshProcess(`const t = performance.now(); require(${JSON.stringify(compiled)}); process.stdout.write(String(performance.now() - t));`),
    );
    // Run-time compilation of the same schemas with the same options, for comparison. The $id
    // is left out for the reason explained in scripts/codegen/validators.ts, and `$schema`/`id`
    // too: OCA's files name draft-04, whose meta-schema ajv does not carry (the generator drops
    // them in memory as well, scripts/codegen/patches.ts).
    const runtime = Array.from({ length: LOAD_RUNS }, () =>
      inFreshProcess(`
        const fs = require('fs'), path = require('path');
        const t = performance.now();
        const Ajv = require('ajv').default, addFormats = require('ajv-formats');
        const ajv = new Ajv({ strict: false, multipleOfPrecision: 6 }); addFormats(ajv, ['date-time', 'uri']);
        const dir = ${JSON.stringify(path.join(ROOT, 'schemas', folder))};
        for (const f of fs.readdirSync(dir)) { if (!f.endsWith('.json')) continue; const { $id, $schema, id, ...s } = JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')); ajv.compile(s); }
        process.stdout.write(String(performance.now() - t));`),
    );
    out.push({ version, precompiledMs: median(precompiled), runtimeCompileMs: median(runtime), sizeKb: fs.statSync(compiled).size / 1024 });
  }
  return out;
}

function meterValues16(): unknown {
  const measurands = [
    'Energy.Active.Import.Register',
    'Power.Active.Import',
    'Current.Import',
    'Current.Import',
    'Current.Import',
    'Voltage',
    'Voltage',
    'Voltage',
    'SoC',
    'Temperature',
  ];
  const phases = [undefined, undefined, 'L1', 'L2', 'L3', 'L1-N', 'L2-N', 'L3-N', undefined, undefined];
  const units = ['Wh', 'W', 'A', 'A', 'A', 'V', 'V', 'V', 'Percent', 'Celsius'];
  return {
    connectorId: 1,
    transactionId: 1234,
    meterValue: [
      {
        timestamp: '2024-05-01T12:00:00.000Z',
        sampledValue: measurands.map((measurand, i) => ({
          value: String(100 + i * 1.5),
          context: 'Sample.Periodic',
          measurand,
          ...(phases[i] ? { phase: phases[i] } : {}),
          location: i === 8 ? 'EV' : 'Outlet',
          unit: units[i],
        })),
      },
    ],
  };
}

function meterValues201(): unknown {
  // 2.0.1 has no Temperature measurand; Frequency takes its place.
  const measurands = [
    'Energy.Active.Import.Register',
    'Power.Active.Import',
    'Current.Import',
    'Current.Import',
    'Current.Import',
    'Voltage',
    'Voltage',
    'Voltage',
    'SoC',
    'Frequency',
  ];
  const phases = [undefined, undefined, 'L1', 'L2', 'L3', 'L1-N', 'L2-N', 'L3-N', undefined, undefined];
  const units = ['Wh', 'W', 'A', 'A', 'A', 'V', 'V', 'V', 'Percent', 'Hz'];
  return {
    evseId: 1,
    meterValue: [
      {
        timestamp: '2024-05-01T12:00:00.000Z',
        sampledValue: measurands.map((measurand, i) => ({
          value: 100 + i * 1.5,
          context: 'Sample.Periodic',
          measurand,
          ...(phases[i] ? { phase: phases[i] } : {}),
          location: i === 8 ? 'EV' : 'Outlet',
          unitOfMeasure: { unit: units[i], multiplier: 0 },
        })),
      },
    ],
  };
}

/** Calls `fn` in batches for SPEED_RUN_MS, SPEED_RUNS times; median calls per second. */
function opsPerSecond(fn: () => unknown): number {
  for (let i = 0; i < 20_000; i++) fn(); // warm-up, so the JIT has optimised the validator
  const rates: number[] = [];
  for (let run = 0; run < SPEED_RUNS; run++) {
    let calls = 0;
    const start = process.hrtime.bigint();
    const deadline = start + BigInt(SPEED_RUN_MS * 1e6);
    let now = start;
    while (now < deadline) {
      for (let i = 0; i < 1000; i++) fn();
      calls += 1000;
      now = process.hrtime.bigint();
    }
    rates.push(calls / (Number(now - start) / 1e9));
  }
  return median(rates);
}

function speeds(): { version: OcppVersion; rawPerSec: number; validatorPerSec: number }[] {
  const cases = [
    { version: 'ocpp1.6' as const, payload: meterValues16(), raw: v16['MeterValues'].request },
    { version: 'ocpp2.0.1' as const, payload: meterValues201(), raw: v201['MeterValues'].request },
  ];
  return cases.map(({ version, payload, raw }) => {
    const validator = createPayloadValidator(version);
    if (!raw(payload) || validator.validate('MeterValues', 'request', 'inbound', payload) !== undefined) {
      throw new Error(`${version} benchmark payload is not valid: ${JSON.stringify(raw.errors)}`);
    }
    return {
      version,
      rawPerSec: opsPerSecond(() => raw(payload)),
      validatorPerSec: opsPerSecond(() => validator.validate('MeterValues', 'request', 'inbound', payload)),
    };
  });
}

function main(): void {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ocpp-sdk-bench-'));
  try {
    console.log(`Node ${process.version}, ${os.cpus()[0]?.model ?? 'unknown CPU'}\n`);
    console.log(`Module load (fresh process, median of ${LOAD_RUNS})`);
    console.log('| version   | precompiled module | size    | ajv compile at run time |');
    console.log('|-----------|--------------------|---------|-------------------------|');
    for (const r of loadTimes(tmp)) {
      console.log(
        `| ${r.version.padEnd(9)} | ${`${r.precompiledMs.toFixed(1)} ms`.padStart(18)} | ${`${r.sizeKb.toFixed(0)} KB`.padStart(7)} | ${`${r.runtimeCompileMs.toFixed(0)} ms`.padStart(23)} |`,
      );
    }
    console.log(`\nMeterValues request, 10 sampled values (median of ${SPEED_RUNS} runs of ${SPEED_RUN_MS} ms)`);
    console.log('| version   | raw validator      | createPayloadValidator |');
    console.log('|-----------|--------------------|------------------------|');
    const fmt = (n: number) => `${Math.round(n).toLocaleString('en-US')} /s`;
    for (const r of speeds()) {
      console.log(`| ${r.version.padEnd(9)} | ${fmt(r.rawPerSec).padStart(18)} | ${fmt(r.validatorPerSec).padStart(22)} |`);
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main();
