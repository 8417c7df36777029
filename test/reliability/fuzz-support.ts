/**
 * The fuzzer shared by test/reliability/fuzz.test.ts (a few thousand inputs in `npm test`) and
 * bench/soak/fuzz-soak.ts (100,000 inputs with a memory check): input generators, an oracle
 * of what OCPP-J allows as an answer, and two targets over loopback, a real CentralSystem
 * (driven by a raw WebSocket client) and a real ChargePoint (driven by a raw WebSocket server).
 *
 * Inputs are sent pipelined, each followed by a sentinel CALL the target answers at once; as
 * every handler here answers synchronously, whatever arrives between two sentinel answers is
 * the answer to the input between them.
 */
import fc from 'fast-check';
import type { WebSocket } from 'ws';
import { CentralSystem, ChargePoint, type AnyStation, type OcppVersion } from '../../src/index';
import { openRaw, rawServer, type RawClient } from './support';

/** One fuzz input: a text frame, or a binary frame (decoded by the SDK as UTF-8). */
export type FuzzInput = { readonly text: string } | { readonly bytes: Uint8Array };

/** The text the SDK sees for an input after the WebSocket round trip. */
export function seenText(input: FuzzInput): string {
  // ws encodes strings as UTF-8 (lone surrogates become U+FFFD); binary frames are decoded leniently.
  return 'text' in input ? Buffer.from(input.text, 'utf8').toString('utf8') : new TextDecoder().decode(input.bytes);
}

export function describeInput(input: FuzzInput): string {
  const text = 'text' in input ? input.text : `<binary ${Buffer.from(input.bytes).toString('hex').slice(0, 200)}>`;
  return JSON.stringify(text.length > 300 ? text.slice(0, 300) + '…' : text);
}

const SENTINEL = 'sentinel~';

// ------------------------------------------------------------------ valid frames

const NOW = '2024-05-01T12:00:00Z';

/** Valid CALLs a station sends to a central system, per version. */
export const STATION_CALLS: Record<OcppVersion, string[]> = {
  'ocpp1.6': [
    '[2,"b1","BootNotification",{"chargePointVendor":"Vendor","chargePointModel":"Model"}]',
    '[2,"h1","Heartbeat",{}]',
    `[2,"s1","StatusNotification",{"connectorId":1,"errorCode":"NoError","status":"Available","timestamp":"${NOW}"}]`,
    '[2,"a1","Authorize",{"idTag":"TAG-1"}]',
    `[2,"m1","MeterValues",{"connectorId":1,"transactionId":7,"meterValue":[{"timestamp":"${NOW}","sampledValue":[{"value":"1200","unit":"Wh"}]}]}]`,
    '[2,"d1","DataTransfer",{"vendorId":"acme","messageId":"x","data":"payload"}]',
    `[2,"t1","StartTransaction",{"connectorId":1,"idTag":"TAG-1","meterStart":0,"timestamp":"${NOW}"}]`,
  ],
  'ocpp2.0.1': [
    '[2,"b1","BootNotification",{"chargingStation":{"model":"M","vendorName":"V"},"reason":"PowerUp"}]',
    '[2,"h1","Heartbeat",{}]',
    `[2,"s1","StatusNotification",{"timestamp":"${NOW}","connectorStatus":"Available","evseId":1,"connectorId":1}]`,
    '[2,"a1","Authorize",{"idToken":{"idToken":"TAG-1","type":"ISO14443"}}]',
    `[2,"m1","MeterValues",{"evseId":1,"meterValue":[{"timestamp":"${NOW}","sampledValue":[{"value":1200}]}]}]`,
    '[2,"d1","DataTransfer",{"vendorId":"acme","messageId":"x","data":{"any":["thing",1]}}]',
    `[2,"t1","TransactionEvent",{"eventType":"Started","timestamp":"${NOW}","triggerReason":"Authorized","seqNo":0,"transactionInfo":{"transactionId":"tx-1"}}]`,
  ],
  // Every one of these is valid in 2.1 too (2.1 kept these messages' required fields).
  get 'ocpp2.1'() {
    return this['ocpp2.0.1'];
  },
};

