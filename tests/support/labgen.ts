// Random labs for the fuzzer (tests/fuzz/lab.fuzz.test.ts): fast-check arbitraries that build valid
// labs in the dialect of docs/labs.md (namespaces, veth pairs, bridges, Calico-style pods, addresses,
// routes, sysctls, neighbours, pings, curls, listeners, captures), and mutations that break them the
// ways a hostile or careless file would. A lab is generated from a plan of small numbers, so
// fast-check shrinks a failing lab to fewer namespaces, links and probes.
//
// Stable labs (`{ stable: true }`) follow DEVELOPERS.md "Writing a lab that is stable on the kernel":
// every MAC is set, proxy_delay=0 wherever proxy ARP is on, IGMP reports of link-local groups off
// before a bridge is made, a `sleep 1` between building and traffic (so links are UP on the kernel
// before anything looks at them), every ping has -W, every curl -sS -m, and only forms whose output
// both sides print alike (no -d, -p, bridge link, ip -j neigh, vxlan, ipip, route get after PMTU).

import fc from 'fast-check';

/** PROTOTYPE_NAMES are Object.prototype's names: user-chosen names must never reach plain-object keys. */
export const PROTOTYPE_NAMES = [
  'constructor',
  '__proto__',
  'toString',
  'valueOf',
  'hasOwnProperty',
  'isPrototypeOf',
  'propertyIsEnumerable',
  'toLocaleString',
  '__defineGetter__',
  '__lookupSetter__',
  'prototype',
  'then',
  'length',
] as const;

/** NETNS_NAMES are valid namespace names (docs/labs.md 2.3), ordinary and awkward. */
const NETNS_NAMES = [
  'a',
  'b',
  'h1',
  'h2',
  'gw',
  'pod1',
  'zlw-01',
  '10-23-14-110',
  'n.s',
  '_x',
  'X_y.z-0',
  'constructor',
  '__proto__',
  'toString',
  'hasOwnProperty',
  'propertyIsEnumerable',
] as const;

/** DEV_NAMES are valid device names (at most 15 characters), ordinary and awkward. */
const DEV_NAMES = [
  'eth0',
  'eth1',
  'v0',
  'port1',
  'cali1',
  'calife4cf73bf2a',
  'a-b_c.d',
  'x123456789abcde',
  'constructor',
  '__proto__',
  'toString',
  'valueOf',
  'hasOwnProperty',
  'isPrototypeOf',
] as const;

/** LabGenOptions choose what kind of lab the generator makes. */
export interface LabGenOptions {
  /** stable keeps to labs that print the same on the kernel and in the simulator (see the file comment). */
  readonly stable?: boolean;
}

/** GeneratedLab is a lab's lines and its text (lines joined, with the layout noise the plan chose). */
export interface GeneratedLab {
  readonly lines: readonly string[];
  readonly text: string;
}

// ---- the plan: small numbers, resolved modulo what exists, so every shrink is still a lab ----

interface LinkPlan {
  /** kind: a veth between two namespaces, a port of the bridge, or a Calico pod of the initial namespace. */
  readonly kind: 'veth' | 'port' | 'pod';
  readonly a: number;
  readonly b: number;
  readonly nameA: number;
  readonly nameB: number;
  readonly len: number;
  readonly addrA: boolean;
  readonly addrB: boolean;
  readonly mtu: number | null;
  readonly txq: number | null;
}

interface RoutePlan {
  readonly ns: number;
  readonly type: number;
  readonly dest: number;
  readonly via: number;
  readonly metric: number | null;
  readonly proto: number | null;
  readonly onlink: boolean;
  readonly style: number;
}

interface SysctlPlan {
  readonly ns: number;
  readonly key: number;
  readonly dev: number;
  readonly value: number;
  readonly style: number;
}

interface NeighPlan {
  readonly ns: number;
  readonly dev: number;
  readonly host: number;
  readonly nud: number;
  readonly verb: number;
}

interface ProbePlan {
  readonly kind: number;
  readonly from: number;
  readonly target: number;
  readonly opts: number;
  readonly capture: number | null;
  readonly filter: number;
}

interface ExtraPlan {
  readonly kind: number;
  readonly x: number;
  readonly y: number;
}

interface LabPlan {
  readonly names: readonly number[];
  readonly bridge: number | null;
  readonly links: readonly LinkPlan[];
  readonly routes: readonly RoutePlan[];
  readonly sysctls: readonly SysctlPlan[];
  readonly neighs: readonly NeighPlan[];
  readonly listens: readonly { readonly ns: number; readonly port: number; readonly http: boolean }[];
  readonly probes: readonly ProbePlan[];
  readonly shows: readonly { readonly at: number; readonly kind: number; readonly ns: number; readonly x: number }[];
  readonly extras: readonly ExtraPlan[];
  readonly layout: readonly number[];
  readonly ipForward: boolean;
}

const small = (max: number): fc.Arbitrary<number> => fc.nat({ max });

function planArb(stable: boolean): fc.Arbitrary<LabPlan> {
  const link = fc.record({
    kind: fc.constantFrom<LinkPlan['kind']>('veth', 'veth', 'port', 'pod'),
    a: small(4),
    b: small(4),
    nameA: small(40),
    nameB: small(40),
    len: small(3),
    addrA: fc.boolean(),
    addrB: fc.boolean(),
    mtu: fc.option(fc.constantFrom(1280, 1400, 1450, 1500, 9000), { nil: null, freq: 6 }),
    txq: fc.option(fc.constantFrom(0, 500, 1000), { nil: null, freq: 6 }),
  });
  const route = fc.record({
    ns: small(4),
    type: small(9),
    dest: small(20),
    via: small(20),
    metric: fc.option(fc.constantFrom(0, 5, 50, 100, 1024), { nil: null, freq: 3 }),
    proto: fc.option(small(25), { nil: null, freq: 3 }),
    onlink: fc.boolean(),
    style: small(5),
  });
  const sysctl = fc.record({ ns: small(4), key: small(30), dev: small(20), value: small(3), style: small(7) });
  const neigh = fc.record({ ns: small(4), dev: small(20), host: small(5), nud: small(3), verb: small(4) });
  const probe = fc.record({
    kind: small(9),
    from: small(4),
    target: small(30),
    opts: small(15),
    capture: fc.option(small(20), { nil: null, freq: 2 }),
    filter: small(12),
  });
  const show = fc.record({ at: small(8), kind: small(40), ns: small(4), x: small(20) });
  const extra = fc.record({ kind: small(30), x: small(20), y: small(20) });
  return fc.record({
    names: fc.uniqueArray(small(NETNS_NAMES.length - 1), { minLength: 0, maxLength: stable ? 3 : 4 }),
    bridge: fc.option(small(4), { nil: null, freq: 3 }),
    links: fc.array(link, { minLength: 1, maxLength: stable ? 4 : 6 }),
    routes: fc.array(route, { maxLength: stable ? 5 : 8 }),
    sysctls: fc.array(sysctl, { maxLength: stable ? 4 : 8 }),
    neighs: fc.array(neigh, { maxLength: 3 }),
    listens: fc.array(fc.record({ ns: small(4), port: fc.constantFrom(80, 8080, 9000), http: fc.boolean() }), { maxLength: 2 }),
    probes: fc.array(probe, { maxLength: stable ? 4 : 8 }),
    shows: fc.array(show, { maxLength: stable ? 6 : 12 }),
    extras: stable ? fc.constant([]) : fc.array(extra, { maxLength: 10 }),
    layout: fc.array(small(20), { maxLength: 8 }),
    ipForward: fc.boolean(),
  });
}

