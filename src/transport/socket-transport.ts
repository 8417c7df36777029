import type { Transport, TransportSink } from '../core/transport';

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
  on(event: 'message', listener: (data: unknown, isBinary: boolean) => void): unknown;
  on(event: 'close', listener: (code: number, reason: unknown) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  terminate(): void;
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
}

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
export function socketTransport(socket: MinimalWebSocket, options: SocketTransportOptions = {}): SocketTransport {
  const maxBuffered = options.maxBufferedBytes ?? 0;
  let sink: TransportSink | undefined;
  let closed = false;
  // Frames that arrive before the sink is installed are held, never lost.
  let early: string[] | undefined;
  let earlyClose: [number, string] | undefined;
  let markClosed!: () => void;
  const closedPromise = new Promise<void>((resolve) => {
    markClosed = resolve;
  });

  const onMessage = (text: string): void => {
    if (closed) return;
    if (sink) sink.message(text);
    else (early ??= []).push(text);
  };
  const onClose = (code: number, reason: string): void => {
    if (closed) return;
    closed = true;
    markClosed();
    if (sink) sink.close(code, reason);
    else earlyClose = [code, reason];
  };

  if (isNodeStyle(socket)) {
    socket.on('message', (data) => onMessage(toText(data)));
    // After a protocol error of the peer (a message over maxPayload, invalid UTF-8), ws sends the
    // peer a close with the right code but stops reading, so its own close event says 1006.
    let failure: [number, string] | undefined;
    socket.on('close', (code, reason) => (code === 1006 && failure !== undefined ? onClose(failure[0], failure[1]) : onClose(code, closeReason(reason))));
    socket.on('error', (error) => {
      failure ??= wsFailure(error);
      options.onError?.(error);
    });
  } else {
    const dom = socket as DomStyleSocket;
    dom.addEventListener('message', (event) => onMessage(toText(event.data)));
    dom.addEventListener('close', (event) => onClose(event.code, event.reason));
    dom.addEventListener('error', () => options.onError?.(new Error('WebSocket error')));
  }

  return {
    closed: closedPromise,
    send(data: string): void {
      if (closed || socket.readyState !== OPEN) return;
      socket.send(data);
      if (maxBuffered > 0 && socket.bufferedAmount > maxBuffered) {
        // A peer that does not read will not read a close frame either: a closing handshake would
        // hold the connection (and every call on it) for ws's 30 s close timeout. Drop it now.
        const reason = 'send buffer limit exceeded: peer is not reading';
        if (isNodeStyle(socket)) socket.terminate();
        else socket.close(1008, reason);
        onClose(1008, reason);
      }
    },
    close(code = 1000, reason = ''): void {
      if (closed) return;
      try {
        socket.close(code, reason);
      } catch {
        // A code the browser refuses (1001-2999 except 1000) must still close the socket.
        socket.close();
      }
    },
    setSink(next: TransportSink): void {
      sink = next;
      if (early) {
        const held = early;
        early = undefined;
        for (const text of held) next.message(text);
      }
      if (earlyClose) next.close(earlyClose[0], earlyClose[1]);
    },
  };
}
