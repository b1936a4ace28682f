// Calico IPAM as libcalico-go v3.26–v3.30 implements it: lib/ipam/ipam.go (AutoAssign, autoAssign,
// findOrClaimBlock, AssignIP, ClaimAffinity, ReleaseIPs, ReleaseByHandle, GetUtilization),
// lib/ipam/ipam_block.go (newBlock, autoAssign, assign, release, releaseByHandle) and
// lib/ipam/ipam_block_reader_writer.go (findUsableBlock, randomBlockGenerator, getPoolForIP), with the tunnel
// address allocation of node/pkg/allocateip/allocateip.go and the CNI plugin's handles and attributes
// (cni-plugin/pkg/ipamplugin/ipam_plugin.go).
//
// State is plain data (Maps and arrays) changed in place; pass an immer draft to keep the original.
//
// One deliberate difference: Calico starts its search for a new block at big.Int.Rand(math/rand seeded with
// FNV-32(hostname), numBlocks), which needs Go's 607-value seeding table. calisim starts at
// FNV-32(hostname) mod numBlocks instead, then walks the pool exactly as randomBlockGenerator does (ascending,
// wrapping once). Scenarios that must reproduce a real cluster's blocks pin them (Cluster node `blocks`, or
// BlockAffinity resources). Borrowing from other hosts' blocks uses the same start.

import { cidrContains, formatCidr, formatIpv4, maskOf, networkOf, type Cidr, type Ipv4 } from '../../model/addr.js';
import type { CalicoDatastore, IpamSettings, PodInfo } from './datastore.js';
import { blockAffinityName, cidrToName, cniHandleId, TUNNEL_ATTRIBUTE_TYPE, tunnelHandleId } from './names.js';
import { compareGoStrings, selectorMatches } from './selector.js';
import type { AllowedUse, DefaultedIPPool } from './validation.js';

/** DEFAULT_MAX_BLOCKS_PER_HOST is autoAssign's safeguard when no limit is configured. */
export const DEFAULT_MAX_BLOCKS_PER_HOST = 20;

/** IpamAttribute is one model.AllocationAttribute: the handle and the secondary attributes. */
export interface IpamAttribute {
  readonly handle: string | null;
  readonly attrs: ReadonlyMap<string, string>;
}

/** IpamBlock is one model.AllocationBlock. */
export interface IpamBlock {
  readonly cidr: Cidr;
  /** affinity is `host:<node>`, or null once released. */
  affinity: string | null;
  /** allocations holds, per ordinal, the index into `attributes`, or null when free. */
  readonly allocations: (number | null)[];
  /** unallocated lists the free ordinals in the order they will be handed out. */
  unallocated: number[];
  attributes: IpamAttribute[];
}

/** IpamState is the IPAM part of the datastore. */
export interface IpamState {
  readonly config: IpamSettings;
  /** pools are all pools, sorted by name (disabled ones too); an applied IPPool replaces them. */
  pools: readonly DefaultedIPPool[];
  /** nodeLabels are the labels pool node selectors are evaluated on. */
  readonly nodeLabels: ReadonlyMap<string, ReadonlyMap<string, string>>;
  /** blocks are keyed by their CIDR text. */
  readonly blocks: Map<string, IpamBlock>;
  /** affinities maps a host to the CIDR texts of its confirmed affine blocks. */
  readonly affinities: Map<string, string[]>;
  /** preferred are blocks pinned to a host, claimed in order when the host first needs a new block. */
  readonly preferred: Map<string, Cidr[]>;
}

/** AssignResult is the addresses handed out and Calico's messages (IPAMAssignments), or an error. */
export interface AssignResult {
  readonly ips: readonly Ipv4[];
  readonly msgs: readonly string[];
  readonly error?: string;
}

/** newIpamState is an empty IPAM datastore for the given pools, configuration and node labels. */
export function newIpamState(
  pools: readonly DefaultedIPPool[],
  config: IpamSettings,
  nodeLabels: ReadonlyMap<string, ReadonlyMap<string, string>>,
): IpamState {
  return {
    config,
    pools: [...pools].sort((a, b) => compareGoStrings(a.name, b.name)),
    nodeLabels,
    blocks: new Map(),
    affinities: new Map(),
    preferred: new Map(),
  };
}

