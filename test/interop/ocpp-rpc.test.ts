/**
 * Interop against ocpp-rpc 2.2.1 (mikuso/ocpp-rpc, an independent Node OCPP-J implementation)
 * in strict mode, i.e. with its own Ajv validation of every request and response against its own
 * copy of the schemas, over real WebSockets on 127.0.0.1 (port 0), in both versions and both
 * directions:
 *
 * (a) ocpp-rpc's RPCClient is the charger, our CentralSystem the server;
 * (b) ocpp-rpc's RPCServer is the central system, our ChargePoint the client.
 *
 * In each direction a whole session runs both ways (the charger's calls, then the central
 * system's commands) and the payloads that arrive on each side must deep-equal what was sent;
 * since both validators are strict, a successful exchange also proves that each side's messages
 * pass the other side's schemas. Then the errors: invalid requests each way (with the sender's
 * validation bypassed), an action the receiver has no handler for, an action unknown to the
 * version.
 *
 * ocpp-rpc behaviour that differs from the OCPP rules (CONFORMANCE.md, items 10, 11, 17, 18 and 19)
 * and how these tests accommodate it. Each deviation is asserted as observed, so that a fix in
 * ocpp-rpc shows up here as a failing expectation rather than going unnoticed:
 *
 * 1. Occurrence spelling swapped: its validator maps `required` to `OccurenceConstraintViolation`
 *    and its 1.6 "errata fix-up" renames that to `OccurrenceConstraintViolation`, the wrong
 *    direction. So on 1.6 it sends the 2.0.1 spelling and on 2.0.1 the 1.6 spelling. Our side
 *    accepts both spellings on input (checklist item 11): the call rejects with
 *    OccurrenceConstraintViolationError either way. (`rpc` column of the INVALID tables.)
 * 2. A property outside the schema (`additionalProperties`) is answered
 *    `PropertyConstraintViolation`; the rules recommend FormatViolation (1.6: FormationViolation).
 * 3. A value outside an enum, or a string over its maxLength, is answered `FormatViolation`
 *    (`FormationViolation` on 1.6); the rules recommend PropertyConstraintViolation.
 * 4. A known action without a handler is answered `NotImplemented`; the spec's own examples use
 *    NotSupported for "recognized but not supported" (checklist item 17). Our side maps the code
 *    to NotImplementedError and the test expects exactly that.
 * 5. A handler that throws a plain Error is answered `GenericError` with the exception's
 *    message as the description; the rules say InternalError (checklist item 19), and an
 *    exception's text may hold internals. Ours answers InternalError with a fixed description.
 * 6. Its `call()` has no per-call switch to skip its own validation. To send an invalid request
 *    on purpose, the tests turn strict mode off with `reconfigure({ strictMode: false })` around
 *    those calls (a documented option), and on again afterwards.
 * 7. A CALLERROR it receives rejects the call with the error class for that code; unknown codes
 *    would become GenericError. Both spellings are in its table, so it surfaces our 1.6 and
 *    2.0.1 spellings unchanged in `rpcErrorCode`.
 *
 * What our side sends is asserted against the rules (the `ours` column): 1.6 spells
 * `OccurenceConstraintViolation` and `FormationViolation`; 2.0.1 `OccurrenceConstraintViolation`
 * and `FormatViolation`; a known action without a handler gets NotSupported.
 */
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { describe, test, type TestContext } from 'node:test';
import { RPCClient, RPCError, RPCServer } from 'ocpp-rpc';
import {
  CentralSystem,
  ChargePoint,
  NotImplementedError,
  RpcError,
  type AnyStation,
  type FrameEvent,
  type DefaultOcppVersion,
  type StationHandlerContext,
} from '../../src/index';

/** Every test must finish well within this; a hang fails instead of stalling the suite. */
const TEST_TIMEOUT_MS = 15_000;
/** Call timeouts on both sides, far below the test timeout, so a lost answer fails fast. */
const CALL_TIMEOUT_MS = 5_000;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

/** One request and the response it is answered with. */
interface Exchange {
  readonly action: string;
  readonly request: JsonObject;
  readonly response: JsonObject;
}

/** An invalid request and the CALLERROR codes each side answers it with. */
interface Invalid {
  readonly what: string;
  readonly action: string;
  readonly request: JsonObject;
  /** What our side sends, per the OCPP rules (wire spelling of the version). */
  readonly ours: string;
  /** What ocpp-rpc 2.2.1 sends (wire spelling as observed; deviations marked in SCRIPTS). */
  readonly rpc: string;
  /** The canonical code our side surfaces when ocpp-rpc answers `rpc`. */
  readonly rpcCanonical: string;
}

