// The output queue of one BGP session as BIRD 1.6 keeps it (projectcalico/bird proto/bgp/attrs.c
// bgp_rt_notify, bgp_get_bucket, bgp_get_prefix; packets.c bgp_create_update, bgp_encode_prefixes): routes
// to announce wait in buckets of identical attributes, withdrawals in one withdraw bucket, and a prefix is
// in at most one of them (a newer change replaces an older one still waiting). Each UPDATE carries either
// withdrawals only, or one bucket's attributes and as many of its prefixes as fit in 4096 octets. The
// cost of a change is that of the prefix it touches.

import {
  BGP_HEADER_LEN,
  encodeAttribute,
  encodeBgp,
  bgpMaxLength,
  type BgpCodecContext,
  type BgpNlri,
  type BgpPathAttribute,
  type BgpUpdateRepr,
} from '../model/wire/bgp.js';
import type { Cidr } from '../model/addr.js';
import { attrsKey, toWireAttrs } from './attrs.js';
import { prefixKey } from './rib.js';

interface QueuedPrefix {
  readonly prefix: Cidr;
  readonly pathId: number;
  /** bucket is the bucket it waits in, or null for the withdraw bucket. */
  bucket: Bucket | null;
}

interface Bucket {
  readonly key: string;
  readonly attrs: BgpPathAttribute[];
  readonly prefixes: Map<string, QueuedPrefix>;
}

/** ExportQueue holds what a session has still to send. */
export class ExportQueue {
  private readonly buckets = new Map<string, Bucket>();
  private readonly withdraws = new Map<string, QueuedPrefix>();
  private readonly queued = new Map<string, QueuedPrefix>();

  /** pending says whether anything waits to be sent. */
  get pending(): boolean {
    return this.queued.size > 0;
  }

  /** clear drops everything (the session left Established: bgp_free_bucket_table). */
  clear(): void {
    this.buckets.clear();
    this.withdraws.clear();
    this.queued.clear();
  }

  /**
   * announce queues a route with its (already normalised) attributes: bgp_rt_notify with a new route.
   * `attrs` must be sorted by type code; the bucket is found by their encoding (`key`, attrsKey).
   */
  announce(prefix: Cidr, pathId: number, attrs: readonly BgpPathAttribute[], key: string = attrsKey(attrs), slot?: string): void {
    let b = this.buckets.get(key);
    if (!b) {
      b = { key, attrs: [...attrs], prefixes: new Map() };
      this.buckets.set(key, b);
    }
    this.move(prefix, pathId, b, slot);
  }

  /** withdraw queues a withdrawal: bgp_rt_notify without a new route. */
  withdraw(prefix: Cidr, pathId: number, slot?: string): void {
    this.move(prefix, pathId, null, slot);
  }

  /** move puts the prefix in a bucket (null: the withdraw bucket); `slot` is its prefixKey#pathId when known. */
  private move(prefix: Cidr, pathId: number, to: Bucket | null, slot?: string): void {
    const k = slot ?? `${prefixKey(prefix)}#${pathId}`;
    let q = this.queued.get(k);
    if (q) {
      if (q.bucket) q.bucket.prefixes.delete(k);
      else this.withdraws.delete(k);
    } else {
      q = { prefix, pathId, bucket: null };
      this.queued.set(k, q);
    }
    q.bucket = to;
    if (to) to.prefixes.set(k, q);
    else this.withdraws.set(k, q);
  }

  /**
   * nextUpdate is bgp_create_update: the next UPDATE to send, or null when nothing waits. Withdrawals go
   * first; otherwise the oldest non-empty bucket (empty ones are dropped on the way).
   */
  nextUpdate(ctx: BgpCodecContext & { as4Session: boolean }): { repr: BgpUpdateRepr; bytes: Uint8Array } | null {
    const remains = bgpMaxLength(ctx) - BGP_HEADER_LEN - 4;
    if (this.withdraws.size > 0) {
      const taken = this.take(this.withdraws, remains, ctx.addPath);
      const repr: BgpUpdateRepr = { type: 'update', withdrawn: taken, attributes: [], nlri: [] };
      return { repr, bytes: encodeBgp(repr, ctx) };
    }
    for (const [key, b] of this.buckets) {
      if (b.prefixes.size === 0) {
        this.buckets.delete(key);
        continue;
      }
      const wire = toWireAttrs(b.attrs, ctx.as4Session);
      const aSize = wire.reduce((n, a) => n + encodeAttribute(a, ctx).length, 0);
      if (aSize > remains - 1024) {
        // "Attribute list too long, skipping corresponding routes"
        for (const k of b.prefixes.keys()) this.queued.delete(k);
        this.buckets.delete(key);
        continue;
      }
      const taken = this.take(b.prefixes, remains - aSize, ctx.addPath);
      if (b.prefixes.size === 0) this.buckets.delete(key);
      const repr: BgpUpdateRepr = { type: 'update', withdrawn: [], attributes: wire, nlri: taken };
      return { repr, bytes: encodeBgp(repr, ctx) };
    }
    return null;
  }

  /** take is bgp_encode_prefixes: prefixes while at least 9 octets of room remain. */
  private take(from: Map<string, QueuedPrefix>, room: number, addPath: boolean): BgpNlri[] {
    const out: BgpNlri[] = [];
    for (const [k, q] of from) {
      if (room < 9) break;
      if (addPath) room -= 4;
      room -= 1 + ((q.prefix.len + 7) >>> 3);
      out.push(addPath ? { prefix: q.prefix, pathId: q.pathId } : { prefix: q.prefix });
      from.delete(k);
      this.queued.delete(k);
    }
    return out;
  }
}