/** blockSizeOf is the number of addresses in a block. */
function blockSizeOf(cidr: Cidr): number {
  return 2 ** (32 - cidr.len);
}

/** newBlock is ipam_block.go newBlock: every ordinal free, in order. */
export function newBlock(cidr: Cidr, affinity: string | null): IpamBlock {
  const n = blockSizeOf(cidr);
  return {
    cidr,
    affinity,
    allocations: new Array<number | null>(n).fill(null),
    unallocated: Array.from({ length: n }, (_, i) => i),
    attributes: [],
  };
}

/** ordinalOf is AllocationBlock.IPToOrdinal. */
export function ordinalOf(block: IpamBlock, ip: Ipv4): number | null {
  return cidrContains(block.cidr, ip) ? ip - block.cidr.addr : null;
}

/** ipOf is AllocationBlock.OrdinalToIP. */
export function ipOf(block: IpamBlock, ordinal: number): Ipv4 {
  return (block.cidr.addr + ordinal) >>> 0;
}

function attrsEqual(a: IpamAttribute, b: IpamAttribute): boolean {
  if (a.handle !== b.handle || a.attrs.size !== b.attrs.size) return false;
  for (const [k, v] of a.attrs) if (b.attrs.get(k) !== v) return false;
  return true;
}

/** findOrAddAttribute reuses an identical attribute entry or appends one (ipam_block.go). */
function findOrAddAttribute(block: IpamBlock, attr: IpamAttribute): number {
  const i = block.attributes.findIndex((a) => attrsEqual(a, attr));
  if (i >= 0) return i;
  block.attributes.push(attr);
  return block.attributes.length - 1;
}

/** fnv32 is Go's hash/fnv New32 (FNV-1, not FNV-1a) over the UTF-8 bytes of `s`. */
export function fnv32(s: string): number {
  let h = 0x811c9dc5;
  for (const b of Buffer.from(s, 'utf8')) {
    h = Math.imul(h, 0x01000193) >>> 0;
    h = (h ^ b) >>> 0;
  }
  return h;
}

/**
 * blockCandidates lists a pool's blocks in the order the block search visits them: from the start index
 * (FNV-32(host) mod number of blocks, see the file comment) ascending, wrapping around once.
 */
export function blockCandidates(pool: DefaultedIPPool, host: string): Cidr[] {
  const numBlocks = 2 ** (pool.blockSize - pool.cidr.len);
  const step = 2 ** (32 - pool.blockSize);
  const start = fnv32(host) % numBlocks;
  const out: Cidr[] = [];
  for (let k = 0; k < numBlocks; k++) {
    const i = (start + k) % numBlocks;
    out.push({ addr: (pool.cidr.addr + i * step) >>> 0, len: pool.blockSize });
  }
  return out;
}

function* blockCandidatesLazy(pool: DefaultedIPPool, host: string): Generator<Cidr> {
  const numBlocks = 2 ** (pool.blockSize - pool.cidr.len);
  const step = 2 ** (32 - pool.blockSize);
  const start = fnv32(host) % numBlocks;
  for (let k = 0; k < numBlocks; k++) {
    const i = (start + k) % numBlocks;
    yield { addr: (pool.cidr.addr + i * step) >>> 0, len: pool.blockSize };
  }
}

/** affineBlocks lists a host's affine blocks in the datastore's order (by BlockAffinity name). */
export function affineBlocks(state: IpamState, host: string): Cidr[] {
  return (state.affinities.get(host) ?? []).map((k) => (state.blocks.get(k) as IpamBlock).cidr);
}

function addAffinity(state: IpamState, host: string, key: string): void {
  const list = state.affinities.get(host) ?? [];
  if (!list.includes(key)) list.push(key);
  const blocks = state.blocks;
  list.sort((a, b) =>
    compareGoStrings(
      blockAffinityName(host, (blocks.get(a) as IpamBlock).cidr),
      blockAffinityName(host, (blocks.get(b) as IpamBlock).cidr),
    ),
  );
  state.affinities.set(host, list);
}