interface Script {
  /** The charger's calls, in order. */
  readonly up: readonly Exchange[];
  /** The central system's calls, in order. */
  readonly down: readonly Exchange[];
  /** A charger→central-system action neither side registers a handler for. */
  readonly unhandledUp: Omit<Exchange, 'response'>;
  /** A central-system→charger action neither side registers a handler for. */
  readonly unhandledDown: Omit<Exchange, 'response'>;
  /** A charger→central-system action whose handler throws, on both sides. */
  readonly throwingUp: Omit<Exchange, 'response'>;
  /** A central-system→charger action whose handler throws, on both sides. */
  readonly throwingDown: Omit<Exchange, 'response'>;
  /** Invalid charger→central-system requests (their actions have handlers on both sides). */
  readonly invalidUp: readonly Invalid[];
  /** Invalid central-system→charger requests (their actions have handlers on both sides). */
  readonly invalidDown: readonly Invalid[];
}

const T0 = '2026-11-21T10:00:00.000Z';
const T1 = '2026-11-21T10:00:05.000Z';
const T2 = '2026-11-21T10:30:00.000Z';
const T3 = '2026-11-21T11:00:00.123Z';

const SCRIPTS: Record<DefaultOcppVersion, Script> = {
  'ocpp1.6': {
    up: [
      {
        action: 'BootNotification',
        request: { chargePointVendor: 'Interop', chargePointModel: 'RPC-16', chargePointSerialNumber: 'SN-0001', firmwareVersion: '1.2.3' },
        response: { status: 'Accepted', currentTime: T0, interval: 300 },
      },
      { action: 'Heartbeat', request: {}, response: { currentTime: T1 } },
      {
        action: 'StatusNotification',
        request: { connectorId: 1, errorCode: 'NoError', status: 'Available', timestamp: T1, info: 'ready' },
        response: {},
      },
      { action: 'Authorize', request: { idTag: 'TAG-0001' }, response: { idTagInfo: { status: 'Accepted', expiryDate: T3, parentIdTag: 'GROUP-1' } } },
      {
        action: 'StartTransaction',
        request: { connectorId: 1, idTag: 'TAG-0001', meterStart: 1000, timestamp: T1 },
        response: { transactionId: 4711, idTagInfo: { status: 'Accepted' } },
      },
      {
        action: 'MeterValues',
        request: {
          connectorId: 1,
          transactionId: 4711,
          meterValue: [
            {
              timestamp: T2,
              sampledValue: [
                { value: '2500', context: 'Sample.Periodic', format: 'Raw', measurand: 'Energy.Active.Import.Register', location: 'Outlet', unit: 'Wh' },
                { value: '7.4', measurand: 'Power.Active.Import', unit: 'kW' },
                { value: '23.5', measurand: 'Temperature', unit: 'Celsius' },
              ],
            },
          ],
        },
        response: {},
      },
      {
        action: 'StopTransaction',
        request: {
          transactionId: 4711,
          idTag: 'TAG-0001',
          meterStop: 4000,
          timestamp: T3,
          reason: 'Local',
          transactionData: [{ timestamp: T3, sampledValue: [{ value: '4000', measurand: 'Energy.Active.Import.Register', unit: 'Wh' }] }],
        },
        response: { idTagInfo: { status: 'Accepted' } },
      },
      { action: 'DataTransfer', request: { vendorId: 'com.example', messageId: 'ping', data: '{"n":1}' }, response: { status: 'Accepted', data: 'pong' } },
    ],
    down: [
      {
        action: 'RemoteStartTransaction',
        request: {
          connectorId: 1,
          idTag: 'TAG-0002',
          // 16.3 is not an exact multiple of 0.1 in binary floating point: both validators must
          // still accept it (ocpp-rpc uses an epsilon, ours ajv's multipleOfPrecision).
          chargingProfile: {
            chargingProfileId: 7,
            stackLevel: 0,
            chargingProfilePurpose: 'TxProfile',
            chargingProfileKind: 'Relative',
            chargingSchedule: { chargingRateUnit: 'A', chargingSchedulePeriod: [{ startPeriod: 0, limit: 16.3, numberPhases: 3 }] },
          },
        },
        response: { status: 'Accepted' },
      },
      { action: 'ChangeConfiguration', request: { key: 'HeartbeatInterval', value: '60' }, response: { status: 'Accepted' } },
      { action: 'Reset', request: { type: 'Soft' }, response: { status: 'Accepted' } },
      { action: 'DataTransfer', request: { vendorId: 'com.example', messageId: 'hello' }, response: { status: 'UnknownMessageId' } },
    ],
    unhandledUp: { action: 'DiagnosticsStatusNotification', request: { status: 'Idle' } },
    unhandledDown: { action: 'ClearCache', request: {} },
    throwingUp: { action: 'SecurityEventNotification', request: { type: 'StartupOfTheDevice', timestamp: T0 } },
    throwingDown: { action: 'UnlockConnector', request: { connectorId: 1 } },
    invalidUp: [
      {
        what: 'a required field missing',
        action: 'BootNotification',
        request: { chargePointVendor: 'Interop' },
        ours: 'OccurenceConstraintViolation',
        rpc: 'OccurrenceConstraintViolation', // deviation 1: the 2.0.1 spelling on 1.6
        rpcCanonical: 'OccurrenceConstraintViolation',
      },
      {
        what: 'a property outside the schema',
        action: 'BootNotification',
        request: { chargePointVendor: 'Interop', chargePointModel: 'RPC-16', vendorExtra: true },
        ours: 'FormationViolation',
        rpc: 'PropertyConstraintViolation', // deviation 2
        rpcCanonical: 'PropertyConstraintViolation',
      },
      {
        what: 'a wrong JSON type',
        action: 'StatusNotification',
        request: { connectorId: '1', errorCode: 'NoError', status: 'Available' },
        ours: 'TypeConstraintViolation',
        rpc: 'TypeConstraintViolation',
        rpcCanonical: 'TypeConstraintViolation',
      },
      {
        what: 'a string over its maxLength',
        action: 'Authorize',
        request: { idTag: 'X'.repeat(21) },
        ours: 'PropertyConstraintViolation',
        rpc: 'FormationViolation', // deviation 3
        rpcCanonical: 'FormatViolation',
      },
    ],
    invalidDown: [
      {
        what: 'a required field missing',
        action: 'Reset',
        request: {},
        ours: 'OccurenceConstraintViolation',
        rpc: 'OccurrenceConstraintViolation', // deviation 1
        rpcCanonical: 'OccurrenceConstraintViolation',
      },
      {
        what: 'a property outside the schema',
        action: 'Reset',
        request: { type: 'Soft', delaySeconds: 5 },
        ours: 'FormationViolation',
        rpc: 'PropertyConstraintViolation', // deviation 2
        rpcCanonical: 'PropertyConstraintViolation',
      },
      {
        what: 'a wrong JSON type',
        action: 'Reset',
        request: { type: 1 },
        ours: 'TypeConstraintViolation',
        rpc: 'TypeConstraintViolation',
        rpcCanonical: 'TypeConstraintViolation',
      },
      {
        what: 'a value outside the enum',
        action: 'Reset',
        request: { type: 'Immediate' },
        ours: 'PropertyConstraintViolation',
        rpc: 'FormationViolation', // deviation 3
        rpcCanonical: 'FormatViolation',
      },
    ],
  },
  'ocpp2.0.1': {
    up: [
      {
        action: 'BootNotification',
        request: { reason: 'PowerUp', chargingStation: { model: 'RPC-201', vendorName: 'Interop', serialNumber: 'SN-0002', firmwareVersion: '2.0.1' } },
        response: { currentTime: T0, interval: 300, status: 'Accepted' },
      },
      { action: 'Heartbeat', request: {}, response: { currentTime: T1 } },
      { action: 'StatusNotification', request: { timestamp: T1, connectorStatus: 'Available', evseId: 1, connectorId: 1 }, response: {} },
      {
        action: 'Authorize',
        request: { idToken: { idToken: '04E8A1B2C3D4', type: 'ISO14443' } },
        response: { idTokenInfo: { status: 'Accepted', cacheExpiryDateTime: T3, groupIdToken: { idToken: 'GROUP-1', type: 'Central' } } },
      },
      {
        action: 'TransactionEvent',
        request: {
          eventType: 'Started',
          timestamp: T1,
          triggerReason: 'Authorized',
          seqNo: 0,
          transactionInfo: { transactionId: 'TX-0001', chargingState: 'Charging' },
          idToken: { idToken: '04E8A1B2C3D4', type: 'ISO14443' },
          evse: { id: 1, connectorId: 1 },
          meterValue: [{ timestamp: T1, sampledValue: [{ value: 1000, measurand: 'Energy.Active.Import.Register', unitOfMeasure: { unit: 'Wh' } }] }],
        },
        response: { idTokenInfo: { status: 'Accepted' }, totalCost: 0 },
      },
      {
        action: 'MeterValues',
        request: {
          evseId: 1,
          meterValue: [
            {
              timestamp: T2,
              sampledValue: [
                {
                  value: 2500.5,
                  context: 'Sample.Periodic',
                  measurand: 'Energy.Active.Import.Register',
                  location: 'Outlet',
                  unitOfMeasure: { unit: 'Wh', multiplier: 0 },
                },
                { value: 230.1, measurand: 'Voltage', phase: 'L1-N' },
              ],
            },
          ],
        },
        response: {},
      },
      {
        action: 'TransactionEvent',
        request: {
          eventType: 'Ended',
          timestamp: T3,
          triggerReason: 'StopAuthorized',
          seqNo: 1,
          transactionInfo: { transactionId: 'TX-0001', stoppedReason: 'Local' },
          meterValue: [{ timestamp: T3, sampledValue: [{ value: 4000, context: 'Transaction.End' }] }],
        },
        response: {},
      },
      {
        action: 'DataTransfer',
        request: { vendorId: 'com.example', messageId: 'ping', data: { n: 1, list: [true, null, 'x'] } },
        response: { status: 'Accepted', data: ['pong', 2] },
      },
    ],
    down: [
      {
        action: 'RequestStartTransaction',
        request: { idToken: { idToken: 'TOKEN-0002', type: 'Central' }, remoteStartId: 42, evseId: 1 },
        response: { status: 'Accepted', transactionId: 'TX-0002' },
      },
      {
        action: 'SetVariables',
        request: {
          setVariableData: [
            { attributeValue: '60', component: { name: 'OCPPCommCtrlr' }, variable: { name: 'HeartbeatInterval' } },
            { attributeType: 'Actual', attributeValue: 'true', component: { name: 'EVSE', evse: { id: 1 } }, variable: { name: 'AvailabilityState' } },
          ],
        },
        response: {
          setVariableResult: [
            { attributeStatus: 'Accepted', component: { name: 'OCPPCommCtrlr' }, variable: { name: 'HeartbeatInterval' } },
            {
              attributeType: 'Actual',
              attributeStatus: 'Rejected',
              attributeStatusInfo: { reasonCode: 'ReadOnly' },
              component: { name: 'EVSE', evse: { id: 1 } },
              variable: { name: 'AvailabilityState' },
            },
          ],
        },
      },
      { action: 'Reset', request: { type: 'Immediate' }, response: { status: 'Accepted' } },
      { action: 'DataTransfer', request: { vendorId: 'com.example', data: 'hello' }, response: { status: 'UnknownVendorId' } },
    ],
    unhandledUp: { action: 'FirmwareStatusNotification', request: { status: 'Idle' } },
    unhandledDown: { action: 'ClearCache', request: {} },
    throwingUp: { action: 'SecurityEventNotification', request: { type: 'StartupOfTheDevice', timestamp: T0 } },
    throwingDown: { action: 'UnlockConnector', request: { evseId: 1, connectorId: 1 } },
    invalidUp: [
      {
        what: 'a required field missing',
        action: 'BootNotification',
        request: { reason: 'PowerUp' },
        ours: 'OccurrenceConstraintViolation',
        rpc: 'OccurenceConstraintViolation', // deviation 1: the 1.6 spelling on 2.0.1
        rpcCanonical: 'OccurrenceConstraintViolation',
      },
      {
        what: 'a property outside the schema',
        action: 'BootNotification',
        request: { reason: 'PowerUp', chargingStation: { model: 'M', vendorName: 'V' }, vendorExtra: true },
        ours: 'FormatViolation',
        rpc: 'PropertyConstraintViolation', // deviation 2
        rpcCanonical: 'PropertyConstraintViolation',
      },
      {
        what: 'a wrong JSON type',
        action: 'StatusNotification',
        request: { timestamp: T1, connectorStatus: 'Available', evseId: '1', connectorId: 1 },
        ours: 'TypeConstraintViolation',
        rpc: 'TypeConstraintViolation',
        rpcCanonical: 'TypeConstraintViolation',
      },
      {
        what: 'a string over its maxLength',
        action: 'Authorize',
        request: { idToken: { idToken: 'X'.repeat(37), type: 'ISO14443' } },
        ours: 'PropertyConstraintViolation',
        rpc: 'FormatViolation', // deviation 3
        rpcCanonical: 'FormatViolation',
      },
    ],
    invalidDown: [
      {
        what: 'a required field missing',
        action: 'Reset',
        request: {},
        ours: 'OccurrenceConstraintViolation',
        rpc: 'OccurenceConstraintViolation', // deviation 1
        rpcCanonical: 'OccurrenceConstraintViolation',
      },
      {
        what: 'a property outside the schema',
        action: 'Reset',
        request: { type: 'Immediate', delaySeconds: 5 },
        ours: 'FormatViolation',
        rpc: 'PropertyConstraintViolation', // deviation 2
        rpcCanonical: 'PropertyConstraintViolation',
      },
      {
        what: 'a wrong JSON type',
        action: 'Reset',
        request: { type: 1 },
        ours: 'TypeConstraintViolation',
        rpc: 'TypeConstraintViolation',
        rpcCanonical: 'TypeConstraintViolation',
      },
      {
        what: 'a value outside the enum',
        action: 'Reset',
        request: { type: 'Soft' },
        ours: 'PropertyConstraintViolation',
        rpc: 'FormatViolation', // deviation 3
        rpcCanonical: 'FormatViolation',
      },
    ],
  },
};

