// An in-memory network of BgpSpeakers for tests: TCP connections byte stream to byte stream, on a fake
// virtual clock (seconds). It stands in for the simulated TCP transport the lead integrates: a connect
// reaches the speaker at the remote address (accept/reject), or is refused; bytes arrive after a
// latency, in order per direction; a close reaches the other end as "Connection closed".

import { formatIpv4, parseCidr, type Cidr, type Ipv4 } from '../../src/model/addr.js';
import { calicoExportFilter, explicitPeerProtocol, meshProtocol } from '../../src/bgp/calico.js';
import type { ConnId } from '../../src/bgp/fsm.js';
import { BgpSpeaker, type SpeakerOutput, type SpeakerProtocol } from '../../src/bgp/speaker.js';

interface End {
  readonly node: Ipv4;
  readonly protocol: string;
  readonly conn: ConnId;
}

interface Conn {
  readonly id: number;
  a: End;
  b: End | null;
  /** lastAtoB and lastBtoA keep the bytes of each direction in order whatever the latency draws. */
  lastAtoB: number;
  lastBtoA: number;
  open: boolean;
}

interface Pending {
  readonly at: number;
  readonly seq: number;
  readonly run: () => void;
}

/** BgpNet wires speakers together by address. */
export class BgpNet {
  readonly speakers = new Map<Ipv4, BgpSpeaker>();
  now = 0;
  private readonly queue: Pending[] = [];
  private seq = 0;
  private readonly conns: Conn[] = [];
  /** log collects every output, with the node that produced it. */
  readonly log: { node: Ipv4; at: number; out: SpeakerOutput }[] = [];
  /** down lists addresses whose listener refuses connections. */
  readonly down = new Set<Ipv4>();

  /** constructor takes `latency`, which returns the one-way delay of the next delivery (seconds). */
  constructor(private readonly latency: () => number = () => 0.001) {}

  add(addr: Ipv4, s: BgpSpeaker): void {
    this.speakers.set(addr, s);
  }

  private schedule(at: number, run: () => void): void {
    this.queue.push({ at, seq: this.seq++, run });
    this.queue.sort((x, y) => x.at - y.at || x.seq - y.seq);
  }

  /** startAll starts every speaker at the current time. */
  startAll(): void {
    for (const [addr, s] of this.speakers) this.handle(addr, s.start(this.now));
  }

  /** handle carries out what a speaker asked. */
  handle(node: Ipv4, outs: SpeakerOutput[]): void {
    for (const out of outs) {
      this.log.push({ node, at: this.now, out });
      switch (out.type) {
        case 'connect':
          this.connect(node, out.protocol, out.remote);
          break;
        case 'send': {
          const c = this.find(node, out.protocol, out.conn);
          if (!c || !c.open || !c.b) break;
          const fromA = c.a.node === node && c.a.protocol === out.protocol && c.a.conn === out.conn;
          const to = fromA ? c.b : c.a;
          const at = Math.max(this.now + this.latency(), fromA ? c.lastAtoB : c.lastBtoA);
          if (fromA) c.lastAtoB = at;
          else c.lastBtoA = at;
          const bytes = out.bytes;
          this.schedule(at, () => {
            const s = this.speakers.get(to.node);
            if (!c.open || !s) return;
            this.handle(to.node, s.receive(to.protocol, to.conn, bytes, this.now));
          });
          break;
        }
        case 'close': {
          const c = this.find(node, out.protocol, out.conn);
          if (!c || !c.open) break;
          c.open = false;
          const other = c.a.node === node && c.a.protocol === out.protocol ? c.b : c.a;
          const lastFromUs = c.a.node === node ? c.lastAtoB : c.lastBtoA;
          if (other)
            this.schedule(Math.max(this.now + this.latency(), lastFromUs), () => {
              const s = this.speakers.get(other.node);
              if (s) this.handle(other.node, s.tcpFailed(other.protocol, other.conn, '', this.now));
            });
          break;
        }
        default:
          break;
      }
    }
  }

  private find(node: Ipv4, protocol: string, conn: ConnId): Conn | undefined {
    for (let i = this.conns.length - 1; i >= 0; i--) {
      const c = this.conns[i];
      if (!c.open) continue;
      if ((c.a.node === node && c.a.protocol === protocol && c.a.conn === conn) || (c.b && c.b.node === node && c.b.protocol === protocol && c.b.conn === conn)) return c;
    }
    return undefined;
  }

