/**
 * Interop (issue 14, deliverable 7): OCPP 2.1 against ocpp-rpc 2.2.1 over real WebSockets on
 * 127.0.0.1 (port 0), strict validation on both sides, both directions:
 *
 * (a) ocpp-rpc's RPCClient is the charger, our CentralSystem the server;
 * (b) ocpp-rpc's RPCServer is the central system, our ChargePoint the client.
 *
 * In each, every CALL action of 2.1 (all 90; NotifyPeriodicEventStream travels only as SEND, which
 * ocpp-rpc does not have) goes over the wire in the direction its sender allows (DataTransfer both
 * ways), once per valid example our schema-driven generator derives (test/support/schema-examples.ts:
 * the minimal instance, and one instance per optional property position), each request answered
 * with a valid example response. Every request and response must arrive deep-equal to what was
 * sent, and neither side may answer a CALLERROR: with both validators strict, that proves each
 * side's 2.1 messages pass the other side's schemas. Then CALLERROR both ways: invalid requests,
 * an unknown action, a known action without a handler, a throwing handler.
 *
 * ocpp-rpc deviations, asserted as observed so that a fix shows up as a failing expectation (the
 * 1.6/2.0.1 ones are listed in test/interop/ocpp-rpc.test.ts and CONFORMANCE.md):
 *
 * A. Its strict mode cannot use its own 2.1 schemas: they are shipped under the ids
 *    `urn:<Action>Request`/`Response`, and it looks up `urn:<Action>.req`/`.conf`, so every 2.1
 *    message is refused with ProtocolError. Here it gets the same schemas under the ids it looks
 *    up (test/support/ocpp-rpc-21.ts) through its `strictModeValidators` option; the first test
 *    pins the failure without them.
 * B. The error-code deviations of 2.0.1 hold on 2.1 too: `required` is answered with the 1.6
 *    spelling OccurenceConstraintViolation, a property outside the schema with
 *    PropertyConstraintViolation, a value outside an enum with FormatViolation; a known action
 *    without a handler with NotImplemented; a throwing handler with GenericError and the
 *    exception's text.
 */
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { describe, test, type TestContext } from 'node:test';
import { RPCClient, RPCError, RPCServer } from 'ocpp-rpc';
import { loadVersion, VERSIONS } from '../../scripts/codegen/schemas';
import { CentralSystem, ChargePoint, NotImplementedError, OCPP21_ACTIONS, RpcError, type AnyStation, type FrameEvent } from '../../src/index';
import { ocppRpc21Validator } from '../support/ocpp-rpc-21';
import { SchemaExamples } from '../support/schema-examples';

/** The session tests send about 4,200 calls each; generous for a loaded CI machine, still bounded. */
const TEST_TIMEOUT_MS = 60_000;
const CALL_TIMEOUT_MS = 5_000;
const ROOT = path.resolve(__dirname, '..', '..');
const loaded = loadVersion(
  ROOT,
  VERSIONS.find((v) => v.version === 'ocpp2.1')!,
);

type RpcClientOptions = ConstructorParameters<typeof RPCClient>[0];
type RpcPeer = InstanceType<typeof RPCClient>;
type RpcHandler = (call: { params?: unknown }) => unknown;
interface Exchange {
  readonly action: string;
  readonly request: unknown;
  readonly response: unknown;
}
/** A request that is not part of the sessions. */
interface Call {
  readonly action: string;
  readonly request: Record<string, unknown>;
}
/** An invalid request and the CALLERROR code each side answers it with. */
interface Invalid {
  readonly what: string;
  readonly action: string;
  readonly request: Record<string, unknown>;
  /** Ours, per the 2.1 rules. */
  readonly ours: string;
  /** ocpp-rpc's, as observed (deviation B). */
  readonly rpc: string;
}
interface LooseCaller {
  call(action: string, payload: unknown, options?: { validate?: boolean }): Promise<unknown>;
}