/** Valid CALLs a central system sends to a station, per version. */
export const CSMS_CALLS: Record<OcppVersion, string[]> = {
  'ocpp1.6': [
    '[2,"r1","Reset",{"type":"Soft"}]',
    '[2,"c1","ClearCache",{}]',
    '[2,"g1","GetConfiguration",{"key":["HeartbeatInterval"]}]',
    '[2,"x1","ChangeConfiguration",{"key":"HeartbeatInterval","value":"60"}]',
    '[2,"d1","DataTransfer",{"vendorId":"acme","data":"payload"}]',
    '[2,"u1","UnlockConnector",{"connectorId":1}]',
  ],
  'ocpp2.0.1': [
    '[2,"r1","Reset",{"type":"Immediate"}]',
    '[2,"c1","ClearCache",{}]',
    '[2,"g1","GetVariables",{"getVariableData":[{"component":{"name":"OCPPCommCtrlr"},"variable":{"name":"HeartbeatInterval"}}]}]',
    '[2,"x1","SetVariables",{"setVariableData":[{"attributeValue":"60","component":{"name":"OCPPCommCtrlr"},"variable":{"name":"HeartbeatInterval"}}]}]',
    '[2,"d1","DataTransfer",{"vendorId":"acme","data":[1,2,3]}]',
    '[2,"u1","UnlockConnector",{"evseId":1,"connectorId":1}]',
  ],
  // Every one of these is valid in 2.1 too (2.1 kept these messages' required fields).
  get 'ocpp2.1'() {
    return this['ocpp2.0.1'];
  },
};

/** Answers and errors either side may receive (for ids nobody used). */
const RESPONSES = [
  '[3,"r-unknown",{}]',
  '[3,"r-unknown",{"currentTime":"2024-05-01T12:00:00Z"}]',
  '[4,"e-unknown","GenericError","",{}]',
  '[4,"e-unknown","FormationViolation","broken",{"a":1}]',
  '[5,"x","GenericError","",{}]',
  '[6,"s","Heartbeat",{}]',
];

// ------------------------------------------------------------------ special inputs

const deepArrays = (n: number): string => '['.repeat(n) + ']'.repeat(n);
const deepObjects = (n: number): string => '{"a":'.repeat(n) + '1' + '}'.repeat(n);

