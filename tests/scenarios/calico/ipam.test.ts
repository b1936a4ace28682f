// Tests for src/scenarios/calico/ipam.ts: Calico IPAM's block and address choices, its errors and
// messages, and fast-check properties (no address twice, disjoint blocks, release + allocate round trips).

import fc from 'fast-check';
import { cidrContains, formatCidr, formatIpv4, parseCidr, parseIpv4 } from '../../../src/model/addr.js';
import type { IpamSettings } from '../../../src/scenarios/calico/datastore.js';
import {
  affineBlocks,
  allocationOf,
  assignIp,
  autoAssign,
  blockCandidates,
  claimAffinity,
  fnv32,
  goTimeString,
  ipsByHandle,
  newIpamState,
  partialFulfillmentError,
  releaseByHandle,
  releaseIp,
  utilization,
  type IpamState,
} from '../../../src/scenarios/calico/ipam.js';
import { loadScenario } from '../../../src/scenarios/calico/load.js';
import type { DefaultedIPPool } from '../../../src/scenarios/calico/validation.js';

const ip = (s: string) => parseIpv4(s)!;
const cidr = (s: string) => parseCidr(s)!;
const ips = (xs: readonly number[]) => xs.map(formatIpv4);

function pool(name: string, c: string, blockSize: number, extra: Partial<DefaultedIPPool> = {}): DefaultedIPPool {
  return {
    name,
    cidr: cidr(c),
    blockSize,
    ipipMode: 'Never',
    vxlanMode: 'Never',
    natOutgoing: true,
    disabled: false,
    disableBGPExport: false,
    nodeSelector: 'all()',
    allowedUses: ['Workload', 'Tunnel'],
    assignmentMode: 'Automatic',
    ...extra,
  };
}

const CONFIG: IpamSettings = { strictAffinity: false, autoAllocateBlocks: true, maxBlocksPerHost: 0 };

function state(pools: DefaultedIPPool[], config: Partial<IpamSettings> = {}, hosts = ['n1', 'n2', 'n3']): IpamState {
  const labels = new Map(hosts.map((h) => [h, new Map([['kubernetes.io/hostname', h]])] as const));
  return newIpamState(pools, { ...CONFIG, ...config }, labels);
}

const attrs = new Map([['node', 'n1']]);
const auto = (s: IpamState, host: string, num = 1, handle: string | null = `h-${host}`) =>
  autoAssign(s, { host, num, handle, attrs, use: 'Workload' });

describe('fnv32', () => {
  it.each([
    ['', 0x811c9dc5],
    ['a', 0x050c5d7e],
    ['foobar', 0x31f0b262],
  ])('is FNV-1 (not FNV-1a) of %j', (s, want) => {
    expect(fnv32(s)).toBe(want);
  });
});

describe('blockCandidates', () => {
  it('visits every block once, from FNV-32(host) mod the block count, wrapping', () => {
    const p = pool('p', '10.233.0.0/16', 24);
    const c = blockCandidates(p, 'n1');
    expect(c).toHaveLength(256);
    expect(new Set(c.map(formatCidr)).size).toBe(256);
    expect(c[0].addr).toBe(ip('10.233.0.0') + (fnv32('n1') % 256) * 256);
    const i = c.findIndex((b) => b.addr === ip('10.233.255.0'));
    expect(formatCidr(c[(i + 1) % 256])).toBe('10.233.0.0/24');
  });
});