function validExamples(action: string, kind: 'request' | 'response'): unknown[] {
  const msg = loaded.messages.find((m) => m.action === action && m.kind === kind)!;
  return new SchemaExamples(msg.schema)
    .variants()
    .filter((v) => v.code === undefined)
    .map((v) => v.payload);
}

/** Every valid request example of every action `sender` sends, each paired with a valid response example (cycled). */
function exchanges(sender: 'ChargePoint' | 'CentralSystem'): Exchange[] {
  const out: Exchange[] = [];
  for (const [action, by] of Object.entries(OCPP21_ACTIONS)) {
    if (by !== sender && by !== 'Both') continue;
    if (!loaded.messages.some((m) => m.action === action && m.kind === 'request')) continue; // SEND only
    const requests = validExamples(action, 'request');
    const responses = validExamples(action, 'response');
    for (let i = 0; i < Math.max(requests.length, responses.length); i++) {
      out.push({ action, request: requests[i % requests.length], response: responses[i % responses.length] });
    }
  }
  return out;
}

const UP = exchanges('ChargePoint');
const DOWN = exchanges('CentralSystem');
const actionsOf = (list: readonly Exchange[]): string[] => [...new Set(list.map((e) => e.action))];

/** Answers each action with its exchanges' responses in order; records what arrives. */
function responder(list: readonly Exchange[]): { arrivals: Exchange[]; answer(action: string, request: unknown): unknown } {
  const queues = new Map<string, unknown[]>();
  for (const e of list) queues.set(e.action, [...(queues.get(e.action) ?? []), e.response]);
  const arrivals: Exchange[] = [];
  return {
    arrivals,
    answer(action, request) {
      const response = queues.get(action)?.shift();
      if (response === undefined) throw new Error(`unexpected ${action}`);
      arrivals.push({ action, request, response });
      return response;
    },
  };
}

const SECRET = 'database password is hunter2';
const fail = (): never => {
  throw new Error(SECRET);
};

/** CALLERROR codes one side received, as they were on the wire. */
const rpcWireErrors = (peer: RpcPeer): string[] => {
  const codes: string[] = [];
  peer.on('message', ({ message, outbound }: { message: Buffer | string; outbound: boolean }) => {
    const frame = JSON.parse(String(message)) as unknown[];
    if (!outbound && frame[0] === 4) codes.push(String(frame[2]));
  });
  return codes;
};
const ourWireErrors = (frames: FrameEvent[]): string[] => frames.flatMap((e) => (e.direction === 'inbound' && e.frame.type === 4 ? [e.frame.errorCode] : []));

async function rejectsAtRpc(promise: Promise<unknown>, code: string, what: string): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof RPCError, `${what}: got ${String(error)}`);
    assert.equal(error.rpcErrorCode, code, what);
    return true;
  });
}
async function rejectsAtOurs(promise: Promise<unknown>, code: string, what: string): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof RpcError, `${what}: got ${String(error)}`);
    assert.equal(error.code, code, what);
    return true;
  });
}