function enabledPools(state: IpamState): DefaultedIPPool[] {
  return state.pools.filter((p) => !p.disabled);
}

/** poolForIp is getPoolForIP over the enabled pools. */
export function poolForIp(state: IpamState, ip: Ipv4): DefaultedIPPool | undefined {
  return enabledPools(state).find((p) => cidrContains(p.cidr, ip));
}

function blockFor(ip: Ipv4, pool: DefaultedIPPool): Cidr {
  return { addr: (ip & maskOf(pool.blockSize)) >>> 0, len: pool.blockSize };
}

/** claimAffineBlock creates a block affine to `host` (claimAffineBlock), or reports who holds it. */
function claimAffineBlock(state: IpamState, host: string, cidr: Cidr): IpamBlock | string {
  const key = formatCidr(cidr);
  const existing = state.blocks.get(key);
  const affinity = `host:${host}`;
  if (existing) {
    if (existing.affinity === affinity) {
      addAffinity(state, host, key);
      return existing;
    }
    return existing.affinity !== null ? `${key} already claimed by ${existing.affinity}` : `${key} already claimed`;
  }
  const block = newBlock(cidr, affinity);
  state.blocks.set(key, block);
  addAffinity(state, host, key);
  return block;
}

/**
 * claimAffinity is ClaimAffinity for one block-sized CIDR (how calisim pins a block): the CIDR must lie
 * in a pool and be at least a block. Returns null, or Calico's error.
 */
export function claimAffinity(state: IpamState, host: string, cidr: Cidr): string | null {
  const pool = poolForIp(state, cidr.addr);
  if (!pool) return `The requested CIDR (${formatCidr(cidr)}) is not within any configured pools.`;
  if (cidr.len > pool.blockSize) return `The requested CIDR (${formatCidr(cidr)}) is smaller than the minimum.`;
  const step = 2 ** (32 - pool.blockSize);
  const count = 2 ** (pool.blockSize - cidr.len);
  for (let i = 0; i < count; i++) {
    const r = claimAffineBlock(state, host, { addr: (networkOf(cidr.addr, cidr.len) + i * step) >>> 0, len: pool.blockSize });
    if (typeof r === 'string') return r;
  }
  return null;
}

/** AutoAssignArgs are AutoAssignArgs for one IPv4 request. */
export interface AutoAssignArgs {
  readonly host: string;
  readonly num?: number;
  readonly handle: string | null;
  readonly attrs: ReadonlyMap<string, string>;
  readonly use: AllowedUse;
  /** pools are requested pool CIDRs; when given, node selectors and assignment modes are ignored. */
  readonly pools?: readonly Cidr[];
  /** maxBlocksPerHost is the per-request limit (0: the configured one). */
  readonly maxBlocksPerHost?: number;
}

function nodeSelects(state: IpamState, pool: DefaultedIPPool, host: string): boolean | string {
  const r = selectorMatches(pool.nodeSelector, state.nodeLabels.get(host) ?? new Map());
  return r.ok ? r.matches : r.error;
}

/** determinePools is ipam.go determinePools: the enabled pools the request may use. */
function determinePools(state: IpamState, args: AutoAssignArgs): DefaultedIPPool[] | string {
  const enabled = enabledPools(state).filter((p) => p.blockSize <= 32);
  if (enabled.length === 0) return 'cannot find a qualified ippool';
  if (args.pools && args.pools.length > 0) {
    const out: DefaultedIPPool[] = [];
    for (const rp of args.pools) {
      const net: Cidr = { addr: networkOf(rp.addr, rp.len), len: rp.len };
      const p = enabled.find((x) => x.cidr.addr === net.addr && x.cidr.len === net.len);
      if (!p) return `the given pool (${formatCidr(net)}) does not exist, or is not enabled`;
      out.push(p);
    }
    return out;
  }
  const out: DefaultedIPPool[] = [];
  for (const p of enabled) {
    if (p.assignmentMode !== 'Automatic') continue;
    const m = nodeSelects(state, p, args.host);
    if (typeof m === 'string') return m;
    if (m) out.push(p);
  }
  return out;
}

