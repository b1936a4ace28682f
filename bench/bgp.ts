// Benchmark of the BGP speaker alone (src/bgp/speaker.ts), without the kernel: route reflectors and their
// clients as Calico configures them (clients peer with every reflector; reflectors share cluster id
// 244.0.0.1, take the clients as `rr client` and peer each other plainly), over the in-memory byte-stream
// network of tests/support/bgpnet.ts in bird.ts's manner (deferred tx events, writes split in reads of
// one TCP segment). Each client originates one /26 block; a reflector sends every client's block to every
// other client, one UPDATE per prefix. Each size runs in its own Node process:
// `node --max-old-space-size=MB dist/bench/bgp.js CLIENTS REFLECTORS` prints one JSON line.

import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { formatIpv4, type Cidr, type Ipv4 } from '../src/model/addr.js';
import { calicoExportFilter, explicitPeerProtocol } from '../src/bgp/calico.js';
import { BgpSpeaker, type SpeakerProtocol } from '../src/bgp/speaker.js';
import { BgpNet } from '../tests/support/bgpnet.js';

/** BgpBenchFigures is what one run measures. */
export interface BgpBenchFigures {
  readonly clients: number;
  readonly reflectors: number;
  readonly buildMs: number;
  /** convergeMs is the wall time from the first start to the last UPDATE handled. */
  readonly convergeMs: number;
  /** cpuMs is the process's CPU time (user + system, all threads) over the same span. */
  readonly cpuMs: number;
  readonly virtualSeconds: number;
  readonly updatesSent: number;
  readonly updatesReceived: number;
  readonly updatesPerSecond: number;
  readonly messagesSent: number;
  readonly reads: number;
  readonly megabytes: number;
  readonly sessions: number;
  readonly established: number;
  readonly peakHeapMb: number;
  readonly rssMb: number;
}

const AS = 64512;
const CLUSTER_ID = 0xf4000001; // 244.0.0.1
const POOL: Cidr = { addr: 0x0a800000, len: 9 }; // 10.128.0.0/9
const SUBNET: Cidr = { addr: 0x0a000000, len: 16 }; // 10.0.0.0/16
/** SEGMENT is the payload of one TCP segment on a 1500-octet link with timestamps. */
const SEGMENT = 1448;

/** nodeIp is node i's address on the LAN, as bench/clustergen.ts numbers them. */
function nodeIp(i: number): Ipv4 {
  return (SUBNET.addr + i + 10) >>> 0;
}

/** blockOf is client i's block. */
function blockOf(i: number): Cidr {
  return { addr: (POOL.addr + i * 64) >>> 0, len: 26 };
}

function speaker(own: Ipv4, protocols: SpeakerProtocol[]): BgpSpeaker {
  return new BgpSpeaker({ routerId: own, protocols, gracefulRestartRecovery: true, localAddresses: [own], deferTx: true });
}

/** buildNet makes the reflectors (nodes 0..r-1) and clients (nodes r..r+n-1), started and booted. */
function buildNet(clients: number, reflectors: number, sample: () => void): BgpNet {
  const net = new BgpNet({ latency: () => 0.0001, record: false, segment: SEGMENT, deferTx: true, sample });
  const rrs = Array.from({ length: reflectors }, (_, i) => nodeIp(i));
  for (let i = 0; i < reflectors; i++) {
    const own = rrs[i];
    const filter = calicoExportFilter({ pools: [{ cidr: POOL }], blocks: [] }, true);
    const protocols: SpeakerProtocol[] = [];
    for (let j = 0; j < reflectors + clients; j++) {
      if (j === i) continue;
      const peerClusterId = j < reflectors ? CLUSTER_ID : null;
      const config = explicitPeerProtocol({
        kind: 'node',
        ownIp: own,
        peerIp: nodeIp(j),
        asNumber: AS,
        peerAsNumber: AS,
        rrClusterId: CLUSTER_ID,
        peerClusterId,
      });
      protocols.push({ config, exportFilter: filter });
    }
    net.add(own, speaker(own, protocols));
  }
  for (let k = 0; k < clients; k++) {
    const own = nodeIp(reflectors + k);
    const filter = calicoExportFilter({ pools: [{ cidr: POOL }], blocks: [{ cidr: blockOf(k) }] }, true);
    const protocols = rrs.map((rr) => ({
      config: explicitPeerProtocol({ kind: 'node', ownIp: own, peerIp: rr, asNumber: AS, peerAsNumber: AS }),
      exportFilter: filter,
    }));
    net.add(own, speaker(own, protocols));
  }
  net.startAll();
  let k = -reflectors;
  for (const [addr, s] of net.speakers) {
    net.handle(addr, s.addRoute({ protocol: 'direct1', prefix: SUBNET, dest: 'device', iface: 'eth0' }, net.now));
    if (k >= 0) net.handle(addr, s.originate(blockOf(k), net.now));
    k++;
  }
  return net;
}

