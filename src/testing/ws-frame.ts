/**
 * One WebSocket text frame (RFC 6455 §5.2), built by hand for `sendRaw`: the bytes go onto the
 * connection's socket as they are, so a test can send what no well-behaved peer would (a broken
 * JSON text, an unknown message type, invalid UTF-8).
 */
import { randomBytes } from 'node:crypto';

/**
 * The frame carrying `payload` as one unfragmented text message. A client's frames must be
 * masked (`mask: true`), a server's must not.
 */
export function textFrame(payload: Uint8Array, mask: boolean): Buffer {
  const length = payload.length;
  const lengthBytes = length < 126 ? 0 : length < 65_536 ? 2 : 8;
  const header = Buffer.alloc(2 + lengthBytes + (mask ? 4 : 0));
  header[0] = 0x81; // FIN, opcode 1 (text)
  header[1] = (mask ? 0x80 : 0) | (length < 126 ? length : length < 65_536 ? 126 : 127);
  if (lengthBytes === 2) header.writeUInt16BE(length, 2);
  else if (lengthBytes === 8) header.writeBigUInt64BE(BigInt(length), 2);
  if (!mask) return Buffer.concat([header, payload]);
  const key = randomBytes(4);
  key.copy(header, 2 + lengthBytes);
  const body = Buffer.from(payload);
  for (let i = 0; i < body.length; i++) body[i] ^= key[i & 3];
  return Buffer.concat([header, body]);
}