/** assignFromBlock is allocationBlock.autoAssign: the first free ordinals, in free-list order. */
function assignFromBlock(block: IpamBlock, num: number, attr: IpamAttribute, host: string, affinityCheck: boolean): Ipv4[] | string {
  if (affinityCheck && block.affinity !== null && block.affinity !== `host:${host}`) {
    return `Block affinity (${block.affinity}) does not match provided (${host}:host)`;
  }
  if (block.affinity === null && affinityCheck) return `Attempt to assign from block ${formatCidr(block.cidr)} with no affinity`;
  const take = block.unallocated.slice(0, num);
  if (take.length === 0) return [];
  const idx = findOrAddAttribute(block, attr);
  for (const o of take) block.allocations[o] = idx;
  block.unallocated = block.unallocated.slice(take.length);
  return take.map((o) => ipOf(block, o));
}

/**
 * autoAssign is ipam.go autoAssign for IPv4: the host's affine blocks first (in order), then a new block
 * (pools in order, from the search start), up to the block limit; then, without strict affinity, free
 * addresses in any block (borrowing). Messages and errors are Calico's.
 */
export function autoAssign(state: IpamState, args: AutoAssignArgs): AssignResult {
  const num = args.num ?? 1;
  const msgs: string[] = [];
  const addMsg = (m: string): void => {
    if (!msgs.includes(m)) msgs.push(m);
  };
  const selecting = determinePools(state, args);
  if (typeof selecting === 'string') return { ips: [], msgs, error: selecting };
  if (selecting.length === 0) return { ips: [], msgs, error: `no configured Calico pools for node ${args.host}` };
  const pools = selecting.filter((p) => p.allowedUses.includes(args.use));
  if (pools.length === 0) return { ips: [], msgs, error: `cannot find a qualified ippool, no pools match the required use (${args.use})` };
  const inPools = (c: Cidr): boolean => pools.some((p) => cidrContains(p.cidr, c.addr));
  const remaining = affineBlocks(state, args.host).filter(inPools);
  let owned = remaining.length;
  const cfg = state.config;
  let maxBlocks = args.maxBlocksPerHost ?? 0;
  if (cfg.maxBlocksPerHost > 0 && maxBlocks > 0 && maxBlocks > cfg.maxBlocksPerHost) maxBlocks = cfg.maxBlocksPerHost;
  else if (maxBlocks === 0) maxBlocks = cfg.maxBlocksPerHost;
  if (maxBlocks === 0) maxBlocks = DEFAULT_MAX_BLOCKS_PER_HOST;
  const attr: IpamAttribute = { handle: args.handle, attrs: args.attrs };
  const ips: Ipv4[] = [];
  let allowNewClaim = true;
  while (ips.length < num) {
    if (maxBlocks > 0 && owned >= maxBlocks) allowNewClaim = false;
    let block: IpamBlock | null = null;
    let newlyClaimed = false;
    while (remaining.length > 0) {
      const c = remaining.shift() as Cidr;
      const b = state.blocks.get(formatCidr(c)) as IpamBlock;
      if (b.unallocated.length >= 1) {
        block = b;
        break;
      }
    }
    if (block === null) {
      if (!allowNewClaim) {
        addMsg(`Need to allocate an IPAM block but could not - limit of ${maxBlocks} blocks reached for this node`);
        return { ips, msgs, error: 'cannot allocate new block due to per host block limit' };
      }
      if (!cfg.autoAllocateBlocks) return { ips, msgs, error: 'failed to find or claim a block' };
      const found = takePreferred(state, args.host, pools) ?? findUsableBlock(state, args.host, pools);
      if (found === null) {
        if (cfg.strictAffinity) addMsg('No more free affine blocks and strict affinity enabled');
        break;
      }
      const r = claimAffineBlock(state, args.host, found);
      if (typeof r === 'string') return { ips, msgs, error: r };
      block = r;
      // findOrClaimBlock reports any block found by findUsableBlock as newly claimed.
      newlyClaimed = true;
    }
    if (newlyClaimed) owned++;
    const got = assignFromBlock(block, num - ips.length, attr, args.host, cfg.strictAffinity);
    if (typeof got === 'string') {
      addMsg('Failed to assign IPs in newly allocated block');
      break;
    }
    ips.push(...got);
  }
  let rem = num - ips.length;
  if (!cfg.strictAffinity && rem !== 0) {
    const exhausted: string[] = [];
    for (const p of pools) {
      let done = false;
      for (const c of blockCandidatesLazy(p, args.host)) {
        if (rem <= 0) {
          done = true;
          break;
        }
        const b = state.blocks.get(formatCidr(c));
        if (!b) continue;
        const got = assignFromBlock(b, rem, attr, args.host, false);
        if (typeof got === 'string' || got.length === 0) continue;
        ips.push(...got);
        rem = num - ips.length;
      }
      if (!done && rem > 0) exhausted.push(formatCidr(p.cidr));
      if (rem <= 0) break;
    }
    if (exhausted.length > 0) addMsg(`No IPs available in pools: [${exhausted.join(' ')}]`);
  }
  return { ips, msgs };
}

