/**
 * The charger process of test/reliability/durable-queue.test.ts: a ChargePoint whose offline
 * queue is a FileQueueStore, driven over IPC, so that the test can kill it with SIGKILL and start
 * it again on the same journal. Argument: JSON `{ url, identity, protocol, journal }`.
 *
 * Commands (each answered with `{ id, ok, value | error }`):
 * - `connect`: connect (the outbox then sends what the journal holds);
 * - `deliver`: call each `[action, payload]` in turn while online, answer with the responses;
 * - `waitOffline`: wait until the connection is gone (the central system went away);
 * - `queue`: call each `[action, payload]` without waiting for delivery, answer once the store
 *   holds them all, i.e. once their records are fsync'd: from then on a kill must not lose them;
 * - `fire`: call each `[action, payload]` without waiting for anything (online: they are
 *   delivered one at a time, in order);
 * - `size`: the store's size;
 * - `drain`: wait until the store is empty (everything delivered), answer with its size.
 *
 * The store compacts every 2 surplus records, so that the crashes also meet compacted journals.
 */
import { ChargePoint, FileQueueStore, type OcppVersion } from '../../src/index';

interface Args {
  url: string;
  identity: string;
  protocol: OcppVersion;
  journal: string;
}
interface Command {
  id: number;
  cmd: 'connect' | 'deliver' | 'waitOffline' | 'queue' | 'fire' | 'size' | 'drain';
  calls?: [string, unknown][];
}

const args = JSON.parse(process.argv[2]) as Args;
// Bounded even if the test dies without killing us.
setTimeout(() => process.exit(3), 60_000).unref();
process.on('disconnect', () => process.exit(0));

function until(predicate: () => boolean): Promise<void> {
  return new Promise((resolve) => {
    const tick = (): void => {
      if (predicate()) resolve();
      else setTimeout(tick, 5);
    };
    tick();
  });
}

async function main(): Promise<void> {
  const store = await FileQueueStore.open({ path: args.journal, compactAfterRecords: 2 });
  const cp = new ChargePoint({
    url: args.url,
    identity: args.identity,
    protocol: args.protocol,
    pingIntervalMs: 0,
    callTimeoutMs: 5_000,
    reconnect: { waitMinimumMs: 50, randomRangeMs: 50, repeatTimes: 2 },
    offline: { store, retry: { attempts: 3, retryIntervalMs: 100 } },
  });
  cp.on('error', ({ error }) => console.error(`child: ${error.message}`));
  const call = (action: string, payload: unknown): Promise<unknown> => cp.call(action as never, payload as never);

  const run = async (command: Command): Promise<unknown> => {
    switch (command.cmd) {
      case 'connect':
        await cp.connect();
        return store.size();
      case 'deliver': {
        const out: unknown[] = [];
        for (const [action, payload] of command.calls ?? []) out.push(await call(action, payload));
        return out;
      }
      case 'waitOffline':
        await until(() => cp.state !== 'open');
        return cp.state;
      case 'queue': {
        const target = store.size() + (command.calls ?? []).length;
        // Not awaited: they are delivered only after the restart. Their rejections (the process
        // dies first) do not matter here.
        for (const [action, payload] of command.calls ?? []) call(action, payload).catch(() => undefined);
        await until(() => store.size() === target);
        return store.size();
      }
      case 'fire':
        for (const [action, payload] of command.calls ?? []) call(action, payload).catch(() => undefined);
        return store.size();
      case 'size':
        return store.size();
      case 'drain':
        await until(() => store.size() === 0);
        return store.size();
    }
  };

  process.on('message', (command: Command) => {
    run(command).then(
      (value) => process.send!({ id: command.id, ok: true, value }),
      (error: unknown) => process.send!({ id: command.id, ok: false, error: error instanceof Error ? error.message : String(error) }),
    );
  });
  process.send!({ id: 0, ok: true, value: store.size() });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
