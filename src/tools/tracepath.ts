// tracepath(8) as iputils 20221126 has it (tracepath.c: main, probe_ttl, recverr, data_wait,
// print_host): one UDP socket with IP_MTU_DISCOVER do, IP_RECVERR and IP_RECVTTL; probes of the
// path MTU (first 65535, so the first send fails locally with the route's MTU: `[LOCALHOST] pmtu N`)
// with TTL 1, 2, …, up to three a hop, each waiting a second; what comes back on the error queue
// is printed as it is read: Time Exceeded from a router, `reached` for the destination's Port
// Unreachable (then `Resume: pmtu N hops H back B`), `!H`, `!N` for unreachables.

import { formatIpv4 } from '../model/addr.js';
import { type UdpError, udpBindEphemeral, udpSendTo } from '../kernel/udp.js';
import { inBusyboxPod } from './cluster/machine.js';
import type { ToolContext } from './context.js';
import type { Program } from './programs.js';

/** DEFAULT_BASEPORT is tracepath's first destination port; each probe takes the next. */
const DEFAULT_BASEPORT = 44444;
/** DEFAULT_MTU_IPV4 is the first probe size; DEFAULT_OVERHEAD_IPV4 the IP and UDP headers. */
const DEFAULT_MTU_IPV4 = 65535;
const DEFAULT_OVERHEAD_IPV4 = 28;
/** HOST_COLUMN_SIZE is the width print_host pads the address to. */
const HOST_COLUMN_SIZE = 52;
/** MAX_PROBES is how many sends probe_ttl tries before `send failed`. */
const MAX_PROBES = 10;
/** HIS_ARRAY_SIZE is the number of probe slots (ports) tracepath remembers. */
const HIS_ARRAY_SIZE = 64;
/** DATA_WAIT_US is data_wait's select timeout. */
const DATA_WAIT_US = 1_000_000;

const STRERROR: Readonly<Record<string, string>> = {
  ENOPROTOOPT: 'Protocol not available',
  EOPNOTSUPP: 'Operation not supported',
  EHOSTDOWN: 'Host is down',
  ENONET: 'Machine is not on the network',
};

/** QueuedError is one entry of the socket's error queue. */
type QueuedError =
  | { readonly origin: 'local'; readonly mtu: number }
  | { readonly origin: 'icmp'; readonly e: UdpError; readonly slot: number };

/** TracepathArgs are tracepath's options. */
interface TracepathArgs {
  readonly dest: number;
  readonly numeric: boolean;
  readonly maxHops: number;
  readonly basePort: number;
  readonly mtu: number;
}

/** TRACEPATH_USAGE is usage()'s text, on stderr. */
const TRACEPATH_USAGE =
  '\nUsage\n  tracepath [options] <destination>\n\nOptions:\n  -4             use IPv4\n  -6             use IPv6\n' +
  '  -b             print both name and ip\n  -l <length>    use packet <length>\n  -m <hops>      use maximum <hops>\n' +
  '  -n             no dns name resolution\n  -p <port>      use destination <port>\n  -V             print version and exit\n' +
  '  <destination>  dns name or ip address\n\nFor more details see tracepath(8).\n';

/** parseTracepathArgs is tracepath's getopt("46nbh?l:m:p:V"); a string is what it prints on stderr and its status. */
export function parseTracepathArgs(argv: readonly string[]): TracepathArgs | { readonly stderr: string; readonly status: number } {
  let numeric = false;
  let maxHops = 30;
  let basePort = DEFAULT_BASEPORT;
  let mtu = DEFAULT_MTU_IPV4;
  const pos: string[] = [];
  const usage = { stderr: TRACEPATH_USAGE, status: 255 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('-') || a === '-') {
      pos.push(a);
      continue;
    }
    for (let j = 1; j < a.length; j++) {
      const c = a[j];
      if (c === 'n') numeric = true;
      else if (c === '4' || c === 'b') continue;
      else if ('lmp'.includes(c)) {
        const v = j + 1 < a.length ? a.slice(j + 1) : argv[++i];
        if (v === undefined) return { stderr: `tracepath: option requires an argument -- '${c}'${TRACEPATH_USAGE}`, status: 255 };
        const n = /^\d+$/.test(v) ? Number(v) : Number.NaN;
        const [lo, hi] = c === 'l' ? [DEFAULT_OVERHEAD_IPV4, 0x7fffffff] : c === 'm' ? [0, 255] : [0, 65535];
        if (!(n >= lo && n <= hi)) return { stderr: `tracepath: invalid argument: '${v}'\n`, status: 1 };
        if (c === 'l') mtu = n;
        else if (c === 'm') maxHops = n;
        else basePort = n;
        break;
      } else return { stderr: `tracepath: invalid option -- '${c}'${TRACEPATH_USAGE}`, status: 255 };
    }
  }
  if (pos.length !== 1) return usage;
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(pos[0]);
  if (m === null || m.slice(1).some((x) => Number(x) > 255))
    return { stderr: `tracepath: ${pos[0]}: Name or service not known\n`, status: 1 };
  const dest = m.slice(1).reduce((acc, x) => acc * 256 + Number(x), 0);
  return { dest, numeric, maxHops, basePort, mtu };
}

/** rtt prints a round trip as `%3ld.%03ldms `. */
function rtt(us: number): string {
  const t = Math.max(0, Math.floor(us));
  return `${String(Math.floor(t / 1000)).padStart(3)}.${String(t % 1000).padStart(3, '0')}ms `;
}