/** Hand-picked hostile inputs, sent once per target before the random ones. */
export function specialInputs(version: OcppVersion): FuzzInput[] {
  // DataTransfer goes both ways; in 2.0.1 its `data` has no schema, so deep values reach the handler.
  const action = 'DataTransfer';
  const texts = [
    '',
    ' ',
    'null',
    '[]',
    '[2]',
    '[2,"only-id"]',
    '{}',
    '"[2,\\"x\\",\\"Heartbeat\\",{}]"',
    deepArrays(10_000),
    deepObjects(10_000),
    `[2,"deep-a","${action}",{"vendorId":"v","data":${deepArrays(10_000)}}]`,
    `[2,"deep-o","${action}",{"vendorId":"v","data":${deepObjects(10_000)}}]`,
    `[2,"deep-x","Heartbeat",${deepObjects(5_000)}]`,
    `[4,"deep-e","GenericError","",${deepObjects(5_000)}]`,
    `[${deepArrays(10_000)},"id","Heartbeat",{}]`,
    // Huge and odd numbers.
    '[2e308,"n1","Heartbeat",{}]',
    '[-2e308,"n2","Heartbeat",{}]',
    '[1e400,"n3","Heartbeat",{}]',
    '[2.0,"n4","Heartbeat",{}]',
    '[2.0000000000000001,"n5","Heartbeat",{}]',
    '[2.5,"n6","Heartbeat",{}]',
    '[-0,"n7","Heartbeat",{}]',
    '[123456789012345678901234567890,"n8","Heartbeat",{}]',
    '[9007199254740993,"n9","Heartbeat",{}]',
    `[2,"n10","${action}",{"vendorId":"v","data":1e999999}]`,
    '[2,12345678901234567890,"Heartbeat",{}]',
    // Prototype keys, in every position.
    '[2,"p1","Heartbeat",{"__proto__":{"polluted":"yes"}}]',
    '[2,"p2","Heartbeat",{"constructor":{"prototype":{"polluted":"yes"}}}]',
    '[2,"p3","Heartbeat",{"prototype":{"polluted":"yes"}}]',
    '[2,"__proto__","Heartbeat",{}]',
    '[2,"constructor","Heartbeat",{}]',
    '[2,"p4","__proto__",{}]',
    '[2,"p5","constructor",{}]',
    '[2,"p6","toString",{}]',
    '[2,"p7","hasOwnProperty",{}]',
    '[2,"p8","valueOf",{"__proto__":null}]',
    `[2,"p9","${action}",{"vendorId":"v","data":{"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}}}}]`,
    version === 'ocpp1.6'
      ? '[2,"p10","BootNotification",{"chargePointVendor":"V","chargePointModel":"M","__proto__":{"polluted":"yes"}}]'
      : '[2,"p10","BootNotification",{"chargingStation":{"model":"M","vendorName":"V","__proto__":{"polluted":"yes"}},"reason":"PowerUp"}]',
    '[4,"p11","GenericError","",{"__proto__":{"polluted":"yes"}}]',
    '{"__proto__":{"polluted":"yes"}}',
    '[3,"__proto__",{"__proto__":{"polluted":"yes"}}]',
    // Ids at and past the limit, odd characters.
    `[2,"${'i'.repeat(36)}","Heartbeat",{}]`,
    `[2,"${'i'.repeat(37)}","Heartbeat",{}]`,
    `[2,"${'😀'.repeat(36)}","Heartbeat",{}]`,
    `[2,"${'😀'.repeat(37)}","Heartbeat",{}]`,
    '[2,"-1","Heartbeat",{}]',
    '[2,"\\u0000\\n\\r","Heartbeat",{}]',
    '[2,"\\ud800","Heartbeat",{}]',
    '[2,"","Heartbeat",{}]',
    '[2,null,"Heartbeat",{}]',
    // Type ids that do not exist, or not in this version.
    '[0,"t0",{}]',
    '[1,"t1",{}]',
    '[7,"t7","Heartbeat",{}]',
    '[99,"t99"]',
    '[5,"t5","GenericError","",{}]',
    '[6,"t6","Heartbeat",{}]',
    '[6]',
    '["2","ts","Heartbeat",{}]',
    '[null,"tn","Heartbeat",{}]',
    // Long actions and descriptions.
    `[2,"la","${'A'.repeat(100_000)}",{}]`,
    `[4,"ld","GenericError","${'d'.repeat(100_000)}",{}]`,
    ...RESPONSES,
  ];
  const inputs: FuzzInput[] = texts.map((text) => ({ text }));
  const encoder = new TextEncoder();
  inputs.push(
    { bytes: encoder.encode('[2,"bin-1","Heartbeat",{}]') },
    { bytes: new Uint8Array([0xff, 0xfe, 0xfd]) },
    { bytes: new Uint8Array([0x5b, 0x32, 0x2c, 0x22, 0xc3, 0x28, 0x22, 0x5d]) }, // ["\xc3(" invalid UTF-8 in the id
    { bytes: new Uint8Array(0) },
    { bytes: new Uint8Array(4096).fill(0) },
  );
  return inputs;
}

// ------------------------------------------------------------------ random inputs

const idArb = fc.oneof(
  { arbitrary: fc.string({ minLength: 1, maxLength: 36 }), weight: 6 },
  { arbitrary: fc.string({ minLength: 37, maxLength: 80 }), weight: 1 },
  { arbitrary: fc.constantFrom('', '-1', '__proto__', 'constructor', '1', '0'), weight: 1 },
  { arbitrary: fc.oneof(fc.integer(), fc.double(), fc.constant(null), fc.boolean(), fc.constant({}), fc.constant([])), weight: 1 },
);

const jsonish = fc.jsonValue({ maxDepth: 4 });
const protoKey = fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf');