// ocpp2.1 against ocpp-rpc: test/interop/ocpp-rpc-21.test.ts (every 2.1 CALL action, and its own deviations).
const VERSIONS: readonly DefaultOcppVersion[] = ['ocpp1.6', 'ocpp2.0.1'];

/** What throwing handlers throw: text that must not reach the peer. */
const SECRET = 'database password is hunter2';
const fail = (): never => {
  throw new Error(SECRET);
};

// ------------------------------------------------------------------------- ocpp-rpc, typed loosely

/** ocpp-rpc's declared option types make every option required; these are the ones we use. */
type RpcClientOptions = ConstructorParameters<typeof RPCClient>[0];
type RpcPeer = InstanceType<typeof RPCClient>;
type RpcHandler = (call: { params?: unknown; method?: string }) => Record<string, unknown>;

/** A CALLERROR frame ocpp-rpc received, from its raw `message` events. */
interface WireError {
  readonly messageId: string;
  readonly code: string;
}

/** Records the CALLERRORs an ocpp-rpc peer receives, as they were on the wire. */
function recordWireErrors(peer: RpcPeer): WireError[] {
  const errors: WireError[] = [];
  peer.on('message', ({ message, outbound }: { message: Buffer | string; outbound: boolean }) => {
    if (outbound) return;
    const frame = JSON.parse(String(message)) as unknown[];
    if (frame[0] === 4) errors.push({ messageId: String(frame[1]), code: String(frame[2]) });
  });
  return errors;
}