/** takePreferred takes the host's next pinned block that lies in one of the pools and is still free. */
function takePreferred(state: IpamState, host: string, pools: readonly DefaultedIPPool[]): Cidr | null {
  const list = state.preferred.get(host);
  while (list !== undefined && list.length > 0) {
    const c = list.shift() as Cidr;
    if (pools.some((p) => cidrContains(p.cidr, c.addr)) && !state.blocks.has(formatCidr(c))) return c;
  }
  return null;
}

/** findUsableBlock is ipam_block_reader_writer.go findUsableBlock: a missing block, or an affine one with room. */
function findUsableBlock(state: IpamState, host: string, pools: readonly DefaultedIPPool[]): Cidr | null {
  for (const p of pools) {
    for (const c of blockCandidatesLazy(p, host)) {
      const b = state.blocks.get(formatCidr(c));
      if (!b) return c;
      if (b.affinity === `host:${host}` && b.unallocated.length !== 0) return c;
    }
  }
  return null;
}

/** partialFulfillmentError is IPAMAssignments.PartialFulfillmentError, or null when all were assigned. */
export function partialFulfillmentError(requested: number, r: AssignResult): string | null {
  if (r.ips.length >= requested) return null;
  return [`Assigned ${r.ips.length} out of ${requested} requested IPv4 addresses`, ...r.msgs].join('; ');
}

/** AssignIpArgs are AssignIPArgs: one given address. */
export interface AssignIpArgs {
  readonly ip: Ipv4;
  readonly host: string;
  readonly handle: string | null;
  readonly attrs: ReadonlyMap<string, string>;
}

/**
 * assignIp is ipam.go AssignIP: the address must be in an enabled pool; its block is claimed for the host
 * if it does not exist. Returns null, or Calico's error (without AssignIP's trailing newline).
 */
export function assignIp(state: IpamState, args: AssignIpArgs): string | null {
  const pool = poolForIp(state, args.ip);
  if (!pool) return 'The provided IP address is not in a configured pool';
  const cidr = blockFor(args.ip, pool);
  let block = state.blocks.get(formatCidr(cidr));
  if (!block) {
    const r = claimAffineBlock(state, args.host, cidr);
    if (typeof r === 'string') return r;
    block = r;
  }
  const strict = state.config.strictAffinity;
  if (strict && block.affinity !== null && block.affinity !== `host:${args.host}`) return 'Block host affinity does not match';
  if (block.affinity === null && strict) return `Attempt to assign from block ${formatCidr(block.cidr)} with no affinity`;
  const ordinal = ordinalOf(block, args.ip) as number;
  if (block.allocations[ordinal] !== null) return `resource already exists: ${formatIpv4(args.ip)}`;
  block.allocations[ordinal] = findOrAddAttribute(block, { handle: args.handle, attrs: args.attrs });
  const at = block.unallocated.indexOf(ordinal);
  if (at >= 0) block.unallocated.splice(at, 1);
  return null;
}

