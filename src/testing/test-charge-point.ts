/**
 * TestChargePoint: the mirror of {@link TestCentralSystem} for CSMS teams, built on
 * {@link ChargePoint}. It answers every CALL of the backend (the default answer, a stub, or an
 * expectation's `respond`), records every frame, sends raw frames for negative tests, and its
 * `close()` fails when an expectation was made and never met (SteVe's rule: "did not exchange
 * all planned communications"). Raw frames go onto the ChargePoint's own socket, which the kit
 * makes through the ChargePoint's `webSocket` factory: ChargePoint itself has no raw send.
 */
import WebSocket from 'ws';
import {
  ChargePoint,
  OCPP16_ACTIONS,
  OCPP201_ACTIONS,
  OCPP21_ACTIONS,
  type CallOptions,
  type ChargePointIncoming,
  type ChargePointOutgoing,
  type ClientTlsOptions,
  type HandlerContext,
  type OcppVersion,
  type ValidationPolicy,
  type WebSocketFactoryOptions,
} from '../index';
import { ExpectationError } from './errors';
import { describeValue } from './matchers';
import { PeerHandle, resolveSettings } from './peer-handle';
import { receives } from './replies';
import type { DisconnectOptions, TestCallOptions } from './peer-handle';

/** Options of {@link TestChargePoint.connect}. */
export interface TestChargePointOptions<V extends OcppVersion = OcppVersion> {
  /** The OCPP version to speak. */
  readonly protocol: V;
  /** Basic-auth password (security profiles 1 and 2). */
  readonly password?: string | Uint8Array;
  /** TLS options (CA, client certificate for profile 3). */
  readonly tls?: ClientTlsOptions;
  /** Extra HTTP headers of the upgrade request. */
  readonly headers?: Record<string, string>;
  /** Validation policy; strict unless set. */
  readonly validation?: ValidationPolicy;
  /** How long `call()` waits for the backend's answer. @default 30000 */
  readonly callTimeoutMs?: number;
  /** How long expectations wait by default. @default 30000 */
  readonly timeoutMs?: number;
  /** The slack of `notBeforeMs` / `withinMs` checks. @default 50 */
  readonly timingToleranceMs?: number;
  /** How many transcript lines a failure message shows. @default 20 */
  readonly transcriptTail?: number;
}

const ACTIONS: Readonly<Record<OcppVersion, Readonly<Record<string, unknown>>>> = {
  'ocpp1.6': OCPP16_ACTIONS,
  'ocpp2.0.1': OCPP201_ACTIONS,
  'ocpp2.1': OCPP21_ACTIONS,
};

/**
 * A charge point for testing a central system: connects once (no reconnects, no retries of
 * transaction messages, no pings), answers what the backend sends, and checks what it sends.
 *
 * @typeParam V - the OCPP version spoken.
 *
 * @example
 * ```ts
 * const cp = await TestChargePoint.connect(backendUrl, 'CP1', { protocol: 'ocpp1.6' });
 * const remote = cp.expectCall('RemoteStartTransaction', { idTag: 'TAG1' }, { respond: { status: 'Accepted' } });
 * await backend.remoteStart('CP1', 'TAG1');
 * await remote;
 * await cp.close(); // fails if an expectation made on cp never happened
 * ```
 */
export class TestChargePoint<V extends OcppVersion = OcppVersion> extends PeerHandle<ChargePointIncoming<V>> {
  /** The ChargePoint underneath, for what the kit does not cover. */
  readonly chargePoint: ChargePoint<V>;
  private closing: Promise<void> | undefined;
  private readonly unfollow: () => void;
  /** The socket of the current connection, made by our factory: what `sendRaw` writes to. */
  private readonly socket: { current: WebSocket | undefined };

  private constructor(cp: ChargePoint<V>, socket: { current: WebSocket | undefined }, options: TestChargePointOptions<V>) {
    super(cp.identity, 'ChargePoint', resolveSettings(options, 'TestChargePoint.connect'));
    this.chargePoint = cp;
    this.socket = socket;
    this.unfollow = this.follow(cp, cp.protocol);
    cp.on('open', (e) => this.recordEvent(`connected (${e.protocol})`));
    cp.on('disconnect', (e) => this.recordEvent(`disconnected: ${e.code}${e.reason === '' ? '' : ` ${e.reason}`}`));
    // A ChargePoint reports what no caller can be told as 'error' events; without a listener
    // they would be thrown. Here they belong in the transcript.
    cp.on('error', (e) => this.recordEvent(`error: ${e.error.message}`));
    for (const action of Object.keys(ACTIONS[cp.protocol])) {
      if (!receives(cp.protocol, 'ChargePoint', action)) continue;
      cp.handle(action as never, ((request: unknown, ctx: HandlerContext) => this.answer(action, request, ctx, cp.protocol)) as never);
    }
  }