describe('autoAssign', () => {
  it('claims a block and hands out ordinals from 0 up', () => {
    const s = state([pool('p', '10.233.0.0/16', 24)]);
    const r = auto(s, 'n1', 3);
    const block = blockCandidates(s.pools[0], 'n1')[0];
    expect(ips(r.ips)).toEqual([0, 1, 2].map((o) => formatIpv4(block.addr + o)));
    expect(affineBlocks(s, 'n1').map(formatCidr)).toEqual([formatCidr(block)]);
  });

  it("fills the host's affine block before claiming another", () => {
    const s = state([pool('p', '10.0.0.0/24', 30)]);
    const first = auto(s, 'n1', 4).ips;
    const fifth = auto(s, 'n1').ips;
    const [a, b] = affineBlocks(s, 'n1');
    expect(first.every((x) => cidrContains(a, x))).toBe(true);
    expect(cidrContains(b, fifth[0])).toBe(true);
    expect(fifth[0]).toBe(b.addr);
  });

  it('appends a released ordinal to the end of the free list', () => {
    const s = state([pool('p', '10.0.0.0/24', 29)]);
    const got = auto(s, 'n1', 3).ips;
    expect(releaseIp(s, got[1])).toBe(true);
    expect(releaseIp(s, got[1])).toBe(false);
    const next = auto(s, 'n1', 6).ips;
    expect(next.map((x) => x - got[0])).toEqual([3, 4, 5, 6, 7, 1]);
  });

  it("stops at maxBlocksPerHost with Calico's message", () => {
    const s = state([pool('p', '10.0.0.0/24', 30)], { maxBlocksPerHost: 2 });
    const r = auto(s, 'n1', 9);
    expect(r.ips).toHaveLength(8);
    expect(r.error).toBe('cannot allocate new block due to per host block limit');
    expect(r.msgs).toEqual(['Need to allocate an IPAM block but could not - limit of 2 blocks reached for this node']);
  });

  it('stops at 20 blocks when no limit is configured', () => {
    const s = state([pool('p', '10.0.0.0/16', 32)]);
    const r = auto(s, 'n1', 21);
    expect(r.ips).toHaveLength(20);
    expect(r.msgs).toEqual(['Need to allocate an IPAM block but could not - limit of 20 blocks reached for this node']);
  });

  it("borrows from another host's block when the pool has no free block", () => {
    const s = state([pool('p', '10.0.0.0/28', 29)]);
    auto(s, 'n1');
    auto(s, 'n2');
    const r = auto(s, 'n3');
    expect(r.error).toBeUndefined();
    expect(r.ips).toHaveLength(1);
    expect(affineBlocks(s, 'n3')).toEqual([]);
  });

  it('does not borrow with strict affinity', () => {
    const s = state([pool('p', '10.0.0.0/28', 29)], { strictAffinity: true });
    auto(s, 'n1');
    auto(s, 'n2');
    const r = auto(s, 'n3');
    expect(r.ips).toEqual([]);
    expect(r.msgs).toEqual(['No more free affine blocks and strict affinity enabled']);
    expect(partialFulfillmentError(1, r)).toBe(
      'Assigned 0 out of 1 requested IPv4 addresses; No more free affine blocks and strict affinity enabled',
    );
  });

  it('reports exhausted pools', () => {
    const s = state([pool('p', '10.0.0.0/30', 30)]);
    auto(s, 'n1', 4);
    const r = auto(s, 'n2');
    expect(partialFulfillmentError(1, r)).toBe('Assigned 0 out of 1 requested IPv4 addresses; No IPs available in pools: [10.0.0.0/30]');
  });

  it('uses only pools whose node selector matches, in name order', () => {
    const s = state([pool('b', '10.2.0.0/16', 26), pool('a', '10.1.0.0/16', 26, { nodeSelector: 'kubernetes.io/hostname == "n2"' })]);
    expect(cidrContains(cidr('10.2.0.0/16'), auto(s, 'n1').ips[0])).toBe(true);
    expect(cidrContains(cidr('10.1.0.0/16'), auto(s, 'n2').ips[0])).toBe(true);
  });

  it('skips disabled and Manual pools', () => {
    const s = state([pool('a', '10.1.0.0/16', 26, { disabled: true }), pool('b', '10.2.0.0/16', 26, { assignmentMode: 'Manual' })]);
    expect(auto(s, 'n1').error).toBe('no configured Calico pools for node n1');
    const none = state([pool('a', '10.1.0.0/16', 26, { disabled: true })]);
    expect(auto(none, 'n1').error).toBe('cannot find a qualified ippool');
  });

  it('honours allowed uses', () => {
    const s = state([pool('a', '10.1.0.0/16', 26, { allowedUses: ['Tunnel'] })]);
    expect(auto(s, 'n1').error).toBe('cannot find a qualified ippool, no pools match the required use (Workload)');
    expect(autoAssign(s, { host: 'n1', handle: 't', attrs, use: 'Tunnel' }).ips).toHaveLength(1);
  });

  it('uses requested pools unconditionally, and refuses unknown ones', () => {
    const s = state([pool('a', '10.1.0.0/16', 26, { nodeSelector: '!all()' })]);
    expect(autoAssign(s, { host: 'n1', handle: 't', attrs, use: 'Tunnel', pools: [cidr('10.1.0.0/16')] }).ips).toHaveLength(1);
    expect(autoAssign(s, { host: 'n1', handle: 't', attrs, use: 'Tunnel', pools: [cidr('10.9.0.0/16')] }).error).toBe(
      'the given pool (10.9.0.0/16) does not exist, or is not enabled',
    );
  });
});