/** Records the CALLERRORs one of our endpoints receives, as they were on the wire. */
function ourWireErrors(events: FrameEvent[]): string[] {
  return events.flatMap((e) => (e.direction === 'inbound' && e.frame.type === 4 ? [e.frame.errorCode] : []));
}

/** Runs `fn` with ocpp-rpc's own validation off: its call() has no per-call switch (deviation 5). */
async function withoutRpcValidation<T>(peer: RpcPeer, fn: () => Promise<T>): Promise<T> {
  peer.reconfigure({ strictMode: false } as RpcClientOptions);
  try {
    return await fn();
  } finally {
    peer.reconfigure({ strictMode: true } as RpcClientOptions);
  }
}

/** Asserts that an ocpp-rpc call rejected with an RPC error of `code` (as ocpp-rpc surfaces our CALLERROR). */
async function rejectsAtRpc(promise: Promise<unknown>, code: string, message: string): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof RPCError, `${message}: expected an RPCError, got ${String(error)}`);
    assert.equal(error.rpcErrorCode, code, message);
    return true;
  });
}

/** Our handler threw: ocpp-rpc's call rejects with InternalError, and our exception's text stays home. */
async function internalErrorAtRpc(promise: Promise<unknown>): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof RPCError);
    assert.equal(error.rpcErrorCode, 'InternalError');
    assert.ok(!error.message.includes(SECRET), 'the exception text is not sent');
    return true;
  });
}

