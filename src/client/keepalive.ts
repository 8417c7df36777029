/**
 * The client's WebSocket keepalive: a ping every interval, and the connection dropped when a
 * pong does not come back in time (a half-open TCP connection is otherwise noticed only by the
 * next call's timeout). Node only: a browser's WebSocket cannot ping from script, so there the
 * socket has no `ping` and this does nothing.
 */
import { clampDelayMs } from '../transport/delay';
import type { OpenedSocket } from '../transport/client';

/** Settings of {@link startKeepalive}. */
export interface KeepaliveSettings {
  /** Between pings; 0 turns the keepalive off. */
  readonly intervalMs: number;
  /** How long a ping may go unanswered. */
  readonly timeoutMs: number;
  /** Called once when a pong is late, before the socket is terminated. */
  readonly onTimeout: () => void;
}

/** Starts pinging `socket`; returns the function that stops it. */
export function startKeepalive(socket: OpenedSocket['socket'], settings: KeepaliveSettings): () => void {
  if (settings.intervalMs === 0 || typeof socket.ping !== 'function' || typeof socket.on !== 'function') return () => {};
  let pongTimer: ReturnType<typeof setTimeout> | undefined;
  socket.on('pong', () => clearTimeout(pongTimer));
  const pingTimer = setInterval(() => {
    try {
      socket.ping?.();
    } catch {
      // Closing already: the close event ends the keepalive.
      return;
    }
    clearTimeout(pongTimer);
    pongTimer = setTimeout(() => {
      settings.onTimeout();
      socket.terminate?.();
    }, clampDelayMs(settings.timeoutMs));
  }, clampDelayMs(settings.intervalMs));
  return () => {
    clearInterval(pingTimer);
    clearTimeout(pongTimer);
  };
}
