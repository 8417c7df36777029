/**
 * The connection defaults both sides share: a CentralSystem and a ChargePoint keep a WebSocket
 * alive, bound what they read and buffer, and time the opening handshake the same way, so one
 * constant each serves both (and a change to one cannot make the two sides disagree).
 */

/** Default `pingIntervalMs`: a WebSocket ping every 30 s, on both sides. */
export const DEFAULT_PING_INTERVAL_MS = 30_000;
/** Default `handshakeTimeoutMs`: 10 s for the opening handshake (and, on the server, the HTTP request). */
export const DEFAULT_HANDSHAKE_TIMEOUT_MS = 10_000;
/** Default `maxPayloadBytes`: 1 MiB, far above any OCPP message; a larger one closes the connection with 1009. */
export const DEFAULT_MAX_PAYLOAD_BYTES = 1024 * 1024;
/** Default `maxBufferedBytes`: 8 MiB of unsent data before a peer that stopped reading is dropped. */
export const DEFAULT_MAX_BUFFERED_BYTES = 8 * 1024 * 1024;
/**
 * Default compression `thresholdBytes`: messages smaller than this are sent uncompressed. ws
 * alone compresses every message when context takeover is on, and a 60-byte Heartbeat through
 * zlib costs both sides tens of microseconds and saves nothing.
 */
export const DEFAULT_COMPRESSION_THRESHOLD_BYTES = 1024;
/**
 * Default `readPauseBufferedBytes`: once this much of our output waits unsent (64 KiB, about
 * 1,000 small answers), reading from that peer pauses until it is written. A peer that sends
 * and never reads then cannot pile up more answers than this, so dropping it stays cheap.
 */
export const DEFAULT_READ_PAUSE_BUFFERED_BYTES = 64 * 1024;
