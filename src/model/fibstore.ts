// Route storage for one namespace: every table's routes keyed by (table, prefix, length), each key
// holding its aliases in order (the leaf/alias structure of net/ipv4/fib_trie.c without the trie),
// and the namespace's IPv4 policy routing rules (struct fib4_rule, net/ipv4/fib_rules.c).
// The kernel's rules for these routes (insert modes, lookups, validation) are in src/kernel/fib.ts,
// for the rules in src/kernel/rules.ts.
//
// Each table keeps one hash map per prefix length present, so adding or deleting a route costs
// O(1) whatever the table size, and a lookup probes at most the 33 lengths, longest first. Dump
// order (prefix ascending, longer prefix first) is produced on demand and cached until the next
// change. Route objects are immutable and may be shared by many stores.

import { type Ipv4, maskOf } from './addr.js';
import type { Route } from './world.js';

/** FibRuleAction is a rule's action (FR_ACT_*): look up a table, or fail as blackhole, unreachable or prohibit. */
export type FibRuleAction = 'lookup' | 'blackhole' | 'unreachable' | 'prohibit';

/**
 * FibRule is one IPv4 policy routing rule (struct fib_rule with struct fib4_rule), as `ip rule` adds it.
 * Addresses are kept as given (host bits included); the masks come from the lengths.
 */
export interface FibRule {
  /** pref is the priority (FRA_PRIORITY): rules are walked in ascending order. */
  readonly pref: number;
  readonly action: FibRuleAction;
  /** table is the table an action `lookup` searches (0 for other actions). */
  readonly table: number;
  /** invert is FIB_RULE_INVERT (`not`): the rule applies when its selectors do not match. */
  readonly invert: boolean;
  readonly src: Ipv4;
  readonly srcLen: number;
  readonly dst: Ipv4;
  readonly dstLen: number;
  /** tos is the TOS selector; 0 matches any. */
  readonly tos: number;
  /** iifname and oifname are the device names (FRA_IIFNAME, FRA_OIFNAME); the rule follows the name. */
  readonly iifname: string | null;
  readonly oifname: string | null;
  /** mark and markMask are `fwmark MARK[/MASK]`: (mark ^ skb mark) & markMask must be 0. */
  readonly mark: number;
  readonly markMask: number;
  /** suppressPrefixlen is FRA_SUPPRESS_PREFIXLEN: a lookup answer with a prefix this short or shorter is refused; -1 for none. */
  readonly suppressPrefixlen: number;
  /** proto is FRA_PROTOCOL (0 for unspec; the default rules say kernel). */
  readonly proto: number;
}

/** HOT_SLOTS is the size of a store's lookup cache. */
const HOT_SLOTS = 32;

/** hotSlot is the cache slot of a destination (a multiplicative hash). */
function hotSlot(dst: Ipv4): number {
  return Math.imul(dst, 0x9e3779b1) >>> 27;
}

/** NO_TABLES is the empty set of created tables. */
const NO_TABLES: ReadonlySet<number> = new Set();

/** NO_ROUTES is the alias list of an absent key. */
const NO_ROUTES: readonly Route[] = Object.freeze([]);

/** Aliases is the value stored for one key: a single route, or several in order. */
type Aliases = Route | readonly Route[];

function asList(a: Aliases | undefined): readonly Route[] {
  if (a === undefined) return NO_ROUTES;
  return Array.isArray(a) ? (a as readonly Route[]) : [a as Route];
}

/** FibTableStore holds one routing table. */
class FibTableStore {
  /** byLen[len] maps a network address to the aliases of (address, len). */
  readonly byLen: (Map<Ipv4, Aliases> | undefined)[] = new Array(33);
  /** lens lists the prefix lengths present, longest first. */
  lens: number[] = [];
  routes = 0;
  private dumpCache: readonly Route[] | null = null;

  clone(): FibTableStore {
    const t = new FibTableStore();
    for (const len of this.lens) t.byLen[len] = new Map(this.byLen[len]);
    t.lens = this.lens.slice();
    t.routes = this.routes;
    t.dumpCache = this.dumpCache;
    return t;
  }

  get(addr: Ipv4, len: number): readonly Route[] {
    return asList(this.byLen[len]?.get(addr));
  }

