// Tests for the classic libpcap savefile writer (pcap-savefile(5)).

import { LINKTYPE_ETHERNET, PCAP_MAGIC, writePcap } from '../../cli/pcap.js';

describe('writePcap', () => {
  it('writes the 24-byte file header in little-endian order', () => {
    const file = writePcap([]);
    const v = new DataView(file.buffer);
    expect(file.length).toBe(24);
    expect(Array.from(file.subarray(0, 4))).toEqual([0xd4, 0xc3, 0xb2, 0xa1]);
    expect(v.getUint32(0, true)).toBe(PCAP_MAGIC);
    expect(v.getUint16(4, true)).toBe(2);
    expect(v.getUint16(6, true)).toBe(4);
    expect(v.getInt32(8, true)).toBe(0);
    expect(v.getUint32(12, true)).toBe(0);
    expect(v.getUint32(16, true)).toBe(262144);
    expect(v.getUint32(20, true)).toBe(LINKTYPE_ETHERNET);
  });

  it('splits virtual-clock microseconds into seconds and microseconds per record', () => {
    const file = writePcap([
      { tsMicros: 1_500_000_123_456, data: Uint8Array.from([1, 2, 3]) },
      { tsMicros: 7, data: Uint8Array.from([4]), origLen: 60 },
    ]);
    const v = new DataView(file.buffer);
    expect(file.length).toBe(24 + 16 + 3 + 16 + 1);
    expect(v.getUint32(24, true)).toBe(1_500_000);
    expect(v.getUint32(28, true)).toBe(123_456);
    expect(v.getUint32(32, true)).toBe(3);
    expect(v.getUint32(36, true)).toBe(3);
    expect(Array.from(file.subarray(40, 43))).toEqual([1, 2, 3]);
    expect(v.getUint32(43, true)).toBe(0);
    expect(v.getUint32(47, true)).toBe(7);
    expect(v.getUint32(51, true)).toBe(1);
    expect(v.getUint32(55, true)).toBe(60);
    expect(file[59]).toBe(4);
  });

  it.each([[-1], [0.5], [Number.MAX_SAFE_INTEGER + 2], [2 ** 32 * 1_000_000]])('refuses timestamp %p', (ts) => {
    expect(() => writePcap([{ tsMicros: ts, data: new Uint8Array(1) }])).toThrow(RangeError);
  });
});