// ---- rendering a plan into lines ----

/** Ns is a namespace of the lab: null is the initial one. */
type Ns = string | null;

interface Dev {
  readonly ns: Ns;
  readonly name: string;
  /** bridge is set for a bridge device. */
  readonly bridge?: boolean;
  addr: string | null;
  len: number;
  subnet: string | null;
}

const hex2 = (n: number): string => (n & 0xff).toString(16).padStart(2, '0');

/** Builder renders a plan, keeping track of the devices and addresses it has made. */
class Builder {
  readonly out: string[] = [];
  readonly devs: Dev[] = [];
  readonly namespaces: string[];
  private macSerial = 0;
  private readonly used = new Map<Ns, Set<string>>();

  constructor(
    readonly plan: LabPlan,
    readonly stable: boolean,
  ) {
    this.namespaces = plan.names.map((i) => NETNS_NAMES[i]);
  }

  /** nsAt picks a namespace: 0 is the initial one, then the lab's. */
  nsAt(i: number): Ns {
    const k = i % (this.namespaces.length + 1);
    return k === 0 ? null : this.namespaces[k - 1];
  }

  /** devName picks a free device name in `ns`, preferring DEV_NAMES[i]. */
  devName(ns: Ns, i: number, fallback: string): string {
    let set = this.used.get(ns);
    if (set === undefined) {
      set = new Set(['lo']);
      this.used.set(ns, set);
    }
    let name: string = DEV_NAMES[i % DEV_NAMES.length];
    if (i >= DEV_NAMES.length || set.has(name)) name = fallback;
    for (let k = 0; set.has(name); k++) name = `${fallback}x${k}`;
    set.add(name);
    return name;
  }

  mac(): string {
    const n = ++this.macSerial;
    return `02:00:00:00:${hex2(n >> 8)}:${hex2(n)}`;
  }

  /** ip is an `ip` command run in `ns`, written one of the ways a person would. */
  ip(ns: Ns, rest: string, style = 0): string {
    if (ns === null) return `ip ${rest}`;
    return style % 3 === 2 ? `ip netns exec ${ns} ip ${rest}` : `ip -n ${ns} ${rest}`;
  }

  /** inNs is any lab command run in `ns`. */
  inNs(ns: Ns, cmd: string): string {
    return ns === null ? cmd : `ip netns exec ${ns} ${cmd}`;
  }

  devsIn(ns: Ns): Dev[] {
    return this.devs.filter((d) => d.ns === ns);
  }

  /** addresses lists every address assigned so far, with where it lives. */
  addressed(): Dev[] {
    return this.devs.filter((d) => d.addr !== null);
  }
}

const LENS = [24, 30, 16, 24];
const ROUTE_PROTOS = ['static', 'bird', 'kernel', 'boot', 'zebra', 'dhcp', '80', 'bgp', 'ospf'];
const METRICS = ['metric', 'priority', 'preference'];

/** subnetOf gives link k its own network: 10.(k+1).0.0 with the plan's prefix length. */
function subnetOf(k: number, len: number): { net: string; host: (h: number) => string } {
  const base = `10.${k + 1}`;
  if (len === 30) return { net: `${base}.0.0/30`, host: (h) => `${base}.0.${h}` };
  if (len === 16) return { net: `${base}.0.0/16`, host: (h) => `${base}.${Math.floor(h / 250)}.${(h % 250) + 1}` };
  return { net: `${base}.0.0/24`, host: (h) => `${base}.0.${h}` };
}