/** ocpp-rpc's handler threw: it answers GenericError with the exception's message (deviation 5). */
async function genericErrorFromRpc(promise: Promise<unknown>): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof RpcError);
    assert.equal(error.code, 'GenericError');
    assert.equal(error.description, SECRET);
    return true;
  });
}

/** Asserts that one of our calls rejected with an RpcError of canonical `code`. */
async function rejectsAtOurs(promise: Promise<unknown>, code: string, message: string): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof RpcError, `${message}: expected an RpcError, got ${String(error)}`);
    assert.equal(error.code, code, message);
    return true;
  });
}

/** What arrived at a handler. */
interface Arrival {
  readonly action: string;
  readonly request: unknown;
}

/** Answers each action with the responses of `exchanges`, in order, recording what arrives. */
function responder(exchanges: readonly Exchange[]): { arrivals: Arrival[]; answer(action: string, request: unknown): JsonObject } {
  const queues = new Map<string, JsonObject[]>();
  for (const e of exchanges) queues.set(e.action, [...(queues.get(e.action) ?? []), e.response]);
  const arrivals: Arrival[] = [];
  return {
    arrivals,
    answer(action, request) {
      arrivals.push({ action, request });
      const next = queues.get(action)?.shift();
      if (next === undefined) throw new Error(`unexpected ${action}`);
      return next;
    },
  };
}

const expectedArrivals = (exchanges: readonly Exchange[]): Arrival[] => exchanges.map(({ action, request }) => ({ action, request }));
const actionsOf = (exchanges: readonly { action: string }[]): string[] => [...new Set(exchanges.map((e) => e.action))];

/**
 * Our call() with the action as a plain string: the scripts are data shared by both versions,
 * so they cannot be typed per action (the typed surface is proven in test/types/surface.types.ts).
 */
interface LooseCaller {
  call(action: string, payload: unknown, options?: { validate?: boolean }): Promise<unknown>;
}
const loose = (endpoint: AnyStation | ChargePoint): LooseCaller => endpoint;

// ------------------------------------------------------------------------- fixtures

