// The output queue of one BGP session as BIRD 1.6 keeps it (projectcalico/bird proto/bgp/attrs.c
// bgp_rt_notify, bgp_get_bucket, bgp_get_prefix; packets.c bgp_create_update, bgp_encode_prefixes): routes
// to announce wait in buckets of identical attributes, withdrawals in one withdraw bucket, and a prefix is
// in at most one of them (a newer change replaces an older one still waiting). Each UPDATE carries either
// withdrawals only, or one bucket's attributes and as many of its prefixes as fit in 4096 octets. The
// cost of a change is that of the prefix it touches.
//
// A queued (prefix, path id) is a small integer, its slot (SlotTable, shared by every queue of a speaker);
// a bucket's attributes are an AttrBlock, which encodes them once for every session that sends them.

import {
  BGP_HEADER_LEN,
  BgpMessageType,
  encodeAttribute,
  bgpMaxLength,
  type BgpCodecContext,
  type BgpNlri,
  type BgpPathAttribute,
  type BgpUpdateRepr,
} from '../model/wire/bgp.js';
import type { Cidr } from '../model/addr.js';
import type { ConnId } from './fsm.js';
import { attrsKey, toWireAttrs, type RouteAttrs } from './attrs.js';
import { PrefixMap } from './rib.js';

/** SlotTable numbers the (prefix, path id) pairs a speaker queues or has exported; a number is never reused. */
export class SlotTable {
  private readonly ids = new PrefixMap<Map<number, number>>();
  private readonly prefixes: Cidr[] = [];
  private readonly pathIds: number[] = [];

  /** last remembers the last answer: a change is looked up once for each of the peers it goes to. */
  private lastPrefix: Cidr | null = null;
  private lastPathId = 0;
  private lastSlot = 0;

  /** slot returns the number of (prefix, path id), making one the first time. */
  slot(prefix: Cidr, pathId: number): number {
    if (prefix === this.lastPrefix && pathId === this.lastPathId) return this.lastSlot;
    const id = this.lookup(prefix, pathId);
    this.lastPrefix = prefix;
    this.lastPathId = pathId;
    this.lastSlot = id;
    return id;
  }

  private lookup(prefix: Cidr, pathId: number): number {
    let byPath = this.ids.get(prefix);
    if (!byPath) {
      byPath = new Map();
      this.ids.set(prefix, byPath);
    }
    let id = byPath.get(pathId);
    if (id === undefined) {
      id = this.prefixes.length;
      byPath.set(pathId, id);
      this.prefixes.push({ addr: prefix.addr, len: prefix.len });
      this.pathIds.push(pathId);
    }
    return id;
  }

  prefix(slot: number): Cidr {
    return this.prefixes[slot];
  }

  pathId(slot: number): number {
    return this.pathIds[slot];
  }

  /** size is the number of slots made. */
  get size(): number {
    return this.prefixes.length;
  }
}

/**
 * AttrBlock is one attribute set as it goes out (sorted, normalised) with its encodings, made on first use.
 * A speaker keeps one block per content (the bucket of a queue is found through it).
 */
export class AttrBlock {
  /** key is equal for two blocks exactly when they encode the same (attrsKey). */
  readonly key: string;
  private readonly wires: ({ attrs: BgpPathAttribute[]; bytes: Uint8Array } | undefined)[] = [undefined, undefined, undefined, undefined];
  /**
   * buckets is the block's bucket in each session's queue (TxQueues, by session index): absent, empty
   * (-1), one slot, or a Set of slots in order. `live` counts the sessions that have one.
   */
  buckets: (number | Set<number> | undefined)[] | null = null;
  live = 0;

  constructor(
    readonly attrs: RouteAttrs,
    key?: string,
  ) {
    this.key = key ?? attrsKey(attrs);
  }

  /** wire is the attributes as a session sends them (toWireAttrs) and their encoding. */
  wire(as4Session: boolean, as4: boolean): { attrs: BgpPathAttribute[]; bytes: Uint8Array } {
    const i = (as4Session ? 2 : 0) + (as4 ? 1 : 0);
    let w = this.wires[i];
    if (w === undefined) {
      const attrs = toWireAttrs(this.attrs, as4Session);
      const parts = attrs.map((a) => encodeAttribute(a, { as4, addPath: false }));
      const bytes = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
      let o = 0;
      for (const p of parts) {
        bytes.set(p, o);
        o += p.length;
      }
      this.wires[i] = w = { attrs, bytes };
    }
    return w;
  }
}