/** Invalid requests and the codes each side answers: ours per the 2.1 rules, ocpp-rpc's as observed (B). */
const INVALID_UP: readonly Invalid[] = [
  { what: 'a property outside the schema', action: 'Heartbeat', request: { unknown: 1 }, ours: 'FormatViolation', rpc: 'PropertyConstraintViolation' },
  {
    what: 'a required field missing',
    action: 'BatterySwap',
    request: { eventType: 'BatteryIn', requestId: 1 },
    ours: 'OccurrenceConstraintViolation',
    rpc: 'OccurenceConstraintViolation',
  },
  {
    what: 'a wrong JSON type',
    action: 'VatNumberValidation',
    request: { vatNumber: 7, evseId: 1 },
    ours: 'TypeConstraintViolation',
    rpc: 'TypeConstraintViolation',
  },
  {
    what: 'a value outside the enum',
    action: 'StatusNotification',
    request: { timestamp: '2025-01-01T00:00:00Z', connectorStatus: 'Sideways', evseId: 1, connectorId: 1 },
    ours: 'PropertyConstraintViolation',
    rpc: 'FormatViolation',
  },
];
const INVALID_DOWN: readonly Invalid[] = [
  { what: 'a property outside the schema', action: 'ClearTariffs', request: { unknown: 1 }, ours: 'FormatViolation', rpc: 'PropertyConstraintViolation' },
  {
    what: 'a required field missing',
    action: 'AFRRSignal',
    request: { timestamp: '2025-01-01T00:00:00Z' },
    ours: 'OccurrenceConstraintViolation',
    rpc: 'OccurenceConstraintViolation',
  },
  {
    what: 'a wrong JSON type',
    action: 'AFRRSignal',
    request: { timestamp: '2025-01-01T00:00:00Z', signal: 'high' },
    ours: 'TypeConstraintViolation',
    rpc: 'TypeConstraintViolation',
  },
  { what: 'a value outside the enum', action: 'Reset', request: { type: 'Sideways' }, ours: 'PropertyConstraintViolation', rpc: 'FormatViolation' },
];
/** The canonical code our side surfaces for a code ocpp-rpc sends: both spellings are accepted inbound. */
const canonical = (code: string): string => (code === 'OccurenceConstraintViolation' ? 'OccurrenceConstraintViolation' : code);
const UNHANDLED_UP: Call = { action: 'NotifyWebPaymentStarted', request: { evseId: 1, timeout: 60 } };
const UNHANDLED_DOWN: Call = { action: 'GetTariffs', request: { evseId: 1 } };
const THROWING_UP: Call = { action: 'PullDynamicScheduleUpdate', request: { chargingProfileId: 1 } };
const THROWING_DOWN: Call = { action: 'ClearDERControl', request: { isDefault: true } };

interface Side {
  /** The ocpp-rpc peer: the charger in (a), the server's client object in (b). */
  readonly rpc: RpcPeer;
  /** Our end: the station in (a), the ChargePoint in (b). */
  readonly ours: LooseCaller;
  readonly frames: FrameEvent[];
  readonly rpcErrors: string[];
  /** What our handlers received, and what ocpp-rpc's handlers received. */
  readonly ourArrivals: Exchange[];
  readonly rpcArrivals: Exchange[];
}

/**
 * Handlers for a session: `toUs` are the exchanges our side answers, `toRpc` those ocpp-rpc
 * answers. In the error tests the unhandled actions get no handler and the throwing ones throw.
 */
interface Plan {
  readonly toUs: readonly Exchange[];
  readonly toRpc: readonly Exchange[];
  readonly errors: boolean;
}

function handleOn(
  register: (action: string, handler: (request: unknown) => unknown) => void,
  list: readonly Exchange[],
  unhandled: string,
  throwing: string,
  errors: boolean,
): Exchange[] {
  const r = responder(list);
  for (const action of actionsOf(list)) {
    if (errors && action === unhandled) continue;
    register(action, errors && action === throwing ? fail : (request) => r.answer(action, request));
  }
  return r.arrivals;
}

