// A Calico cluster brought up in the simulator, in the order a real one comes up: the switches and
// routers, each node's machine (namespace, sysctls, host interface, default route), the ipip module
// (every namespace made from then on has tunl0, as on a node where calico-node loaded it), Felix's
// tunnel devices, each pod (the CNI plugin's ADD), Felix's VXLAN programming, then BIRD on every
// node and on the peers outside the cluster, each at its own start time. `converge` runs the
// virtual clock until the BGP sessions and route exchange have settled.

import { formatIpv4, type Ipv4 } from '../../model/addr.js';
import type { Sim } from '../../kernel/engine.js';
import { ipipDriver } from '../../encap/index.js';
import { ACCEPT_ALL, type SpeakerProtocol } from '../../bgp/speaker.js';
import { bgpProtocol, gobgpProtocol } from '../../bgp/config.js';
import type { CalicoDatastore, CalicoNodeInfo, PodInfo } from '../calico/datastore.js';
import type { IpamPlan } from '../calico/ipam.js';
import type { Scenario } from '../calico/load.js';
import { type BirdConfig, birdConfig, computePeerings, externalPeerNeighbors, type PeeringKeys } from '../calico/peering.js';
import { allocatePod, goTimeString } from '../calico/ipam.js';
import { createSimulator } from '../simulator.js';
import { BirdDaemon, type BirdSetup, calicoBirdSetup } from './bird.js';
import { SimKernel, SimTransport, simClock } from './host.js';
import {
  attachHost,
  buildFabric,
  buildNodeHost,
  buildRouters,
  cniAdd,
  felixTunnels,
  felixVxlan,
  podKey,
  podNamespaces,
  type Problem,
  type Topology,
} from './plumbing.js';
import { linkOps, routeAdd, sysctl } from './kernel.js';
import { netnsAdd } from '../../kernel/netns.js';
import { INIT_NS } from '../../model/world.js';

/** ClusterOptions tune how a cluster is brought up. */
export interface ClusterOptions {
  /** birdStart overrides when a node's (or external peer's) BGP daemon starts, in seconds of virtual time. */
  readonly birdStart?: ReadonlyMap<string, number>;
  /** onPodStarted runs once a pod's network is up, in its namespace (the pod's processes start: its `ports` listen). */
  readonly onPodStarted?: (cluster: ClusterRuntime, pod: PodInfo, ns: string) => void;
}

/** ExternalSpeaker is a BGP speaker outside the cluster: a ToR or a reflector such as GoBGP. */
export interface ExternalSpeaker {
  readonly name: string;
  readonly software: 'bird' | 'gobgp';
  /** ns is the namespace it runs in (its router's, or its own host's). */
  readonly ns: string;
  readonly address: Ipv4;
  readonly daemon: BirdDaemon;
}

/** Machine is what a namespace of the cluster stands for. */
export type Machine =
  | { readonly kind: 'node'; readonly node: CalicoNodeInfo }
  | { readonly kind: 'pod'; readonly pod: PodInfo }
  | { readonly kind: 'external'; readonly peer: ExternalSpeaker }
  | { readonly kind: 'router'; readonly name: string }
  | { readonly kind: 'fabric' };

/** ConvergeResult says how convergence went. */
export interface ConvergeResult {
  /** at is the virtual time (seconds) at which the cluster was quiet. */
  readonly at: number;
  /** quiet is false when the limit was reached first. */
  readonly quiet: boolean;
}

/** birdSeed is the seed of a daemon's timer jitter (BIRD randomizes keepalive and hold timers): fixed per machine. */
function birdSeed(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193) >>> 0;
  return h || 1;
}

/** QUIET_GAP_US is how long nothing must be due for the cluster to count as settled. */
const QUIET_GAP_US = 1_000_000;
/** SETTLE_MIN_US is how long a change is given before the next command (a person's pause). */
const SETTLE_MIN_US = 2_000_000;
/** SETTLE_AFTER_START_S covers BIRD's connect delay (2 s) and the OPEN exchange after the last start. */
const SETTLE_AFTER_START_S = 5;

/** ClusterRuntime is one running cluster. */
export class ClusterRuntime {
  readonly sim: Sim;
  /** ds is the datastore as it is now (resources applied since the start change it). */
  ds: CalicoDatastore;
  readonly plan: IpamPlan;
  readonly topo: Topology;
  readonly problems: Problem[] = [];
  nodes: ReadonlyMap<string, CalicoNodeInfo>;
  readonly configs: Map<string, BirdConfig>;
  /** birds maps a node name to its BIRD. */
  readonly birds = new Map<string, BirdDaemon>();
  readonly external = new Map<string, ExternalSpeaker>();
  /** pods maps `<namespace>/<pod>` to the pod, for those created so far. */
  readonly pods = new Map<string, PodInfo>();
  private readonly podCreated = new Map<string, number>();
  private readonly podsByNs = new Map<string, PodInfo>();
  private readonly birdStart: Map<string, number>;
  private peerings: PeeringKeys;
  private readonly onPodStarted: ((cluster: ClusterRuntime, pod: PodInfo, ns: string) => void) | undefined;