  set(addr: Ipv4, len: number, aliases: readonly Route[]): void {
    this.dumpCache = null;
    let m = this.byLen[len];
    const before = asList(m?.get(addr)).length;
    this.routes += aliases.length - before;
    if (aliases.length === 0) {
      if (m === undefined) return;
      m.delete(addr);
      if (m.size === 0) {
        this.byLen[len] = undefined;
        this.lens = this.lens.filter((l) => l !== len);
      }
      return;
    }
    if (m === undefined) {
      m = new Map();
      this.byLen[len] = m;
      this.lens.push(len);
      this.lens.sort((a, b) => b - a);
    }
    m.set(addr, aliases.length === 1 ? aliases[0] : aliases.slice());
  }

  /** dump lists the routes in fib_trie key order: address ascending, the longer prefix first, aliases in order. */
  dump(): readonly Route[] {
    if (this.dumpCache !== null) return this.dumpCache;
    const keys: { addr: number; len: number }[] = [];
    for (const len of this.lens) for (const addr of this.byLen[len]!.keys()) keys.push({ addr, len });
    keys.sort((a, b) => a.addr - b.addr || b.len - a.len);
    const out: Route[] = [];
    for (const k of keys) {
      const a = this.byLen[k.len]!.get(k.addr)!;
      if (Array.isArray(a)) out.push(...(a as readonly Route[]));
      else out.push(a as Route);
    }
    this.dumpCache = out;
    return out;
  }
}

/**
 * FibNotify hears every change of one key: the routes before and after, in alias order. It is the
 * namespace's route monitor (RTM_NEWROUTE/RTM_DELROUTE to a netlink listener such as BIRD's kernel
 * protocol); it must not change the store it listens to.
 */
export type FibNotify = (table: number, addr: Ipv4, len: number, before: readonly Route[], after: readonly Route[]) => void;

/**
 * FibStore holds every routing table of a namespace. A store referenced by a trace snapshot is
 * `frozen`; the kernel clones it before the next change (copy on write), see src/kernel/fib.ts.
 */
export class FibStore {
  private readonly tables = new Map<number, FibTableStore>();
  /** frozen is set once a snapshot refers to this store; it must not change afterwards. */
  frozen = false;
  /** version counts changes, so callers can tell whether a store changed since they last looked. */
  version = 0;
  /** notify is the route monitor, carried over to clones (the namespace's listeners stay subscribed). */
  notify: FibNotify | null = null;
  /**
   * hotDst and hotRoute cache the answers of recent plain lookups (src/kernel/fib.ts fibLookup), one
   * per slot of a small direct-mapped table; they are not state. A change of a prefix in the tables
   * such a lookup reads (local, main, default) forgets the answers for destinations inside it, the
   * only ones it can change.
   */
  private hotDst: Float64Array | null = null;
  private hotRoute: (Route | null)[] = [];
  /** localTyped counts the local and broadcast routes of the tables a plain lookup reads (local, main, default). */
  private localTyped = new Map<Route, number>();
  /**
   * rules are the namespace's IPv4 rules in walk order; null until the first `ip rule` change, which is
   * the kernel's three default rules (local 0, main 32766, default 32767) with the tables merged.
   */
  private ruleList: readonly FibRule[] | null = null;
  /** created lists the tables other than local and main that were ever created (fib_new_table); they outlive their routes. */
  private created: ReadonlySet<number> = NO_TABLES;

  /** clone returns an unfrozen copy sharing the (immutable) routes. */
  clone(): FibStore {
    const s = new FibStore();
    for (const [id, t] of this.tables) s.tables.set(id, t.clone());
    s.version = this.version;
    s.notify = this.notify;
    s.localTyped = new Map(this.localTyped);
    s.ruleList = this.ruleList;
    s.created = this.created;
    return s;
  }

  /** rules returns the rules in walk order, or null while they are the untouched defaults. */
  get rules(): readonly FibRule[] | null {
    return this.ruleList;
  }

  /**
   * setRules replaces the rule list (fib_nl_newrule, fib_nl_delrule). From then on lookups walk the rules
   * (fib_has_custom_rules), so the answers cached for plain lookups are forgotten.
   */
  setRules(rules: readonly FibRule[]): void {
    if (this.frozen) throw new Error('FibStore: a frozen store was changed');
    this.ruleList = rules;
    this.version++;
    this.hotDst = null;
  }

  /** tableExists is fib_get_table: local and main always exist, another table once a route was added to it. */
  tableExists(table: number): boolean {
    return table === 254 || table === 255 || this.created.has(table) || this.hasTable(table);
  }

  /** createTable is fib_new_table: the table exists from now on, even when a failed request created it. */
  createTable(table: number): void {
    if (table === 254 || table === 255 || this.created.has(table)) return;
    if (this.frozen) throw new Error('FibStore: a frozen store was changed');
    const next = new Set(this.created);
    next.add(table);
    this.created = next;
  }

