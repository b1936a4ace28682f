// Network byte order (RFC 1700 "Data Notations": big-endian) readers and writers for the header codecs.

/** readU16 reads a big-endian 16-bit field at `o`. */
export function readU16(b: Uint8Array, o: number): number {
  return (b[o] << 8) | b[o + 1];
}

/** readU32 reads a big-endian 32-bit field at `o` as an unsigned number. */
export function readU32(b: Uint8Array, o: number): number {
  return ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0;
}

/** writeU16 writes the low 16 bits of `v` big-endian at `o`. */
export function writeU16(b: Uint8Array, o: number, v: number): void {
  b[o] = (v >>> 8) & 0xff;
  b[o + 1] = v & 0xff;
}

/** writeU32 writes the low 32 bits of `v` big-endian at `o`. */
export function writeU32(b: Uint8Array, o: number, v: number): void {
  b[o] = (v >>> 24) & 0xff;
  b[o + 1] = (v >>> 16) & 0xff;
  b[o + 2] = (v >>> 8) & 0xff;
  b[o + 3] = v & 0xff;
}

/** concatBytes joins byte arrays into one new array. */
export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** SLAB is the size of the buffers small arrays are carved from; BYTES_SLAB_MAX the largest array carved. */
const SLAB = 16 * 1024;
const BYTES_SLAB_MAX = 2048;
let slab = new ArrayBuffer(SLAB);
let slabUsed = 0;

/**
 * allocBytes returns `n` zero bytes. A small array is a view of a shared buffer (its bytes are its
 * own: no other view is ever given them), which costs a tenth of a buffer of its own; a buffer is
 * freed once no view of it is left, so a frame kept long keeps its buffer's 16 KiB alive.
 */
export function allocBytes(n: number): Uint8Array {
  if (n > BYTES_SLAB_MAX) return new Uint8Array(n);
  if (slabUsed + n > SLAB) {
    slab = new ArrayBuffer(SLAB);
    slabUsed = 0;
  }
  const out = new Uint8Array(slab, slabUsed, n);
  slabUsed += (n + 7) & ~7;
  return out;
}

/**
 * roomBuffer, roomStart and roomEnd are where the array withHeadroom made last lies, and roomLeft how
 * many bytes at its start nobody has used yet (an skb's headroom). A frame is built top-down in one
 * step (TCP, then IPv4, then Ethernet), so remembering the last such array is enough; any other
 * payload is copied. Bytes are only ever claimed from the end of the room, so every view handed out
 * before keeps its bytes.
 */
let roomBuffer: ArrayBufferLike | null = null;
let roomStart = 0;
let roomEnd = 0;
let roomLeft = 0;

/** withHeadroom returns `length` zero bytes with `room` free bytes in front of them in the same buffer. */
export function withHeadroom(length: number, room: number): Uint8Array {
  const whole = allocBytes(room + length);
  roomBuffer = whole.buffer;
  roomStart = whole.byteOffset;
  roomEnd = roomStart + whole.length;
  roomLeft = room;
  return whole.subarray(room);
}

/**
 * prependRoom returns `payload` with `n` zero bytes in front for a header: in place when `payload` is
 * the whole rest of the array withHeadroom made last and that much of its room is still free just
 * before it, otherwise in a copy.
 */
export function prependRoom(payload: Uint8Array, n: number): Uint8Array {
  const at = payload.byteOffset - roomStart;
  if (at >= n && at === roomLeft && payload.byteOffset + payload.length === roomEnd && payload.buffer === roomBuffer) {
    roomLeft = at - n;
    return new Uint8Array(roomBuffer, roomStart + roomLeft, n + payload.length);
  }
  const out = allocBytes(n + payload.length);
  out.set(payload, n);
  return out;
}