describe('assignIp and pinned blocks', () => {
  it("claims the address's block for the host and takes the ordinal out of the free list", () => {
    const s = state([pool('p', '10.233.0.0/16', 24)]);
    expect(assignIp(s, { ip: ip('10.233.133.2'), host: 'n1', handle: 'h', attrs })).toBeNull();
    expect(affineBlocks(s, 'n1').map(formatCidr)).toEqual(['10.233.133.0/24']);
    expect(ips(auto(s, 'n1', 3).ips)).toEqual(['10.233.133.0', '10.233.133.1', '10.233.133.3']);
  });

  it.each<[string, string, Partial<IpamSettings>, string]>([
    ['outside every pool', '10.9.9.9', {}, 'The provided IP address is not in a configured pool'],
    ['taken', '10.233.133.0', {}, 'resource already exists: 10.233.133.0'],
    ["in another host's block with strict affinity", '10.233.133.9', { strictAffinity: true }, 'Block host affinity does not match'],
  ])('refuses an address %s', (_what, addr, config, error) => {
    const s = state([pool('p', '10.233.0.0/16', 24)], config);
    claimAffinity(s, 'n2', cidr('10.233.133.0/24'));
    assignIp(s, { ip: ip('10.233.133.0'), host: 'n2', handle: 'x', attrs });
    expect(assignIp(s, { ip: ip(addr), host: 'n1', handle: 'h', attrs })).toBe(error);
  });

  it("pins blocks with ClaimAffinity's errors", () => {
    const s = state([pool('p', '10.233.0.0/16', 24)]);
    expect(claimAffinity(s, 'n1', cidr('10.233.80.0/24'))).toBeNull();
    expect(claimAffinity(s, 'n1', cidr('10.233.80.0/24'))).toBeNull();
    expect(claimAffinity(s, 'n2', cidr('10.233.80.0/24'))).toBe('10.233.80.0/24 already claimed by host:n1');
    expect(claimAffinity(s, 'n2', cidr('10.9.0.0/24'))).toBe('The requested CIDR (10.9.0.0/24) is not within any configured pools.');
    expect(claimAffinity(s, 'n2', cidr('10.233.81.0/26'))).toBe('The requested CIDR (10.233.81.0/26) is smaller than the minimum.');
    expect(claimAffinity(s, 'n2', cidr('10.233.82.0/23'))).toBeNull();
    expect(affineBlocks(s, 'n2').map(formatCidr)).toEqual(['10.233.82.0/24', '10.233.83.0/24']);
  });

  it('lists affine blocks by BlockAffinity name, as the datastore does', () => {
    const s = state([pool('p', '10.233.0.0/16', 24)]);
    for (const b of ['10.233.80.0/24', '10.233.133.0/24', '10.233.9.0/24']) claimAffinity(s, 'n1', cidr(b));
    expect(affineBlocks(s, 'n1').map(formatCidr)).toEqual(['10.233.133.0/24', '10.233.80.0/24', '10.233.9.0/24']);
    expect(ips(auto(s, 'n1').ips)).toEqual(['10.233.133.0']);
  });
});