/** Objects that may carry prototype keys, built as JSON text so `__proto__` stays a real key. */
const hostileObjectText: fc.Arbitrary<string> = fc
  .array(fc.tuple(fc.oneof(protoKey, fc.string({ maxLength: 12 })), jsonish), { maxLength: 4 })
  .map((entries) => '{' + entries.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`).join(',') + '}');

function mutateFrame(valid: string): fc.Arbitrary<string> {
  const frame = JSON.parse(valid) as unknown[];
  const payload = frame[frame.length - 1] as Record<string, unknown>;
  const keys = Object.keys(payload);
  return fc.oneof(
    // Replace one element with anything.
    fc.tuple(fc.nat({ max: frame.length - 1 }), jsonish).map(([i, v]) => JSON.stringify(frame.map((e, j) => (j === i ? v : e)))),
    // Drop, add or swap elements.
    fc.nat({ max: frame.length - 1 }).map((i) => JSON.stringify(frame.filter((_, j) => j !== i))),
    jsonish.map((v) => JSON.stringify([...frame, v])),
    fc.tuple(fc.nat({ max: frame.length - 1 }), fc.nat({ max: frame.length - 1 })).map(([i, j]) => {
      const copy = [...frame];
      [copy[i], copy[j]] = [copy[j], copy[i]];
      return JSON.stringify(copy);
    }),
    // Another type id or id.
    fc.integer({ min: -2, max: 9 }).map((t) => JSON.stringify([t, ...frame.slice(1)])),
    idArb.map((id) => JSON.stringify([frame[0], id, ...frame.slice(2)])),
    // Another action (known of either version, or not).
    fc
      .oneof(
        fc.constantFrom('Heartbeat', 'BootNotification', 'heartbeat', 'HeartbeatRequest', 'TransactionEvent', 'StartTransaction', 'Reset'),
        fc.string({ maxLength: 20 }),
      )
      .map((action) => JSON.stringify([frame[0], frame[1], action, ...frame.slice(3)])),
    // Break one payload field, remove one, add one (possibly a prototype key).
    fc.tuple(fc.constantFrom(...(keys.length ? keys : ['x'])), jsonish).map(([k, v]) => JSON.stringify([...frame.slice(0, -1), { ...payload, [k]: v }])),
    fc.constantFrom(...(keys.length ? keys : ['x'])).map((k) => {
      const copy = { ...payload };
      delete copy[k];
      return JSON.stringify([...frame.slice(0, -1), copy]);
    }),
    hostileObjectText.map((obj) => {
      const head = JSON.stringify(frame.slice(0, -1));
      const body = JSON.stringify(payload);
      const merged = body === '{}' ? obj : obj === '{}' ? body : obj.slice(0, -1) + ',' + body.slice(1);
      return head.slice(0, -1) + ',' + merged + ']';
    }),
    // Text-level damage: truncate, insert, delete a character.
    fc.nat({ max: valid.length }).map((i) => valid.slice(0, i)),
    fc.tuple(fc.nat({ max: valid.length }), fc.string({ minLength: 1, maxLength: 3 })).map(([i, s]) => valid.slice(0, i) + s + valid.slice(i)),
    fc.nat({ max: Math.max(0, valid.length - 1) }).map((i) => valid.slice(0, i) + valid.slice(i + 1)),
  );
}

/** Random inputs for a target: strings, JSON, frame-shaped arrays, mutations of valid frames, binary. */
export function inputArbitrary(version: OcppVersion, toStation: boolean): fc.Arbitrary<FuzzInput> {
  const valid = [...(toStation ? CSMS_CALLS : STATION_CALLS)[version], ...RESPONSES];
  const text = fc.oneof(
    { arbitrary: fc.string({ maxLength: 60 }), weight: 1 },
    { arbitrary: fc.string({ unit: 'binary', maxLength: 60 }), weight: 1 },
    { arbitrary: fc.json({ maxDepth: 3 }), weight: 1 },
    {
      arbitrary: fc
        .tuple(
          fc.oneof(fc.integer({ min: 1, max: 7 }), jsonish),
          idArb,
          fc.oneof(fc.constantFrom('Heartbeat', 'BootNotification', 'Nope'), jsonish),
          fc.oneof(
            hostileObjectText,
            jsonish.map((v) => JSON.stringify(v)),
          ),
        )
        .chain(([t, id, a, p]) =>
          fc.nat({ max: 4 }).map((n) => '[' + [JSON.stringify(t), JSON.stringify(id), JSON.stringify(a), p].slice(0, n + 1).join(',') + ']'),
        ),
      weight: 2,
    },
    { arbitrary: fc.constantFrom(...valid).chain(mutateFrame), weight: 6 },
    { arbitrary: fc.constantFrom(...valid), weight: 1 },
  );
  return fc.oneof(
    { arbitrary: text.filter((t) => !t.includes(SENTINEL)).map((t): FuzzInput => ({ text: t })), weight: 9 },
    {
      arbitrary: fc
        .oneof(
          fc.uint8Array({ maxLength: 64 }),
          text.map((t) => new TextEncoder().encode(t)),
        )
        .map((bytes): FuzzInput => ({ bytes })),
      weight: 1,
    },
  );
}

// ------------------------------------------------------------------ the oracle

/** What OCPP-J allows as the reaction to an input (CONFORMANCE.md, items 4, 12-15). */
export type Expectation =
  | { readonly kind: 'answer-once'; readonly id: string }
  | { readonly kind: 'silent' }
  | { readonly kind: 'error-once'; readonly id: string; readonly code: string };

function validId(id: unknown): id is string {
  return typeof id === 'string' && id.length > 0 && [...id].length <= 36;
}

/** Independent of the SDK's parser: what the answer to `text` must be in `version`. */
export function expectation(text: string, version: OcppVersion): Expectation {
  // 2.0.1 and 2.1 share the framing answers ("-1", RpcFrameworkError); only unknown types differ.
  const v201 = version !== 'ocpp1.6';
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return v201 ? { kind: 'error-once', id: '-1', code: 'RpcFrameworkError' } : { kind: 'silent' };
  }
  if (!Array.isArray(value) || typeof value[0] !== 'number' || !Number.isInteger(value[0])) {
    return v201 ? { kind: 'error-once', id: '-1', code: 'RpcFrameworkError' } : { kind: 'silent' };
  }
  const type = value[0];
  const id = validId(value[1]) ? value[1] : undefined;
  if (type === 3 || type === 4) return { kind: 'silent' };
  if (type !== 2) {
    // 1.6 and 2.1 ignore unknown types; 2.0.1 answers MessageTypeNotSupported. 5 and 6 exist only
    // in 2.1, where neither is ever answered (a SEND never is, nor an answer to an answer).
    return version === 'ocpp2.0.1'
      ? { kind: 'error-once', id: (value.length >= 2 ? id : undefined) ?? '-1', code: 'MessageTypeNotSupported' }
      : { kind: 'silent' };
  }
  if (value.length >= 2 && id !== undefined) return { kind: 'answer-once', id };
  return v201 ? { kind: 'error-once', id: '-1', code: 'RpcFrameworkError' } : { kind: 'silent' };
}

/** Error codes each version may send. */
export const WIRE_CODES: Record<OcppVersion, ReadonlySet<string>> = {
  'ocpp1.6': new Set([
    'NotImplemented',
    'NotSupported',
    'InternalError',
    'ProtocolError',
    'SecurityError',
    'FormationViolation',
    'PropertyConstraintViolation',
    'OccurenceConstraintViolation',
    'TypeConstraintViolation',
    'GenericError',
  ]),
  'ocpp2.0.1': new Set([
    'FormatViolation',
    'GenericError',
    'InternalError',
    'MessageTypeNotSupported',
    'NotImplemented',
    'NotSupported',
    'OccurrenceConstraintViolation',
    'PropertyConstraintViolation',
    'ProtocolError',
    'RpcFrameworkError',
    'SecurityError',
    'TypeConstraintViolation',
  ]),
  // 2.1 spells every code as 2.0.1 does.
  get 'ocpp2.1'() {
    return this['ocpp2.0.1'];
  },
};

/** Text the handlers put in their exceptions; it must never reach the wire. */
export const SECRET = 'SECRET-INTERNAL-DETAIL';

/** Reasons an error description would leak internals: stack frames, paths, exception texts. */
export function leaks(description: string): string | undefined {
  const patterns: Array<[RegExp, string]> = [
    [new RegExp(SECRET), 'a handler exception message'],
    [/\n\s*at\s/, 'a stack trace'],
    [/\.(ts|js|mjs|cjs):\d+/, 'a source location'],
    [/\/(srv|home|usr|var|opt|tmp|root|Users)\/|node_modules|node:internal/, 'a file path'],
    [/\b(TypeError|RangeError|SyntaxError|ReferenceError)\b/, 'an exception class'],
    // V8's JSON.parse messages quote the input ("Unexpected token 'x', "..." is not valid JSON").
    [/Unexpected (token|end of JSON|non-whitespace)|JSON at position|Bad control character|Maximum call stack/, "the parser's own message"],
  ];
  for (const [re, what] of patterns) if (re.test(description)) return what;
  return undefined;
}

/** Checks the frames a target sent in reaction to one input; returns a problem or undefined. */
export function judge(input: FuzzInput, frames: readonly unknown[][], version: OcppVersion, errors: string[]): string | undefined {
  for (const f of frames) {
    if (f[0] !== 3 && f[0] !== 4) return `sent a frame of type ${String(f[0])}: ${JSON.stringify(f).slice(0, 200)}`;
    if (f[0] === 4) {
      const [, id, code, description, details] = f;
      if (typeof id !== 'string' || typeof code !== 'string' || typeof description !== 'string')
        return `malformed CALLERROR ${JSON.stringify(f).slice(0, 200)}`;
      if (typeof details !== 'object' || details === null || Array.isArray(details)) return 'CALLERROR details are not an object';
      if (!WIRE_CODES[version].has(code)) return `code ${code} does not exist in ${version}`;
      if (version !== 'ocpp1.6' && [...description].length > 255) return 'description longer than 255 characters';
      const leak = leaks(description) ?? leaks(JSON.stringify(details));
      if (leak) return `CALLERROR carries ${leak}: ${description.slice(0, 200)}`;
      errors.push(`${code}: ${description}`);
    }
  }
  const expected = expectation(seenText(input), version);
  if (expected.kind === 'silent') return frames.length === 0 ? undefined : `answered a message that must not be answered (${frames.length} frames)`;
  if (frames.length !== 1) return `expected exactly one answer with id ${JSON.stringify(expected.id)}, got ${frames.length}`;
  if (frames[0][1] !== expected.id) return `answered with id ${JSON.stringify(frames[0][1])}, expected ${JSON.stringify(expected.id)}`;
  if (expected.kind === 'error-once' && (frames[0][0] !== 4 || frames[0][2] !== expected.code)) {
    return `expected CALLERROR ${expected.code}, got ${JSON.stringify(frames[0]).slice(0, 200)}`;
  }
  return undefined;
}

// ------------------------------------------------------------------ targets

/** Something to fuzz: send an input, send a sentinel, see every frame that comes back. */
export interface FuzzTarget {
  readonly version: OcppVersion;
  readonly name: string;
  /** Every frame received from the SDK, parsed. */
  readonly received: unknown[][];
  send(input: FuzzInput): void;
  /** Sends a CALL the SDK answers at once; returns its id. */
  sentinel(n: number): string;
  /** True once the SDK closed the connection. */
  readonly closed: boolean;
  /** A valid CALL still works: resolves with its answer. */
  probe(): Promise<unknown[]>;
  close(): Promise<void>;
}

function sendRaw(ws: WebSocket, input: FuzzInput): void {
  if ('text' in input) ws.send(input.text);
  else ws.send(input.bytes, { binary: true });
}

/** Things the SDK handlers do that are also worth fuzzing: throw with a secret, return garbage. */
const throwing = (): never => {
  const error = new Error(`${SECRET} at /srv/app/src/secret.ts:42`);
  throw error;
};

/** A CentralSystem of `version`, fuzzed by a raw client. */
export async function centralSystemTarget(version: OcppVersion): Promise<FuzzTarget> {
  const cs = new CentralSystem<OcppVersion>({ protocols: [version], pingIntervalMs: 0, maxBadMessages: Infinity, compression: false });
  const now = (): string => new Date().toISOString();
  if (version === 'ocpp1.6') {
    cs.handle('ocpp1.6', 'Heartbeat', () => ({ currentTime: now() }));
    cs.handle('ocpp1.6', 'BootNotification', () => ({ status: 'Accepted', currentTime: now(), interval: 300 }));
    cs.handle('ocpp1.6', 'StatusNotification', () => ({}));
    cs.handle('ocpp1.6', 'DataTransfer', () => ({ status: 'Accepted' }));
    cs.handle('ocpp1.6', 'Authorize', throwing);
    cs.handle('ocpp1.6', 'MeterValues', () => ({ unexpected: SECRET }));
  } else if (version === 'ocpp2.0.1') {
    cs.handle('ocpp2.0.1', 'Heartbeat', () => ({ currentTime: now() }));
    cs.handle('ocpp2.0.1', 'BootNotification', () => ({ status: 'Accepted', currentTime: now(), interval: 300 }));
    cs.handle('ocpp2.0.1', 'StatusNotification', () => ({}));
    cs.handle('ocpp2.0.1', 'DataTransfer', () => ({ status: 'Accepted' }));
    cs.handle('ocpp2.0.1', 'Authorize', throwing);
    cs.handle('ocpp2.0.1', 'MeterValues', () => ({ unexpected: SECRET }) as never);
  } else {
    cs.handle('ocpp2.1', 'Heartbeat', () => ({ currentTime: now() }));
    cs.handle('ocpp2.1', 'BootNotification', () => ({ status: 'Accepted', currentTime: now(), interval: 300 }));
    cs.handle('ocpp2.1', 'StatusNotification', () => ({}));
    cs.handle('ocpp2.1', 'DataTransfer', () => ({ status: 'Accepted' }));
    cs.handle('ocpp2.1', 'Authorize', throwing);
    cs.handle('ocpp2.1', 'MeterValues', () => ({ unexpected: SECRET }) as never);
  }
  const connected = new Promise<AnyStation>((resolve) => cs.once('connection', resolve));
  const address = await cs.listen({ port: 0, host: '127.0.0.1' });
  const raw: RawClient = await openRaw(address.port, `FUZZ-${version}`, version);
  await connected;
  let closed = false;
  raw.ws.on('close', () => (closed = true));
  let probes = 0;
  return {
    version,
    name: `CentralSystem ${version}`,
    received: raw.received,
    send: (input) => sendRaw(raw.ws, input),
    sentinel(n) {
      const id = `${SENTINEL}${n}`;
      raw.ws.send(`[2,"${id}","Heartbeat",{}]`);
      return id;
    },
    get closed() {
      return closed;
    },
    probe: () => raw.call(`[2,"probe-${++probes}","Heartbeat",{}]`),
    async close() {
      raw.ws.terminate();
      await cs.close();
    },
  };
}

/** A ChargePoint of `version`, fuzzed by a raw server. */
export async function chargePointTarget(version: OcppVersion): Promise<FuzzTarget> {
  const server = await rawServer(version);
  const cp = new ChargePoint({
    url: server.url,
    identity: `FUZZ-${version}`,
    protocol: version,
    pingIntervalMs: 0,
    reconnect: false,
    maxBadMessages: Infinity,
    compression: false,
  });
  if (cp.protocol === 'ocpp1.6') {
    const v16 = cp as ChargePoint<'ocpp1.6'>;
    v16.handle('Reset', () => ({ status: 'Accepted' }));
    v16.handle('ClearCache', () => ({ status: 'Accepted' }));
    v16.handle('GetConfiguration', throwing);
    v16.handle('ChangeConfiguration', () => ({ status: 'Whatever' }) as never);
    v16.handle('DataTransfer', () => ({ status: 'Accepted' }));
  } else {
    // The same handlers serve 2.0.1 and 2.1 (these actions kept their shapes).
    const v201 = cp as ChargePoint<'ocpp2.0.1' | 'ocpp2.1'>;
    v201.handle('Reset', () => ({ status: 'Accepted' }));
    v201.handle('ClearCache', () => ({ status: 'Accepted' }));
    v201.handle('GetVariables', throwing);
    v201.handle('SetVariables', () => ({ setVariableResult: 'nope' }) as never);
    v201.handle('DataTransfer', () => ({ status: 'Accepted' }));
  }
  const socketReady = server.nextSocket();
  await cp.connect();
  const ws = await socketReady;
  const received: unknown[][] = [];
  const waiters = new Set<() => void>();
  // ws's default binaryType ('nodebuffer') delivers every message as one Buffer.
  ws.on('message', (data: Buffer) => {
    const text = data.toString();
    try {
      const parsed: unknown = JSON.parse(text);
      received.push(Array.isArray(parsed) ? parsed : [parsed]);
    } catch {
      received.push([text]);
    }
    for (const wake of [...waiters]) wake();
  });
  let closed = false;
  ws.on('close', () => (closed = true));
  let probes = 0;
  return {
    version,
    name: `ChargePoint ${version}`,
    received,
    send: (input) => sendRaw(ws, input),
    sentinel(n) {
      const id = `${SENTINEL}${n}`;
      ws.send(`[2,"${id}","ClearCache",{}]`);
      return id;
    },
    get closed() {
      return closed;
    },
    probe() {
      const id = `probe-${++probes}`;
      ws.send(`[2,"${id}","ClearCache",{}]`);
      return new Promise<unknown[]>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('probe not answered')), 3000);
        const check = (): void => {
          const found = received.find((f) => f[1] === id);
          if (found) {
            clearTimeout(timer);
            waiters.delete(check);
            resolve(found);
          }
        };
        waiters.add(check);
        check();
      });
    },
    async close() {
      await cp.close();
      await server.close();
    },
  };
}

/**
 * Sends `inputs` pipelined, each followed by a sentinel, and judges the frames between the
 * sentinels' answers. Returns the problems found (empty when every answer followed the rules).
 */
export async function runBatch(
  target: FuzzTarget,
  inputs: readonly FuzzInput[],
  counter: { n: number },
  errors: string[] = [],
  timeoutMs = 20_000,
): Promise<string[]> {
  const start = target.received.length;
  const ids: string[] = [];
  for (const input of inputs) {
    target.send(input);
    ids.push(target.sentinel(counter.n++));
  }
  const last = ids[ids.length - 1];
  const deadline = Date.now() + timeoutMs;
  while (!target.received.slice(start).some((f) => f[1] === last)) {
    if (target.closed) return [`${target.name}: the connection closed during the batch`];
    if (Date.now() > deadline) return [`${target.name}: the sentinel ${last} was not answered within ${timeoutMs} ms`];
    await new Promise((r) => setTimeout(r, 1));
  }
  const frames = target.received.splice(start);
  const problems: string[] = [];
  let i = 0;
  for (let k = 0; k < inputs.length; k++) {
    const group: unknown[][] = [];
    while (i < frames.length && frames[i][1] !== ids[k]) group.push(frames[i++]);
    if (i >= frames.length) {
      problems.push(`${target.name}: sentinel ${ids[k]} missing`);
      break;
    }
    if (frames[i][0] !== 3) problems.push(`${target.name}: sentinel ${ids[k]} answered ${JSON.stringify(frames[i]).slice(0, 200)}`);
    i++;
    const problem = judge(inputs[k], group, target.version, errors);
    if (problem) problems.push(`${target.name}: input ${describeInput(inputs[k])}: ${problem}`);
  }
  return problems;
}

/** Installs process guards: every uncaught exception and unhandled rejection is recorded. */
export function processGuards(): { readonly failures: string[]; remove(): void } {
  const failures: string[] = [];
  const onException = (error: unknown): void => {
    failures.push(`uncaughtException: ${String((error as Error)?.stack ?? error)}`);
  };
  const onRejection = (reason: unknown): void => {
    failures.push(`unhandledRejection: ${String((reason as Error)?.stack ?? reason)}`);
  };
  process.on('uncaughtException', onException);
  process.on('unhandledRejection', onRejection);
  return {
    failures,
    remove() {
      process.off('uncaughtException', onException);
      process.off('unhandledRejection', onRejection);
    },
  };
}

/** What a polluted prototype would show; empty when nothing was polluted. */
export function pollution(): string[] {
  const found: string[] = [];
  const probe = {} as Record<string, unknown>;
  for (const key of ['polluted', 'a', 'x', 'any', 'thing']) {
    if (probe[key] !== undefined) found.push(`({}).${key} is ${JSON.stringify(probe[key])}`);
    if (([] as unknown as Record<string, unknown>)[key] !== undefined) found.push(`[].${key} is defined`);
  }
  const own = Object.getOwnPropertyNames(Object.prototype).sort().join(',');
  if (own !== BASELINE_OBJECT_PROTO) found.push(`Object.prototype now has ${own}`);
  if (Object.getPrototypeOf({}) !== Object.prototype) found.push('the prototype of {} changed');
  return found;
}

const BASELINE_OBJECT_PROTO = Object.getOwnPropertyNames(Object.prototype).sort().join(',');