  constructor(
    public scenario: Scenario,
    opts: ClusterOptions = {},
  ) {
    this.ds = scenario.datastore;
    this.plan = scenario.ipam;
    this.sim = createSimulator({ ipip: false });
    this.topo = { bridges: new Map(), podNs: podNamespaces(this.ds), fabricPorts: 0 };
    this.nodes = new Map(this.ds.nodes.map((n) => [n.name, n] as const));
    for (const p of this.ds.pods) this.podsByNs.set(this.topo.podNs.get(podKey(p))!, p);
    this.peerings = computePeerings(this.ds);
    this.configs = new Map(this.ds.nodes.map((n) => [n.name, birdConfig(this.ds, this.peerings, this.plan.state, n.name)] as const));
    this.birdStart = new Map(this.ds.nodes.map((n) => [n.name, n.bgpStartTime] as const));
    this.onPodStarted = opts.onPodStarted;
    for (const [k, v] of opts.birdStart ?? []) this.birdStart.set(k, v);
    this.build();
  }

  /** nowSeconds is the virtual time in seconds. */
  get nowSeconds(): number {
    return this.sim.now / 1e6;
  }

  private build(): void {
    const sim = this.sim;
    sim.control((tx) => {
      buildFabric(tx, this.ds, this.topo, this.problems);
      buildRouters(tx, this.ds, this.topo, this.problems);
      for (const n of this.ds.nodes) buildNodeHost(tx, this.ds, this.topo, n, this.problems);
      for (const p of this.ds.externalPeers) this.buildPeerHost(p);
    });
    // calico-node loads ipip (`ip tunnel add tunl0 mode ipip` or modprobe) after the host is up.
    if (this.ds.kernel.ipipModule) sim.loadDriver(ipipDriver);
    sim.control((tx) => {
      for (const n of this.ds.nodes) if (n.state === 'ready') felixTunnels(tx, this.ds, this.plan, n, this.problems);
    });
    for (const p of this.ds.pods) if (!p.pending) this.addPod(p);
    sim.control((tx) => {
      for (const n of this.ds.nodes) if (n.state === 'ready') felixVxlan(tx, this.ds, this.plan, n, this.problems);
    });
    if (this.ds.backend === 'bird') {
      for (const n of this.ds.nodes) {
        const cfg = this.configs.get(n.name)!;
        const daemon = new BirdDaemon(
          calicoBirdSetup(cfg, birdSeed(n.name)),
          simClock(sim),
          new SimTransport(sim, n.name),
          new SimKernel(sim, n.name),
        );
        this.birds.set(n.name, daemon);
        if (cfg.running) this.startAt(n.name, () => daemon.start());
      }
    }
    for (const p of this.ds.externalPeers) {
      const ext = this.externalSpeaker(p);
      this.external.set(p.name, ext);
      this.startAt(p.name, () => ext.daemon.start());
    }
  }

  private startAt(name: string, start: () => void): void {
    const at = this.birdStart.get(name) ?? 0;
    if (at <= this.nowSeconds) this.sim.control(start);
    else this.sim.after(Math.round(at * 1e6) - this.sim.now, () => this.sim.control(start));
  }

  /** peerNs is where an external speaker runs. */
  private peerNs(p: CalicoDatastore['externalPeers'][number]): string {
    return p.router ?? p.name;
  }

  private buildPeerHost(p: CalicoDatastore['externalPeers'][number]): void {
    if (p.router !== undefined) return;
    const net = this.ds.networks.find((n) => n.name === p.network);
    if (net === undefined) return;
    this.sim.control((tx) => {
      const ns = p.name;
      const e = netnsAdd(tx, ns);
      if (e !== null) this.problems.push({ where: ns, what: 'netns', error: e });
      sysctl(tx, ns, 'net.ipv4.ip_forward', '1');
      attachHost(
        tx,
        this.topo,
        { ns, network: net.name, iface: 'eth0', address: p.address, prefixLen: net.cidr.len, mac: p.mac },
        this.problems,
      );
      if (net.gateway !== undefined) {
        const err = routeAdd(tx, ns, { dst: { addr: 0, len: 0 }, gateway: net.gateway, dev: 'eth0' }, 'add');
        if (err !== null) this.problems.push({ where: ns, what: 'default route', error: err });
      }
    });
  }