describe('handles, attributes and utilization', () => {
  it('releases by handle and keeps the attributes of the rest', () => {
    const s = state([pool('p', '10.0.0.0/24', 28)]);
    const a = auto(s, 'n1', 2, 'ha').ips;
    const b = auto(s, 'n1', 1, 'hb').ips;
    expect(ips(ipsByHandle(s, 'ha'))).toEqual(ips(a));
    expect(ips(releaseByHandle(s, 'ha'))).toEqual(ips(a));
    expect(allocationOf(s, b[0])?.handle).toBe('hb');
    expect(allocationOf(s, a[0])).toBeUndefined();
  });

  it('counts blocks per pool as calicoctl ipam show does', () => {
    const s = state([pool('b', '10.2.0.0/16', 24), pool('a', '10.1.0.0/16', 24)]);
    assignIp(s, { ip: ip('10.1.7.1'), host: 'n1', handle: 'h', attrs });
    assignIp(s, { ip: ip('10.1.7.2'), host: 'n1', handle: 'h', attrs });
    assignIp(s, { ip: ip('10.2.0.9'), host: 'n2', handle: 'h', attrs });
    expect(
      utilization(s).map((u) => [
        u.name,
        formatCidr(u.cidr),
        u.blocks.map((b) => [formatCidr(b.cidr), b.capacity - b.available, b.capacity]),
      ]),
    ).toEqual([
      ['a', '10.1.0.0/16', [['10.1.7.0/24', 2, 256]]],
      ['b', '10.2.0.0/16', [['10.2.0.0/24', 1, 256]]],
      ['orphaned allocation blocks', '0.0.0.0/0', []],
    ]);
  });

  it("formats the timestamp attribute as Go's Time.String()", () => {
    expect(goTimeString(1747365840)).toBe('2025-05-16 03:24:00 +0000 UTC');
    expect(goTimeString(1747365840.5)).toBe('2025-05-16 03:24:00.5 +0000 UTC');
    expect(goTimeString(0)).toBe('1970-01-01 00:00:00 +0000 UTC');
  });
});

describe('properties', () => {
  type Op = { kind: 'auto'; host: number; num: number } | { kind: 'fixed'; host: number; ord: number } | { kind: 'release'; pick: number };
  const op: fc.Arbitrary<Op> = fc.oneof(
    fc.record({ kind: fc.constant('auto' as const), host: fc.integer({ min: 0, max: 2 }), num: fc.integer({ min: 1, max: 5 }) }),
    fc.record({ kind: fc.constant('fixed' as const), host: fc.integer({ min: 0, max: 2 }), ord: fc.integer({ min: 0, max: 127 }) }),
    fc.record({ kind: fc.constant('release' as const), pick: fc.nat() }),
  );
  const hosts = ['n1', 'n2', 'n3'];

  function run(ops: Op[], strict: boolean): { s: IpamState; live: Set<number> } {
    const s = state([pool('p', '10.0.0.0/25', 29)], { strictAffinity: strict });
    const live = new Set<number>();
    for (const o of ops) {
      if (o.kind === 'auto') {
        for (const a of auto(s, hosts[o.host], o.num).ips) {
          expect(live.has(a)).toBe(false);
          live.add(a);
        }
      } else if (o.kind === 'fixed') {
        const a = ip('10.0.0.0') + o.ord;
        const err = assignIp(s, { ip: a, host: hosts[o.host], handle: 'f', attrs });
        if (err === null) {
          expect(live.has(a)).toBe(false);
          live.add(a);
        } else if (live.has(a)) {
          // With strict affinity the block's owner is checked before the address.
          expect([`resource already exists: ${formatIpv4(a)}`, 'Block host affinity does not match']).toContain(err);
        }
      } else if (live.size > 0) {
        const a = [...live][o.pick % live.size];
        expect(releaseIp(s, a)).toBe(true);
        live.delete(a);
      }
    }
    return { s, live };
  }

  it('never hands out an address twice, and blocks stay disjoint, aligned and consistent', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), fc.boolean(), (ops, strict) => {
        const { s, live } = run(ops, strict);
        const blocks = [...s.blocks.values()];
        for (const [i, b] of blocks.entries()) {
          expect(b.cidr.len).toBe(29);
          expect(b.cidr.addr % 8).toBe(0);
          for (const c of blocks.slice(i + 1)) expect(cidrContains(b.cidr, c.cidr.addr)).toBe(false);
          const free = new Set(b.unallocated);
          expect(free.size).toBe(b.unallocated.length);
          b.allocations.forEach((a, o) => {
            expect(a === null).toBe(free.has(o));
          });
        }
        const allocated = blocks.flatMap((b) => b.allocations.flatMap((a, o) => (a === null ? [] : [b.cidr.addr + o])));
        expect(new Set(allocated)).toEqual(live);
        for (const [host, keys] of s.affinities) for (const k of keys) expect(s.blocks.get(k)?.affinity).toBe(`host:${host}`);
      }),
    );
  });

  it('an address released from a full block is the next one handed out there', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 7 }), (k) => {
        const s = state([pool('p', '10.0.0.0/29', 29)], { strictAffinity: true });
        const all = auto(s, 'n1', 8).ips;
        expect(all).toHaveLength(8);
        releaseIp(s, all[k]);
        expect(auto(s, 'n1').ips).toEqual([all[k]]);
      }),
    );
  });

  it('release then allocate of everything gives back the same set', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 40 }), (ops) => {
        const { s, live } = run(ops, false);
        const before = new Set(live);
        for (const a of live) releaseIp(s, a);
        const again = new Set<number>();
        for (const a of before) {
          const host = [...s.affinities].find(([, keys]) => keys.some((k) => cidrContains(s.blocks.get(k)!.cidr, a)))?.[0] ?? 'n1';
          expect(assignIp(s, { ip: a, host, handle: 'x', attrs })).toBeNull();
          again.add(a);
        }
        expect(again).toEqual(before);
      }),
    );
  });
});