function blockOfIp(state: IpamState, ip: Ipv4): IpamBlock | undefined {
  // Blocks have their pool's block size, so the pool gives the key; scan only for blocks outside every pool.
  for (const p of state.pools) {
    if (!cidrContains(p.cidr, ip)) continue;
    const b = state.blocks.get(formatCidr(blockFor(ip, p)));
    if (b) return b;
  }
  for (const b of state.blocks.values()) if (cidrContains(b.cidr, ip)) return b;
  return undefined;
}

function pruneAttributes(block: IpamBlock): void {
  const used = new Set(block.allocations.filter((a): a is number => a !== null));
  const remap = new Map<number, number>();
  const kept: IpamAttribute[] = [];
  block.attributes.forEach((a, i) => {
    if (used.has(i)) {
      remap.set(i, kept.length);
      kept.push(a);
    }
  });
  block.attributes = kept;
  for (let o = 0; o < block.allocations.length; o++) {
    const a = block.allocations[o];
    if (a !== null) block.allocations[o] = remap.get(a) as number;
  }
}

/**
 * releaseIp is ReleaseIPs for one address: its ordinal goes to the end of the free list. Returns false
 * when the address was not allocated (Calico reports it as unallocated, not as an error).
 */
export function releaseIp(state: IpamState, ip: Ipv4): boolean {
  const block = blockOfIp(state, ip);
  if (!block) return false;
  const o = ordinalOf(block, ip) as number;
  if (block.allocations[o] === null) return false;
  block.allocations[o] = null;
  block.unallocated.push(o);
  pruneAttributes(block);
  return true;
}

/** releaseByHandle is ReleaseByHandle: every address of a handle, lowest ordinal first in each block. */
export function releaseByHandle(state: IpamState, handle: string): Ipv4[] {
  const released: Ipv4[] = [];
  for (const block of [...state.blocks.values()].sort((a, b) => compareGoStrings(cidrToName(a.cidr), cidrToName(b.cidr)))) {
    const idx = new Set(block.attributes.map((a, i) => (a.handle === handle ? i : -1)).filter((i) => i >= 0));
    if (idx.size === 0) continue;
    const ordinals: number[] = [];
    for (let o = 0; o < block.allocations.length; o++) {
      const a = block.allocations[o];
      if (a !== null && idx.has(a)) ordinals.push(o);
    }
    for (const o of ordinals) block.allocations[o] = null;
    pruneAttributes(block);
    for (const o of ordinals) {
      block.unallocated.push(o);
      released.push(ipOf(block, o));
    }
  }
  return released;
}

/** ipsByHandle lists a handle's addresses (IPsByHandle). */
export function ipsByHandle(state: IpamState, handle: string): Ipv4[] {
  const out: Ipv4[] = [];
  for (const block of blocksInListOrder(state)) {
    block.allocations.forEach((a, o) => {
      if (a !== null && block.attributes[a].handle === handle) out.push(ipOf(block, o));
    });
  }
  return out;
}

/** allocationOf returns the attribute of an allocated address (GetAssignmentAttributes), or undefined. */
export function allocationOf(state: IpamState, ip: Ipv4): IpamAttribute | undefined {
  const block = blockOfIp(state, ip);
  if (!block) return undefined;
  const a = block.allocations[ordinalOf(block, ip) as number];
  return a === null ? undefined : block.attributes[a];
}

/** blockOwnerOf returns the host a block holding `ip` is affine to, if any. */
export function blockOwnerOf(state: IpamState, ip: Ipv4): string | undefined {
  const a = blockOfIp(state, ip)?.affinity;
  return a?.startsWith('host:') ? a.slice(5) : undefined;
}

/** blocksInListOrder lists blocks as the datastore does: by IPAMBlock name. */
export function blocksInListOrder(state: IpamState): IpamBlock[] {
  return [...state.blocks.values()].sort((a, b) => compareGoStrings(cidrToName(a.cidr), cidrToName(b.cidr)));
}