  private externalSpeaker(p: CalicoDatastore['externalPeers'][number]): ExternalSpeaker {
    const ns = this.peerNs(p);
    const routerId = p.routerID ?? p.address;
    const neighbors: { address: Ipv4; as: number }[] = [];
    if (p.neighbors !== undefined) {
      for (const a of p.neighbors) {
        const node = this.ds.nodes.find((n) => n.address === a);
        neighbors.push({ address: a, as: node?.asNumber ?? this.ds.bgp.asNumber });
      }
    } else {
      for (const { node } of externalPeerNeighbors([...this.configs.values()], p.address)) {
        const n = this.nodes.get(node)!;
        neighbors.push({ address: n.address, as: n.asNumber ?? this.ds.bgp.asNumber });
      }
    }
    const protocols: SpeakerProtocol[] = neighbors.map((nb) => {
      const required = {
        name: p.software === 'gobgp' ? formatIpv4(nb.address) : `peer_${formatIpv4(nb.address).replace(/\./g, '_')}`,
        localAs: p.asNumber,
        peerAs: nb.as,
        neighborAddress: nb.address,
        sourceAddress: p.address,
        routerId,
        rrClient: (p.routeReflector ?? false) && nb.as === p.asNumber,
        rrClusterId: (p.routeReflector ?? false) && nb.as === p.asNumber ? (p.clusterID ?? null) : null,
        passive: p.passive ?? false,
      };
      return {
        config: p.software === 'gobgp' ? gobgpProtocol({ ...required, hostname: p.name }) : bgpProtocol({ ...required, multihop: 64 }),
        importFilter: ACCEPT_ALL,
        exportFilter: ACCEPT_ALL,
      };
    });
    const setup: BirdSetup = {
      name: p.name,
      speaker: {
        routerId,
        protocols,
        localProtocols:
          p.software === 'gobgp'
            ? []
            : [
                { name: 'kernel1', kind: 'kernel' },
                { name: 'device1', kind: 'device' },
              ],
        localAddresses: [p.address],
      },
      // A GoBGP reflector without zebra programs no routes; a BIRD ToR exports everything to its kernel.
      kernelExport: p.software === 'gobgp' ? null : () => ({ accept: true }),
      learn: false,
      directInterfaces: p.software === 'gobgp' ? [] : ['"*"'],
      staticBlackholes: [],
      staticPeerRoutes: [],
      exportKey: 'all',
      kernelKey: 'all',
    };
    const daemon = new BirdDaemon(setup, simClock(this.sim), new SimTransport(this.sim, ns), new SimKernel(this.sim, ns));
    return { name: p.name, software: p.software, ns, address: p.address, daemon };
  }

  /** addPod runs the CNI plugin's ADD for a pod whose address IPAM already gave (Kubernetes scheduled it on its node). */
  private addPod(p: PodInfo): void {
    const key = podKey(p);
    if (this.pods.has(key)) return;
    const node = this.nodes.get(p.node)!;
    this.sim.control((tx) => cniAdd(tx, this.ds, this.plan, this.topo, p, node, this.problems));
    this.pods.set(key, p);
    this.onPodStarted?.(this, p, this.topo.podNs.get(key)!);
    this.podCreated.set(key, p.creationTimestamp ?? this.ds.startTime + (p.pending ? this.nowSeconds : 0));
  }

  /** pendingPods lists the pods that wait for a `kubectl apply`. */
  pendingPods(): PodInfo[] {
    return this.ds.pods.filter((p) => !this.pods.has(podKey(p)));
  }

  /** podCreationTime is when a pod object was created (epoch seconds). */
  podCreationTime(p: PodInfo): number | undefined {
    return this.podCreated.get(podKey(p));
  }

  /**
   * startPod is a pending pod being created: the CNI plugin's IPAM ADD (which may claim a block for the
   * node), its ADD, then confd re-rendering the node's BIRD configuration (its new block). It returns
   * the CNI plugin's error, or null.
   */
  startPod(p: PodInfo): string | null {
    const key = podKey(p);
    if (this.pods.has(key)) return null;
    const before = this.plan.state.affinities.get(p.node)?.length ?? 0;
    const r = allocatePod(this.plan.state, p, goTimeString(this.ds.startTime + this.nowSeconds));
    if ('error' in r) return r.error;
    this.plan.podIps.set(key, r.ip);
    this.addPod(p);
    if ((this.plan.state.affinities.get(p.node)?.length ?? 0) !== before) this.rerenderBird([p.node]);
    return null;
  }

  /**
   * applyScenario takes the datastore after an apply (calicoctl apply, patch): IPAM sees the new pools,
   * confd re-renders every node's BIRD configuration and BIRD reloads where it changed (sessions to
   * new or removed peers, filters refed, routes re-exported to the kernel through a changed kernel filter).
   */
  applyScenario(next: Scenario): void {
    this.scenario = next;
    this.ds = next.datastore;
    this.plan.state.pools = [...next.datastore.pools].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    this.nodes = new Map(this.ds.nodes.map((n) => [n.name, n] as const));
    this.peerings = computePeerings(this.ds);
    this.rerenderBird(this.ds.nodes.map((n) => n.name));
  }

