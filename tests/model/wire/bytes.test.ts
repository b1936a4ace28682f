// Tests of the byte helpers (src/model/wire/bytes.ts): big-endian fields, and the headroom a segment
// is made with so that the IPv4 and Ethernet headers go in front of it in the same buffer. A frame
// built that way must be the same bytes as one built by copying, and no view handed out before may
// change.

import fc from 'fast-check';
import { allocBytes, prependRoom, readU16, readU32, withHeadroom, writeU16, writeU32 } from '../../../src/model/wire/bytes.js';
import { encodeEthernet, EtherType } from '../../../src/model/wire/ethernet.js';
import { encodeIpv4, IpProtocol, type Ipv4Repr } from '../../../src/model/wire/ipv4.js';
import { encodeTcp, tcpFlags, type TcpRepr } from '../../../src/model/wire/tcp.js';

const REPR: Ipv4Repr = {
  src: 0x0a000001,
  dst: 0x0a000002,
  protocol: IpProtocol.Tcp,
  ttl: 64,
  ident: 7,
  tos: 0,
  dontFrag: true,
  moreFrags: false,
  fragOffset: 0,
};
const ETH = { dst: '02:00:00:00:00:0b', src: '02:00:00:00:00:0a', ethertype: EtherType.Ipv4 };

function segment(payload: Uint8Array): Uint8Array {
  const repr: TcpRepr = {
    srcPort: 40000,
    dstPort: 179,
    seq: 1,
    ack: 2,
    flags: tcpFlags({ ack: true, psh: true }),
    window: 502,
    urgent: 0,
    options: [],
  };
  return encodeTcp(repr, payload, REPR.src, REPR.dst);
}

/** disjoint says whether two arrays share no byte. */
function disjoint(a: Uint8Array, b: Uint8Array): boolean {
  return a.buffer !== b.buffer || a.byteOffset + a.length <= b.byteOffset || b.byteOffset + b.length <= a.byteOffset;
}

describe('big-endian fields', () => {
  it('write and read back 16 and 32 bits', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffff }), fc.integer({ min: 0, max: 0xffffffff }), (a, b) => {
        const buf = new Uint8Array(6);
        writeU16(buf, 0, a);
        writeU32(buf, 2, b);
        expect([readU16(buf, 0), readU32(buf, 2)]).toEqual([a, b]);
      }),
    );
  });
});

describe('small arrays', () => {
  it('are zero and never share a byte', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 3000 }), { maxLength: 40 }), (sizes) => {
        const got = sizes.map((n) => allocBytes(n));
        got.forEach((a, i) => {
          expect(a.length).toBe(sizes[i]);
          expect(a.every((x) => x === 0)).toBe(true);
          a.fill(i + 1);
        });
        for (const [i, a] of got.entries()) expect(a.every((x) => x === i + 1)).toBe(true);
      }),
    );
  });
});

describe('headroom', () => {
  it('builds TCP, IPv4 and Ethernet in one buffer, with the bytes a copy would have', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 1460 }), (data) => {
        const seg = segment(data);
        const segBytes = Uint8Array.from(seg);
        const packet = encodeIpv4(REPR, seg);
        const frame = encodeEthernet(ETH, packet);
        // In place: the headers sit just in front of the segment, in its own buffer.
        expect(packet.buffer).toBe(seg.buffer);
        expect(frame.buffer).toBe(seg.buffer);
        expect([packet.byteOffset + 20, frame.byteOffset + 34]).toEqual([seg.byteOffset, seg.byteOffset]);
        // The same frame built from a copy of the segment, which has no headroom.
        const copied = encodeEthernet(ETH, encodeIpv4(REPR, Uint8Array.from(segBytes)));
        expect(frame).toEqual(copied);
        // Views handed out before still hold their bytes.
        expect(seg).toEqual(segBytes);
        expect(packet.subarray(20)).toEqual(segBytes);
      }),
    );
  });

  it('copies a payload that is not the whole rest of the last buffer with room', () => {
    const room = withHeadroom(10, 34);
    room.set([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const part = room.subarray(0, 5);
    const out = prependRoom(part, 20);
    expect(disjoint(out, part)).toBe(true);
    expect(Array.from(out)).toEqual([...new Array(20).fill(0), 1, 2, 3, 4, 5]);
  });

  it('uses the room once: a second header in front of the same payload goes in a copy', () => {
    const payload = withHeadroom(4, 34);
    payload.set([9, 9, 9, 9]);
    const first = prependRoom(payload, 20);
    first[0] = 0x45;
    const second = prependRoom(payload, 20);
    expect(disjoint(second, payload)).toBe(true);
    expect(first[0]).toBe(0x45);
    expect(second[0]).toBe(0);
  });

  it('copies a payload of any other buffer', () => {
    const other = Uint8Array.of(1, 2, 3);
    const out = prependRoom(other, 14);
    expect(Array.from(out)).toEqual([...new Array(14).fill(0), 1, 2, 3]);
    expect(Array.from(other)).toEqual([1, 2, 3]);
  });
});
