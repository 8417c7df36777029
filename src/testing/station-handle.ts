/**
 * One station as a TestCentralSystem sees it: armable before it connects, the same handle
 * across reconnects, with the expectation API of {@link PeerHandle}, calls to the station, raw
 * frames, disconnects and refusals.
 */
import type { Duplex } from 'node:stream';
import type { AnyStation, CallOptions, CentralSystemIncoming, CentralSystemOutgoing, HandlerContext, OcppVersion } from '../index';
import { monotonicNow } from './clock';
import { ConnectionWaits } from './connection-waits';
import { ExpectationError } from './errors';
import { describeValue } from './matchers';
import { PeerHandle, type DisconnectOptions, type HandleSettings, type TestCallOptions } from './peer-handle';
import { textFrame } from './ws-frame';

/** What the handshake of a station's current connection established. */
export interface StationHandshake {
  /** The negotiated subprotocol. */
  readonly subprotocol: OcppVersion;
  /** The upgrade request's headers (Authorization kept as `[redacted]`). */
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The Basic-auth credentials the station sent, if any. */
  readonly basicAuth?: { readonly id: string; readonly password: string };
  /** The peer's IP address. */
  readonly remoteAddress: string | undefined;
}

/** @internal One connection of a station. */
interface Connection {
  readonly station: AnyStation;
  readonly socket: Duplex;
  readonly generation: number;
  readonly handshake: StationHandshake;
  readonly unfollow: () => void;
}

/** @internal What a station handle needs from its TestCentralSystem. */
export interface StationHost {
  refuse(identity: string, untilMonotonicMs: number, status: number): void;
}

/**
 * The test kit's view of one station on a {@link TestCentralSystem}. Get it with
 * `csms.station(id)` (before or after the station connects) or `await csms.waitForStation(id)`.
 *
 * @typeParam V - the OCPP version (narrow with `csms.station<'ocpp1.6'>(id)`).
 */
export class StationHandle<V extends OcppVersion = OcppVersion> extends PeerHandle<CentralSystemIncoming<V>> {
  private current: Connection | undefined;
  private lastProtocol: OcppVersion | undefined;
  private generations = 0;
  /** The generation of the connection that closed last (0: none yet). */
  private lastClosedGeneration = 0;
  private readonly waits: ConnectionWaits;
  private closing: Promise<void> | undefined;

  /** @internal Made by {@link TestCentralSystem}. */
  constructor(
    identity: string,
    settings: HandleSettings,
    private readonly host: StationHost,
  ) {
    super(identity, 'CentralSystem', settings);
    this.waits = new ConnectionWaits(identity, () => this.transcript.format({ tail: settings.tailLines }));
  }

  /** Whether the station is connected now. */
  get connected(): boolean {
    return this.current !== undefined;
  }

  /** The subprotocol of the current (or last) connection; undefined before the first. */
  get protocol(): V | undefined {
    return this.lastProtocol as V | undefined;
  }

  /** What the current connection's handshake established; undefined while disconnected. */
  get handshake(): StationHandshake | undefined {
    return this.current?.handshake;
  }

  /** The SDK's Station of the current connection, for what the kit does not cover; undefined while disconnected. */
  get station(): AnyStation<V> | undefined {
    return this.current?.station as AnyStation<V> | undefined;
  }

  /** @internal A connection of this identity opened. */
  attach(station: AnyStation, socket: Duplex, handshake: StationHandshake): void {
    if (this.closing !== undefined) {
      void station.close(1001, 'test handle closed');
      return;
    }
    this.current?.unfollow();
    const generation = ++this.generations;
    this.lastProtocol = station.protocol;
    const unfollow = this.follow(station, station.protocol);
    this.current = { station, socket, generation, handshake, unfollow };
    this.recordEvent(`connected (${station.protocol}${handshake.basicAuth === undefined ? '' : ', Basic auth'}), connection ${generation}`);
    this.waits.opened(generation);
  }

  /** @internal A connection of this identity closed. */
  detach(station: AnyStation, code: number, reason: string): void {
    if (this.current?.station !== station) return;
    this.lastClosedGeneration = this.current.generation;
    this.current.unfollow();
    this.current = undefined;
    this.recordEvent(`disconnected: ${code}${reason === '' ? '' : ` ${reason}`}`);
  }

  /** @internal The handler of every action the station sends. */
  handleCall(action: string, request: unknown, ctx: HandlerContext, protocol: OcppVersion): unknown {
    return this.answer(action, request, ctx, protocol);
  }

  /**
   * Calls `action` on the station and resolves with its answer; rejects with the station's
   * CALLERROR as an `RpcError` (its `code` in the canonical spelling), a `TimeoutError`, or a
   * `ConnectionClosedError`. `validate: false` sends an invalid request on purpose.
   *
   * @example
   * ```ts
   * await assert.rejects(st.call('SetVariables', { setVariableData: [] }, { validate: false }), { code: 'OccurrenceConstraintViolation' });
   * ```
   * @throws ExpectationError (rejects) when the station is not connected.
   */
  call<A extends keyof CentralSystemOutgoing<V> & string>(
    action: A,
    payload: CentralSystemOutgoing<V>[A]['request'],
    options: TestCallOptions = {},
  ): Promise<CentralSystemOutgoing<V>[A]['response']> {
    const conn = this.current;
    if (conn === undefined) {
      return Promise.reject(
        new ExpectationError({ awaited: `to call ${action}`, got: 'the station is not connected', identity: this.identity, transcriptTail: this.tail() }),
      );
    }
    const callOptions = this.callOptionsFor(action, options);
    return (conn.station as unknown as { call(a: string, p: unknown, o: CallOptions): Promise<CentralSystemOutgoing<V>[A]['response']> }).call(
      action,
      payload,
      callOptions,
    );
  }