function renderLinks(b: Builder): void {
  const { plan } = b;
  let bridge: { ns: Ns; name: string } | null = null;
  if (plan.bridge !== null) {
    const ns = b.nsAt(plan.bridge);
    const name = b.devName(ns, 99, 'br0');
    b.out.push(b.inNs(ns, 'sysctl -w net.ipv4.igmp_link_local_mcast_reports=0'));
    b.out.push(b.ip(ns, `link add ${name} type bridge`));
    b.out.push(b.ip(ns, `link set dev ${name} address ${b.mac()} up`));
    bridge = { ns, name };
    b.devs.push({ ns, name, bridge: true, addr: null, len: 24, subnet: null });
  }
  let pods = 0;
  plan.links.forEach((l, k) => {
    let kind = l.kind;
    if (kind === 'port' && bridge === null) kind = 'veth';
    if (kind === 'pod') {
      // A Calico workload: cali<k> on the host side (the initial namespace), eth0 with a /32 in the pod.
      pods++;
      const pod = `pod${k}`;
      if (b.namespaces.includes(pod)) return;
      b.namespaces.push(pod);
      const cali = b.devName(null, 99, `cali${k}`);
      b.devName(pod, 0, 'eth0');
      const addr = `10.233.${k}.${pods + 1}`;
      b.out.push(`ip netns add ${pod}`);
      b.out.push(`ip link add ${cali} type veth peer name eth0 netns ${pod}`);
      b.out.push(`ip link set ${cali} address ee:ee:ee:ee:ee:ee up`);
      b.out.push(`ip -n ${pod} link set eth0 address ${b.mac()} up`);
      b.out.push(`ip -n ${pod} addr add ${addr}/32 dev eth0`);
      b.out.push(`sysctl -qw net.ipv4.conf.${cali}.proxy_arp=1 net.ipv4.neigh.${cali}.proxy_delay=0`);
      b.out.push(`ip route add ${addr} dev ${cali} scope link`);
      b.out.push(`ip -n ${pod} route add 169.254.1.1 dev eth0 scope link`);
      b.out.push(`ip -n ${pod} route add default via 169.254.1.1 dev eth0`);
      b.devs.push({ ns: null, name: cali, addr: null, len: 32, subnet: null });
      b.devs.push({ ns: pod, name: 'eth0', addr, len: 32, subnet: `${addr}/32` });
      return;
    }
    const len = LENS[l.len % LENS.length];
    const sub = subnetOf(k, len);
    const nsA = kind === 'port' ? bridge!.ns : b.nsAt(l.a);
    const nsB = b.nsAt(l.b);
    const nameA = b.devName(nsA, l.nameA, kind === 'port' ? `port${k}` : `v${k}a`);
    const nameB = b.devName(nsB, l.nameB, `v${k}b`);
    // The initial namespace has no name, so the end that lives there is the one that creates the pair.
    const [mk, mkName, far, farName] = nsA === null || nsB !== null ? [nsA, nameA, nsB, nameB] : [nsB, nameB, nsA, nameA];
    const peer = far === mk ? `peer name ${farName}` : `peer name ${farName} netns ${far}`;
    const txq = l.txq !== null && !b.stable ? ` txqueuelen ${l.txq}` : '';
    b.out.push(b.ip(mk, `link add name ${mkName}${txq} type veth ${peer}`, l.nameA));
    // On the kernel a bridge drops frames longer than the port they leave by; keep ports at one MTU.
    const mtu = l.mtu !== null && !(b.stable && (kind === 'port' || l.mtu > 1500)) ? ` mtu ${l.mtu}` : '';
    const master = kind === 'port' ? ` master ${bridge!.name}` : '';
    b.out.push(b.ip(nsA, `link set dev ${nameA} address ${b.mac()}${mtu}${master} up`, l.nameB));
    b.out.push(b.ip(nsB, `link set dev ${nameB} address ${b.mac()}${mtu} up`, l.nameA));
    const devA: Dev = { ns: nsA, name: nameA, addr: null, len, subnet: sub.net };
    const devB: Dev = { ns: nsB, name: nameB, addr: null, len, subnet: sub.net };
    if (kind === 'port') {
      // The bridge's segment: addresses go on the far ends, in the bridge's subnet.
      const bsub = subnetOf(200, 24);
      devB.subnet = bsub.net;
      devB.len = 24;
      if (l.addrB || b.stable) devB.addr = bsub.host(k + 1);
      devA.subnet = null;
    } else {
      if (l.addrA) devA.addr = sub.host(1);
      if (l.addrB) devB.addr = sub.host(2);
    }
    for (const d of [devA, devB]) {
      if (d.addr === null) continue;
      const brd = l.len === 3 ? ' brd +' : '';
      b.out.push(b.ip(d.ns, `addr add ${d.addr}/${d.len}${brd} dev ${d.name}`, l.nameA + l.nameB));
    }
    b.devs.push(devA, devB);
  });
  if (bridge !== null && plan.links.some((l) => l.addrA)) {
    const addr = subnetOf(200, 24).host(254);
    b.out.push(b.ip(bridge.ns, `addr add ${addr}/24 dev ${bridge.name}`));
    const d = b.devs.find((x) => x.name === bridge!.name && x.ns === bridge!.ns)!;
    d.addr = addr;
    d.subnet = subnetOf(200, 24).net;
  }
  if (pods > 0) b.out.push('sysctl -w net.ipv4.ip_forward=1');
}

/** target resolves a probe's target index to an address: assigned ones mostly, sometimes a ghost or a stranger. */
function target(b: Builder, i: number, allowGhost: boolean): string {
  const addrs = b.addressed();
  if (addrs.length === 0 || (allowGhost && i % 9 === 8)) {
    const d = b.devs.find((x) => x.subnet !== null && x.len < 30);
    if (d !== undefined && i % 2 === 0) return d.subnet!.replace(/\.0\/\d+$/, '.222');
    return i % 3 === 0 ? '203.0.113.7' : '169.254.1.1';
  }
  return addrs[i % addrs.length].addr!;
}

function renderRoutes(b: Builder): void {
  for (const r of b.plan.routes) {
    const ns = b.nsAt(r.ns);
    const mine = b.devsIn(ns);
    const others = b.addressed().filter((d) => d.ns !== ns && d.subnet !== null);
    const dests = [
      'default',
      ...b.devs.filter((d) => d.subnet !== null && d.len < 32).map((d) => d.subnet!),
      ...b.addressed().map((d) => d.addr!),
      '10.99.0.0/16',
      '192.168.7.0/24',
    ];
    const dest = dests[r.dest % dests.length];
    const type = r.type % 10;
    const extra = [
      r.metric !== null ? ` ${METRICS[r.style % 3]} ${r.metric}` : '',
      r.proto !== null ? ` proto ${ROUTE_PROTOS[r.proto % ROUTE_PROTOS.length]}` : '',
    ].join('');
    const verb = r.style === 4 && !b.stable ? 'replace' : 'add';
    if (type >= 7 || mine.length === 0) {
      const t = ['blackhole', 'unreachable', 'prohibit'][type % 3];
      b.out.push(b.ip(ns, `route ${verb} ${t} ${dest}${extra}`, r.style));
      continue;
    }
    const dev = mine[r.via % mine.length];
    if (type >= 4 || others.length === 0) {
      const scope = dest === 'default' ? '' : ' scope link';
      b.out.push(b.ip(ns, `route ${verb} ${dest} dev ${dev.name}${scope}${extra}`, r.style));
      continue;
    }
    // Through a gateway: the address at the other end of one of this namespace's links, or any other.
    const peers = b.addressed().filter((d) => d.ns !== ns && d.subnet !== null && d.subnet === dev.subnet);
    const gw = peers.length > 0 ? peers[r.via % peers.length] : others[r.via % others.length];
    const onlink = r.onlink && peers.length === 0 ? ' onlink' : '';
    b.out.push(b.ip(ns, `route ${verb} ${dest} via ${gw.addr} dev ${dev.name}${onlink}${extra}`, r.style));
  }
}