  /** rerenderBird is confd writing new BIRD configurations and calico-node reloading BIRD on those nodes. */
  private rerenderBird(nodes: readonly string[]): void {
    for (const name of nodes) {
      const cfg = birdConfig(this.ds, this.peerings, this.plan.state, name);
      const old = this.configs.get(name);
      this.configs.set(name, cfg);
      if (old !== undefined && JSON.stringify(old) === JSON.stringify(cfg)) continue;
      const b = this.birds.get(name);
      if (b !== undefined) this.sim.control(() => b.reconfigure(calicoBirdSetup(cfg, birdSeed(name))));
    }
  }

  /** machineOf says which node, pod, peer or router a namespace is (undefined: not the cluster's). */
  machineOf(ns: string): Machine | undefined {
    const node = this.nodes.get(ns);
    if (node !== undefined) return { kind: 'node', node };
    const pod = this.podsByNs.get(ns);
    if (pod !== undefined) return this.pods.has(podKey(pod)) ? { kind: 'pod', pod } : undefined;
    for (const e of this.external.values()) if (e.ns === ns && e.ns === e.name) return { kind: 'external', peer: e };
    if (this.ds.routers.some((r) => r.name === ns)) return { kind: 'router', name: ns };
    return ns === INIT_NS ? { kind: 'fabric' } : undefined;
  }

  /** podNamespace is the namespace a pod's network lives in. */
  podNamespace(p: { readonly namespace: string; readonly name: string }): string | undefined {
    return this.topo.podNs.get(podKey(p));
  }

  /** nodeDown powers a node off: BIRD stops, its host interface goes down (peers' hold timers run out). */
  nodeDown(name: string): string | null {
    const n = this.nodes.get(name);
    if (n === undefined) return `unknown node "${name}"`;
    // The link goes first: a machine that loses power sends no FIN, so its peers wait out their hold timers.
    const e = this.sim.control((tx) => linkOps(tx, name, n.interface, [{ op: 'down' }]));
    this.birds.get(name)?.stop();
    return e;
  }

  /** nodeUp powers a node back on: its interface comes up and BIRD starts again. */
  nodeUp(name: string): string | null {
    const n = this.nodes.get(name);
    if (n === undefined) return `unknown node "${name}"`;
    const e = this.sim.control((tx) => linkOps(tx, name, n.interface, [{ op: 'up' }]));
    if (e !== null) return e;
    this.sim.control(() => this.birds.get(name)?.start());
    return null;
  }

  /** lastStart is the latest BIRD start time (seconds). */
  private lastStart(): number {
    let t = 0;
    for (const v of this.birdStart.values()) t = Math.max(t, v);
    return t;
  }

  /**
   * converge runs the clock until every BIRD has started, its connect delay has passed and then no
   * event is due for a second (sessions up, routes exchanged and programmed), or until `limitSeconds`.
   */
  converge(limitSeconds = 3600): ConvergeResult {
    const sim = this.sim;
    const limit = Math.round(limitSeconds * 1e6);
    sim.runUntil(Math.min(limit, Math.max(sim.now, Math.round((this.lastStart() + SETTLE_AFTER_START_S) * 1e6))));
    return this.runUntilQuiet(limit);
  }

  /** settle runs the clock until no event is due for a second (a change has played out), or for `limitSeconds` at most. */
  settle(limitSeconds: number): ConvergeResult {
    const sim = this.sim;
    const limit = sim.now + Math.round(limitSeconds * 1e6);
    // Nobody types the next command within a couple of seconds: short timers (DAD, delayed ACKs) run out.
    sim.runUntil(Math.min(limit, sim.now + SETTLE_MIN_US));
    return this.runUntilQuiet(limit);
  }

  /** runUntilQuiet runs event by event until none is due within QUIET_GAP_US (quiet), or to `limit` (µs). */
  private runUntilQuiet(limit: number): ConvergeResult {
    const sim = this.sim;
    for (;;) {
      const next = sim.nextEventAt();
      if (next === Number.POSITIVE_INFINITY || next > sim.now + QUIET_GAP_US) return { at: this.nowSeconds, quiet: true };
      if (next > limit) {
        sim.runUntil(limit);
        return { at: this.nowSeconds, quiet: false };
      }
      sim.runUntil(next);
    }
  }

  /** bgpMessages totals the BGP messages sent by every speaker. */
  bgpMessages(): number {
    let n = 0;
    for (const b of this.birds.values()) n += b.messagesSent;
    for (const e of this.external.values()) n += e.daemon.messagesSent;
    return n;
  }
}