/**
 * QueuedUpdate is one UPDATE taken from a queue: its octets, and the message itself (made when read). It
 * is also the speaker's `send` output of that UPDATE: the speaker sets `protocol` and `conn`.
 */
export class QueuedUpdate {
  protocol = '';
  conn: ConnId = 'outgoing';
  private made: BgpUpdateRepr | undefined;

  /**
   * The octets are kept as a place in a shared buffer, the view made when asked for: an UPDATE waiting in
   * a speaker's output costs a small object, not a typed array too.
   */
  constructor(
    private readonly buffer: ArrayBuffer,
    private readonly offset: number,
    private readonly length: number,
    private readonly codec: { readonly slots: SlotTable; readonly addPath: boolean },
    /** prefixes are the withdrawn routes (`withdrawal`) or the NLRI: one slot, or a list. */
    private readonly prefixes: number | readonly number[],
    private readonly withdrawal: boolean,
    private readonly attributes: readonly BgpPathAttribute[],
  ) {}

  get type(): 'send' {
    return 'send';
  }

  get bytes(): Uint8Array {
    return new Uint8Array(this.buffer, this.offset, this.length);
  }

  get repr(): BgpUpdateRepr {
    if (this.made === undefined) {
      const { slots, addPath } = this.codec;
      const nlri = (s: number): BgpNlri => (addPath ? { prefix: slots.prefix(s), pathId: slots.pathId(s) } : { prefix: slots.prefix(s) });
      const list = typeof this.prefixes === 'number' ? [nlri(this.prefixes)] : this.prefixes.map(nlri);
      this.made = {
        type: 'update',
        withdrawn: this.withdrawal ? list : [],
        attributes: [...this.attributes],
        nlri: this.withdrawal ? [] : list,
      };
    }
    return this.made;
  }

  /** message is the UPDATE (the `send` output's field). */
  get message(): BgpUpdateRepr {
    return this.repr;
  }
}

const NO_SLOTS: readonly number[] = [];
const NO_ATTRS: readonly BgpPathAttribute[] = [];
const NO_OCTETS = new Uint8Array(0);

/** WITHDRAWN marks a slot waiting in the withdraw bucket. */
const WITHDRAWN = { withdrawn: true } as const;
type Place = AttrBlock | typeof WITHDRAWN;

/** SessionQueue is what one session has waiting: its buckets oldest first (from `head`), its withdrawals, and how many slots in all. */
interface SessionQueue {
  order: AttrBlock[];
  head: number;
  readonly withdraws: Set<number>;
  pending: number;
}

/**
 * TxQueues are the output queues of all the sessions of a speaker, each session a small index. The state
 * of a (slot, session) and of a (block, session) lives in arrays on the slot and the block, so that
 * queueing one change for 5,000 peers costs array stores, not hash lookups.
 */
export class TxQueues {
  private readonly queues: (SessionQueue | undefined)[] = [];
  /** where is, per slot, where it waits in each session's queue (undefined: not queued). */
  private readonly where: ((Place | undefined)[] | undefined)[] = [];
  /** waiting counts, per slot, the sessions it waits in. */
  private readonly waiting: number[] = [];

  private readonly codecPlain: { readonly slots: SlotTable; readonly addPath: boolean };
  private readonly codecAddPath: { readonly slots: SlotTable; readonly addPath: boolean };

  constructor(readonly slots: SlotTable = new SlotTable()) {
    this.codecPlain = { slots, addPath: false };
    this.codecAddPath = { slots, addPath: true };
  }

  private queue(t: number): SessionQueue {
    let q = this.queues[t];
    if (q === undefined) this.queues[t] = q = { order: [], head: 0, withdraws: new Set(), pending: 0 };
    return q;
  }

  /** pending says whether anything waits for session t. */
  pending(t: number): boolean {
    return (this.queues[t]?.pending ?? 0) > 0;
  }

