/**
 * One station process of the fleet benchmark: `node fleet-stations.cjs <label>`, driven by
 * bench/fleet/run.ts over IPC. It holds many of the SDK's own ChargePoints (OCPP 1.6, public
 * API, strict validation, default back-off and keepalive), connected from one loopback source
 * address (`localAddress`: one address gives about 28,000 ports towards the server's one port),
 * each sending the mix of ./mix.ts and answering the central system's GetConfiguration.
 *
 * Commands: `open` (connect and boot a range of stations at a given pace), `snap` (calls,
 * errors and latency since the last snap, connection counts), `storm` (start counting who is
 * back after the central system restarts), `back` (when each station came back), `close`.
 */
import { ChargePoint, NotConnectedError } from '../../src/index';
import { cpuMicros, serveCommands, type Command } from '../lib/ipc';
import { bootRequest, CHARGING_S, CYCLE_S, HEARTBEAT_S, meterRequest, METER_S, startRequest, statusRequest, stopRequest } from './mix';

const label = process.argv[2] ?? 'stations';

// ------------------------------------------------------------------ measurements

const MAX_SAMPLES = 1 << 20;
const samples = new Float64Array(MAX_SAMPLES);
let sampleCount = 0;
let calls = 0;
let errors = 0;
let offline = 0;
let failedAttempts = 0;
let errorsLogged = 0;
/** When the storm began (performance.now()), or undefined outside one. */
let stormAt: number | undefined;
const backAfterMs: number[] = [];

function fail(what: string, error: unknown): void {
  errors++;
  if (errorsLogged++ < 5) console.error(`${label}: ${what}: ${error instanceof Error ? error.message : String(error)}`);
}

function percentile(sorted: Float64Array, p: number): number {
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}

// ------------------------------------------------------------------ one station

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

class FleetStation {
  readonly cp: ChargePoint<'ocpp1.6'>;
  private energyWh = 0;
  private transactionId: number | undefined;
  private readonly timers: ReturnType<typeof setTimeout>[] = [];
  back = true;

  constructor(
    readonly n: number,
    url: string,
    localAddress: string | undefined,
  ) {
    this.cp = new ChargePoint({ url, identity: `FB${n}`, protocol: 'ocpp1.6', localAddress });
    this.cp.handle('GetConfiguration', () => ({ configurationKey: [{ key: 'HeartbeatInterval', readonly: false, value: String(HEARTBEAT_S) }] }));
    this.cp.on('reconnecting', (e) => {
      if (e.error !== undefined) failedAttempts++;
    });
    this.cp.on('open', ({ reconnect }) => {
      if (reconnect) void this.rejoin();
    });
    this.cp.on('error', ({ error }) => fail('charge point error', error));
  }

  /** Connects, boots, reports its connectors, then runs the mix. */
  async start(): Promise<void> {
    await this.cp.connect();
    await this.cp.boot(bootRequest(this.n));
    await this.timed('StatusNotification', statusRequest(0, 'Available'));
    await this.timed('StatusNotification', statusRequest(1, 'Available'));
    this.every(HEARTBEAT_S, () => void this.timed('Heartbeat', {}));
    this.every(METER_S, () => {
      this.energyWh += this.transactionId === undefined ? 0 : 183;
      void this.timed('MeterValues', meterRequest(this.energyWh, this.transactionId));
    });
    this.every(CYCLE_S, () => void this.charge());
  }

  /** After a reconnect: no new boot (2.0.1 §5.3; boot() returns the stored answer), a status report, and this station is back. */
  private async rejoin(): Promise<void> {
    try {
      await this.cp.boot(bootRequest(this.n));
      await this.timed('StatusNotification', statusRequest(1, this.transactionId === undefined ? 'Available' : 'Charging'));
      if (!this.back && stormAt !== undefined) {
        this.back = true;
        backAfterMs.push(performance.now() - stormAt);
      }
    } catch (error) {
      fail('rejoin', error);
    }
  }