  /**
   * Sends `frame` to the station as one WebSocket text message, exactly as given (a string as
   * UTF-8; bytes as they are, e.g. invalid UTF-8): nothing is checked, nothing is tracked
   * except in the transcript. An answer to it that matches no call arrives through
   * {@link PeerHandle.expectCallError}.
   *
   * @example
   * ```ts
   * st.sendRaw('[2,"u1","NoSuchAction",{}]');
   * await st.expectCallError('NotImplemented', { messageId: 'u1' });
   * ```
   * @throws ExpectationError when the station is not connected; TypeError for a frame that is neither a string nor bytes.
   */
  sendRaw(frame: string | Uint8Array): void {
    this.checkRawFrame(frame);
    const conn = this.current;
    if (conn === undefined)
      throw new ExpectationError({ awaited: 'to send a raw frame', got: 'the station is not connected', identity: this.identity, transcriptTail: this.tail() });
    const bytes = typeof frame === 'string' ? Buffer.from(frame, 'utf8') : frame;
    this.recordRaw(frame);
    conn.socket.write(textFrame(bytes, false));
  }

  /**
   * Closes the station's connection (with a close frame and `code`, or, `abrupt`, by dropping
   * TCP) and resolves once it is closed. Resolves at once when not connected.
   */
  async disconnect(options: number | DisconnectOptions = {}): Promise<void> {
    const o = this.disconnectOptions(options);
    const conn = this.current;
    if (conn === undefined) return;
    if (o.abrupt === true) {
      const closed = new Promise<void>((resolve) => conn.station.once('close', () => resolve()));
      conn.socket.destroy();
      await closed;
      return;
    }
    await conn.station.close(o.code ?? 1000, o.reason ?? '');
  }

  /**
   * Refuses this station's connection attempts (HTTP `status`, 503 by default) for `forMs`, and
   * closes its current connection (TC_E_40: "closes the connection AND does not accept a
   * reconnect"). Resolves once the current connection is closed.
   */
  async refuseConnections(options: { readonly forMs: number; readonly status?: number; readonly code?: number }): Promise<void> {
    if (typeof options !== 'object' || options === null) throw new TypeError('refuseConnections: options { forMs } are required');
    const { forMs, status = 503 } = options;
    if (typeof forMs !== 'number' || !Number.isInteger(forMs) || forMs < 0)
      throw new TypeError(`refuseConnections: forMs must be a non-negative integer, got ${describeValue(forMs)}`);
    if (typeof status !== 'number' || !Number.isInteger(status) || status < 400 || status > 599)
      throw new TypeError(`refuseConnections: status must be an HTTP error status 400-599, got ${describeValue(status)}`);
    this.host.refuse(this.identity, monotonicNow() + forMs, status);
    this.recordEvent(`refusing connections for ${forMs} ms (HTTP ${status})`);
    await this.disconnect({ code: options.code ?? 1001, reason: 'refusing connections' });
  }

  /** @internal A connection attempt of this identity was refused. */
  noteRefused(detail: string): void {
    this.recordEvent(`connection refused: ${detail}`);
  }

  /** Resolves once the station is connected (at once when it is). */
  waitForConnection(options: { readonly timeoutMs?: number } = {}): Promise<this> {
    if (this.current !== undefined) return Promise.resolve(this);
    return this.waits
      .wait(
        'the station to connect',
        options.timeoutMs ?? this.settings.timeoutMs,
        () => true,
        () => 'it did not connect',
      )
      .then(() => this);
  }

  /**
   * Resolves once the station is connected again after its latest disconnect: at once when it
   * already reconnected; when it is connected and never disconnected, after it drops and comes
   * back.
   */
  waitForReconnect(options: { readonly timeoutMs?: number } = {}): Promise<void> {
    const current = this.current?.generation ?? 0;
    if (this.lastClosedGeneration > 0 && current > this.lastClosedGeneration) return Promise.resolve();
    const after = Math.max(current, this.lastClosedGeneration);
    return this.waits.wait(
      'the station to reconnect',
      options.timeoutMs ?? this.settings.timeoutMs,
      (g) => g > after,
      () => (this.current === undefined ? 'it did not reconnect' : 'it stayed connected and never reconnected'),
    );
  }

  /** The transcript's tail, for messages. */
  private tail(): string {
    return this.transcript.format({ tail: this.settings.tailLines });
  }

  /**
   * Ends the handle: rejects what still waits, disconnects the station, and rejects with an
   * {@link ExpectationError} naming every expectation that was made and never met. The
   * TestCentralSystem's `close()` does this for every station.
   */
  close(): Promise<void> {
    this.closing ??= (async () => {
      const left = this.closeExpectations('closed');
      const waits = this.waits.close('closed');
      await this.disconnect({ code: 1001, reason: 'test over' }).catch(() => undefined);
      if (left.length > 0 || waits > 0) {
        const all = [...left, ...(waits > 0 ? [`${waits} wait(s) for a connection`] : [])];
        throw new ExpectationError({
          awaited: `every expectation to be met before close`,
          got: `${all.length} never happened: ${all.join('; ')}`,
          identity: this.identity,
          transcriptTail: this.tail(),
        });
      }
    })();
    this.closing.catch(() => undefined);
    return this.closing;
  }
}