  /** announce queues a slot with its attributes for session t: bgp_rt_notify with a new route. */
  announce(t: number, slot: number, block: AttrBlock): void {
    this.move(t, slot, block);
  }

  /** withdraw queues a withdrawal of a slot for session t: bgp_rt_notify without a new route. */
  withdraw(t: number, slot: number): void {
    this.move(t, slot, WITHDRAWN);
  }

  /** move puts a slot in a bucket (or the withdraw bucket) of session t, at its end. */
  private move(t: number, slot: number, to: Place): void {
    const q = this.queue(t);
    let w = this.where[slot];
    const from = w?.[t];
    if (from === undefined) {
      q.pending++;
      this.waiting[slot] = (this.waiting[slot] ?? 0) + 1;
    } else if (from instanceof AttrBlock) bucketRemove(from, t, slot);
    else q.withdraws.delete(slot);
    if (w === undefined) this.where[slot] = w = [];
    w[t] = to;
    if (!(to instanceof AttrBlock)) q.withdraws.add(slot);
    else {
      if (to.buckets === null) to.buckets = [];
      const bs = to.buckets;
      const st = bs[t];
      if (st === undefined) {
        bs[t] = slot;
        to.live++;
        q.order.push(to);
      } else if (st === -1) bs[t] = slot;
      else if (typeof st === 'number') bs[t] = new Set([st, slot]);
      else st.add(slot);
    }
  }

  /** unqueue forgets that a slot waits for session t. */
  private unqueue(q: SessionQueue, t: number, slot: number): void {
    const w = this.where[slot]!;
    w[t] = undefined;
    q.pending--;
    if (--this.waiting[slot] === 0) this.where[slot] = undefined;
  }

  /** dropBucket removes session t's oldest bucket. */
  private dropBucket(q: SessionQueue, t: number, b: AttrBlock): void {
    b.buckets![t] = undefined;
    if (--b.live === 0) b.buckets = null;
    q.head++;
    if (q.head === q.order.length) {
      q.order = [];
      q.head = 0;
    } else if (q.head > 1024 && q.head * 2 > q.order.length) {
      q.order = q.order.slice(q.head);
      q.head = 0;
    }
  }

  /** clear drops everything session t has waiting (the session left Established: bgp_free_bucket_table). */
  clear(t: number): void {
    const q = this.queues[t];
    if (q === undefined) return;
    for (let i = q.head; i < q.order.length; i++) {
      const b = q.order[i];
      const st = b.buckets![t];
      if (typeof st === 'number') {
        if (st >= 0) this.unqueue(q, t, st);
      } else if (st !== undefined) for (const s of st) this.unqueue(q, t, s);
      b.buckets![t] = undefined;
      if (--b.live === 0) b.buckets = null;
    }
    for (const s of q.withdraws) this.unqueue(q, t, s);
    this.queues[t] = undefined;
  }

  /**
   * nextUpdate is bgp_create_update for session t: the next UPDATE to send, or null when nothing waits.
   * Withdrawals go first; otherwise the oldest non-empty bucket (empty ones are dropped on the way).
   */
  nextUpdate(t: number, ctx: BgpCodecContext & { as4Session: boolean }): QueuedUpdate | null {
    const q = this.queues[t];
    if (q === undefined || q.pending === 0) return null;
    const remains = bgpMaxLength(ctx) - BGP_HEADER_LEN - 4;
    if (q.withdraws.size > 0) {
      const taken = this.take(q, t, q.withdraws, remains, ctx.addPath);
      return this.message(taken, NO_ATTRS, NO_OCTETS, NO_SLOTS, ctx.addPath);
    }
    while (q.head < q.order.length) {
      const b = q.order[q.head];
      const st = b.buckets![t]!;
      if (st === -1 || (typeof st !== 'number' && st.size === 0)) {
        this.dropBucket(q, t, b);
        continue;
      }
      const wire = b.wire(ctx.as4Session, ctx.as4);
      const aSize = wire.bytes.length;
      if (aSize > remains - 1024) {
        // "Attribute list too long, skipping corresponding routes"
        if (typeof st === 'number') this.unqueue(q, t, st);
        else for (const s of st) this.unqueue(q, t, s);
        this.dropBucket(q, t, b);
        continue;
      }
      let taken: number | number[];
      if (typeof st === 'number') {
        // One prefix always fits: at least 1024 octets remain.
        taken = st;
        this.unqueue(q, t, st);
        this.dropBucket(q, t, b);
      } else {
        taken = this.take(q, t, st, remains - aSize, ctx.addPath);
        if (st.size === 0) this.dropBucket(q, t, b);
      }
      return this.message(NO_SLOTS, wire.attrs, wire.bytes, taken, ctx.addPath);
    }
    return null;
  }