/** SYSCTL_KEYS are global keys and per-device ones (`dir` set: net.ipv4.DIR.DEV.LEAF), with values both sides accept. */
const SYSCTL_KEYS: readonly { readonly dir?: 'conf' | 'neigh'; readonly key: string; readonly values: readonly string[] }[] = [
  { key: 'ip_forward', values: ['1', '0', '1'] },
  { dir: 'conf', key: 'forwarding', values: ['1', '0'] },
  { dir: 'conf', key: 'proxy_arp', values: ['1', '0'] },
  { dir: 'conf', key: 'rp_filter', values: ['0', '1', '2'] },
  { dir: 'conf', key: 'arp_ignore', values: ['0', '1', '2'] },
  { dir: 'conf', key: 'arp_announce', values: ['0', '1', '2'] },
  { dir: 'conf', key: 'accept_local', values: ['0', '1'] },
  { dir: 'conf', key: 'route_localnet', values: ['0', '1'] },
  { dir: 'conf', key: 'send_redirects', values: ['0', '1'] },
  { dir: 'conf', key: 'arp_accept', values: ['0', '1'] },
  { dir: 'neigh', key: 'proxy_delay', values: ['0'] },
  { dir: 'neigh', key: 'ucast_solicit', values: ['3', '1'] },
  { key: 'ip_default_ttl', values: ['64', '1', '255'] },
  { key: 'icmp_echo_ignore_all', values: ['0', '1'] },
  { key: 'icmp_echo_ignore_broadcasts', values: ['1', '0'] },
  { key: 'tcp_syn_retries', values: ['6', '1'] },
  { key: 'tcp_timestamps', values: ['1', '0'] },
  { key: 'tcp_sack', values: ['1', '0'] },
  { key: 'tcp_window_scaling', values: ['1', '0'] },
  { key: 'ip_no_pmtu_disc', values: ['0', '1'] },
  { key: 'icmp_errors_use_inbound_ifaddr', values: ['0', '1'] },
];

/** sysctlKey writes a key with dots or, when `slashes`, with slashes (the only form that reaches a dotted device name). */
function sysctlKey(parts: readonly string[], slashes: boolean): string {
  return parts.join(slashes ? '/' : '.');
}

function sysctlLine(b: Builder, s: SysctlPlan): string {
  const ns = b.nsAt(s.ns);
  const spec = SYSCTL_KEYS[s.key % SYSCTL_KEYS.length];
  const devs = b.devsIn(ns).map((d) => d.name);
  // Proxy ARP for all devices would answer after up to 0.8 s on the kernel: stable labs turn it on per
  // device, each with its proxy_delay=0 (net.ipv4.neigh.default is not there to set: it exists only in
  // the machine's first namespace, see tests/fuzz/regressions/neigh-default.lab).
  // procps cannot reach a device whose name has a dot in the dotted form, and swaps dots and slashes
  // when it prints the other (tests/fuzz/regressions/sysctl-dotted-device.lab): both sides do so now.
  const which = b.stable && spec.key === 'proxy_arp' ? ['lo', ...devs] : [spec.dir === 'neigh' ? 'lo' : 'all', 'default', ...devs];
  const dev = which[s.dev % which.length];
  const slashes = s.style % 4 === 3 || (dev.includes('.') && s.style % 2 === 1);
  const parts = spec.dir === undefined ? ['net', 'ipv4', spec.key] : ['net', 'ipv4', spec.dir, dev, spec.key];
  const key = sysctlKey(parts, slashes);
  const value = spec.values[s.value % spec.values.length];
  // Proxy ARP without proxy_delay=0 answers after a random delay of up to 0.8 s on the kernel.
  if (spec.key === 'proxy_arp' && value === '1') {
    const delay = sysctlKey(['net', 'ipv4', 'neigh', dev === 'all' ? 'default' : dev, 'proxy_delay'], slashes);
    return b.inNs(ns, `sysctl -qw ${key}=1 ${delay}=0`);
  }
  const form = ['sysctl -w', 'sysctl', 'sysctl -q -w', 'sysctl -w'][s.style % 4];
  return b.inNs(ns, `${form} ${key}=${value}`);
}

function renderNeighs(b: Builder): void {
  for (const n of b.plan.neighs) {
    const ns = b.nsAt(n.ns);
    const devs = b.devsIn(ns).filter((d) => d.subnet !== null && d.len < 30);
    if (devs.length === 0) continue;
    const d = devs[n.dev % devs.length];
    const addr = d.subnet!.replace(/\.0\/\d+$/, `.${230 + n.host}`);
    const nud = ['', ' nud permanent', ' nud stale', ' nud reachable'][n.nud % 4];
    const verb = n.verb % 4 === 3 ? 'replace' : 'add';
    b.out.push(b.ip(ns, `neigh ${verb} ${addr} lladdr ${b.mac()} dev ${d.name}${nud}`, n.verb));
  }
}

const FILTERS = ['', 'arp or icmp', 'icmp', 'arp', 'tcp', 'not arp', 'host %', 'ip', 'arp or tcp', 'icmp and host %', '! ( port 22 )', ''];

