/**
 * TestCentralSystem: a CSMS double for charger firmware tests, built on {@link CentralSystem}.
 * It answers every CALL (the default answer, a stub, or an expectation's `respond`), records
 * every frame, and gives each station a {@link StationHandle} to make expectations on.
 */
import { createServer as createHttpServer, type IncomingMessage, type Server } from 'node:http';
import { createServer as createHttpsServer, type ServerOptions as HttpsServerOptions } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import {
  CentralSystem,
  DEFAULT_PROTOCOLS,
  OCPP_PROTOCOLS,
  safeEqual,
  type AnyStation,
  type AuthRequest,
  type AuthResult,
  type CentralSystemOptions,
  type DefaultOcppVersion,
  type HandlerContext,
  type OcppVersion,
  type SecurityProfile,
} from '../index';
import { monotonicNow } from './clock';
import { ExpectationError } from './errors';
import { describeValue } from './matchers';
import { resolveSettings, type HandleSettings } from './peer-handle';
import { receives } from './replies';
import { StationHandle } from './station-handle';

/** The header the kit puts on each upgrade request to find its socket again (never sent by anyone). */
const CONNECTION_HEADER = 'x-ocpp-sdk-testing-connection';

/** Options of {@link TestCentralSystem.start}. */
export interface TestCentralSystemOptions<V extends OcppVersion = DefaultOcppVersion> {
  /** Subprotocols served, in order of preference; `'ocpp2.1'` only when listed. @default ['ocpp2.0.1', 'ocpp1.6'] */
  readonly protocols?: readonly V[];
  /** TCP port; 0 picks a free one (read {@link TestCentralSystem.url}). @default 0 */
  readonly port?: number;
  /** Interface to listen on. @default '127.0.0.1' */
  readonly host?: string;
  /** Path prefix of the station URLs (`<path>/<identity>`); without it any path works. @default undefined */
  readonly path?: string;
  /** Serve TLS (wss) with these options (certificate and key; `requestCert` and `ca` for profile 3). */
  readonly tls?: HttpsServerOptions;
  /**
   * Require Basic auth: the password of each identity, or a function deciding. Stations
   * without valid credentials are refused with HTTP 401.
   */
  readonly basicAuth?: Readonly<Record<string, string>> | ((identity: string, password: string) => boolean);
  /** Security profile required (see CentralSystemOptions.securityProfile). @default 0 */
  readonly securityProfile?: SecurityProfile;
  /** Validation policy per version (strict by default, as the CentralSystem). */
  readonly validation?: CentralSystemOptions<V>['validation'];
  /** How long `call()` waits for the station's answer. @default 30000 */
  readonly callTimeoutMs?: number;
  /** How long expectations wait by default. @default 30000 */
  readonly timeoutMs?: number;
  /** The slack of `notBeforeMs` / `withinMs` checks. @default 50 */
  readonly timingToleranceMs?: number;
  /** How many transcript lines a failure message shows. @default 20 */
  readonly transcriptTail?: number;
}

/**
 * A central system for tests: listens on loopback (port 0 by default), answers every CALL of
 * every station validly, and hands out a {@link StationHandle} per identity.
 *
 * @typeParam V - the versions served.
 *
 * @example
 * ```ts
 * await using csms = await TestCentralSystem.start({ protocols: ['ocpp2.0.1'] });
 * const st = csms.station('CS001');
 * st.stub('BootNotification', { status: 'Pending', interval: 10 }, { times: 1 });
 * // point the charger at `${csms.url}/CS001`
 * const boot = await st.expectCall('BootNotification', { reason: 'PowerUp' });
 * ```
 */
export class TestCentralSystem<V extends OcppVersion = DefaultOcppVersion> implements AsyncDisposable {
  /** The CentralSystem underneath, for what the kit does not cover. */
  readonly centralSystem: CentralSystem<V>;
  /** The base URL (`ws://127.0.0.1:<port>` plus the path); stations connect to `<url>/<identity>`. */
  readonly url: string;
  /** The bound port. */
  readonly port: number;

  private readonly handles = new Map<string, StationHandle<V>>();
  private readonly sockets = new Map<string, Duplex>();
  private readonly refusals = new Map<string, { until: number; status: number }>();
  private readonly credentials = new Map<string, { id: string; password: string }>();
  private connectionCount = 0;
  private closing: Promise<void> | undefined;

  private constructor(
    centralSystem: CentralSystem<V>,
    private readonly server: Server,
    address: AddressInfo,
    secure: boolean,
    path: string | undefined,
    private readonly settings: HandleSettings,
  ) {
    this.centralSystem = centralSystem;
    this.port = address.port;
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    this.url = `${secure ? 'wss' : 'ws'}://${host}:${address.port}${path ?? ''}`;
  }