  /** take is bgp_encode_prefixes: prefixes while at least 9 octets of room remain. */
  private take(q: SessionQueue, t: number, from: Set<number>, room: number, addPath: boolean): number[] {
    const out: number[] = [];
    for (const s of from) {
      if (room < 9) break;
      if (addPath) room -= 4;
      room -= 1 + ((this.slots.prefix(s).len + 7) >>> 3);
      out.push(s);
      from.delete(s);
      this.unqueue(q, t, s);
    }
    return out;
  }

  /** message encodes an UPDATE: withdrawn routes, attributes (already encoded) and NLRI. */
  private message(
    withdrawn: number | readonly number[],
    attrs: readonly BgpPathAttribute[],
    attrBytes: Uint8Array,
    nlri: number | readonly number[],
    addPath: boolean,
  ): QueuedUpdate {
    const slots = this.slots;
    const wlen = prefixesLength(withdrawn, slots, addPath);
    const alen = attrBytes.length;
    const length = BGP_HEADER_LEN + 4 + wlen + alen + prefixesLength(nlri, slots, addPath);
    const b = allocBytes(length);
    for (let i = 0; i < 16; i++) b[i] = 0xff;
    b[16] = length >>> 8;
    b[17] = length & 0xff;
    b[18] = BgpMessageType.Update;
    b[19] = wlen >>> 8;
    b[20] = wlen & 0xff;
    let o = writePrefixes(b, 21, withdrawn, slots, addPath);
    b[o++] = alen >>> 8;
    b[o++] = alen & 0xff;
    for (let i = 0; i < alen; i++) b[o + i] = attrBytes[i];
    o = writePrefixes(b, o + alen, nlri, slots, addPath);
    const withdrawal = typeof withdrawn === 'number' || withdrawn.length > 0;
    return new QueuedUpdate(
      b.buffer as ArrayBuffer,
      b.byteOffset,
      b.length,
      addPath ? this.codecAddPath : this.codecPlain,
      withdrawal ? withdrawn : nlri,
      withdrawal,
      attrs,
    );
  }
}

function bucketRemove(b: AttrBlock, t: number, slot: number): void {
  const st = b.buckets![t];
  if (typeof st === 'number') {
    if (st === slot) b.buckets![t] = -1;
  } else st?.delete(slot);
}

/** ExportQueue is the output queue of one session alone (TxQueues with one session and its own blocks). */
export class ExportQueue {
  private readonly tx: TxQueues;
  private readonly blocks = new Map<string, AttrBlock>();

  constructor(slots: SlotTable = new SlotTable()) {
    this.tx = new TxQueues(slots);
  }

  /** pending says whether anything waits to be sent. */
  get pending(): boolean {
    return this.tx.pending(0);
  }

  /** clear drops everything (the session left Established: bgp_free_bucket_table). */
  clear(): void {
    this.tx.clear(0);
  }

  /**
   * announce queues a route with its (already normalised) attributes: bgp_rt_notify with a new route.
   * `attrs` must be sorted by type code; the bucket is found by their encoding (`key`, attrsKey).
   */
  announce(prefix: Cidr, pathId: number, attrs: RouteAttrs, key?: string): void {
    const k = key ?? attrsKey(attrs);
    let b = this.blocks.get(k);
    if (b === undefined) {
      b = new AttrBlock(attrs, k);
      this.blocks.set(k, b);
    }
    this.tx.announce(0, this.tx.slots.slot(prefix, pathId), b);
  }

  /** withdraw queues a withdrawal: bgp_rt_notify without a new route. */
  withdraw(prefix: Cidr, pathId: number): void {
    this.tx.withdraw(0, this.tx.slots.slot(prefix, pathId));
  }