describe('planIpam (seed 003, IPIP)', () => {
  const yaml = `apiVersion: calisim/v1
kind: Cluster
metadata: {name: seed003}
spec:
  networks: [{name: lan, cidr: 172.17.0.0/16, gateway: 172.17.0.1}]
  nodes:
  - {name: controlplane, network: lan, address: 172.17.0.32, interface: ens3, blocks: [192.168.49.64/26]}
  - {name: node01, network: lan, address: 172.17.0.40, interface: ens3, blocks: [192.168.196.128/26]}
  pods:
  - {name: coredns-66bff467f8-52tkd, namespace: kube-system, node: controlplane}
  - {name: coredns-66bff467f8-g5gjb, namespace: kube-system, node: node01}
  - {name: calico-kube-controllers-799fb94867-6qj77, namespace: kube-system, node: node01}
  - {name: busybox-deployment-8c7dc8548-btnkv, node: node01}
  - {name: busybox-deployment-8c7dc8548-x6ljh, node: controlplane}
---
apiVersion: projectcalico.org/v3
kind: IPPool
metadata: {name: default-ipv4-ippool}
spec: {cidr: 192.168.0.0/16, ipipMode: Always, natOutgoing: true}
`;

  it("gives each node's tunl0 ordinal 0 of its block before any pod, then the pods in order", () => {
    const r = loadScenario(yaml, 's.yaml');
    if (!r.ok) throw new Error(r.errors.join('\n'));
    const plan = r.scenario.ipam;
    expect(formatIpv4(plan.tunnels.get('controlplane')!.ipip!)).toBe('192.168.49.64');
    expect(formatIpv4(plan.tunnels.get('node01')!.ipip!)).toBe('192.168.196.128');
    expect(Object.fromEntries([...plan.podIps].map(([k, v]) => [k, formatIpv4(v)]))).toEqual({
      'kube-system/coredns-66bff467f8-52tkd': '192.168.49.65',
      'kube-system/coredns-66bff467f8-g5gjb': '192.168.196.129',
      'kube-system/calico-kube-controllers-799fb94867-6qj77': '192.168.196.130',
      'default/busybox-deployment-8c7dc8548-btnkv': '192.168.196.131',
      'default/busybox-deployment-8c7dc8548-x6ljh': '192.168.49.66',
    });
    const tunnelAttr = allocationOf(plan.state, plan.tunnels.get('node01')!.ipip!);
    expect(tunnelAttr?.handle).toBe('ipip-tunnel-addr-node01');
    expect(tunnelAttr?.attrs.get('type')).toBe('ipipTunnelAddress');
    const podAttr = allocationOf(plan.state, ip('192.168.196.131'));
    expect(podAttr?.handle).toMatch(/^k8s-pod-network\.[0-9a-f]{64}$/);
    expect([...(podAttr?.attrs ?? new Map())]).toEqual([
      ['namespace', 'default'],
      ['node', 'node01'],
      ['pod', 'busybox-deployment-8c7dc8548-btnkv'],
      ['timestamp', '2025-01-01 00:00:00 +0000 UTC'],
    ]);
  });
});