  private connect(node: Ipv4, protocol: string, remote: Ipv4): void {
    const c: Conn = { id: this.conns.length, a: { node, protocol, conn: 'outgoing' }, b: null, lastAtoB: 0, lastBtoA: 0, open: true };
    this.conns.push(c);
    this.schedule(this.now + this.latency(), () => {
      if (!c.open) return;
      const target = this.speakers.get(remote);
      const src = this.speakers.get(node)!;
      if (!target || this.down.has(remote)) {
        c.open = false;
        this.handle(node, src.tcpFailed(protocol, 'outgoing', 'Connection refused', this.now));
        return;
      }
      const outs = target.incoming(node, this.now);
      const acc = outs.find((o) => o.type === 'accept' || o.type === 'reject');
      if (acc && acc.type === 'accept') c.b = { node: remote, protocol: acc.protocol, conn: 'incoming' };
      // The listener accepted at the TCP level either way (a rejected one is closed right away). The
      // SYN-ACK reaches the initiator before any byte the other end sends.
      const connectedAt = this.now + this.latency();
      c.lastBtoA = connectedAt;
      this.schedule(connectedAt, () => {
        if (!c.open && c.b === null) return;
        this.handle(node, src.tcpConnected(protocol, this.now));
      });
      this.handle(remote, outs);
      if (!acc || acc.type === 'reject') {
        this.schedule(this.now + 2 * this.latency(), () => {
          if (!c.open) return;
          c.open = false;
          this.handle(node, src.tcpFailed(protocol, 'outgoing', '', this.now));
        });
      }
    });
  }

  /** run processes deliveries and timers until `until` (inclusive) or until nothing is left. */
  run(until: number): void {
    for (let guard = 0; guard < 2_000_000; guard++) {
      let next: number | null = this.queue.length > 0 ? this.queue[0].at : null;
      let timerNode: Ipv4 | null = null;
      for (const [addr, s] of this.speakers) {
        const d = s.nextDeadline();
        if (d !== null && (next === null || d < next)) {
          next = d;
          timerNode = addr;
        }
      }
      if (next === null || next > until) {
        this.now = Math.max(this.now, until);
        return;
      }
      this.now = Math.max(this.now, next);
      if (timerNode !== null) this.handle(timerNode, this.speakers.get(timerNode)!.advance(this.now));
      else this.queue.shift()!.run();
    }
    throw new Error('BgpNet: too many events');
  }

  /** outputs lists one node's outputs of a type. */
  outputs<T extends SpeakerOutput['type']>(node: Ipv4, type: T): Extract<SpeakerOutput, { type: T }>[] {
    return this.log.filter((l) => l.node === node && l.out.type === type).map((l) => l.out as Extract<SpeakerOutput, { type: T }>);
  }

  describe(node: Ipv4): string {
    return formatIpv4(node);
  }
}


/** POOL is the IP pool of the test clusters. */
export const POOL: Cidr = parseCidr('10.233.0.0/16')!;
/** NODE_NET is the node subnet of the test clusters. */
export const NODE_NET: Cidr = parseCidr('10.0.0.0/24')!;

/** calicoNode is a Calico node's BIRD: mesh protocols towards `peers`, or rr-client style peerings. */
export function calicoNode(own: Ipv4, peers: readonly Ipv4[], blocks: readonly Cidr[], opts: { recovery?: boolean; rrClusterId?: Ipv4; explicit?: boolean } = {}): BgpSpeaker {
  // One filter shared by every peering, as confd renders the same filter for each: the speaker then does a route's export work once.
  const exportFilter = calicoExportFilter({ pools: [{ cidr: POOL }], blocks: blocks.map((b) => ({ cidr: b })) }, true);
  const protocols: SpeakerProtocol[] = peers.map((p) => {
    const config =
      opts.explicit || opts.rrClusterId !== undefined
        ? explicitPeerProtocol({ kind: 'node', ownIp: own, peerIp: p, asNumber: 64512, peerAsNumber: 64512, rrClusterId: opts.rrClusterId ?? null })
        : meshProtocol({ ownIp: own, peerIp: p, asNumber: 64512 });
    return { config, exportFilter };
  });
  return new BgpSpeaker({ routerId: own, protocols, gracefulRestartRecovery: opts.recovery ?? true, localAddresses: [own] });
}

/** bootNode adds the node subnet's direct route and its blocks at time `now`. */
export function bootNode(net: BgpNet, own: Ipv4, blocks: readonly Cidr[]): void {
  bootNodeOn(net, own, NODE_NET, blocks);
}

/** bootNodeOn is bootNode for a node on another subnet. */
export function bootNodeOn(net: BgpNet, own: Ipv4, subnet: Cidr, blocks: readonly Cidr[]): void {
  const s = net.speakers.get(own)!;
  net.handle(own, s.addRoute({ protocol: 'direct1', prefix: subnet, dest: 'device', iface: 'eth0' }, net.now));
  for (const b of blocks) net.handle(own, s.originate(b, net.now));
}