  /**
   * Connects to `url` (the backend's endpoint; the identity is appended) and resolves once the
   * WebSocket is open. Nothing is sent: call `BootNotification` yourself.
   *
   * @throws TypeError (rejects) for bad options; the ChargePoint's `ConnectionError` when the
   * backend refuses or cannot be reached.
   */
  static async connect<V extends OcppVersion>(url: string, identity: string, options: TestChargePointOptions<V>): Promise<TestChargePoint<V>> {
    if (typeof options !== 'object' || options === null)
      throw new TypeError(`TestChargePoint.connect: options { protocol } are required, got ${describeValue(options)}`);
    // The ChargePoint's socket, kept through its `webSocket` factory: raw frames go onto the very
    // connection the backend knows as this charger, with no send path added to ChargePoint itself.
    const socket: { current: WebSocket | undefined } = { current: undefined };
    const cp = new ChargePoint<V>({
      url,
      identity,
      protocol: options.protocol,
      ...(options.password === undefined ? {} : { password: options.password }),
      ...(options.tls === undefined ? {} : { tls: options.tls }),
      ...(options.headers === undefined ? {} : { headers: options.headers }),
      ...(options.validation === undefined ? {} : { validation: options.validation }),
      ...(options.callTimeoutMs === undefined ? {} : { callTimeoutMs: options.callTimeoutMs }),
      reconnect: false,
      pingIntervalMs: 0,
      maxBadMessages: Infinity,
      offline: { retry: { attempts: 1 } },
      webSocket: (u: string, protocols: string[], o: WebSocketFactoryOptions) => (socket.current = new WebSocket(u, protocols, o)),
    });
    const handle = new TestChargePoint<V>(cp, socket, options);
    try {
      await cp.connect();
    } catch (error) {
      await handle.close().catch(() => undefined);
      throw error;
    }
    return handle;
  }

  /** The OCPP version spoken. */
  get protocol(): V {
    return this.chargePoint.protocol;
  }

  /** Whether the connection is open. */
  get connected(): boolean {
    return this.chargePoint.state === 'open';
  }

  /**
   * Calls `action` on the backend; rejects with its CALLERROR as an `RpcError`, a
   * `TimeoutError`, or `NotConnectedError`. `validate: false` sends an invalid request on purpose.
   */
  call<A extends keyof ChargePointOutgoing<V> & string>(
    action: A,
    payload: ChargePointOutgoing<V>[A]['request'],
    options: TestCallOptions = {},
  ): Promise<ChargePointOutgoing<V>[A]['response']> {
    const callOptions = this.callOptionsFor(action, options);
    return (this.chargePoint as unknown as { call(a: string, p: unknown, o: CallOptions): Promise<ChargePointOutgoing<V>[A]['response']> }).call(
      action,
      payload,
      callOptions,
    );
  }

  /**
   * Sends `frame` to the backend as one WebSocket text message, exactly as given (a string as
   * UTF-8; bytes as they are, e.g. invalid UTF-8): nothing is checked, nothing is tracked except
   * in the transcript. The backend's CALLERROR for it arrives through
   * {@link PeerHandle.expectCallError}.
   *
   * @example
   * ```ts
   * cp.sendRaw('[2,"u1","NoSuchAction",{}]');
   * await cp.expectCallError('NotImplemented', { messageId: 'u1' });
   * ```
   * @throws ExpectationError when not connected; TypeError for a frame that is neither a string nor bytes.
   */
  sendRaw(frame: string | Uint8Array): void {
    this.checkRawFrame(frame);
    const socket = this.socket.current;
    if (socket === undefined || !this.connected)
      throw new ExpectationError({
        awaited: 'to send a raw frame',
        got: 'the charge point is not connected',
        identity: this.identity,
        transcriptTail: this.transcript.format({ tail: this.settings.tailLines }),
      });
    this.recordRaw(frame);
    // `binary: false` sends bytes as a text message even when they are not valid UTF-8.
    socket.send(frame, { binary: false });
  }

  /**
   * Closes the connection as a charger losing it would (with a close frame and `code`, or,
   * `abrupt`, by dropping TCP), keeping the handle, its transcript and its expectations; resolves
   * once it is closed. {@link TestChargePoint.reconnect} connects again.
   */
  async disconnect(options: number | DisconnectOptions = {}): Promise<void> {
    const o = this.disconnectOptions(options);
    const socket = this.socket.current;
    if (socket === undefined || !this.connected) return;
    const gone = new Promise<void>((resolve) => this.chargePoint.once('disconnect', () => resolve()));
    if (o.abrupt === true) socket.terminate();
    else socket.close(o.code ?? 1000, o.reason ?? '');
    await gone;
  }

  /**
   * Connects again after {@link TestChargePoint.disconnect} or after the backend closed the
   * connection (a charger coming back after a reset), with the same identity and options.
   * @throws the ChargePoint's `ConnectionError` (rejects) when the backend refuses.
   */
  async reconnect(): Promise<void> {
    if (this.closing !== undefined) throw new TypeError('reconnect: this TestChargePoint is closed');
    await this.chargePoint.connect();
  }

  /**
   * Closes the connection. Rejects with an {@link ExpectationError} naming every expectation
   * that was made and never met (the connection is closed either way).
   */
  close(): Promise<void> {
    this.closing ??= (async () => {
      const left = this.closeExpectations('closed');
      await this.chargePoint.close(1000, '').catch(() => undefined);
      this.unfollow();
      if (left.length > 0) {
        throw new ExpectationError({
          awaited: 'every expectation to be met before close',
          got: `${left.length} never happened: ${left.join('; ')}`,
          identity: this.identity,
          transcriptTail: this.transcript.format({ tail: this.settings.tailLines }),
        });
      }
    })();
    this.closing.catch(() => undefined);
    return this.closing;
  }
}
