/**
 * What the example CSMS remembers: stations, transactions and who booted, with events for
 * what chargers reported. A real CSMS keeps this in a database.
 *
 * Transactions belong to the station that started them: they are stored per station and only
 * that station can add meter values to one or end it. A station that names another station's
 * transaction, one nobody started, or one that has already ended changes nothing; the refusal
 * is a `transactionRefused` event (central-system.ts says what the charger is answered).
 */
import { EventEmitter } from 'eventemitter3';
import type { OcppVersion } from '../src/index';

/** idTags (1.6) and idTokens (2.x) the demo CSMS authorizes. Anything else is refused. */
export const DEMO_ID_TAGS: readonly string[] = ['TAG-001', 'TAG-002', '04A2B3C4D5E6F7'];

/** What the CSMS knows about one charger. */
export interface StationRecord {
  identity: string;
  protocol: OcppVersion;
  connected: boolean;
  /** From the last BootNotification. */
  boot?: { vendor: string; model: string; serialNumber?: string; firmwareVersion?: string; reason?: string; at: string };
  /** Last status per connector: `"1"` in 1.6, `"evseId/connectorId"` in 2.x. */
  status: Record<string, { status: string; errorCode?: string; at: string }>;
  lastSeen: string;
}

/** One charging session as the CSMS sees it. */
export interface TransactionRecord {
  /** 1.6: the integer the CSMS assigned, as a string; 2.x: the charger's transactionId. */
  id: string;
  identity: string;
  protocol: OcppVersion;
  idTag: string | undefined;
  authorized: boolean;
  startedAt: string;
  /** Energy register at the start and latest, in Wh, when the charger reported it. */
  meterStartWh?: number;
  meterWh?: number;
  endedAt?: string;
  stopReason?: string;
}

/**
 * Why a transaction message changed nothing: the id belongs to another station (`foreign`),
 * to no transaction at all (`unknown`), or to one that has already ended (`ended`).
 */
export type TransactionRefusal = 'foreign' | 'unknown' | 'ended';

/** Events of {@link CsmsState}: what chargers reported, once the CSMS has processed it. */
export interface CsmsEvents {
  /** Any CALL a charger sent, before it is handled. */
  message: (e: { identity: string; protocol: OcppVersion; action: string; request: unknown }) => void;
  boot: (e: { identity: string; protocol: OcppVersion; record: StationRecord }) => void;
  status: (e: { identity: string; connector: string; status: string }) => void;
  transactionStarted: (tx: TransactionRecord) => void;
  meterValues: (e: { identity: string; transaction: TransactionRecord | undefined; energyWh: number | undefined }) => void;
  transactionEnded: (tx: TransactionRecord) => void;
  /** A transaction message that was not applied, and why. */
  transactionRefused: (e: { identity: string; action: string; transactionId: string; reason: TransactionRefusal }) => void;
  /** 2.1: a charger opened a periodic event stream (OpenPeriodicEventStream, accepted). */
  streamOpened: (e: { identity: string; streamId: number; variableMonitoringId: number }) => void;
  /** 2.1: samples a charger sent on a stream (a NotifyPeriodicEventStream SEND). */
  streamData: (e: { identity: string; streamId: number; basetime: string; data: ReadonlyArray<{ t: number; v: string }> }) => void;
  /**
   * 2.1: a charger refused one of the CSMS's answers with a CALLRESULTERROR (the answer was
   * invalid in its eyes, or it could not accept what it said, as a tariff in use case I08).
   */
  callResultError: (e: { identity: string; action: string | undefined; messageId: string; code: string; description: string }) => void;
}

/**
 * Transactions keyed by station, then by id. 2.x chargers choose their own transaction ids,
 * so two stations may well both have a "1": each is its own.
 */
export class TransactionStore implements Iterable<TransactionRecord> {
  private readonly byStation = new Map<string, Map<string, TransactionRecord>>();

  /** The transaction `id` of station `identity`, if that station has one. */
  get(identity: string, id: string): TransactionRecord | undefined {
    return this.byStation.get(identity)?.get(id);
  }

  /** Adds (or replaces) `tx` under its own station. */
  add(tx: TransactionRecord): void {
    let own = this.byStation.get(tx.identity);
    if (!own) this.byStation.set(tx.identity, (own = new Map<string, TransactionRecord>()));
    own.set(tx.id, tx);
  }