  /** nextUpdate is bgp_create_update: the next UPDATE to send, or null when nothing waits. */
  nextUpdate(ctx: BgpCodecContext & { as4Session: boolean }): QueuedUpdate | null {
    const u = this.tx.nextUpdate(0, ctx);
    // A block no session holds is forgotten (a later one of the same content starts a new bucket anyway).
    if (!this.tx.pending(0)) for (const [k, b] of this.blocks) if (b.live === 0) this.blocks.delete(k);
    return u;
  }
}

function prefixesLength(list: number | readonly number[], slots: SlotTable, addPath: boolean): number {
  const base = addPath ? 5 : 1;
  if (typeof list === 'number') return base + ((slots.prefix(list).len + 7) >>> 3);
  let n = 0;
  for (const s of list) n += base + ((slots.prefix(s).len + 7) >>> 3);
  return n;
}

function writePrefixes(b: Uint8Array, o: number, list: number | readonly number[], slots: SlotTable, addPath: boolean): number {
  if (typeof list === 'number') return writePrefix(b, o, list, slots, addPath);
  for (const s of list) o = writePrefix(b, o, s, slots, addPath);
  return o;
}

function writePrefix(b: Uint8Array, o: number, s: number, slots: SlotTable, addPath: boolean): number {
  if (addPath) {
    const id = slots.pathId(s);
    b[o] = id >>> 24;
    b[o + 1] = (id >>> 16) & 0xff;
    b[o + 2] = (id >>> 8) & 0xff;
    b[o + 3] = id & 0xff;
    o += 4;
  }
  const p = slots.prefix(s);
  b[o++] = p.len;
  const a = p.len === 0 ? 0 : (p.addr & (0xffffffff << (32 - p.len))) >>> 0;
  const n = (p.len + 7) >>> 3;
  for (let i = 0; i < n; i++) b[o++] = (a >>> (24 - 8 * i)) & 0xff;
  return o;
}

/** SLAB is the size of the buffers small messages are cut from (one allocation for many messages). */
const SLAB = 1 << 18;
let slab = new ArrayBuffer(SLAB);
let slabUsed = 0;

/** allocBytes returns `n` fresh zeroed octets; messages share slabs so that each costs a view, not a buffer. */
function allocBytes(n: number): Uint8Array {
  if (n > 4096) return new Uint8Array(n);
  if (slabUsed + n > SLAB) {
    slab = new ArrayBuffer(SLAB);
    slabUsed = 0;
  }
  const v = new Uint8Array(slab, slabUsed, n);
  slabUsed += n;
  return v;
}

/**
 * ExportedSlots records which slots each session's peer has from us (BIRD's exp_routes counts them): per
 * slot a bitset over the sessions' indexes, so 5,000 prefixes sent to 5,000 peers take 3 MB.
 */
export class ExportedSlots {
  private readonly bits: (Uint32Array | undefined)[] = [];

  has(slot: number, target: number): boolean {
    const b = this.bits[slot];
    return b !== undefined && target >>> 5 < b.length && (b[target >>> 5] & (1 << (target & 31))) !== 0;
  }

  /** add marks the slot as exported to the target; it says whether it was not before. */
  add(slot: number, target: number): boolean {
    let b = this.bits[slot];
    const w = target >>> 5;
    if (b === undefined || w >= b.length) {
      const nb = new Uint32Array(Math.max(w + 1, b ? 2 * b.length : 1));
      if (b) nb.set(b);
      this.bits[slot] = b = nb;
    }
    const m = 1 << (target & 31);
    if ((b[w] & m) !== 0) return false;
    b[w] |= m;
    return true;
  }

  /** delete unmarks the slot; it says whether it was marked. */
  delete(slot: number, target: number): boolean {
    const b = this.bits[slot];
    const w = target >>> 5;
    if (b === undefined || w >= b.length) return false;
    const m = 1 << (target & 31);
    if ((b[w] & m) === 0) return false;
    b[w] &= ~m;
    return true;
  }

  /** clearTarget forgets everything exported to a target (its session went down). */
  clearTarget(target: number): void {
    const w = target >>> 5;
    const m = ~(1 << (target & 31));
    for (const b of this.bits) if (b !== undefined && w < b.length) b[w] &= m;
  }
}