/** (a) Our CentralSystem, an ocpp-rpc RPCClient (strict, 2.1) as the charger. */
async function ourCentralSystem(t: TestContext, plan: Plan): Promise<Side> {
  const cs = new CentralSystem({ protocols: ['ocpp2.1'], pingIntervalMs: 0, callTimeoutMs: CALL_TIMEOUT_MS });
  t.after(() => cs.close());
  const ourArrivals = handleOn((a, h) => cs.handle('ocpp2.1', a as never, h as never), plan.toUs, UNHANDLED_UP.action, THROWING_UP.action, plan.errors);
  const frames: FrameEvent[] = [];
  const connected = new Promise<AnyStation>((resolve) =>
    cs.once('connection', (station) => {
      station.on('frame', (e) => frames.push(e));
      resolve(station);
    }),
  );
  const address: AddressInfo = await cs.listen({ port: 0, host: '127.0.0.1' });
  const rpc = new RPCClient({
    endpoint: `ws://127.0.0.1:${address.port}`,
    identity: 'RPC-21',
    protocols: ['ocpp2.1'],
    strictMode: true,
    strictModeValidators: [ocppRpc21Validator()],
    reconnect: false,
    callTimeoutMs: CALL_TIMEOUT_MS,
    pingIntervalMs: 60_000,
  } as RpcClientOptions);
  t.after(() => rpc.close());
  const rpcErrors = rpcWireErrors(rpc);
  const rpcArrivals = handleOn(
    (a, h) => rpc.handle(a, (({ params }) => h(params)) as RpcHandler as never),
    plan.toRpc,
    UNHANDLED_DOWN.action,
    THROWING_DOWN.action,
    plan.errors,
  );
  await rpc.connect();
  const station = await connected;
  assert.equal(station.protocol, 'ocpp2.1');
  return { rpc, ours: station, frames, rpcErrors, ourArrivals, rpcArrivals };
}

/** (b) An ocpp-rpc RPCServer (strict, 2.1) as the central system, our ChargePoint as the charger. */
async function ourChargePoint(t: TestContext, plan: Plan): Promise<Side> {
  const server = new RPCServer({
    protocols: ['ocpp2.1'],
    strictMode: true,
    strictModeValidators: [ocppRpc21Validator()],
    callTimeoutMs: CALL_TIMEOUT_MS,
    pingIntervalMs: 60_000,
  });
  t.after(() => server.close({}));
  let rpcArrivals: Exchange[] = [];
  const accepted = new Promise<RpcPeer>((resolve) =>
    server.on('client', (client: RpcPeer) => {
      rpcArrivals = handleOn(
        (a, h) => client.handle(a, (({ params }) => h(params)) as RpcHandler as never),
        plan.toRpc,
        UNHANDLED_UP.action,
        THROWING_UP.action,
        plan.errors,
      );
      resolve(client);
    }),
  );
  const http = await server.listen(0, '127.0.0.1');
  const cp = new ChargePoint({
    url: `ws://127.0.0.1:${(http.address() as AddressInfo).port}`,
    identity: 'OUR-21',
    protocol: 'ocpp2.1',
    reconnect: false,
    pingIntervalMs: 0,
    callTimeoutMs: CALL_TIMEOUT_MS,
  });
  t.after(() => cp.close());
  const ourArrivals = handleOn((a, h) => cp.handle(a as never, h as never), plan.toUs, UNHANDLED_DOWN.action, THROWING_DOWN.action, plan.errors);
  const frames: FrameEvent[] = [];
  cp.on('frame', (e) => frames.push(e));
  await cp.connect();
  const rpc = await accepted;
  assert.equal(rpc.protocol, 'ocpp2.1');
  return {
    rpc,
    ours: cp as unknown as LooseCaller,
    frames,
    rpcErrors: rpcWireErrors(rpc),
    ourArrivals,
    get rpcArrivals() {
      return rpcArrivals;
    },
  };
}

/** Sends every exchange from `send`, in order, and checks each answer. */
async function session(send: (action: string, request: unknown) => Promise<unknown>, list: readonly Exchange[], who: string): Promise<void> {
  for (const [i, { action, request, response }] of list.entries()) {
    assert.deepEqual(await send(action, request), response, `${who} #${i} ${action}: the response arrived as sent`);
  }
}

