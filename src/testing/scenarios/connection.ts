/**
 * Checks on the station's connection that the security and RPC-framework scenarios share: that
 * it stays up (and still answers) after something it must survive, and that it is replaced by a
 * new one (a reconnect with a new password).
 */
import { monotonicNow, sleep } from '../clock';
import { ExpectationError } from '../errors';
import type { ScenarioContext } from '../scenario';

/** How often the connection is looked at while waiting for a new one. */
const POLL_MS = 20;

/** The first `disconnected` event in the transcript after `seq`, if any. */
function disconnectAfter(ctx: ScenarioContext, seq: number): string | undefined {
  return ctx.station.transcript.entries.find((e) => e.seq > seq && e.kind === 'event' && e.text.startsWith('disconnected'))?.text;
}

/**
 * Fails unless the station stayed connected since transcript position `seq` (allowing it the
 * profile's timing tolerance to hang up, as a charger that gives up does right after its answer)
 * and still answers a CALL: a DataTransfer of an unknown vendor, whose CALLRESULT or CALLERROR
 * both show it listens.
 * @throws ExpectationError
 */
export async function expectStillConnected(ctx: ScenarioContext, seq: number): Promise<void> {
  const { station } = ctx;
  await sleep(ctx.profile.timingToleranceMs);
  const fail = (got: string): never => {
    throw new ExpectationError({
      awaited: 'the station to stay connected and answer',
      got,
      identity: station.identity,
      transcriptTail: station.transcript.format({ tail: 10 }),
    });
  };
  const dropped = disconnectAfter(ctx, seq);
  if (dropped !== undefined || !station.connected) fail(`it dropped the connection (${dropped ?? 'not connected'})`);
  const outcome = await (station as ScenarioContext<'ocpp1.6'>['station'])
    .call('DataTransfer', { vendorId: 'OcppSdkTesting' }, { timeoutMs: ctx.profile.messageTimeoutMs })
    .then(
      () => undefined,
      (error: unknown) =>
        error instanceof Error && 'code' in error ? undefined : `the DataTransfer got no answer: ${error instanceof Error ? error.message : String(error)}`,
    );
  if (outcome !== undefined) fail(outcome);
}

/**
 * Resolves once the station is connected on a connection other than `before` (its handle's
 * `station` object when the wait began).
 * @throws ExpectationError after `timeoutMs`.
 */
export async function expectNewConnection(ctx: ScenarioContext, before: object | undefined, timeoutMs: number): Promise<void> {
  const { station } = ctx;
  const deadline = monotonicNow() + timeoutMs;
  while (!(station.connected && station.station !== before)) {
    if (monotonicNow() > deadline) {
      throw new ExpectationError({
        awaited: `the station to connect again within ${timeoutMs} ms`,
        got: station.connected ? 'it kept its connection' : 'it did not reconnect',
        identity: station.identity,
        transcriptTail: station.transcript.format({ tail: 10 }),
      });
    }
    await sleep(POLL_MS);
  }
}
