/**
 * The tiny socket contract the framing core talks to. Anything that can carry text frames in
 * order (a `ws` socket, a browser WebSocket, an in-memory pair in tests) can implement it, which
 * keeps the core free of any WebSocket library and of Node-only modules.
 */

/**
 * Receives what a {@link Transport} reports. The core installs exactly one sink per transport.
 */
export interface TransportSink {
  /** A complete text frame arrived. `data` is the frame exactly as received. */
  message(data: string): void;
  /** The transport is closed for good; no `message` follows. Called at most once. */
  close(code: number, reason: string): void;
  /** A socket-level error (a close follows). Optional: transports may report errors elsewhere too. */
  error?(error: Error): void;
}

/**
 * A bidirectional, ordered, text-frame channel.
 */
export interface Transport {
  /** Send one text frame. Must not throw once the transport is closed; it may drop the frame. */
  send(data: string): void;
  /** Start closing with a WebSocket close code and reason; the sink's `close` follows. */
  close(code?: number, reason?: string): void;
  /** Install the sink that receives frames and the close notification. */
  setSink(sink: TransportSink): void;
}
