// Tests for the output queue (BIRD 1.6 buckets): grouping by attributes, withdrawals first, the latest
// change of a prefix winning, and packing into 4096-octet UPDATEs; the queues of many sessions against a
// plain model of one queue each, and the exported-slot bitsets.

import fc from 'fast-check';
import { parseIpv4 } from '../../src/model/addr.js';
import { attrsKey } from '../../src/bgp/attrs.js';
import { AttrBlock, ExportedSlots, ExportQueue, SlotTable, TxQueues } from '../../src/bgp/export.js';
import {
  decodeBgp,
  encodeAttribute,
  encodeBgp,
  type BgpNlri,
  type BgpPathAttribute,
  type BgpUpdateRepr,
} from '../../src/model/wire/bgp.js';
import { toHex } from './arbitraries.js';

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

/** ModelQueue is the bucket discipline written plainly (one Map per bucket), the reference for TxQueues. */
class ModelQueue {
  private readonly buckets = new Map<string, { attrs: BgpPathAttribute[]; prefixes: Map<string, BgpNlri> }>();
  private readonly withdraws = new Map<string, BgpNlri>();
  private readonly queued = new Map<string, Map<string, BgpNlri> | 'withdraw'>();

  announce(n: BgpNlri, attrs: BgpPathAttribute[]): void {
    const key = attrsKey(attrs);
    let b = this.buckets.get(key);
    if (!b) {
      b = { attrs, prefixes: new Map() };
      this.buckets.set(key, b);
    }
    this.move(n, b.prefixes);
  }

  withdraw(n: BgpNlri): void {
    this.move(n, null);
  }

  private move(n: BgpNlri, to: Map<string, BgpNlri> | null): void {
    const k = `${n.prefix.addr}/${n.prefix.len}#${n.pathId}`;
    const from = this.queued.get(k);
    if (from === 'withdraw') this.withdraws.delete(k);
    else from?.delete(k);
    (to ?? this.withdraws).set(k, n);
    this.queued.set(k, to ?? 'withdraw');
  }

  clear(): void {
    this.buckets.clear();
    this.withdraws.clear();
    this.queued.clear();
  }

  get pending(): boolean {
    return this.queued.size > 0;
  }

  next(addPath: boolean): BgpUpdateRepr | null {
    const take = (from: Map<string, BgpNlri>, room: number): BgpNlri[] => {
      const out: BgpNlri[] = [];
      for (const [k, n] of from) {
        if (room < 9) break;
        room -= (addPath ? 5 : 1) + ((n.prefix.len + 7) >>> 3);
        out.push(addPath ? n : { prefix: n.prefix });
        from.delete(k);
        this.queued.delete(k);
      }
      return out;
    };
    const remains = 4096 - 19 - 4;
    if (this.withdraws.size > 0) return { type: 'update', withdrawn: take(this.withdraws, remains), attributes: [], nlri: [] };
    for (const [key, b] of this.buckets) {
      if (b.prefixes.size === 0) {
        this.buckets.delete(key);
        continue;
      }
      const size = b.attrs.reduce((n, a) => n + encodeAttribute(a, { as4: true, addPath: false }).length, 0);
      if (size > remains - 1024) {
        for (const k of b.prefixes.keys()) this.queued.delete(k);
        this.buckets.delete(key);
        continue;
      }
      const nlri = take(b.prefixes, remains - size);
      if (b.prefixes.size === 0) this.buckets.delete(key);
      return { type: 'update', withdrawn: [], attributes: b.attrs, nlri };
    }
    return null;
  }
}

describe('export queues of many sessions (TxQueues)', () => {
  const prefixes = Array.from({ length: 6 }, (_, i) => ({ addr: (ip('10.128.0.0') + i * 64) >>> 0, len: 26 + (i % 3) * 3 }));
  const sets = [
    attrs('10.0.0.2'),
    attrs('10.0.0.3'),
    [...attrs('10.0.0.4'), { type: 'communities' as const, flags: 0xc0, communities: Array.from({ length: 800 }, (_, i) => i) }],
  ];
  const arbOp = fc.oneof(
    fc.record({ op: fc.constant('announce' as const), t: fc.nat(2), p: fc.nat(5), path: fc.nat(2), a: fc.nat(2) }),
    fc.record({ op: fc.constant('withdraw' as const), t: fc.nat(2), p: fc.nat(5), path: fc.nat(2) }),
    fc.record({ op: fc.constant('next' as const), t: fc.nat(2) }),
    fc.record({ op: fc.constant('clear' as const), t: fc.nat(2) }),
  );

  it.each([false, true])('property: each session sends what a queue of its own would (ADD-PATH %s)', (addPath) => {
    const ctx = { as4: true, addPath, as4Session: true };
    fc.assert(
      fc.property(fc.array(arbOp, { maxLength: 80 }), (ops) => {
        const slots = new SlotTable();
        const tx = new TxQueues(slots);
        const blocks = sets.map((a) => new AttrBlock(a));
        const models = [new ModelQueue(), new ModelQueue(), new ModelQueue()];
        const expectNext = (t: number): void => {
          const want = models[t].next(addPath);
          const got = tx.nextUpdate(t, ctx);
          expect(got === null ? null : toHex(got.bytes)).toBe(want === null ? null : toHex(encodeBgp(want, ctx)));
          if (got && want) expect(got.repr).toEqual(want);
        };
        for (const o of ops) {
          if (o.op === 'announce') {
            tx.announce(o.t, slots.slot(prefixes[o.p], o.path), blocks[o.a]);
            models[o.t].announce({ prefix: prefixes[o.p], pathId: o.path }, sets[o.a]);
          } else if (o.op === 'withdraw') {
            tx.withdraw(o.t, slots.slot(prefixes[o.p], o.path));
            models[o.t].withdraw({ prefix: prefixes[o.p], pathId: o.path });
          } else if (o.op === 'next') expectNext(o.t);
          else {
            tx.clear(o.t);
            models[o.t].clear();
          }
          expect([0, 1, 2].map((t) => tx.pending(t))).toEqual(models.map((m) => m.pending));
        }
        for (let t = 0; t < 3; t++) while (models[t].pending || tx.pending(t)) expectNext(t);
        expect([0, 1, 2].map((t) => tx.nextUpdate(t, ctx))).toEqual([null, null, null]);
      }),
      { numRuns: 300 },
    );
  });

  it('property: ExportedSlots has exactly the (slot, session) pairs added and not deleted or cleared', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom('add', 'delete', 'clear'), fc.nat(20), fc.nat(70)), { maxLength: 200 }), (ops) => {
        const e = new ExportedSlots();
        const model = new Set<string>();
        for (const [op, slot, t] of ops) {
          if (op === 'add') {
            expect(e.add(slot, t)).toBe(!model.has(`${slot}/${t}`));
            model.add(`${slot}/${t}`);
          } else if (op === 'delete') expect(e.delete(slot, t)).toBe(model.delete(`${slot}/${t}`));
          else {
            e.clearTarget(t);
            for (const k of [...model]) if (k.endsWith(`/${t}`)) model.delete(k);
          }
        }
        const has: string[] = [];
        for (let s = 0; s <= 20; s++) for (let t = 0; t <= 70; t++) if (e.has(s, t)) has.push(`${s}/${t}`);
        expect(has.sort()).toEqual([...model].sort());
      }),
    );
  });
});