describe('interop: ocpp-rpc 2.2.1 speaking ocpp2.1 (strict) - deviation A', () => {
  test(
    'with only its built-in validators, its strict mode refuses a valid 2.1 Heartbeat before sending it: its schema ids do not match its lookup',
    { timeout: TEST_TIMEOUT_MS },
    async (t) => {
      const cs = new CentralSystem({ protocols: ['ocpp2.1'], pingIntervalMs: 0 });
      t.after(() => cs.close());
      let heartbeats = 0;
      cs.handle('ocpp2.1', 'Heartbeat', () => (heartbeats++, { currentTime: '2025-01-01T00:00:00Z' }));
      const { port } = await cs.listen({ port: 0, host: '127.0.0.1' });
      const rpc = new RPCClient({
        endpoint: `ws://127.0.0.1:${port}`,
        identity: 'RPC-BUILTIN',
        protocols: ['ocpp2.1'],
        strictMode: true,
        reconnect: false,
      } as RpcClientOptions);
      t.after(() => rpc.close());
      await rpc.connect();
      await assert.rejects(rpc.call('Heartbeat', {}), (error: unknown) => {
        assert.ok(error instanceof RPCError);
        assert.equal(error.rpcErrorCode, 'ProtocolError');
        assert.match(error.message, /Schema 'urn:Heartbeat.req' is missing from subprotocol schema 'ocpp2.1'/);
        return true;
      });
      assert.equal(heartbeats, 0);
      assert.equal(ocppRpc21Validator().validate('urn:Heartbeat.req', {}), true, 'its own schema, under the id it looks up');
    },
  );
});

describe('interop (a) ocpp2.1: ocpp-rpc RPCClient (strict) as the charger, our CentralSystem as the server', () => {
  test(
    `every 2.1 CALL action, every valid example: ${UP.length} charger calls and ${DOWN.length} central-system calls arrive deep-equal, no CALLERROR`,
    { timeout: TEST_TIMEOUT_MS },
    async (t) => {
      const side = await ourCentralSystem(t, { toUs: UP, toRpc: DOWN, errors: false });
      await session((a, p) => side.rpc.call(a, p), UP, 'ocpp-rpc → us');
      await session((a, p) => side.ours.call(a, p), DOWN, 'us → ocpp-rpc');
      assert.deepEqual(side.ourArrivals, UP, 'our handlers received the requests as sent');
      assert.deepEqual(side.rpcArrivals, DOWN, "ocpp-rpc's handlers received our requests as sent");
      assert.deepEqual(side.rpcErrors, []);
      assert.deepEqual(ourWireErrors(side.frames), []);
    },
  );
});

describe('interop (b) ocpp2.1: our ChargePoint as the charger, ocpp-rpc RPCServer (strict) as the central system', () => {
  test(
    `every 2.1 CALL action, every valid example: ${UP.length} charger calls and ${DOWN.length} central-system calls arrive deep-equal, no CALLERROR`,
    { timeout: TEST_TIMEOUT_MS },
    async (t) => {
      const side = await ourChargePoint(t, { toUs: DOWN, toRpc: UP, errors: false });
      await session((a, p) => side.ours.call(a, p), UP, 'us → ocpp-rpc');
      await session((a, p) => side.rpc.call(a, p), DOWN, 'ocpp-rpc → us');
      assert.deepEqual(side.rpcArrivals, UP, "ocpp-rpc's handlers received our requests as sent");
      assert.deepEqual(side.ourArrivals, DOWN, 'our handlers received the requests as sent');
      assert.deepEqual(side.rpcErrors, []);
      assert.deepEqual(ourWireErrors(side.frames), []);
    },
  );
});

/** Runs `fn` with ocpp-rpc's own validation off, so that it sends invalid requests (it has no per-call switch). */
async function withoutRpcValidation<T>(peer: RpcPeer, fn: () => Promise<T>): Promise<T> {
  peer.reconfigure({ strictMode: false } as RpcClientOptions);
  try {
    return await fn();
  } finally {
    peer.reconfigure({ strictMode: true } as RpcClientOptions);
  }
}

/**
 * Both ways: ocpp-rpc's invalid requests get our codes, ours get its codes (deviation B); an
 * unknown action, a known one without a handler, a throwing handler.
 */