  /** Whether a station other than `identity` has a transaction `id` (only asked on refusals). */
  heldByAnother(identity: string, id: string): boolean {
    for (const [owner, own] of this.byStation) if (owner !== identity && own.has(id)) return true;
    return false;
  }

  /** The transactions of `identity`, oldest first. */
  *of(identity: string): IterableIterator<TransactionRecord> {
    const own = this.byStation.get(identity);
    if (own) yield* own.values();
  }

  /** Every transaction, station by station. */
  *values(): IterableIterator<TransactionRecord> {
    for (const own of this.byStation.values()) yield* own.values();
  }

  [Symbol.iterator](): IterableIterator<TransactionRecord> {
    return this.values();
  }

  /** How many transactions are stored. */
  get size(): number {
    let n = 0;
    for (const own of this.byStation.values()) n += own.size;
    return n;
  }
}

const now = (): string => new Date().toISOString();

/**
 * The CSMS's memory: stations, transactions and who booted. `accepted` in particular must
 * survive restarts, because chargers that reconnect do not boot again (that is what
 * `bootGating.isAccepted` reads).
 */
export class CsmsState extends EventEmitter<CsmsEvents> {
  readonly stations = new Map<string, StationRecord>();
  readonly transactions = new TransactionStore();
  /** Identities whose BootNotification was accepted. */
  readonly accepted = new Set<string>();
  readonly allowList: Set<string>;
  private nextTransactionId = 1;
  private nextRemoteStartId = 1;

  constructor(allowList: Iterable<string> = DEMO_ID_TAGS) {
    super();
    this.allowList = new Set(allowList);
  }

  /** The record of `identity`, created on first use. */
  station(identity: string, protocol: OcppVersion): StationRecord {
    let record = this.stations.get(identity);
    if (!record || record.protocol !== protocol) {
      record = { identity, protocol, connected: false, status: {}, lastSeen: now() };
      this.stations.set(identity, record);
    }
    return record;
  }

  /** The transaction in progress on `identity`, if any. */
  activeTransaction(identity: string): TransactionRecord | undefined {
    for (const tx of this.transactions.of(identity)) if (tx.endedAt === undefined) return tx;
    return undefined;
  }

  /**
   * The transaction `id` of `identity` if it may still change (it exists, is this station's and
   * has not ended); otherwise why not, after a `transactionRefused` event saying the same.
   */
  openTransaction(identity: string, action: string, id: string): TransactionRecord | TransactionRefusal {
    const tx = this.transactions.get(identity, id);
    if (tx && tx.endedAt === undefined) return tx;
    const reason: TransactionRefusal = tx ? 'ended' : this.transactions.heldByAnother(identity, id) ? 'foreign' : 'unknown';
    this.emit('transactionRefused', { identity, action, transactionId: id, reason });
    return reason;
  }

  isAuthorized(idTag: string | undefined): boolean {
    return idTag !== undefined && this.allowList.has(idTag);
  }

  /** @internal */
  newTransactionId(): number {
    return this.nextTransactionId++;
  }

  /** @internal */
  newRemoteStartId(): number {
    return this.nextRemoteStartId++;
  }

  /**
   * Resolves with the next `event` whose payload passes `filter`; rejects after `timeoutMs`.
   * @example await state.next('transactionStarted', (tx) => tx.identity === 'CP1')
   */
  next<E extends keyof CsmsEvents>(
    event: E,
    filter: (...args: Parameters<CsmsEvents[E]>) => boolean = () => true,
    timeoutMs = 5000,
  ): Promise<Parameters<CsmsEvents[E]>[0]> {
    return new Promise((resolve, reject) => {
      const listener = ((...args: Parameters<CsmsEvents[E]>) => {
        if (!filter(...args)) return;
        clearTimeout(timer);
        this.off(event, listener as never);
        resolve(args[0]);
      }) as CsmsEvents[E];
      const timer = setTimeout(() => {
        this.off(event, listener as never);
        reject(new Error(`no '${event}' event within ${timeoutMs} ms`));
      }, timeoutMs);
      this.on(event, listener as never);
    });
  }
}
