import type { Transport, TransportSink } from '../core/transport';
import { DEFAULT_READ_PAUSE_BUFFERED_BYTES } from './defaults';

/**
 * The part of a WebSocket this adapter needs. Both `ws`'s WebSocket (Node) and the browser's
 * global WebSocket have it, so the SDK's public types never mention `ws` (whose types would
 * otherwise leak Node's `http` into every browser consumer's `.d.ts`).
 */
export interface MinimalWebSocket {
  readonly readyState: number;
  readonly bufferedAmount: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

/** A `ws` socket: event-emitter style, which avoids an Event object per message. */
interface NodeStyleSocket extends MinimalWebSocket {
  send(data: string, options?: { compress?: boolean }, callback?: (error?: Error) => void): void;
  on(event: 'message', listener: (data: unknown, isBinary: boolean) => void): unknown;
  on(event: 'close', listener: (code: number, reason: unknown) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  terminate(): void;
  once?(event: 'close', listener: () => void): unknown;
  /** Stop and restart reading from the socket (ws 8). */
  pause?(): void;
  resume?(): void;
}

/** A browser socket: DOM events. */
interface DomStyleSocket extends MinimalWebSocket {
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  addEventListener(type: 'close', listener: (event: { code: number; reason: string }) => void): void;
  addEventListener(type: 'error', listener: (event: unknown) => void): void;
}

/** Options of {@link socketTransport}. */
export interface SocketTransportOptions {
  /**
   * Close the socket (code 1008) when more than this many bytes wait in its send buffer: a peer
   * that stops reading must not make us buffer without bound. 0 turns the check off.
   */
  maxBufferedBytes?: number;
  /** Called with socket-level errors (they are followed by a close). */
  onError?: (error: Error) => void;
  /**
   * When permessage-deflate was negotiated, send messages shorter than this many characters
   * uncompressed (Node's ws only). ws applies its own `threshold` only without context takeover:
   * otherwise every message, a 60-byte Heartbeat answer too, goes through zlib. 0 leaves it to ws.
   */
  compressMinLength?: number;
  /**
   * Hand over at most one message per event-loop turn (Node's ws only).
   * A server sets it so that one station flooding small frames cannot hold up the others.
   */
  oneMessagePerTurn?: boolean;
  /**
   * Stop reading from the peer while more than this many bytes wait in the send buffer, and read
   * again once they are written (Node's ws only). A peer that sends CALLs but does not read the
   * answers then stops being served instead of filling the buffer with one small write per
   * answer: dropping a socket makes Node create an error per buffered write (100,000 answers
   * froze a server for over a second). 0 turns it off.
   * @default 65536 ({@link DEFAULT_READ_PAUSE_BUFFERED_BYTES})
   */
  readPauseBufferedBytes?: number;
}

/** {@link SocketTransportOptions} with the defaults applied; shared by the sockets given the same options object. */
interface TransportSettings {
  readonly maxBuffered: number;
  readonly onError: ((error: Error) => void) | undefined;
  readonly compressMinLength: number;
  readonly oneMessagePerTurn: boolean;
  readonly readPauseBuffered: number;
}

const NO_OPTIONS: SocketTransportOptions = Object.freeze({});
/** Settings by options object and socket kind: a server passes one options object for every socket. */
const settingsCache = new WeakMap<SocketTransportOptions, [TransportSettings | undefined, TransportSettings | undefined]>();

function settingsOf(options: SocketTransportOptions, nodeWs: boolean): TransportSettings {
  let pair = settingsCache.get(options);
  if (pair === undefined) settingsCache.set(options, (pair = [undefined, undefined]));
  const slot = nodeWs ? 1 : 0;
  return (pair[slot] ??= Object.freeze({
    maxBuffered: options.maxBufferedBytes ?? 0,
    onError: options.onError,
    // Both only apply to Node's ws: a browser socket has no send options and cannot pause.
    compressMinLength: nodeWs ? (options.compressMinLength ?? 0) : 0,
    oneMessagePerTurn: nodeWs && options.oneMessagePerTurn === true,
    readPauseBuffered: nodeWs ? readPauseBytes(options.readPauseBufferedBytes) : 0,
  }));
}

function readPauseBytes(value: number | undefined): number {
  if (value === undefined) return DEFAULT_READ_PAUSE_BUFFERED_BYTES;
  if (typeof value !== 'number' || !(value >= 0)) throw new TypeError(`readPauseBufferedBytes must be a number >= 0, got ${String(value)}`);
  return value;
}

/**
 * Resolves once the socket `socketTransport` wrapped has closed (after the closing handshake, or
 * on a drop); at once for a socket it never wrapped.
 */
export function socketClosed(socket: MinimalWebSocket): Promise<void> {
  return (socket as Partial<TaggedSocket>)[TRANSPORT]?.closed ?? Promise.resolve();
}

/** ws send options for a message not worth compressing. */
const UNCOMPRESSED = Object.freeze({ compress: false });

/** A {@link Transport} over a WebSocket, which can also tell when the socket is really gone. */
export interface SocketTransport extends Transport {
  /** Resolves once the socket has closed (after the closing handshake, or on a drop). */
  readonly closed: Promise<void>;
}

const OPEN = 1;
const decoder = /* @__PURE__ */ new TextDecoder();

function toText(data: unknown): string {
  if (typeof data === 'string') return data;
  // ws hands over a Buffer (a Uint8Array) or, for fragmented frames, an array of them.
  if (data instanceof Uint8Array) return decoder.decode(data);
  if (data instanceof ArrayBuffer) return decoder.decode(new Uint8Array(data));
  if (Array.isArray(data)) {
    let text = '';
    for (const part of data) text += toText(part);
    return text;
  }
  return String(data);
}

function isNodeStyle(socket: MinimalWebSocket): socket is NodeStyleSocket {
  return typeof (socket as Partial<NodeStyleSocket>).on === 'function';
}

/** The close code ws sent the peer after one of its receiver errors, with the error's message. */
function wsFailure(error: Error): [number, string] | undefined {
  const code = (error as { code?: unknown }).code;
  if (typeof code !== 'string' || !code.startsWith('WS_ERR_')) return undefined;
  return [code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH' ? 1009 : code === 'WS_ERR_INVALID_UTF8' ? 1007 : 1002, error.message];
}

function closeReason(reason: unknown): string {
  return typeof reason === 'string' ? reason : toText(reason);
}

/**
 * Adapts an open WebSocket (from `ws` or a browser) to the core's {@link Transport}. Frames are
 * delivered as text: OCPP-J is a text protocol, and a binary frame is decoded as UTF-8 so the
 * core can answer it by the framing rules instead of the socket being dropped.
 */
export function socketTransport(socket: MinimalWebSocket, options: SocketTransportOptions = NO_OPTIONS): SocketTransport {
  const node = isNodeStyle(socket);
  const transport = new WebSocketTransport(socket, settingsOf(options, node && typeof socket.pause === 'function'));
  if (node) {
    (socket as TaggedSocket)[TRANSPORT] = transport;
    socket.on('message', onNodeMessage);
    socket.on('close', onNodeClose);
    socket.on('error', onNodeError);
  } else {
    const dom = socket as DomStyleSocket;
    dom.addEventListener('message', (event) => transport.receive(toText(event.data)));
    dom.addEventListener('close', (event) => transport.finish(event.code, event.reason));
    dom.addEventListener('error', () => options.onError?.(new Error('WebSocket error')));
  }
  return transport;
}

/** How long a peer closed for a policy violation (1008) has to finish the closing handshake. */
const POLICY_CLOSE_GRACE_MS = 1000;

/**
 * A peer closed for breaking a policy (a limit of the core, a replaced duplicate) is not trusted
 * to finish the closing handshake: ws would keep reading and parsing whatever it still sends,
 * for up to 30 s, looking for its close frame. A well-behaved peer answers the close at once; any
 * other is dropped after a short grace.
 */
function dropAfterGrace(socket: NodeStyleSocket): void {
  const timer = setTimeout(() => socket.terminate(), POLICY_CLOSE_GRACE_MS);
  (timer as { unref?: () => void }).unref?.();
  socket.once?.('close', () => clearTimeout(timer));
}

/** Where the shared `ws` listeners below find the transport of the socket they are called on. */
const TRANSPORT = Symbol('ocpp-sdk.transport');
type TaggedSocket = NodeStyleSocket & { [TRANSPORT]: WebSocketTransport };

// One set of listener functions for every `ws` socket (an EventEmitter calls its listeners with
// itself as `this`) instead of closures per connection: a server holds thousands of sockets.
function onNodeMessage(this: TaggedSocket, data: unknown): void {
  this[TRANSPORT].receive(toText(data));
}
function onNodeClose(this: TaggedSocket, code: number, reason: unknown): void {
  this[TRANSPORT].socketClosed(code, reason);
}
function onNodeError(this: TaggedSocket, error: Error): void {
  this[TRANSPORT].socketError(error);
}

// ---------------------------------------------------------------- one message per turn
//
// ws hands over, synchronously, every message one read of the socket brought (libuv reads up to
// 2 MB from a socket in a row), so a station flooding small frames would hold every other station
// up for hundreds of ms to seconds (test/reliability/flood.test.ts). ws's own remedy,
// `allowSynchronousEvents: false`, pays a setImmediate for every message: about 8% of a server's
// Heartbeat throughput at 1,000 connections (bench/), although OCPP peers send one CALL at a time
// and almost never have a second message in the same read. So the rule is kept here instead, at
// the cost of one setImmediate per event-loop turn for all connections together: the first
// message of a connection in a turn is handed over at once; a second one in the same turn is
// held, the socket is paused (so at most the rest of the current read is held), and the held
// messages are handed over one per connection per turn, in order, before the socket reads again.

/** The number of the current event-loop turn, as far as transports need to know. */
let turn = 0;
let turnScheduled = false;
/** Transports holding messages, in the order they will be served next turn. */
let holding: WebSocketTransport[] = [];

function scheduleTurnEnd(): void {
  if (turnScheduled) return;
  turnScheduled = true;
  setImmediate(turnEnded);
}

/** Runs once per event-loop turn in which a message arrived: a new turn, and one held message each. */
function turnEnded(): void {
  turnScheduled = false;
  turn++;
  if (holding.length === 0) return;
  const serve = holding;
  holding = [];
  for (const transport of serve) transport.releaseOne();
}

/** The transport of one socket: a class, so its methods live once on the prototype. */
class WebSocketTransport implements SocketTransport {
  private sink: TransportSink | undefined = undefined;
  private isClosed = false;
  // Frames that arrive before the sink is installed are held, never lost.
  private early: string[] | undefined = undefined;
  private earlyClose: [number, string] | undefined = undefined;
  /** The close ws sent the peer after a receiver error (see socketClosed). */
  private failure: [number, string] | undefined = undefined;
  /** `closed`, made when first asked for (most are only wanted at shutdown, if ever). */
  private closedPromise: Promise<void> | undefined = undefined;
  private markClosed: (() => void) | undefined = undefined;
  /** The last turn in which a message was handed over (oneMessagePerTurn). */
  private turnServed = -1;
  /** Messages held for later turns (oneMessagePerTurn); one field, as idle stations never need it. */
  private held: { texts: string[]; next: number } | undefined = undefined;
  /** Reading is paused until what was buffered for sending has been written (readPauseBufferedBytes). */
  private backpressured = false;
  /** `drained` bound to this transport, made the first time the peer falls behind. */
  private onDrained: ((error?: Error) => void) | undefined = undefined;
  /** We closed for a policy violation: what the peer still sends is not read. */
  private discarding = false;

  constructor(
    private readonly socket: MinimalWebSocket,
    private readonly settings: TransportSettings,
  ) {}

  get closed(): Promise<void> {
    return (this.closedPromise ??= this.isClosed
      ? Promise.resolve()
      : new Promise<void>((resolve) => {
          this.markClosed = resolve;
        }));
  }

  receive(text: string): void {
    if (this.isClosed || this.discarding) return;
    if (this.held !== undefined) {
      // Behind messages already held: order is kept.
      this.held.texts.push(text);
      return;
    }
    if (this.backpressured) {
      // The rest of the read that was under way when reading paused: served once the peer has read.
      this.held = { texts: [text], next: 0 };
      return;
    }
    if (this.settings.oneMessagePerTurn) {
      if (this.turnServed === turn) {
        this.held = { texts: [text], next: 0 };
        holding.push(this);
        (this.socket as NodeStyleSocket).pause!();
        scheduleTurnEnd();
        return;
      }
      this.turnServed = turn;
      scheduleTurnEnd();
    }
    this.deliver(text);
  }

  /** Hands over the next held message (called once per turn while some are held). */
  releaseOne(): void {
    const held = this.held;
    // Closed (held input is dropped), or the peer fell behind: `drained` serves it later.
    if (held === undefined || this.backpressured) return;
    const text = held.texts[held.next];
    held.texts[held.next++] = '';
    if (held.next < held.texts.length) {
      holding.push(this);
      scheduleTurnEnd();
    } else {
      this.held = undefined;
      (this.socket as NodeStyleSocket).resume!();
    }
    this.turnServed = turn;
    this.deliver(text);
  }

  private deliver(text: string): void {
    if (this.sink) this.sink.message(text);
    else (this.early ??= []).push(text);
  }

  finish(code: number, reason: string): void {
    if (this.isClosed) return;
    // Input read but not yet handed over is dropped: a closed connection is not served (the
    // endpoint rejects its pending calls with the close), and handing over a backlog at once
    // would hold the event loop for as long as it takes to process.
    this.held = undefined;
    this.isClosed = true;
    this.markClosed?.();
    if (this.sink) this.sink.close(code, reason);
    else this.earlyClose = [code, reason];
  }

  socketClosed(code: number, reason: unknown): void {
    // After a protocol error of the peer (a message over maxPayload, invalid UTF-8), ws sends the
    // peer a close with the right code but stops reading, so its own close event says 1006.
    if (code === 1006 && this.failure !== undefined) this.finish(this.failure[0], this.failure[1]);
    else this.finish(code, closeReason(reason));
  }

  socketError(error: Error): void {
    this.failure ??= wsFailure(error);
    this.settings.onError?.(error);
    this.sink?.error?.(error);
  }

  send(data: string): void {
    const socket = this.socket;
    if (this.isClosed || socket.readyState !== OPEN) return;
    const settings = this.settings;
    if (settings.readPauseBuffered > 0 && !this.backpressured && socket.bufferedAmount + data.length > settings.readPauseBuffered) {
      this.fallBehind(data);
    } else if (data.length < settings.compressMinLength) (socket as NodeStyleSocket).send(data, UNCOMPRESSED);
    else socket.send(data);
    if (settings.maxBuffered > 0 && socket.bufferedAmount > settings.maxBuffered) {
      // A peer that does not read will not read a close frame either: a closing handshake would
      // hold the connection (and every call on it) for ws's 30 s close timeout. Drop it now.
      const reason = 'send buffer limit exceeded: peer is not reading';
      if (isNodeStyle(socket)) socket.terminate();
      else socket.close(1008, reason);
      this.finish(1008, reason);
    }
  }

  /**
   * The peer is not reading as fast as we answer: stop reading from it, and send `data` with a
   * callback that runs once it (and so everything before it) has been written.
   */
  private fallBehind(data: string): void {
    const socket = this.socket as NodeStyleSocket;
    this.backpressured = true;
    socket.pause!();
    socket.send(data, data.length < this.settings.compressMinLength ? UNCOMPRESSED : {}, (this.onDrained ??= (error) => this.drained(error)));
  }

  /** What was buffered when the peer fell behind has been written: read (and serve) again. */
  private drained(error: Error | undefined): void {
    if (error !== undefined || this.isClosed || this.discarding || !this.backpressured) return;
    this.backpressured = false;
    if (this.held !== undefined) {
      holding.push(this);
      scheduleTurnEnd();
    } else {
      (this.socket as NodeStyleSocket).resume!();
    }
  }

  close(code = 1000, reason = ''): void {
    if (this.isClosed) return;
    if (code === 1008 && isNodeStyle(this.socket)) {
      // A peer closed for a policy violation is not served any more; reading resumes only so
      // that its close frame (or its disconnect) is seen.
      this.discarding = true;
      this.held = undefined;
      this.socket.resume?.();
    }
    try {
      this.socket.close(code, reason);
    } catch {
      // A code the browser refuses (1001-2999 except 1000) must still close the socket.
      this.socket.close();
    }
    if (code === 1008 && isNodeStyle(this.socket)) dropAfterGrace(this.socket);
  }

  setSink(next: TransportSink): void {
    this.sink = next;
    if (this.early) {
      const held = this.early;
      this.early = undefined;
      for (const text of held) next.message(text);
    }
    if (this.earlyClose) next.close(this.earlyClose[0], this.earlyClose[1]);
  }
}