  /** size is the number of routes in all tables. */
  get size(): number {
    let n = 0;
    for (const t of this.tables.values()) n += t.routes;
    return n;
  }

  /** hasTable says whether a table holds any route. */
  hasTable(table: number): boolean {
    const t = this.tables.get(table);
    return t !== undefined && t.routes > 0;
  }

  /** tableIds lists the tables that hold routes, in the order `ip route show table all` dumps them (id & 255, then id). */
  tableIds(): number[] {
    const ids: number[] = [];
    for (const [id, t] of this.tables) if (t.routes > 0) ids.push(id);
    return ids.sort((a, b) => (a & 255) - (b & 255) || a - b);
  }

  /** aliases returns the routes of one key in order (empty when none). */
  aliases(table: number, addr: Ipv4, len: number): readonly Route[] {
    const t = this.tables.get(table);
    return t === undefined ? NO_ROUTES : t.get(addr, len);
  }

  /** setAliases replaces the routes of one key; an empty list removes the key. */
  setAliases(table: number, addr: Ipv4, len: number, aliases: readonly Route[]): void {
    if (this.frozen) throw new Error('FibStore: a frozen store was changed');
    let t = this.tables.get(table);
    if (t === undefined) {
      if (aliases.length === 0) return;
      t = new FibTableStore();
      this.tables.set(table, t);
    }
    const plain = table === 253 || table === 254 || table === 255;
    const before = this.notify === null && !plain ? NO_ROUTES : t.get(addr, len);
    t.set(addr, len, aliases);
    this.version++;
    if (plain) {
      for (const r of before) if (r.type === 'local' || r.type === 'broadcast') this.countLocal(r, -1);
      for (const r of aliases) if (r.type === 'local' || r.type === 'broadcast') this.countLocal(r, 1);
      if (this.hotDst !== null) this.forgetAnswers(addr, len);
    }
    if (this.notify !== null) this.notify(table, addr, len, before, aliases);
  }

  /** answer returns the cached answer of a plain lookup of `dst`, or undefined. */
  answer(dst: Ipv4): Route | null | undefined {
    const hot = this.hotDst;
    if (hot === null) return undefined;
    const i = hotSlot(dst);
    return hot[i] === dst ? this.hotRoute[i] : undefined;
  }

  /** remember caches the answer of a plain lookup of `dst`, in place of whatever shared its slot. */
  remember(dst: Ipv4, r: Route | null): void {
    if (this.hotDst === null) {
      this.hotDst = new Float64Array(HOT_SLOTS).fill(-1);
      this.hotRoute = new Array<Route | null>(HOT_SLOTS).fill(null);
    }
    const i = hotSlot(dst);
    this.hotDst[i] = dst;
    this.hotRoute[i] = r;
  }

  private forgetAnswers(addr: Ipv4, len: number): void {
    const hot = this.hotDst!;
    const mask = maskOf(len);
    for (let i = 0; i < HOT_SLOTS; i++) {
      const d = hot[i];
      if (d >= 0 && (d & mask) >>> 0 === addr) hot[i] = -1;
    }
  }

  /**
   * mayBeLocal says whether a local or broadcast route of the tables a plain lookup reads covers
   * `dst`. When none does, no plain lookup of `dst` can answer with one.
   */
  mayBeLocal(dst: Ipv4): boolean {
    for (const r of this.localTyped.keys()) if ((dst & maskOf(r.dst.len)) >>> 0 === r.dst.addr) return true;
    return false;
  }

  private countLocal(r: Route, by: number): void {
    const n = (this.localTyped.get(r) ?? 0) + by;
    if (n > 0) this.localTyped.set(r, n);
    else this.localTyped.delete(r);
  }

  /** lengths lists the prefix lengths present in a table, longest first. */
  lengths(table: number): readonly number[] {
    return this.tables.get(table)?.lens ?? [];
  }

  /** probe returns the aliases of the prefix of length `len` containing `net` (already masked), or undefined. */
  probe(table: number, net: Ipv4, len: number): readonly Route[] | undefined {
    const a = this.tables.get(table)?.byLen[len]?.get(net);
    return a === undefined ? undefined : asList(a);
  }

  /** dump lists one table's routes in dump order. */
  dump(table: number): readonly Route[] {
    return this.tables.get(table)?.dump() ?? NO_ROUTES;
  }

  /** all lists every table's routes, tables in tableIds order. */
  all(): Route[] {
    const out: Route[] = [];
    for (const id of this.tableIds()) for (const r of this.dump(id)) out.push(r);
    return out;
  }
}