function probeLines(b: Builder, p: ProbePlan, listens: readonly { ns: Ns; port: number; addrs: string[] }[]): string[] {
  const from = b.nsAt(p.from);
  const lines: string[] = [];
  let cap: string | null = null;
  if (p.capture !== null) {
    const cands = b.devs;
    if (cands.length > 0) {
      const d = cands[p.capture % cands.length];
      const filter = FILTERS[p.filter % FILTERS.length].replace('%', target(b, p.target, false));
      cap = `capture ${d.ns ?? '-'} ${d.name}${filter === '' ? '' : ` ${filter}`}`;
      lines.push(cap);
    }
  }
  const kind = p.kind % 10;
  const dst = target(b, p.target, true);
  if (kind <= 4) {
    // A neighbour that never answers fails 3 s after the first ARP request: -W 4 sees that inside the
    // ping, so no resolution goes on in the background (stable labs wait 4 s for every ping).
    const ghost = !b.addressed().some((d) => d.addr === dst);
    const wait = ghost || b.stable ? 4 : 1;
    const opts = [
      `-c 1 -W ${wait}`,
      `-c 2 -i 0.2 -W ${wait}`,
      `-c 1 -W ${wait} -t 1`,
      `-c 1 -W ${wait} -s 1000`,
      `-c 1 -W ${wait} -M do -s 1473`,
      `-c 1 -W ${wait} -q`,
      `-c1 -W${wait}`,
      `-c 1 -W ${wait} -M dont -s 1200`,
      b.stable ? `-c 1 -W ${wait} -i 0.5` : `-w 1 -i 0.5`,
      `-c 1 -W ${wait} -t 2`,
      `-c 3 -i 0.2 -W ${wait} -q`,
      `-c 1 -n -W ${wait}`,
      `-c 1 -W ${wait} -s 0`,
      `-c 1 -W ${wait} -M want -s 100`,
      `-c 1 -W ${wait} -t 64`,
      `-c 1 -W ${wait}`,
    ][p.opts % 16];
    lines.push(b.inNs(from, `ping ${opts} ${dst}`));
  } else if (kind <= 6) {
    // curl: to a listener when there is one, else to a closed port (a RST) of an address that is there.
    const l = listens.length > 0 ? listens[p.target % listens.length] : null;
    const addr =
      l !== null && l.addrs.length > 0 ? l.addrs[p.opts % l.addrs.length] : b.addressed().length > 0 ? target(b, p.target, false) : null;
    if (addr !== null) {
      const port = l !== null && l.addrs.length > 0 ? l.port : 8081;
      const url = [`http://${addr}:${port}/`, `${addr}:${port}`, `http://${addr}:${port}/healthz`][p.opts % 3];
      // As for ping: a stable lab gives every curl the 3 s ARP needs to fail, so no retry is left
      // pending when curl ends (a capture started just then caught it in some runs: the retry fires up
      // to 64 ms late on the timer wheel). Even an address on a subnet of its own may go through a
      // gateway that does not resolve (a pod's 169.254.1.1 where the host has no route to answer for).
      const m = b.stable ? 4 : 1;
      const form = [`-sS -m ${m}`, `-s -S -m ${m}`, `--silent --show-error --max-time ${m}`, `-sSm${m}`][p.filter % 4];
      lines.push(b.inNs(from, `curl ${form} ${url}`));
    }
  } else if (kind <= 8) {
    const get = [
      `route get ${dst}`,
      `route get ${dst} fibmatch`,
      `-j route get ${dst}`,
      `route get to ${dst}`,
      `r g ${dst}`,
      `route get ${dst} fibmatch`,
    ][p.opts % 6];
    lines.push(b.ip(from, get, p.filter));
  } else if (!b.stable) {
    lines.push('sleep 0.5');
  }
  if (cap !== null) lines.push('captures');
  return lines;
}

/** showLine is a command that only looks: what it prints is the state so far. */
function showLine(b: Builder, kind: number, nsIdx: number, x: number): string | null {
  const ns = b.nsAt(nsIdx);
  const devs = b.devsIn(ns);
  const dev = devs.length > 0 ? devs[x % devs.length].name : 'lo';
  // Dotted device names in sysctl keys (tests/fuzz/regressions/sysctl-dotted-device.lab) and a
  // bridge's counters (bridge-rx-bytes.lab) compare since those were fixed.
  const sysDev = dev;
  const statDev = dev;
  const shows: (string | null)[] = [
    b.ip(ns, 'addr', x),
    b.ip(ns, '-br addr', x),
    b.ip(ns, '-4 addr', x),
    b.ip(ns, `addr show dev ${dev}`, x),
    b.ip(ns, '-j addr', x),
    b.ip(ns, 'link', x),
    b.ip(ns, '-br link', x),
    b.ip(ns, `link show dev ${dev}`, x),
    b.ip(ns, '-j link', x),
    b.ip(ns, `-s link show dev ${statDev}`, x),
    b.ip(ns, 'route', x),
    b.ip(ns, `route show dev ${dev}`, x),
    b.ip(ns, 'route show table local', x),
    b.ip(ns, '-j route', x),
    b.ip(ns, 'route show proto bird', x),
    b.ip(ns, 'neigh', x),
    b.ip(ns, `neigh show dev ${dev}`, x),
    b.inNs(ns, 'route -n'),
    b.inNs(ns, `sysctl net.ipv4.ip_forward net.ipv4.conf.${sysDev}.forwarding`),
    b.inNs(ns, `sysctl -n net.ipv4.conf.${sysDev}.proxy_arp`),
    b.inNs(ns, `cat /proc/sys/net/ipv4/conf/${dev}/rp_filter`),
    b.inNs(ns, `cat /proc/sys/net/ipv4/neigh/${dev}/proxy_delay`),
    'ip netns',
    'ip netns list',
    b.ip(ns, 'r', x),
    b.ip(ns, 'a s', x),
    b.ip(ns, 'l', x),
    b.ip(ns, 'n', x),
    b.ip(ns, 'route show table all', x),
    b.ip(ns, `-j route show dev ${dev}`, x),
    ns === null ? 'bridge fdb show br br0' : null,
    b.stable ? null : b.ip(ns, '-d link', x),
    b.stable ? null : b.ip(ns, '-j -p addr', x),
    b.stable ? null : ns === null ? 'bridge link' : `bridge -n ${ns} link`,
    b.stable ? null : b.ip(ns, '-j neigh', x),
    b.stable ? null : `bridge fdb show dev ${dev}`,
    b.ip(ns, `-br addr show dev ${dev}`, x),
    b.ip(ns, `-4 -br a`, x),
    b.inNs(ns, `sysctl net.ipv4.neigh.${sysDev}.proxy_delay`),
    b.ip(ns, 'route list', x),
  ];
  const s = shows[kind % shows.length];
  if (s === 'bridge fdb show br br0' && !b.devs.some((d) => d.ns === null && d.name === 'br0')) return null;
  return s;
}