/** runTracepath runs tracepath in the context's namespace until it would exit. */
export function runTracepath(ctx: ToolContext, argv: readonly string[]): void {
  const { sim, ns, out } = ctx;
  const a = parseTracepathArgs(argv);
  if ('stderr' in a) {
    out.err(a.stderr);
    out.status = a.status;
    return;
  }
  let mtu = a.mtu;
  let ttl = 1;
  let hisptr = 0;
  let hopsTo = -1;
  let hopsFrom = -1;
  const his: { hops: number; sent: number }[] = Array.from({ length: HIS_ARRAY_SIZE }, () => ({ hops: 0, sent: 0 }));
  const queue: QueuedError[] = [];
  const bound = udpBindEphemeral(sim, ns, {
    error: (e) => queue.push({ origin: 'icmp', e, slot: e.dport - a.basePort }),
  });
  if (bound === null) {
    out.errLine('tracepath: socket/connect: Address already in use', 1);
    return;
  }
  const { port: sport, close } = bound;

  /** recverr reads the error queue (recverr): -1 when it was empty, 0 when the trace ends, else the MTU. */
  const recverr = (): number => {
    let progress = -1;
    for (;;) {
      const q = queue.shift();
      if (q === undefined) return progress;
      progress = mtu;
      if (q.origin === 'local') {
        out.out(`${`${String(ttl).padStart(2)}?: `}${'[LOCALHOST]'.padEnd(32)} pmtu ${q.mtu}\n`);
        mtu = q.mtu;
        progress = mtu;
        continue;
      }
      const e = q.e;
      let sndhops = -1;
      let sent: number | null = null;
      if (q.slot >= 0 && q.slot < HIS_ARRAY_SIZE - 1 && his[q.slot].hops) {
        sndhops = his[q.slot].hops;
        sent = his[q.slot].sent;
        his[q.slot].hops = 0;
      }
      let line = sndhops > 0 ? `${String(sndhops).padStart(2)}:  ` : `${String(ttl).padStart(2)}?: `;
      const addr = formatIpv4(e.from);
      const host = a.numeric ? addr : `${addr} (${addr})`;
      line += host + ' '.repeat(HOST_COLUMN_SIZE - Math.min(host.length, HOST_COLUMN_SIZE - 1));
      if (sent !== null) line += rtt(e.at - sent);
      const rethops = e.ttl <= 64 ? 65 - e.ttl : e.ttl <= 128 ? 129 - e.ttl : 256 - e.ttl;
      switch (e.errno) {
        case 'EMSGSIZE':
          out.out(`${line}pmtu ${e.mtu ?? 0}\n`);
          mtu = e.mtu ?? mtu;
          progress = mtu;
          continue;
        case 'ECONNREFUSED':
          out.out(`${line}reached\n`);
          hopsTo = sndhops < 0 ? ttl : sndhops;
          hopsFrom = rethops;
          return 0;
        case 'EPROTO':
          out.out(`${line}!P\n`);
          return 0;
        case 'EHOSTUNREACH':
          if (e.type === 11 && e.code === 0) {
            if (sndhops >= 0 && rethops !== sndhops) line += `asymm ${String(rethops).padStart(2)} `;
            if (sndhops < 0 && rethops !== ttl) line += `asymm ${String(rethops).padStart(2)} `;
            out.out(`${line}\n`);
            continue;
          }
          out.out(`${line}!H\n`);
          return 0;
        case 'ENETUNREACH':
          out.out(`${line}!N\n`);
          return 0;
        default:
          out.out(`${line}\n`);
          out.err(`tracepath: NET ERROR: ${STRERROR[e.errno] ?? e.errno}\n`);
          return 0;
      }
    }
  };

  /** probeTtl is probe_ttl: send one probe (retrying after local errors), wait, read the queue. */
  const probeTtl = (): number => {
    let i = 0;
    for (; i < MAX_PROBES; i++) {
      his[hisptr] = { hops: ttl, sent: sim.now };
      const size = Math.max(0, mtu - DEFAULT_OVERHEAD_IPV4);
      const r = sim.control((tx) =>
        udpSendTo(tx, ns, 0, sport, a.dest, a.basePort + hisptr, new Uint8Array(size), { ttl, pmtudisc: 'do' }),
      );
      if (r === null) break;
      if (r.errno === 'EMSGSIZE' && r.mtu !== undefined) queue.push({ origin: 'local', mtu: r.mtu });
      const res = recverr();
      his[hisptr].hops = 0;
      if (res === 0) return 0;
      if (res > 0) i = -1;
    }
    hisptr = (hisptr + 1) & (HIS_ARRAY_SIZE - 1);
    if (i < MAX_PROBES) {
      // data_wait: select(2) on the socket for at most a second.
      sim.runUntil(sim.now + DATA_WAIT_US, () => queue.length > 0);
      return recverr();
    }
    out.out(`${String(ttl).padStart(2)}:  send failed\n`);
    return 0;
  };

  let done = false;
  try {
    for (ttl = 1; ttl <= a.maxHops && !done; ttl++) {
      let res = -1;
      for (let i = 0; i < 3; i++) {
        const oldMtu = mtu;
        res = probeTtl();
        if (mtu !== oldMtu) {
          i = -1;
          continue;
        }
        if (res === 0) {
          done = true;
          break;
        }
        if (res > 0) break;
      }
      if (!done && res < 0) out.out(`${String(ttl).padStart(2)}:  no reply\n`);
    }
    if (!done) out.out(`     Too many hops: pmtu ${mtu}\n`);
    let resume = `     Resume: pmtu ${mtu} `;
    if (hopsTo >= 0) resume += `hops ${hopsTo} `;
    if (hopsFrom >= 0) resume += `back ${hopsFrom} `;
    out.out(`${resume}\n`);
  } finally {
    close();
  }
}

/** TRACEPATH is tracepath where the machine has it: not in a BusyBox pod. */
export const TRACEPATH: Program = {
  name: 'tracepath',
  available: (ctx) => !inBusyboxPod(ctx),
  run: runTracepath,
};