  private async charge(): Promise<void> {
    if (this.transactionId !== undefined) return;
    try {
      await this.timed('Authorize', { idTag: `TAG${this.n}` });
      const started = (await this.timed('StartTransaction', startRequest(`TAG${this.n}`, Math.round(this.energyWh)))) as { transactionId?: number } | undefined;
      this.transactionId = started?.transactionId;
      await this.timed('StatusNotification', statusRequest(1, 'Charging'));
      await sleep(CHARGING_S * 1000);
      const id = this.transactionId;
      this.transactionId = undefined;
      if (id !== undefined) await this.timed('StopTransaction', stopRequest(id, Math.round(this.energyWh)));
      await this.timed('StatusNotification', statusRequest(1, 'Available'));
    } catch (error) {
      fail('transaction', error);
    }
  }

  /** Runs `job` every `periodS`, starting at a random point of the first period. */
  private every(periodS: number, job: () => void): void {
    const first = setTimeout(
      () => {
        job();
        this.timers.push(setInterval(job, periodS * 1000));
      },
      Math.random() * periodS * 1000,
    );
    this.timers.push(first);
  }

  /**
   * One call, timed when it was sent on an open connection. Periodic messages are not sent while
   * offline (a charger does not queue Heartbeats); transaction messages queue in the SDK's outbox.
   */
  private async timed(action: string, payload: unknown): Promise<unknown> {
    const open = this.cp.state === 'open';
    if (!open && (action === 'Heartbeat' || action === 'MeterValues' || action === 'StatusNotification')) {
      offline++;
      return undefined;
    }
    const t0 = performance.now();
    try {
      const result = await (this.cp.call as (a: string, p: unknown) => Promise<unknown>)(action, payload);
      calls++;
      if (open && sampleCount < MAX_SAMPLES) samples[sampleCount++] = performance.now() - t0;
      return result;
    } catch (error) {
      if (error instanceof NotConnectedError || this.cp.state !== 'open') offline++;
      else fail(action, error);
      return undefined;
    }
  }

  async close(): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    await this.cp.close();
  }
}

// ------------------------------------------------------------------ commands

const stations: FleetStation[] = [];

async function open(command: Command): Promise<Record<string, unknown>> {
  const { url, first, count, localAddress, perSecond } = command as unknown as {
    url: string;
    first: number;
    count: number;
    localAddress?: string;
    perSecond: number;
  };
  const started = performance.now();
  let booted = 0;
  let failed = 0;
  const pending: Promise<void>[] = [];
  const gapMs = 1000 / perSecond;
  for (let i = 0; i < count; i++) {
    const station = new FleetStation(first + i, url, localAddress);
    stations.push(station);
    pending.push(
      station.start().then(
        () => void booted++,
        (error: unknown) => {
          failed++;
          fail('start', error);
        },
      ),
    );
    // Pace the opening handshakes, as chargers coming online one by one would.
    if ((i + 1) % 50 === 0) await sleep(gapMs * 50);
  }
  await Promise.all(pending);
  return { booted, failed, ms: performance.now() - started };
}

function snap(): Record<string, unknown> {
  const sorted = samples.slice(0, sampleCount).sort();
  const result = {
    calls,
    errors,
    offline,
    failedAttempts,
    connected: stations.filter((s) => s.cp.state === 'open').length,
    samples: sampleCount,
    p50: percentile(sorted, 0.5),
    p99: percentile(sorted, 0.99),
    max: sorted.length === 0 ? NaN : sorted[sorted.length - 1],
    cpuUs: cpuMicros(),
    rssBytes: process.memoryUsage().rss,
  };
  sampleCount = 0;
  return result;
}

serveCommands(
  async (command) => {
    switch (command.cmd) {
      case 'open':
        return open(command);
      case 'snap':
        return snap();
      case 'storm':
        stormAt = performance.now();
        backAfterMs.length = 0;
        for (const s of stations) s.back = false;
        return {};
      case 'back':
        return { back: backAfterMs.length, total: stations.length, backAfterMs: command['all'] === true ? backAfterMs : undefined };
      case 'close':
        await Promise.all(stations.map((s) => s.close()));
        return {};
      default:
        throw new Error(`unknown command ${command.cmd}`);
    }
  },
  { maxLifetimeMs: 3 * 3600_000, onExit: () => Promise.all(stations.map((s) => s.close())).then(() => undefined) },
).hello({ label });