/** extraLine is one of the rich generator's other forms (never in stable labs). */
function extraLine(b: Builder, e: ExtraPlan): string | null {
  const ns = b.nsAt(e.x);
  const devs = b.devsIn(ns);
  const d = devs.length > 0 ? devs[e.y % devs.length] : null;
  const dev = d?.name ?? 'lo';
  const forms: (string | null)[] = [
    b.ip(ns, `link set dev ${dev} down`, e.y),
    b.ip(ns, `link set dev ${dev} up`, e.y),
    b.ip(ns, `link set dev ${dev} mtu ${[68, 576, 1280, 1450, 9000][e.y % 5]}`, e.y),
    b.ip(ns, `link set dev ${dev} txqueuelen ${[0, 1, 1000][e.y % 3]}`, e.y),
    d !== null ? b.ip(ns, `link set dev ${dev} down`) : null,
    b.ip(ns, `link add vx${e.y} type vxlan id ${e.y * 100} dstport 4789${d !== null ? ` dev ${dev}` : ''} nolearning`, e.y),
    b.ip(ns, `link add tunl${e.y} type ipip`, e.y),
    b.ip(ns, `link add name br${e.y} txqlen 0 type bridge`, e.y),
    b.ip(ns, `link del dev ${dev}`, e.y),
    d?.addr ? b.ip(ns, `addr del ${d.addr}/${d.len} dev ${dev}`, e.y) : null,
    b.ip(ns, `addr add 192.168.${e.y}.1/24 scope link dev ${dev}`, e.y),
    b.ip(ns, `addr add local 192.168.${e.y + 50}.1/24 metric 50 noprefixroute dev ${dev}`, e.y),
    b.ip(ns, `route del 10.99.0.0/16`, e.y),
    b.ip(ns, `route replace 10.98.0.0/16 dev ${dev} proto static metric 7`, e.y),
    b.ip(ns, `neigh del 10.1.0.230 dev ${dev}`, e.y),
    `bridge fdb add 02:00:00:00:0f:${hex2(e.y)} dev ${dev} master permanent`,
    `bridge fdb append 00:00:00:00:00:00 dev ${dev} dst 10.0.0.${e.y + 1} self permanent`,
    `bridge fdb del 02:00:00:00:0f:${hex2(e.y)} dev ${dev} master`,
    `sleep ${[0, 0.5, 1, 3, 6][e.y % 5]}`,
    ns !== null ? `ip netns del ${ns}` : 'ip netns del nosuch',
    b.inNs(ns, `tcpdump -n -e -i ${dev}${e.y % 2 === 0 ? ' icmp' : ''}`),
    'captures',
    ns !== null ? `ip netns exec ${ns} ip netns exec ${ns} ip -br link` : 'ip netns exec nosuch ip link',
    b.ip(ns, `link set dev ${dev} name ${dev.slice(0, 12)}new`, e.y),
    d !== null && b.namespaces.length > 0 ? b.ip(ns, `link set dev ${dev} netns ${b.namespaces[e.y % b.namespaces.length]}`) : null,
    b.ip(ns, `link set dev ${dev} nomaster`, e.y),
    `sysctl -w net.ipv6.conf.all.disable_ipv6=${e.y % 2}`,
    b.inNs(ns, `ping -c 1 -W 1 -I ${dev} 10.1.0.2`),
    `listen ${ns ?? '-'} ${1 + e.y * 1000}`,
    b.ip(ns, `route get 10.1.0.2 from 10.1.0.1 iif ${dev}`, e.y),
  ];
  return forms[e.kind % forms.length];
}

function render(plan: LabPlan, stable: boolean): string[] {
  const b = new Builder(plan, stable);
  for (const n of b.namespaces) b.out.push(`ip netns add ${n}`);
  renderLinks(b);
  // Settings and routes, in an order the plan chooses (each kind still in its own order).
  const settings: string[][] = [[], [], []];
  for (const s of plan.sysctls) settings[0].push(sysctlLine(b, s));
  if (plan.ipForward) settings[0].push('sysctl -w net.ipv4.ip_forward=1');
  const before = b.out.length;
  renderRoutes(b);
  settings[1] = b.out.splice(before);
  renderNeighs(b);
  settings[2] = b.out.splice(before);
  const order = [0, 1, 2].sort((x, y) => (plan.layout[x] ?? x) - (plan.layout[y] ?? y) || x - y);
  for (const i of order) b.out.push(...settings[i]);
  const listens: { ns: Ns; port: number; addrs: string[] }[] = [];
  for (const l of plan.listens) {
    const ns = b.nsAt(l.ns);
    if (listens.some((x) => x.ns === ns && x.port === l.port)) continue;
    listens.push({
      ns,
      port: l.port,
      addrs: b
        .addressed()
        .filter((d) => d.ns === ns)
        .map((d) => d.addr!),
    });
    b.out.push(`listen ${ns ?? '-'} ${l.port}${l.http ? ' http' : ''}`);
  }
  if (!stable) for (const e of plan.extras.slice(0, plan.extras.length >> 1)) pushNonNull(b.out, extraLine(b, e));
  // The kernel shows a veth's link as UP up to a second after `up`; look only once it has settled.
  b.out.push('sleep 1');
  const shows = [...plan.shows];
  plan.probes.forEach((p, i) => {
    for (const s of shows.filter((x) => x.at % (plan.probes.length + 1) === i)) pushNonNull(b.out, showLine(b, s.kind, s.ns, s.x));
    b.out.push(...probeLines(b, p, listens));
  });
  for (const s of shows.filter((x) => x.at % (plan.probes.length + 1) === plan.probes.length))
    pushNonNull(b.out, showLine(b, s.kind, s.ns, s.x));
  if (!stable) for (const e of plan.extras.slice(plan.extras.length >> 1)) pushNonNull(b.out, extraLine(b, e));
  return b.out;
}

function pushNonNull(out: string[], s: string | null): void {
  if (s !== null) out.push(s);
}

/**
 * layoutText joins lines into a lab file with the noise the dialect allows (docs/labs.md 2.1):
 * comments, blank lines, runs of blanks and tabs, `\` continuations, CRLF endings.
 */
function layoutText(lines: readonly string[], noise: readonly number[]): string {
  if (noise.length === 0) return `${lines.join('\n')}\n`;
  const out: string[] = ['# a generated lab'];
  lines.forEach((l, i) => {
    const n = noise[i % noise.length] + i;
    if (n % 11 === 0) out.push('');
    if (n % 13 === 0) out.push(`  # step ${i}`);
    let text = l;
    if (n % 7 === 0) text = text.replace(' ', ' \t ');
    if (n % 17 === 0 && text.includes(' ')) {
      const at = text.indexOf(' ', text.length >> 1);
      if (at > 0) text = `${text.slice(0, at)} \\   # continued\n    ${text.slice(at + 1)}`;
    }
    if (n % 19 === 0) text = `${text}   # why`;
    out.push(text);
  });
  const eol = noise[0] % 5 === 4 ? '\r\n' : '\n';
  return `${out.join('\n').replaceAll('\n', eol)}${eol}`;
}

