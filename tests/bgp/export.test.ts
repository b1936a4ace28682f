// Tests for the output queue (BIRD 1.6 buckets): grouping by attributes, withdrawals first, the latest
// change of a prefix winning, and packing into 4096-octet UPDATEs.

import { parseIpv4 } from '../../src/model/addr.js';
import { ExportQueue } from '../../src/bgp/export.js';
import { decodeBgp, type BgpPathAttribute, type BgpUpdateRepr } from '../../src/model/wire/bgp.js';

const ip = (s: string): number => parseIpv4(s)!;
const CTX = { as4: true, addPath: false, as4Session: true };

const attrs = (nh: string): BgpPathAttribute[] => [
  { type: 'origin', flags: 0x40, origin: 0 },
  { type: 'as-path', flags: 0x40, segments: [] },
  { type: 'next-hop', flags: 0x40, nextHop: ip(nh) },
  { type: 'local-pref', flags: 0x40, localPref: 100 },
];

function drain(q: ExportQueue, ctx: typeof CTX = CTX): { repr: BgpUpdateRepr; bytes: Uint8Array }[] {
  const out = [];
  for (let u = q.nextUpdate(ctx); u; u = q.nextUpdate(ctx)) out.push(u);
  return out;
}

describe('export queue', () => {
  it('packs prefixes with the same attributes into one UPDATE, one UPDATE per attribute set, oldest first', () => {
    const q = new ExportQueue();
    q.announce({ addr: ip('10.0.1.0'), len: 24 }, 0, attrs('10.0.0.2'));
    q.announce({ addr: ip('10.0.2.0'), len: 24 }, 0, attrs('10.0.0.3'));
    q.announce({ addr: ip('10.0.3.0'), len: 24 }, 0, attrs('10.0.0.2'));
    const ups = drain(q);
    expect(ups.map((u) => u.repr.nlri.map((n) => n.prefix.addr))).toEqual([[ip('10.0.1.0'), ip('10.0.3.0')], [ip('10.0.2.0')]]);
    expect(q.pending).toBe(false);
  });

  it('sends withdrawals first, in an UPDATE of their own', () => {
    const q = new ExportQueue();
    q.announce({ addr: ip('10.0.1.0'), len: 24 }, 0, attrs('10.0.0.2'));
    q.withdraw({ addr: ip('10.0.2.0'), len: 24 }, 0);
    const ups = drain(q);
    expect(ups.map((u) => [u.repr.withdrawn.length, u.repr.attributes.length, u.repr.nlri.length])).toEqual([
      [1, 0, 0],
      [0, 4, 1],
    ]);
  });

  it('keeps only the latest change of a prefix still waiting', () => {
    const q = new ExportQueue();
    q.announce({ addr: ip('10.0.1.0'), len: 24 }, 0, attrs('10.0.0.2'));
    q.withdraw({ addr: ip('10.0.1.0'), len: 24 }, 0);
    q.announce({ addr: ip('10.0.1.0'), len: 24 }, 0, attrs('10.0.0.3'));
    const ups = drain(q);
    expect(ups.length).toBe(1);
    expect(ups[0].repr.attributes[2]).toEqual({ type: 'next-hop', flags: 0x40, nextHop: ip('10.0.0.3') });
  });

  it('fills UPDATEs up to 4096 octets: 5,000 /26 blocks with ADD-PATH go out 450 to a message', () => {
    const q = new ExportQueue();
    for (let i = 0; i < 5000; i++) q.announce({ addr: (ip('10.128.0.0') + i * 64) >>> 0, len: 26 }, i + 1, attrs('10.0.0.2'));
    const ctx = { as4: true, addPath: true, as4Session: true };
    const ups = drain(q, ctx);
    // 4096 - 19 - 4 - 21 (attributes) leaves 4052 octets: 450 NLRI of 9 octets (path id, length, 4 octets).
    expect(ups.map((u) => u.repr.nlri.length)).toEqual([450, 450, 450, 450, 450, 450, 450, 450, 450, 450, 450, 50]);
    for (const u of ups) {
      expect(u.bytes.length).toBeLessThanOrEqual(4096);
      const d = decodeBgp(u.bytes, ctx);
      expect(d.ok && (d.value.repr as BgpUpdateRepr).nlri.length).toBe(u.repr.nlri.length);
    }
    expect(ups[0].bytes.length).toBe(19 + 4 + 21 + 450 * 9);
  });
});