  /**
   * Starts a test central system and resolves once it listens.
   *
   * @throws TypeError (rejects) naming a bad option; the listen error when the port is taken.
   */
  static async start<V extends OcppVersion = DefaultOcppVersion>(options: TestCentralSystemOptions<V> = {}): Promise<TestCentralSystem<V>> {
    if (typeof options !== 'object' || options === null)
      throw new TypeError(`TestCentralSystem.start: options must be an object, got ${describeValue(options)}`);
    const settings = resolveSettings(options, 'TestCentralSystem.start');
    const protocols = (options.protocols ?? DEFAULT_PROTOCOLS) as readonly V[];
    const listed: unknown = protocols;
    if (!Array.isArray(listed) || listed.length === 0 || listed.some((p) => !(OCPP_PROTOCOLS as readonly unknown[]).includes(p))) {
      throw new TypeError(`TestCentralSystem.start: protocols must list some of ${OCPP_PROTOCOLS.join(', ')}, got ${describeValue(options.protocols)}`);
    }
    const port = options.port ?? 0;
    if (typeof port !== 'number' || !Number.isInteger(port) || port < 0 || port > 65535)
      throw new TypeError(`TestCentralSystem.start: port must be an integer from 0 to 65535, got ${describeValue(port)}`);
    const basicAuth = options.basicAuth;
    if (basicAuth !== undefined && typeof basicAuth !== 'function' && (typeof basicAuth !== 'object' || basicAuth === null)) {
      throw new TypeError('TestCentralSystem.start: basicAuth must map identities to passwords, or be a function (identity, password) => boolean');
    }
    const ref: { self?: TestCentralSystem<V> } = {};
    const cs = new CentralSystem<V>({
      protocols,
      ...(options.path === undefined ? {} : { path: options.path }),
      ...(options.validation === undefined ? {} : { validation: options.validation }),
      ...(options.callTimeoutMs === undefined ? {} : { callTimeoutMs: options.callTimeoutMs }),
      ...(options.securityProfile === undefined ? {} : { securityProfile: options.securityProfile }),
      // A test double keeps every station it is shown, however it misbehaves: counting bad
      // messages against it would close the connection the test is about.
      maxBadMessages: Infinity,
      pingIntervalMs: 0,
      authenticate: (request) => (ref.self === undefined ? false : ref.self.authenticate(request, basicAuth)),
    });
    for (const protocol of protocols) {
      for (const action of actionsReceived(protocol)) {
        cs.handle(
          protocol,
          action as never,
          ((request: unknown, ctx: HandlerContext & { readonly station: AnyStation }) =>
            ref.self!.handleFor(ctx.station.identity).handleCall(action, request, ctx, protocol)) as never,
        );
      }
    }
    const server = options.tls === undefined ? createHttpServer() : createHttpsServer({ minVersion: 'TLSv1.2', ...options.tls });
    server.on('request', (_req, res) => {
      res.writeHead(426, { 'Content-Type': 'text/plain', Upgrade: 'websocket', Connection: 'close' });
      res.end('OCPP-J requires a WebSocket upgrade');
    });
    server.on('clientError', (_error: Error, socket: Duplex) => socket.destroy());
    const address = await new Promise<AddressInfo>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, options.host ?? '127.0.0.1', () => {
        server.off('error', reject);
        resolve(server.address() as AddressInfo);
      });
    });
    const self = new TestCentralSystem<V>(cs, server, address, options.tls !== undefined, options.path, settings);
    ref.self = self;
    self.wire();
    return self;
  }

  private wire(): void {
    this.server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      const n = String(++this.connectionCount);
      req.headers[CONNECTION_HEADER] = n;
      this.sockets.set(n, socket);
      socket.once('close', () => this.sockets.delete(n));
      socket.on('error', () => undefined);
      this.centralSystem.handleUpgrade(req, socket, head);
    });
    this.centralSystem.on('connection', (station) => this.opened(station));
    this.centralSystem.on('disconnect', ({ station, code, reason }) => this.handles.get(station.identity)?.detach(station, code, reason));
    this.centralSystem.on('refused', (e) => {
      if (e.identity !== undefined) this.handles.get(e.identity)?.noteRefused(`${e.status} ${e.reason}: ${e.detail}`);
    });
    // Errors of the server are the kit's or the test's (a throwing hook): they land in the
    // transcript of the station concerned rather than crash the process.
    this.centralSystem.on('error', (e) => {
      if (e.identity !== undefined) this.handles.get(e.identity)?.noteRefused(`server error: ${e.error.message}`);
    });
  }

  private authenticate(request: AuthRequest, basicAuth: TestCentralSystemOptions<V>['basicAuth']): AuthResult {
    const refusal = this.refusals.get(request.identity);
    if (refusal !== undefined) {
      if (monotonicNow() < refusal.until) return { accept: false, status: refusal.status, message: 'refused by the test' };
      this.refusals.delete(request.identity);
    }
    const n = request.headers[CONNECTION_HEADER];
    if (basicAuth !== undefined) {
      const c = request.credentials;
      if (c === undefined) return { accept: false, status: 401, message: 'Basic auth required' };
      const password = Buffer.from(c.password).toString('utf8');
      const ok =
        typeof basicAuth === 'function'
          ? basicAuth(request.identity, password) === true
          : typeof basicAuth[request.identity] === 'string' && safeEqual(password, basicAuth[request.identity]);
      if (!ok) return { accept: false, status: 401, message: 'wrong credentials' };
    }
    if (typeof n === 'string' && request.credentials !== undefined) {
      this.credentials.set(n, { id: request.credentials.username, password: Buffer.from(request.credentials.password).toString('utf8') });
    }
    return true;
  }

  private opened(station: AnyStation<V>): void {
    const n = station.headers[CONNECTION_HEADER];
    const socket = typeof n === 'string' ? this.sockets.get(n) : undefined;
    const handle = this.handleFor(station.identity);
    if (socket === undefined || typeof n !== 'string') {
      // Cannot happen with connections through our own server; refuse rather than half-work.
      void station.close(1011, 'test kit lost the socket');
      return;
    }
    const headers = { ...station.headers };
    delete headers[CONNECTION_HEADER];
    const basicAuth = this.credentials.get(n);
    this.credentials.delete(n);
    handle.attach(station, socket, {
      subprotocol: station.protocol,
      headers,
      remoteAddress: station.remoteAddress,
      ...(basicAuth === undefined ? {} : { basicAuth }),
    });
  }

  private handleFor(identity: string): StationHandle<V> {
    let h = this.handles.get(identity);
    if (h === undefined) {
      h = new StationHandle<V>(identity, this.settings, { refuse: (id, until, status) => this.refusals.set(id, { until, status }) });
      this.handles.set(identity, h);
    }
    return h;
  }

  /**
   * The handle of station `identity`: the same object before it connects, while connected and
   * across reconnects. Expectations and stubs can be armed on it before the station connects.
   *
   * @typeParam P - the station's version, when known (`csms.station<'ocpp1.6'>('CP1')`).
   * @throws TypeError for an empty identity; ExpectationError after close().
   */
  station<P extends V = V>(identity: string): StationHandle<P> {
    if (typeof identity !== 'string' || identity === '') throw new TypeError(`station: identity must be a non-empty string, got ${describeValue(identity)}`);
    if (this.closing !== undefined) throw new ExpectationError({ awaited: `station ${identity}`, got: 'the TestCentralSystem is closed' });
    return this.handleFor(identity) as unknown as StationHandle<P>;
  }

  /** Resolves with the handle of `identity` once it is connected. */
  waitForStation<P extends V = V>(identity: string, options: { readonly timeoutMs?: number } = {}): Promise<StationHandle<P>> {
    return this.station<P>(identity).waitForConnection(options);
  }

  /** Refuses the connections of `identity` for `forMs` and closes its current one (see {@link StationHandle.refuseConnections}). */
  refuseConnections(identity: string, options: { readonly forMs: number; readonly status?: number }): Promise<void> {
    return this.station(identity).refuseConnections(options);
  }

  /**
   * Closes every station handle and the server. Rejects with an {@link ExpectationError} when an
   * expectation was made and never met (it names each); the server is closed either way.
   */
  close(): Promise<void> {
    this.closing ??= (async () => {
      const results = await Promise.allSettled([...this.handles.values()].map((h) => h.close()));
      await this.centralSystem.close({ code: 1001, reason: 'test over' });
      await new Promise<void>((resolve) => {
        this.server.close(() => resolve());
        this.server.closeAllConnections?.();
      });
      for (const s of this.sockets.values()) s.destroy();
      const failures = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as Error] : []));
      if (failures.length === 1) throw failures[0];
      if (failures.length > 1) {
        throw new ExpectationError({ awaited: 'every expectation to be met before close', got: failures.map((f) => f.message.split('\n')[0]).join('; ') });
      }
    })();
    this.closing.catch(() => undefined);
    return this.closing;
  }

  /** `await using` support: the same as {@link TestCentralSystem.close}. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}

/** The actions a central system receives in `protocol`. */
function actionsReceived(protocol: OcppVersion): string[] {
  return Object.keys(ACTIONS[protocol]).filter((a) => receives(protocol, 'CentralSystem', a));
}

import { OCPP16_ACTIONS, OCPP201_ACTIONS, OCPP21_ACTIONS } from '../index';
const ACTIONS: Readonly<Record<OcppVersion, Readonly<Record<string, unknown>>>> = {
  'ocpp1.6': OCPP16_ACTIONS,
  'ocpp2.0.1': OCPP201_ACTIONS,
  'ocpp2.1': OCPP21_ACTIONS,
};