/** labArb generates valid labs; `{ stable: true }` only those that compare on the kernel. */
export function labArb(opts: LabGenOptions = {}): fc.Arbitrary<GeneratedLab> {
  const stable = opts.stable === true;
  return fc.tuple(planArb(stable), fc.array(small(40), { maxLength: 4 })).map(([plan, noise]) => {
    const lines = render(plan, stable);
    return { lines, text: layoutText(lines, noise) };
  });
}

// ---- mutations: the ways a hostile or careless lab file breaks ----

/** CONTROL_TOKENS are terminal control sequences and other bytes a message must never echo raw. */
export const CONTROL_TOKENS = [
  '\x1b[31mred\x1b[0m',
  '\x1b]0;pwned\x07',
  '\x1b]8;;http://evil.example/\x1b\\link\x1b]8;;\x1b\\',
  '\x1b[2J\x1b[H',
  '\x9b31m',
  '\x1bP+q\x1b\\',
  'a\x00b',
  '\x7f',
  'x\x08\x08\x08y',
  'a\rb',
  '\x0b\x0c',
  '\u202e',
  '\ufeff',
  '\u2028',
  '\u00a0',
  '\x85',
] as const;

/** HUGE_NUMBERS are numbers at and past every limit a parser might have. */
export const HUGE_NUMBERS = [
  '0',
  '-0',
  '-1',
  '1e309',
  '1e-400',
  '255',
  '256',
  '65535',
  '65536',
  '2147483647',
  '2147483648',
  '4294967295',
  '4294967296',
  '9007199254740993',
  '18446744073709551616',
  '99999999999999999999999999999999999999',
  '0x10',
  '0b1',
  '010',
  '1.5',
  '.5',
  '5.',
  'NaN',
  'Infinity',
  '-Infinity',
  '1_000',
  '3601',
  '3600',
  '0.000001',
  '1e3',
] as const;

/** VOCABULARY are words of the dialect, for swaps and insertions. */
const VOCABULARY = [
  'ip',
  'link',
  'addr',
  'route',
  'neigh',
  'netns',
  'exec',
  'add',
  'del',
  'set',
  'show',
  'type',
  'veth',
  'bridge',
  'vxlan',
  'ipip',
  'peer',
  'name',
  'dev',
  'via',
  'proto',
  'metric',
  'table',
  'lladdr',
  'nud',
  'master',
  'nomaster',
  'up',
  'down',
  'mtu',
  'address',
  '-n',
  '-j',
  '-br',
  '-s',
  '-d',
  '-4',
  'listen',
  'capture',
  'captures',
  'sleep',
  'tcpdump',
  'ping',
  'curl',
  'sysctl',
  'cat',
  'route',
  '-c',
  '-W',
  '-w',
  '-i',
  '-M',
  '-t',
  '-I',
  'http',
  '-',
  '--',
  '\\',
  '#',
  'default',
  'any',
  'all',
  'blackhole',
  'fdb',
  'self',
  'dst',
  '/proc/sys/net/ipv4/ip_forward',
  'net.ipv4.ip_forward=1',
  '10.0.0.1',
  '10.0.0.0/24',
  '255.255.255.255',
  '0.0.0.0/0',
  '02:00:00:00:00:01',
  'ff:ff:ff:ff:ff:ff',
  'calicoctl',
  'kubectl',
  'birdc',
  'ifconfig',
  'arp',
  'ss',
  'ethtool',
  'gobgp',
  'busybox',
  'lo',
  '..',
  '/',
  '=',
  '"',
  "'",
  '$HOME',
  '*',
  '2>&1',
  '|',
  ';',
] as const;

/** KEYWORDS are the dialect's own words, which a rename leaves alone. */
const KEYWORDS: ReadonlySet<string> = new Set([
  ...VOCABULARY,
  ...['net', 'ipv4', 'ipv6', 'conf', 'neigh', 'proc', 'sys', 'scope', 'brd', 'lladdr', 'permanent', 'stale', 'reachable', 'noarp'],
  ...['txqueuelen', 'onlink', 'priority', 'preference', 'fibmatch', 'get', 'replace', 'list', 'local', 'a', 's', 'r', 'l', 'n'],
  ...['br', 'append', 'host', 'or', 'and', 'not', 'icmp', 'tcp', 'udp', 'ip', 'port', 'to', 'from', 'iif', 'oif', 'e', 'j'],
]);

/** Mutation is one change to a lab's text; positions are taken modulo what the text has. */
export type Mutation =
  | { readonly kind: 'flip'; readonly at: number; readonly bit: number }
  | { readonly kind: 'swap'; readonly a: number; readonly b: number }
  | { readonly kind: 'put'; readonly at: number; readonly token: string; readonly replace: boolean }
  | { readonly kind: 'bytes'; readonly at: number; readonly bytes: string }
  | { readonly kind: 'huge'; readonly at: number; readonly size: number; readonly unit: string }
  | { readonly kind: 'line'; readonly at: number; readonly op: 'dup' | 'drop' | 'move'; readonly to: number }
  | { readonly kind: 'rename'; readonly at: number; readonly name: string }
  | { readonly kind: 'number'; readonly at: number; readonly value: string };

/** RENAMES are names a lab may give a namespace or device that code keyed by plain objects, or careless about limits, trips on. */
const RENAMES = [...PROTOTYPE_NAMES, 'all', 'default', 'lo', 'eth0', 'x123456789abcde', 'x123456789abcdef', 'n'.repeat(300), '0', '-'];

/** MIB is a mebibyte, the size of the longest words the mutator writes. */
export const MIB = 1 << 20;