/** runBgp brings one size up and runs it until every UPDATE has been handled. */
export function runBgp(clients: number, reflectors: number): BgpBenchFigures {
  let peak = 0;
  const sample = (): void => {
    peak = Math.max(peak, process.memoryUsage().heapUsed);
  };
  const t0 = performance.now();
  const net = buildNet(clients, reflectors, sample);
  const t1 = performance.now();
  sample();
  // One virtual second at a time until no delivery waits and the UPDATE count stands still.
  let received = -1;
  let lastUpdateAt = 0;
  let tLast = t1;
  const c1 = process.cpuUsage();
  let cLast = c1;
  for (let t = 1; t <= 600; t++) {
    net.run(t, Number.MAX_SAFE_INTEGER);
    sample();
    if (net.counters.received[2] !== received) {
      received = net.counters.received[2];
      lastUpdateAt = t;
      tLast = performance.now();
      cLast = process.cpuUsage();
    } else if (net.idle && t - lastUpdateAt >= 2) break;
  }
  let sessions = 0;
  let established = 0;
  for (const [addr, s] of net.speakers) {
    for (const p of s.protocolStatus()) {
      if (p.proto !== 'BGP') continue;
      sessions++;
      if (p.info.startsWith('Established')) established++;
    }
    // Every node ends with every block and the LAN's device route.
    const want = clients + 1;
    if (s.table.size !== want) throw new Error(`bgp bench: ${formatIpv4(addr)} has ${s.table.size} prefixes, not ${want}`);
  }
  const convergeMs = tLast - t1;
  const sent = net.counters.sent[2];
  return {
    clients,
    reflectors,
    buildMs: t1 - t0,
    convergeMs,
    cpuMs: (cLast.user - c1.user + cLast.system - c1.system) / 1000,
    virtualSeconds: lastUpdateAt,
    updatesSent: sent,
    updatesReceived: net.counters.received[2],
    updatesPerSecond: net.counters.received[2] / (convergeMs / 1000),
    messagesSent: net.counters.sent.reduce((a, b) => a + b, 0),
    reads: net.counters.events,
    megabytes: net.counters.bytes / 1e6,
    sessions,
    established,
    peakHeapMb: peak / 1e6,
    rssMb: process.memoryUsage().rss / 1e6,
  };
}

/** SIZES are the runs of the report, each with the heap limit it needs. */
const SIZES: readonly { readonly clients: number; readonly reflectors: number; readonly heapMb: number }[] = [
  { clients: 1000, reflectors: 1, heapMb: 4096 },
  { clients: 1000, reflectors: 2, heapMb: 4096 },
  { clients: 2000, reflectors: 1, heapMb: 8192 },
  { clients: 5000, reflectors: 1, heapMb: 20480 },
  { clients: 5000, reflectors: 2, heapMb: 20480 },
];

/** benchBgp runs each size in a child process and returns the report lines (CALISIM_BENCH_MAX_NODES caps the clients). */
export async function benchBgp(): Promise<string[]> {
  // 5,000 clients keep 25 million routes in their RIBs: run them with CALISIM_BENCH_MAX_NODES=5000 on a big machine.
  const max = Number(process.env.CALISIM_BENCH_MAX_NODES ?? 2000);
  const self = fileURLToPath(import.meta.url);
  const loader = self.endsWith('.ts') ? ['--import', join(dirname(self), '..', 'tests', 'cli', 'lab', 'swc-register.mjs')] : [];
  const lines = [
    'bgp: route reflectors and N clients (one block each), speakers alone on an in-memory TCP; UPDATEs sent, received, per second of wall time',
    '',
    `${'clients×rr'.padEnd(12)}${'converge s'.padStart(11)}${'cpu s'.padStart(8)}${'virtual s'.padStart(10)}${'UPDATEs sent'.padStart(14)}${'received'.padStart(12)}${'UPDATEs/s'.padStart(11)}${'MB'.padStart(8)}${'established'.padStart(13)}${'heap MB'.padStart(9)}`,
  ];
  for (const s of SIZES) {
    if (s.clients > max) continue;
    let out: string;
    try {
      out = execFileSync(process.execPath, [`--max-old-space-size=${s.heapMb}`, ...loader, self, String(s.clients), String(s.reflectors)], {
        encoding: 'utf8',
        maxBuffer: 1 << 20,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    } catch (e) {
      // A size that does not fit its heap (or the machine) is reported, not fatal.
      const why = String((e as { stderr?: string }).stderr ?? e).includes('heap out of memory')
        ? `out of memory at ${s.heapMb} MB`
        : 'failed';
      lines.push(`${`${s.clients}×${s.reflectors}`.padEnd(12)}${why}`);
      continue;
    }
    const f = JSON.parse(out.trim().split('\n').pop()!) as BgpBenchFigures;
    lines.push(
      `${`${f.clients}×${f.reflectors}`.padEnd(12)}${(f.convergeMs / 1000).toFixed(1).padStart(11)}${(f.cpuMs / 1000).toFixed(1).padStart(8)}${String(f.virtualSeconds).padStart(10)}` +
        `${f.updatesSent.toLocaleString('en-US').padStart(14)}${f.updatesReceived.toLocaleString('en-US').padStart(12)}` +
        `${Math.round(f.updatesPerSecond).toLocaleString('en-US').padStart(11)}${f.megabytes.toFixed(0).padStart(8)}${`${f.established}/${f.sessions}`.padStart(13)}${f.peakHeapMb.toFixed(0).padStart(9)}`,
    );
  }
  return lines;
}

const entry = process.argv[1] ?? '';
if (entry.endsWith('bgp.js') || entry.endsWith('bgp.ts')) {
  const [n, r] = process.argv.slice(2);
  if (n !== undefined) console.log(JSON.stringify(runBgp(Number(n), Number(r ?? 1))));
}