interface CentralSystemSide {
  readonly cs: CentralSystem;
  readonly rpc: RpcPeer;
  readonly station: AnyStation;
  /** Frames our station saw. */
  readonly frames: FrameEvent[];
  /** CALLERRORs ocpp-rpc received on the wire. */
  readonly rpcWireErrors: WireError[];
  /** What our CentralSystem's handlers received, and the identity their context named. */
  readonly ourArrivals: Arrival[];
  readonly identities: string[];
  /** What ocpp-rpc's handlers received. */
  readonly rpcArrivals: Arrival[];
}

/** (a) Our CentralSystem serving `script.up`, an ocpp-rpc RPCClient (strict) answering `script.down`. */
async function centralSystemWithRpcCharger(t: TestContext, version: DefaultOcppVersion, identity: string): Promise<CentralSystemSide> {
  const script = SCRIPTS[version];
  const cs = new CentralSystem({ protocols: [version], path: '/ocpp', pingIntervalMs: 0, callTimeoutMs: CALL_TIMEOUT_MS });
  t.after(() => cs.close());
  const ours = responder(script.up);
  const identities: string[] = [];
  for (const action of actionsOf(script.up)) {
    const handler = (request: unknown, ctx: StationHandlerContext): JsonObject => {
      identities.push(ctx.station.identity);
      return ours.answer(action, request);
    };
    // Data-driven over both versions, so the action is a plain string here; the typed surface
    // is proven in test/types/surface.types.ts.
    cs.handle(version, action as never, handler as never);
  }
  cs.handle(version, script.throwingUp.action as never, fail);
  const frames: FrameEvent[] = [];
  const connected = new Promise<AnyStation>((resolve) =>
    cs.once('connection', (station) => {
      station.on('frame', (e) => frames.push(e));
      resolve(station);
    }),
  );
  const address: AddressInfo = await cs.listen({ port: 0, host: '127.0.0.1' });

  const rpc = new RPCClient({
    endpoint: `ws://127.0.0.1:${address.port}/ocpp`,
    identity,
    protocols: [version],
    strictMode: true,
    reconnect: false,
    callTimeoutMs: CALL_TIMEOUT_MS,
    pingIntervalMs: 60_000,
  } as RpcClientOptions);
  t.after(() => rpc.close());
  const rpcWireErrors = recordWireErrors(rpc);
  const theirs = responder(script.down);
  for (const action of actionsOf([...script.down, ...script.invalidDown])) {
    const handler: RpcHandler = ({ params }) => theirs.answer(action, params);
    rpc.handle(action, handler as never);
  }
  rpc.handle(script.throwingDown.action, fail);
  await rpc.connect();
  const station = await connected;
  return { cs, rpc, station, frames, rpcWireErrors, ourArrivals: ours.arrivals, identities, rpcArrivals: theirs.arrivals };
}

interface ChargePointSide {
  readonly cp: ChargePoint;
  readonly rpc: RpcPeer;
  readonly frames: FrameEvent[];
  readonly rpcWireErrors: WireError[];
  /** What our ChargePoint's handlers received. */
  readonly ourArrivals: Arrival[];
  /** What ocpp-rpc's handlers received, and the identity ocpp-rpc decoded from the URL. */
  readonly rpcArrivals: Arrival[];
  readonly rpcIdentity: string;
}

/** (b) An ocpp-rpc RPCServer (strict) serving `script.up`, our ChargePoint answering `script.down`. */
async function chargePointWithRpcServer(t: TestContext, version: DefaultOcppVersion, identity: string): Promise<ChargePointSide> {
  const script = SCRIPTS[version];
  const server = new RPCServer({ protocols: [version], strictMode: true, callTimeoutMs: CALL_TIMEOUT_MS, pingIntervalMs: 60_000 });
  t.after(() => server.close({}));
  const theirs = responder(script.up);
  const accepted = new Promise<RpcPeer>((resolve) => {
    server.on('client', (client: RpcPeer) => {
      for (const action of actionsOf([...script.up, ...script.invalidUp])) {
        const handler: RpcHandler = ({ params }) => theirs.answer(action, params);
        client.handle(action, handler as never);
      }
      client.handle(script.throwingUp.action, fail);
      resolve(client);
    });
  });
  const http = await server.listen(0, '127.0.0.1');
  const port = (http.address() as AddressInfo).port;

  const cp = new ChargePoint({
    url: `ws://127.0.0.1:${port}/ocpp`,
    identity,
    protocol: version,
    reconnect: false,
    pingIntervalMs: 0,
    callTimeoutMs: CALL_TIMEOUT_MS,
  });
  t.after(() => cp.close());
  const ours = responder(script.down);
  for (const action of actionsOf(script.down)) {
    cp.handle(action as never, ((request: unknown) => ours.answer(action, request)) as never);
  }
  cp.handle(script.throwingDown.action as never, fail);
  const frames: FrameEvent[] = [];
  cp.on('frame', (e) => frames.push(e));
  await cp.connect();
  const rpc = await accepted;
  const rpcWireErrors = recordWireErrors(rpc);
  return { cp, rpc, frames, rpcWireErrors, ourArrivals: ours.arrivals, rpcArrivals: theirs.arrivals, rpcIdentity: String(rpc.identity) };
}