/** BlockUtilization is one row of `calicoctl ipam show --show-blocks`. */
export interface BlockUtilization {
  readonly cidr: Cidr;
  readonly capacity: number;
  readonly available: number;
}

/** PoolUtilization is a pool (or the orphaned-blocks bucket) with its blocks. */
export interface PoolUtilization {
  readonly name: string;
  readonly cidr: Cidr;
  readonly blocks: readonly BlockUtilization[];
}

/**
 * utilization is GetUtilization over all pools (by name, disabled ones too), then
 * `orphaned allocation blocks` (0.0.0.0/0); each block goes to the first pool it overlaps.
 */
export function utilization(state: IpamState): PoolUtilization[] {
  const rows = [
    ...state.pools.map((p) => ({ name: p.name, cidr: p.cidr, blocks: [] as BlockUtilization[] })),
    { name: 'orphaned allocation blocks', cidr: { addr: 0, len: 0 }, blocks: [] as BlockUtilization[] },
  ];
  for (const b of blocksInListOrder(state)) {
    const row = rows.find((r) => {
      const len = Math.min(r.cidr.len, b.cidr.len);
      return networkOf(r.cidr.addr, len) === networkOf(b.cidr.addr, len);
    });
    row?.blocks.push({ cidr: b.cidr, capacity: b.allocations.length, available: b.unallocated.length });
  }
  return rows;
}

/** goTimeString is Go's Time.String() for a UTC instant: `2006-01-02 15:04:05.999999999 +0000 UTC`. */
export function goTimeString(epochSeconds: number): string {
  const whole = Math.floor(epochSeconds);
  const frac = Math.round((epochSeconds - whole) * 1e9);
  const days = Math.floor(whole / 86400);
  const secs = whole - days * 86400;
  const { y, m, d } = civilFromDays(days);
  const p2 = (n: number): string => String(n).padStart(2, '0');
  const fracText = frac > 0 ? `.${String(frac).padStart(9, '0')}`.replace(/0+$/, '') : '';
  return `${y}-${p2(m)}-${p2(d)} ${p2(Math.floor(secs / 3600))}:${p2(Math.floor((secs % 3600) / 60))}:${p2(secs % 60)}${fracText} +0000 UTC`;
}

function civilFromDays(z0: number): { y: number; m: number; d: number } {
  const z = z0 + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp + (mp < 10 ? 3 : -9);
  return { y: yoe + era * 400 + (m <= 2 ? 1 : 0), m, d };
}

// ---- the scenario's allocations ------------------------------------------------------------------

/** TunnelAddresses are a node's tunnel device addresses. */
export interface TunnelAddresses {
  readonly ipip?: Ipv4;
  readonly vxlan?: Ipv4;
}

/** IpamProblem is an allocation that failed, and what it was for. */
export type IpamProblem =
  | { readonly subject: 'block'; readonly node: string; readonly block: Cidr; readonly message: string }
  | { readonly subject: 'tunnel'; readonly node: string; readonly tunnel: 'ipip' | 'vxlan'; readonly message: string }
  | { readonly subject: 'pod'; readonly index: number; readonly message: string };

/** IpamPlan is the IPAM state after a scenario's nodes and pods have their addresses. */
export interface IpamPlan {
  readonly state: IpamState;
  readonly tunnels: ReadonlyMap<string, TunnelAddresses>;
  /** podIps are keyed by `<namespace>/<pod>`. */
  readonly podIps: Map<string, Ipv4>;
  readonly problems: readonly IpamProblem[];
}

/**
 * tunnelPools is allocateip.go determineEnabledPoolCIDRs for IPIP or VXLAN: pools (in list order) that
 * allow Tunnel use, select the node, are enabled and use that encapsulation.
 */
export function tunnelPools(state: IpamState, host: string, tunnel: 'ipip' | 'vxlan'): DefaultedIPPool[] {
  return state.pools.filter((p) => {
    if (!p.allowedUses.includes('Tunnel')) return false;
    if (nodeSelects(state, p, host) !== true) return false;
    const mode = tunnel === 'ipip' ? p.ipipMode : p.vxlanMode;
    return (mode === 'Always' || mode === 'CrossSubnet') && !p.disabled;
  });
}