async function errorsBothWays(
  side: Side,
  fromRpc: readonly Invalid[],
  fromUs: readonly Invalid[],
  rpcSide: { unhandled: Call; throwing: Call },
  ourSide: { unhandled: Call; throwing: Call },
): Promise<void> {
  await withoutRpcValidation(side.rpc, async () => {
    for (const bad of fromRpc) await rejectsAtRpc(side.rpc.call(bad.action, bad.request), bad.ours, `${bad.what} (${bad.action}) → ${bad.ours}`);
    await rejectsAtRpc(side.rpc.call('NoSuchAction', {}), 'NotImplemented', 'an action 2.1 does not have → NotImplemented');
  });
  await rejectsAtRpc(side.rpc.call(ourSide.unhandled.action, ourSide.unhandled.request), 'NotSupported', 'no handler → NotSupported');
  await assert.rejects(side.rpc.call(ourSide.throwing.action, ourSide.throwing.request), (error: unknown) => {
    assert.ok(error instanceof RPCError);
    assert.equal(error.rpcErrorCode, 'InternalError');
    assert.ok(!error.message.includes(SECRET), 'the exception text stays home');
    return true;
  });
  assert.deepEqual(side.ourArrivals, [], 'no invalid request reached our handlers');
  assert.deepEqual(side.rpcErrors, [...fromRpc.map((b) => b.ours), 'NotImplemented', 'NotSupported', 'InternalError'], 'our codes on the wire');

  for (const bad of fromUs) {
    await rejectsAtOurs(
      side.ours.call(bad.action, bad.request, { validate: false }),
      canonical(bad.rpc),
      `${bad.what} (${bad.action}): ocpp-rpc sends ${bad.rpc}`,
    );
  }
  await assert.rejects(side.ours.call(rpcSide.unhandled.action, rpcSide.unhandled.request), NotImplementedError);
  await assert.rejects(side.ours.call(rpcSide.throwing.action, rpcSide.throwing.request), (error: unknown) => {
    assert.ok(error instanceof RpcError);
    assert.equal(error.code, 'GenericError');
    assert.equal(error.description, SECRET);
    return true;
  });
  assert.deepEqual(ourWireErrors(side.frames), [...fromUs.map((b) => b.rpc), 'NotImplemented', 'GenericError'], "ocpp-rpc's codes on the wire");
  assert.deepEqual(side.rpcArrivals, [], "no invalid request reached ocpp-rpc's handlers");
  // Our own validation, on by default, refuses the same requests before sending them.
  for (const bad of fromUs) await assert.rejects(side.ours.call(bad.action, bad.request), { name: 'ValidationError' });
}

describe('interop ocpp2.1: CALLERROR both ways against ocpp-rpc (strict)', () => {
  test('(a) ocpp-rpc charger, our CentralSystem', { timeout: TEST_TIMEOUT_MS }, async (t) => {
    const side = await ourCentralSystem(t, { toUs: UP, toRpc: DOWN, errors: true });
    await errorsBothWays(
      side,
      INVALID_UP,
      INVALID_DOWN,
      { unhandled: UNHANDLED_DOWN, throwing: THROWING_DOWN },
      { unhandled: UNHANDLED_UP, throwing: THROWING_UP },
    );
    const [hb] = UP.filter((e) => e.action === 'Heartbeat');
    assert.deepEqual(await side.rpc.call(hb.action, hb.request), hb.response, 'still talking');
  });

  test('(b) our ChargePoint, ocpp-rpc central system', { timeout: TEST_TIMEOUT_MS }, async (t) => {
    const side = await ourChargePoint(t, { toUs: DOWN, toRpc: UP, errors: true });
    await errorsBothWays(
      side,
      INVALID_DOWN,
      INVALID_UP,
      { unhandled: UNHANDLED_UP, throwing: THROWING_UP },
      { unhandled: UNHANDLED_DOWN, throwing: THROWING_DOWN },
    );
    const [reset] = DOWN.filter((e) => e.action === 'Reset');
    assert.deepEqual(await side.rpc.call(reset.action, reset.request), reset.response, 'still talking');
  });
});
