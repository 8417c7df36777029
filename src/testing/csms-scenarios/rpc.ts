/**
 * CSMS scenarios for bad frames (OCPP-J 1.6 §4.2.3, 2.0.1 §4.3): the CSMS answers a broken
 * frame, an unknown action and a payload that breaks the schema with the CALLERROR its version
 * names, and stays up. OCTT has no `_CSMS` cases for these: the `TC_RPC_nn_CSMS` ids are our
 * own, in OCTT's shape.
 */
import type { OcppVersion } from '../../index';
import { codes } from '../codes';
import { csmsStep, defineCsmsScenario, type CsmsScenarioContext } from './scenario';
import { BootAccepted, cp16, cp2x, expectField, is16 } from './states';

const ALL: readonly OcppVersion[] = ['ocpp1.6', 'ocpp2.0.1', 'ocpp2.1'];

/** A message id of ours for a raw frame, unique enough for one run. */
function rawId(tag: string): string {
  return `${tag}-${Math.floor(Math.random() * 1e9).toString(36)}`;
}

/**
 * Sends `frame` (made from a fresh message id) raw and expects the CSMS's CALLERROR for that id,
 * spelled as the version spells `code` (which of `codes(protocol)` is meant).
 */
async function expectAnswer(ctx: CsmsScenarioContext, tag: string, frame: (id: string) => string, code: keyof ReturnType<typeof codes>): Promise<void> {
  const wire = codes(ctx.protocol)[code];
  const messageId = rawId(tag);
  ctx.chargePoint.sendRaw(frame(messageId));
  const error = await ctx.chargePoint.expectCallError(wire, { messageId, timeoutMs: ctx.profile.messageTimeoutMs });
  expectField(ctx, `the CALLERROR's code as ${ctx.protocol} spells it`, error.errorCode, wire);
}

/** The last step of each: the connection still works. */
const staysUp = csmsStep('The CSMS stays up: the connection is open and a Heartbeat is answered', async (ctx: CsmsScenarioContext) => {
  expectField(ctx, 'the connection to be open', ctx.chargePoint.connected, true);
  const { currentTime } = is16(ctx) ? await cp16(ctx).call('Heartbeat', {}) : await cp2x(ctx).call('Heartbeat', {});
  expectField(ctx, 'the answer to Heartbeat: currentTime is a date', Number.isNaN(Date.parse(currentTime)), false);
});

/** TC_RPC_01_CSMS (our id): frames that are no valid RPC message. */
export const TC_RPC_01_CSMS = defineCsmsScenario({
  id: 'TC_RPC_01_CSMS',
  title: 'Malformed frame - CALLERROR with the version framing code',
  versions: ALL,
  preconditions: [BootAccepted],
  steps: [
    csmsStep('A CALL without a payload ([2, id, "Heartbeat"]) answered FormationViolation (1.6) or RpcFrameworkError (2.x) for its id', (ctx) =>
      expectAnswer(ctx, 'rpc01', (id) => `[2,"${id}","Heartbeat"]`, 'framing'),
    ),
    csmsStep('A text that is no JSON: 2.x answered RpcFrameworkError for message id "-1" (1.6 has no id to answer: any answer or none)', async (ctx) => {
      ctx.chargePoint.sendRaw('{"not an array":');
      if (is16(ctx)) return;
      const error = await ctx.chargePoint.expectCallError('RpcFrameworkError', { messageId: '-1', timeoutMs: ctx.profile.messageTimeoutMs });
      expectField(ctx, "the CALLERROR's code", error.errorCode, 'RpcFrameworkError');
    }),
    staysUp,
  ],
});

/** TC_RPC_02_CSMS (our id): an action the version does not have. */
export const TC_RPC_02_CSMS = defineCsmsScenario({
  id: 'TC_RPC_02_CSMS',
  title: 'Unknown action - CALLERROR NotImplemented',
  versions: ALL,
  preconditions: [BootAccepted],
  steps: [
    csmsStep('A CALL of an unknown action answered NotImplemented', (ctx) =>
      expectAnswer(ctx, 'rpc02', (id) => `[2,"${id}","NoSuchAction",{}]`, 'notImplemented'),
    ),
    staysUp,
  ],
});

/** TC_RPC_03_CSMS (our id): a known action whose payload breaks its schema. */
export const TC_RPC_03_CSMS = defineCsmsScenario({
  id: 'TC_RPC_03_CSMS',
  title: 'Payload that breaks the schema - CALLERROR with the version constraint code',
  versions: ALL,
  preconditions: [BootAccepted],
  steps: [
    csmsStep('Authorize without its required field answered OccurenceConstraintViolation (1.6) or OccurrenceConstraintViolation (2.x)', (ctx) =>
      expectAnswer(ctx, 'rpc03', (id) => `[2,"${id}","Authorize",{}]`, 'occurrence'),
    ),
    csmsStep('Authorize with a field of the wrong type answered TypeConstraintViolation', (ctx) =>
      expectAnswer(ctx, 'rpc03', (id) => `[2,"${id}","Authorize",${is16(ctx) ? '{"idTag":42}' : '{"idToken":42}'}]`, 'type'),
    ),
    staysUp,
  ],
});