// ------------------------------------------------------------------------- (a) ocpp-rpc charger

for (const version of VERSIONS) {
  const script = SCRIPTS[version];

  describe(`interop (a) ${version}: ocpp-rpc RPCClient (strict) as the charger, our CentralSystem as the server`, () => {
    test('a whole session both ways: every request and response arrives deep-equal to what was sent', { timeout: TEST_TIMEOUT_MS }, async (t) => {
      const side = await centralSystemWithRpcCharger(t, version, 'RPC CP#1');
      assert.equal(side.station.identity, 'RPC CP#1', 'the percent-encoded identity is decoded');
      assert.equal(side.station.protocol, version);
      assert.equal(side.rpc.protocol, version);

      for (const { action, request, response } of script.up) {
        const result = await side.rpc.call(action, request);
        assert.deepEqual(result, response, `${action}: ocpp-rpc received our response as sent`);
      }
      assert.deepEqual(side.ourArrivals, expectedArrivals(script.up), 'our handlers received the requests as sent');
      assert.deepEqual(new Set(side.identities), new Set(['RPC CP#1']), 'ctx.station names the connection');

      for (const { action, request, response } of script.down) {
        const result = await loose(side.station).call(action, request);
        assert.deepEqual(result, response, `${action}: our station received ocpp-rpc's response as sent`);
      }
      assert.deepEqual(side.rpcArrivals, expectedArrivals(script.down), "ocpp-rpc's handlers received our requests as sent");
      assert.deepEqual(side.rpcWireErrors, [], 'no CALLERROR in a valid session');
      assert.deepEqual(ourWireErrors(side.frames), []);
    });

    test(
      "errors: invalid requests, unhandled and unknown actions, throwing handlers; the version's spellings on the wire",
      { timeout: TEST_TIMEOUT_MS },
      async (t) => {
        const side = await centralSystemWithRpcCharger(t, version, 'RPC-ERR');

        // ocpp-rpc → us: invalid requests, sent with ocpp-rpc's own validation bypassed. Our
        // CALLERROR carries the version's spelling, and ocpp-rpc's call rejects with that code.
        await withoutRpcValidation(side.rpc, async () => {
          for (const bad of script.invalidUp) {
            await rejectsAtRpc(side.rpc.call(bad.action, bad.request), bad.ours, `${bad.what} (${bad.action}) → ${bad.ours}`);
          }
          // An action the version does not have.
          await rejectsAtRpc(side.rpc.call('NoSuchAction', {}), 'NotImplemented', 'an unknown action → NotImplemented');
        });
        assert.deepEqual(side.ourArrivals, [], 'no invalid request reached a handler');
        // A known action we have no handler for: NotSupported (checklist item 17).
        await rejectsAtRpc(side.rpc.call(script.unhandledUp.action, script.unhandledUp.request), 'NotSupported', 'no handler → NotSupported');
        // Our handler throws: InternalError, without the exception's text (checklist item 19).
        await internalErrorAtRpc(side.rpc.call(script.throwingUp.action, script.throwingUp.request));
        assert.deepEqual(
          side.rpcWireErrors.map((e) => e.code),
          [...script.invalidUp.map((b) => b.ours), 'NotImplemented', 'NotSupported', 'InternalError'],
          'the codes as they were on the wire',
        );

        // Us → ocpp-rpc: invalid requests with our validation bypassed ({ validate: false }).
        // ocpp-rpc answers with its own codes (deviations 1-3); we surface the canonical code.
        for (const bad of script.invalidDown) {
          const call = loose(side.station).call(bad.action, bad.request, { validate: false });
          await rejectsAtOurs(call, bad.rpcCanonical, `${bad.what} (${bad.action}): ocpp-rpc sends ${bad.rpc}`);
        }
        // A known action ocpp-rpc has no handler for: it answers NotImplemented (deviation 4).
        const unhandled = loose(side.station).call(script.unhandledDown.action, script.unhandledDown.request);
        await assert.rejects(unhandled, NotImplementedError);
        // ocpp-rpc's handler throws: GenericError carrying the exception's message (deviation 5).
        await genericErrorFromRpc(loose(side.station).call(script.throwingDown.action, script.throwingDown.request));
        assert.deepEqual(
          ourWireErrors(side.frames),
          [...script.invalidDown.map((b) => b.rpc), 'NotImplemented', 'GenericError'],
          "ocpp-rpc's codes as they were on the wire",
        );
        assert.deepEqual(side.rpcArrivals, [], 'ocpp-rpc rejected every invalid request before its handler');

        // Both sides are still talking after all that.
        const { action, request, response } = script.up[1]; // Heartbeat
        assert.deepEqual(await side.rpc.call(action, request), response);
      },
    );
  });
}

