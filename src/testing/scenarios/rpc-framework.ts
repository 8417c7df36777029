/**
 * RPC-framework scenarios (OCPP-J §4.2-4.3): a charger answers a CALL it cannot take with the
 * CALLERROR its version names, and keeps the connection. OCTT has no test case for these (the
 * design's row 24 follows EVerest's broken.py / broken201.py), so their ids are the kit's own:
 * RPC_01_CS unknown action, RPC_02_CS a payload missing a required field, RPC_03_CS a text that is
 * no frame and an unknown message type. What each version answers is read from its rules
 * (`rulesFor`): 2.0.1 answers both with RpcFrameworkError (id "-1") and MessageTypeNotSupported,
 * 1.6 neither, 2.1 only the first.
 */
import { rulesFor } from '../../index';
import { codes } from '../codes';
import { ExpectationError } from '../errors';
import { defineScenario, step, type ScenarioContext } from '../scenario';
import { Booted } from '../states';
import { expectStillConnected } from './connection';

const ALL = ['ocpp1.6', 'ocpp2.0.1', 'ocpp2.1'] as const;

/** A message id of the kit's own, unique within a run. */
let counter = 0;
const nextId = (): string => `ocpp-sdk-testing-${++counter}`;

/** Sends `frame` (built with a fresh id) raw and expects the CALLERROR `code` for that id. */
async function rawAnsweredWith(ctx: ScenarioContext, frame: (id: string) => string, code: string, messageId?: string): Promise<void> {
  const id = nextId();
  const error = ctx.station.expectCallError(code, { messageId: messageId ?? id, timeoutMs: ctx.profile.messageTimeoutMs });
  error.catch(() => undefined);
  ctx.station.sendRaw(frame(id));
  await error;
}

/**
 * Sends `frame` raw and expects no CALLERROR for the message timeout (a version that answers
 * nothing to it).
 */
async function rawIgnored(ctx: ScenarioContext, frame: string): Promise<void> {
  const seq = ctx.station.transcript.length;
  ctx.station.sendRaw(frame);
  // What a station reports of its own accord meanwhile (a startup security event included) is no answer.
  const except = ['Heartbeat', 'StatusNotification', 'MeterValues', 'SecurityEventNotification'];
  await ctx.station.expectNoCall('*', { forMs: ctx.profile.messageTimeoutMs, except });
  const answer = ctx.station.transcript.entries.find((e) => e.seq > seq && e.direction === 'in' && e.kind === 'CALLERROR');
  if (answer !== undefined) {
    throw new ExpectationError({
      awaited: `no answer to ${JSON.stringify(frame)} (${ctx.protocol} answers none)`,
      got: `a CALLERROR: ${answer.text}`,
      identity: ctx.station.identity,
      transcriptTail: ctx.station.transcript.format({ tail: 10 }),
    });
  }
}

/** Runs `send` and then checks the connection stayed up and still answers. */
function survives(title: string, send: (ctx: ScenarioContext) => Promise<void>) {
  return step(`${title}; the station keeps the connection and still answers a DataTransfer`, async (ctx) => {
    const seq = ctx.station.transcript.length;
    await send(ctx);
    await expectStillConnected(ctx, seq);
  });
}

/** RPC_01_CS: a CALL of an action the version does not have. */
export const RPC_01_CS = defineScenario({
  id: 'RPC_01_CS',
  title: 'RPC framework - Unknown action: NotImplemented',
  versions: [...ALL],
  preconditions: [Booted],
  steps: [
    survives('A CALL of an unknown action is answered CALLERROR NotImplemented with its message id', (ctx) =>
      rawAnsweredWith(ctx, (id) => JSON.stringify([2, id, 'OcppSdkTestingUnknownAction', {}]), codes(ctx.protocol).notImplemented),
    ),
  ],
});

/** RPC_02_CS: a CALL whose payload lacks a required field. */
export const RPC_02_CS = defineScenario({
  id: 'RPC_02_CS',
  title: 'RPC framework - Payload missing a required field: OccurrenceConstraintViolation',
  versions: [...ALL],
  preconditions: [Booted],
  steps: [
    survives('A TriggerMessage without requestedMessage is answered CALLERROR OccurrenceConstraintViolation (1.6: OccurenceConstraintViolation)', (ctx) =>
      rawAnsweredWith(ctx, (id) => JSON.stringify([2, id, 'TriggerMessage', {}]), codes(ctx.protocol).occurrence),
    ),
  ],
});

/** RPC_03_CS: a text that is no frame, and a frame of an unknown message type. */
export const RPC_03_CS = defineScenario({
  id: 'RPC_03_CS',
  title: 'RPC framework - Malformed frame and unknown message type',
  versions: [...ALL],
  preconditions: [Booted],
  steps: [
    survives('A text that is no JSON array is answered as the version says (2.x: CALLERROR RpcFrameworkError, id "-1"; 1.6: nothing)', (ctx) =>
      rulesFor(ctx.protocol).unreadableIdReply
        ? rawAnsweredWith(ctx, () => '[2, "unterminated', codes(ctx.protocol).framing, '-1')
        : rawIgnored(ctx, '[2, "unterminated'),
    ),
    survives('A frame of message type 9 is answered as the version says (2.0.1: CALLERROR MessageTypeNotSupported with its id; 1.6, 2.1: nothing)', (ctx) =>
      rulesFor(ctx.protocol).replyToUnknownMessageType
        ? rawAnsweredWith(ctx, (id) => JSON.stringify([9, id, 'Heartbeat', {}]), 'MessageTypeNotSupported')
        : rawIgnored(ctx, JSON.stringify([9, nextId(), 'Heartbeat', {}])),
    ),
  ],
});