/** podHandle and podAttrs are what the CNI plugin stores with a pod's address. */
function podAttrs(p: PodInfo, timestamp: string): Map<string, string> {
  return new Map([
    ['namespace', p.namespace],
    ['node', p.node],
    ['pod', p.name],
    ['timestamp', timestamp],
  ]);
}

/**
 * allocatePod is the CNI plugin's IPAM ADD for one pod: its fixed address (AssignIP) or an automatic
 * one (AutoAssign). It returns the address, or Calico's error.
 */
export function allocatePod(state: IpamState, p: PodInfo, timestamp: string): { ip: Ipv4 } | { error: string } {
  const handle = cniHandleId(p.containerId);
  const attrs = podAttrs(p, timestamp);
  if (p.ip !== undefined) {
    const err = assignIp(state, { ip: p.ip, host: p.node, handle, attrs });
    return err !== null ? { error: err } : { ip: p.ip };
  }
  const r = autoAssign(state, { host: p.node, handle, attrs, use: 'Workload' });
  if (r.error !== undefined) return { error: r.error };
  const partial = partialFulfillmentError(1, r);
  return partial !== null ? { error: `failed to request IPv4 addresses: ${partial}` } : { ip: r.ips[0] };
}

/**
 * planIpam allocates a scenario's addresses in the order a cluster comes up: each node (by name) gets its
 * IPIP and VXLAN tunnel addresses (a preset Node address is assigned as given), then every pod, in
 * scenario order, gets its fixed address or an automatic one. Pinned blocks are claimed when their node
 * first needs a block. Pending pods are left out unless `withPending` (a load-time check that they fit).
 */
export function planIpam(ds: CalicoDatastore, withPending = false): IpamPlan {
  const labels = new Map(ds.nodes.map((n) => [n.name, n.labels] as const));
  const state = newIpamState(ds.pools, ds.ipam, labels);
  const problems: IpamProblem[] = [];
  const tunnels = new Map<string, TunnelAddresses>();
  for (const n of ds.nodes) {
    const pinned = ds.pinnedBlocks.get(n.name);
    if (pinned !== undefined && pinned.length > 0) state.preferred.set(n.name, [...pinned]);
  }
  for (const n of ds.nodes) {
    const t: { ipip?: Ipv4; vxlan?: Ipv4 } = {};
    for (const tunnel of ['ipip', 'vxlan'] as const) {
      const pools = tunnelPools(state, n.name, tunnel);
      if (pools.length === 0) continue;
      const handle = tunnelHandleId(tunnel, n.name);
      const attrs = new Map([
        ['node', n.name],
        ['type', TUNNEL_ATTRIBUTE_TYPE[tunnel]],
      ]);
      const preset = tunnel === 'ipip' ? n.ipv4IPIPTunnelAddr : n.ipv4VXLANTunnelAddr;
      if (preset !== undefined && pools.some((p) => cidrContains(p.cidr, preset))) {
        const err = assignIp(state, { ip: preset, host: n.name, handle, attrs });
        if (err !== null) problems.push({ subject: 'tunnel', node: n.name, tunnel, message: err });
        else t[tunnel] = preset;
        continue;
      }
      const r = autoAssign(state, { host: n.name, handle, attrs, use: 'Tunnel', pools: pools.map((p) => p.cidr) });
      const err = r.error ?? partialFulfillmentError(1, r);
      if (err !== null) problems.push({ subject: 'tunnel', node: n.name, tunnel, message: err });
      else t[tunnel] = r.ips[0];
    }
    tunnels.set(n.name, t);
  }
  const podIps = new Map<string, Ipv4>();
  const timestamp = goTimeString(ds.startTime);
  ds.pods.forEach((p, index) => {
    if (p.pending && !withPending) return;
    const r = allocatePod(state, p, timestamp);
    if ('error' in r) problems.push({ subject: 'pod', index, message: r.error });
    else podIps.set(`${p.namespace}/${p.name}`, r.ip);
  });
  return { state, tunnels, podIps, problems };
}