// ------------------------------------------------------------------------- (b) ocpp-rpc server

for (const version of VERSIONS) {
  const script = SCRIPTS[version];

  describe(`interop (b) ${version}: our ChargePoint as the charger, ocpp-rpc RPCServer (strict) as the central system`, () => {
    test('a whole session both ways: every request and response arrives deep-equal to what was sent', { timeout: TEST_TIMEOUT_MS }, async (t) => {
      const side = await chargePointWithRpcServer(t, version, 'OUR CP#1');
      assert.equal(side.rpcIdentity, 'OUR CP#1', 'ocpp-rpc decodes our percent-encoded identity');
      assert.equal(side.rpc.protocol, version);

      for (const { action, request, response } of script.up) {
        const result = await loose(side.cp).call(action, request);
        assert.deepEqual(result, response, `${action}: our charge point received ocpp-rpc's response as sent`);
      }
      assert.deepEqual(side.rpcArrivals, expectedArrivals(script.up), "ocpp-rpc's handlers received our requests as sent");

      for (const { action, request, response } of script.down) {
        const result = await side.rpc.call(action, request);
        assert.deepEqual(result, response, `${action}: ocpp-rpc received our response as sent`);
      }
      assert.deepEqual(side.ourArrivals, expectedArrivals(script.down), 'our handlers received the requests as sent');
      assert.deepEqual(side.rpcWireErrors, [], 'no CALLERROR in a valid session');
      assert.deepEqual(ourWireErrors(side.frames), []);
    });

    test(
      "errors: invalid requests, unhandled and unknown actions, throwing handlers; the version's spellings on the wire",
      { timeout: TEST_TIMEOUT_MS },
      async (t) => {
        const side = await chargePointWithRpcServer(t, version, 'OUR-ERR');

        // ocpp-rpc → us: invalid requests with ocpp-rpc's validation bypassed.
        await withoutRpcValidation(side.rpc, async () => {
          for (const bad of script.invalidDown) {
            await rejectsAtRpc(side.rpc.call(bad.action, bad.request), bad.ours, `${bad.what} (${bad.action}) → ${bad.ours}`);
          }
          await rejectsAtRpc(side.rpc.call('NoSuchAction', {}), 'NotImplemented', 'an unknown action → NotImplemented');
        });
        assert.deepEqual(side.ourArrivals, [], 'no invalid request reached a handler');
        // The server calls an action our ChargePoint has no handler for: NotSupported.
        await assert.rejects(side.rpc.call(script.unhandledDown.action, script.unhandledDown.request), (error: unknown) => {
          assert.ok(error instanceof RPCError);
          assert.equal(error.rpcErrorCode, 'NotSupported');
          assert.equal(error.constructor.name, 'RPCNotSupportedError');
          return true;
        });
        await internalErrorAtRpc(side.rpc.call(script.throwingDown.action, script.throwingDown.request));
        assert.deepEqual(
          side.rpcWireErrors.map((e) => e.code),
          [...script.invalidDown.map((b) => b.ours), 'NotImplemented', 'NotSupported', 'InternalError'],
        );

        // Us → ocpp-rpc: invalid requests with our validation bypassed.
        for (const bad of script.invalidUp) {
          const call = loose(side.cp).call(bad.action, bad.request, { validate: false });
          await rejectsAtOurs(call, bad.rpcCanonical, `${bad.what} (${bad.action}): ocpp-rpc sends ${bad.rpc}`);
        }
        // A known action ocpp-rpc's server has no handler for: NotImplemented (deviation 4).
        await assert.rejects(loose(side.cp).call(script.unhandledUp.action, script.unhandledUp.request), NotImplementedError);
        await genericErrorFromRpc(loose(side.cp).call(script.throwingUp.action, script.throwingUp.request));
        assert.deepEqual(
          ourWireErrors(side.frames),
          [...script.invalidUp.map((b) => b.rpc), 'NotImplemented', 'GenericError'],
          "ocpp-rpc's codes as they were on the wire",
        );
        assert.deepEqual(side.rpcArrivals, [], 'ocpp-rpc rejected every invalid request before its handler');

        // Our local validation, on by default, refuses the same invalid request before sending it.
        const bad = script.invalidUp[0];
        await assert.rejects(loose(side.cp).call(bad.action, bad.request), { name: 'ValidationError' });

        const { action, request, response } = script.down[2]; // Reset
        assert.deepEqual(await side.rpc.call(action, request), response, 'still talking');
      },
    );
  });
}
