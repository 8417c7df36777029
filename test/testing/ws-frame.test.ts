/**
 * The hand-built WebSocket frames of `sendRaw`: header, the three length encodings and masking
 * (RFC 6455 §5.2), checked by decoding them back; then a frame of the 64-bit length form sent to
 * a real charger, which must read it.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TestCentralSystem } from '../../src/testing/index';
import { textFrame } from '../../src/testing/ws-frame';
import { chargePoint } from './support';

/** Decodes one frame: FIN, opcode, mask bit and the payload (unmasked). */
function decode(frame: Buffer): { fin: boolean; opcode: number; masked: boolean; payload: Buffer } {
  const fin = (frame[0] & 0x80) !== 0;
  const opcode = frame[0] & 0x0f;
  const masked = (frame[1] & 0x80) !== 0;
  let length = frame[1] & 0x7f;
  let offset = 2;
  if (length === 126) {
    length = frame.readUInt16BE(2);
    offset = 4;
  } else if (length === 127) {
    length = Number(frame.readBigUInt64BE(2));
    offset = 10;
  }
  const key = masked ? frame.subarray(offset, offset + 4) : undefined;
  if (key) offset += 4;
  const payload = Buffer.from(frame.subarray(offset, offset + length));
  assert.equal(frame.length, offset + length, 'the frame holds exactly its payload');
  if (key) for (let i = 0; i < payload.length; i++) payload[i] ^= key[i & 3];
  return { fin, opcode, masked, payload };
}

test('textFrame - one final text frame in each length form, masked for a client and not for a server', () => {
  for (const size of [0, 125, 126, 65_535, 65_536, 70_000]) {
    const payload = Buffer.alloc(size, 0x61);
    for (const mask of [false, true]) {
      const d = decode(textFrame(payload, mask));
      assert.deepEqual({ fin: d.fin, opcode: d.opcode, masked: d.masked }, { fin: true, opcode: 1, masked: mask }, `size ${size}`);
      assert.ok(d.payload.equals(payload), `size ${size}, mask ${mask}`);
    }
  }
  // The caller's bytes are not touched by masking.
  const bytes = Buffer.from('[2,"x","Heartbeat",{}]');
  const copy = Buffer.from(bytes);
  textFrame(bytes, true);
  assert.ok(bytes.equals(copy));
});

test('sendRaw - a 70 kB frame (64-bit length form) reaches the charger, which answers it', async () => {
  await using csms = await TestCentralSystem.start({ protocols: ['ocpp1.6'], timeoutMs: 3000 });
  const st = csms.station('BIG');
  const cp = chargePoint(csms.url, 'BIG', 'ocpp1.6');
  await cp.connect();
  try {
    st.sendRaw(JSON.stringify([2, 'big', 'DataTransfer', { vendorId: 'x', data: 'y'.repeat(70_000) }]));
    // The charger has no DataTransfer handler: it answers NotSupported, for that id.
    await st.expectCallError('NotSupported', { messageId: 'big' });
  } finally {
    await cp.close();
  }
});