/** mutationArb generates one mutation. */
export function mutationArb(): fc.Arbitrary<Mutation> {
  const at = fc.nat();
  const token = fc.oneof(
    fc.constantFrom(...CONTROL_TOKENS),
    fc.constantFrom(...PROTOTYPE_NAMES),
    fc.constantFrom(...HUGE_NUMBERS),
    fc.constantFrom(...VOCABULARY),
    fc.constantFrom(...PROTOTYPE_NAMES).map((n) => `net.ipv4.conf.${n}.forwarding`),
    fc.constantFrom(...PROTOTYPE_NAMES).map((n) => `/proc/sys/net/ipv4/conf/${n}/proxy_arp`),
    fc.constantFrom(...CONTROL_TOKENS).map((c) => `eth${c}0`),
  );
  return fc.oneof(
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('flip' as const), at, bit: fc.nat({ max: 7 }) }) },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('swap' as const), a: at, b: fc.nat() }) },
    { weight: 6, arbitrary: fc.record({ kind: fc.constant('put' as const), at, token, replace: fc.boolean() }) },
    {
      weight: 2,
      arbitrary: fc.record({ kind: fc.constant('bytes' as const), at, bytes: fc.string({ unit: 'binary', maxLength: 12 }) }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant('huge' as const),
        at,
        size: fc.constantFrom(257, 4096, 70000, MIB),
        unit: fc.constantFrom('a', '9', '.', 'x-', '\x1b[', 'é', '1.'),
      }),
    },
    {
      weight: 2,
      arbitrary: fc.record({
        kind: fc.constant('line' as const),
        at,
        op: fc.constantFrom('dup' as const, 'drop' as const, 'move' as const),
        to: fc.nat(),
      }),
    },
    // These two mostly keep the lab valid, so that it runs and the tools see the odd values.
    { weight: 5, arbitrary: fc.record({ kind: fc.constant('rename' as const), at, name: fc.constantFrom(...RENAMES) }) },
    { weight: 5, arbitrary: fc.record({ kind: fc.constant('number' as const), at, value: fc.constantFrom(...HUGE_NUMBERS) }) },
  );
}

/** wordSpans lists where each word of `text` starts and ends (words are runs without blanks). */
function wordSpans(text: string): [number, number][] {
  const spans: [number, number][] = [];
  for (const m of text.matchAll(/[^ \t\n]+/g)) spans.push([m.index, m.index + m[0].length]);
  return spans;
}

/** applyMutation changes `text` as `m` says. */
export function applyMutation(text: string, m: Mutation): string {
  switch (m.kind) {
    case 'flip': {
      const bytes = Buffer.from(text, 'utf8');
      if (bytes.length === 0) return text;
      bytes[m.at % bytes.length] ^= 1 << m.bit;
      // A byte that breaks UTF-8 reads as U+FFFD, as the CLI reads the file.
      return bytes.toString('utf8');
    }
    case 'swap': {
      const spans = wordSpans(text);
      if (spans.length < 2) return text;
      const [x, y] = [spans[m.a % spans.length], spans[m.b % spans.length]].sort((p, q) => p[0] - q[0]);
      if (x[0] === y[0]) return text;
      return text.slice(0, x[0]) + text.slice(y[0], y[1]) + text.slice(x[1], y[0]) + text.slice(x[0], x[1]) + text.slice(y[1]);
    }
    case 'put': {
      const spans = wordSpans(text);
      if (spans.length === 0) return m.token;
      const [s, e] = spans[m.at % spans.length];
      return m.replace ? text.slice(0, s) + m.token + text.slice(e) : `${text.slice(0, e)} ${m.token}${text.slice(e)}`;
    }
    case 'bytes': {
      const i = text.length === 0 ? 0 : m.at % text.length;
      return text.slice(0, i) + m.bytes + text.slice(i);
    }
    case 'huge': {
      const spans = wordSpans(text);
      const word = m.unit.repeat(Math.ceil(m.size / m.unit.length)).slice(0, m.size);
      if (spans.length === 0) return word;
      const [s, e] = spans[m.at % spans.length];
      return text.slice(0, s) + word + text.slice(e);
    }
    case 'rename': {
      // A name the lab uses more than once (a namespace, a device), replaced everywhere.
      const counts = new Map<string, number>();
      for (const [w] of text.matchAll(/(?<=^|[ \t./])[A-Za-z_][A-Za-z0-9_-]*(?=$|[ \t\n./=])/gm))
        if (!KEYWORDS.has(w)) counts.set(w, (counts.get(w) ?? 0) + 1);
      const names = [...counts].filter(([, n]) => n > 1).map(([w]) => w);
      if (names.length === 0) return text;
      const old = names[m.at % names.length];
      return text.replace(new RegExp(`(?<=^|[ \t./])${old}(?=$|[ \t\n./=])`, 'gm'), m.name);
    }
    case 'number': {
      const nums = [...text.matchAll(/(?<=^|[ \t=])\d+(?:\.\d+)?(?=$|[ \t\r\n])/gm)];
      if (nums.length === 0) return text;
      const n = nums[m.at % nums.length];
      return text.slice(0, n.index) + m.value + text.slice(n.index + n[0].length);
    }
    case 'line': {
      const lines = text.split('\n');
      const i = m.at % lines.length;
      if (m.op === 'dup') lines.splice(i, 0, lines[i]);
      else if (m.op === 'drop') lines.splice(i, 1);
      else lines.splice(m.to % lines.length, 0, ...lines.splice(i, 1));
      return lines.join('\n');
    }
  }
}

/** MutatedLab is a generated lab and the mutations applied to it, in order. */
export interface MutatedLab {
  readonly base: GeneratedLab;
  readonly mutations: readonly Mutation[];
  readonly text: string;
}

/** mutatedLabArb generates a lab and breaks it with one to `maxMutations` mutations. */
export function mutatedLabArb(maxMutations = 4): fc.Arbitrary<MutatedLab> {
  return fc
    .tuple(labArb(), fc.array(mutationArb(), { minLength: 1, maxLength: maxMutations, depthIdentifier: 'mutations' }))
    .map(([base, mutations]) => ({
      base,
      mutations,
      text: mutations.reduce(applyMutation, base.text),
    }));
}

/** describeMutations is a short, printable account of a mutated lab (long words and controls shown escaped). */
export function describeMutations(muts: readonly Mutation[]): string {
  return JSON.stringify(muts, (_k, v: unknown) => (typeof v === 'string' && v.length > 80 ? `${v.slice(0, 40)}…(${v.length})` : v));
}
