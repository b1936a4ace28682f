// Normalisation of lab transcripts (`calisim netns run --echo` output) so that two runs of the
// same lab compare equal: only what truly varies between runs is rewritten, following what
// ping(8), tcpdump(8), curl(1), ip-neighbour(8) and `ip -d link` (iproute2 ip/iplink_bridge.c,
// ip/iplink_bridge_slave.c) print. Everything else is left as it is, because everything else is
// behaviour the simulator must reproduce.

import { parseLab } from '../../src/tools/lab.js';

/** MAC_RE finds MAC addresses that are not part of a longer hex-and-colon run. */
const MAC_RE = /(?<![0-9a-fA-F:])[0-9a-fA-F]{2}(?::[0-9a-fA-F]{2}){5}(?![0-9a-fA-F:])/g;

/**
 * BRIDGE_ID_OR_MAC_RE finds, left to right, bridge ids as `ip -d link` prints them after
 * bridge_id, designated_root and designated_bridge (JSON bridge_id, root_id): `8000.2:0:0:0:0:fe`,
 * the MAC in unpadded hex; and MAC addresses as MAC_RE does.
 */
const BRIDGE_ID_OR_MAC_RE = new RegExp(
  '(?<=(?:bridge_id|designated_root|designated_bridge) |"(?:bridge_id|root_id)":")' +
    '[0-9a-f]{4}\\.[0-9a-f]{1,2}(?::[0-9a-f]{1,2}){5}(?![0-9a-fA-F:])|' +
    MAC_RE.source,
  'g',
);

/** BRIDGE_TIMER_RE finds a bridge or bridge port timer, text (`gc_timer  299.57`) or JSON (`"gc_timer":299.57`). */
const BRIDGE_TIMER_RE =
  /(\b|")(hello_timer|tcn_timer|topology_change_timer|gc_timer|hold_timer|message_age_timer|forward_delay_timer)(" *:| +)(\d+\.\d\d)\b/g;

/**
 * normalizeTimers rewrites running bridge timers to `<timer>`: the time left on them depends on when
 * the command ran. A stopped timer reads 0.00 and stays, except gc_timer, which also reads 0.00
 * for the few milliseconds between its expiry and its rescheduling (0.10 s after the bridge comes
 * up, and every ageing interval after that), so its value is always rewritten.
 */
function normalizeTimers(line: string): string {
  return line.replace(BRIDGE_TIMER_RE, (m, lead: string, name: string, sep: string, value: string) => {
    if (value === '0.00' && name !== 'gc_timer') return m;
    return `${lead}${name}${sep.startsWith('"') ? '":' : ' '}<timer>`;
  });
}

/** VETH_JSON_QUEUES_RE finds the queue counts of a veth in `ip -j -d link` (they follow its linkinfo). */
const VETH_JSON_QUEUES_RE = /("info_kind":"veth"[^[\]]*?"num_tx_queues":)\d+(,"num_rx_queues":)\d+/g;

/**
 * normalizeVethQueues rewrites the queue counts of veth devices to `<ncpu>`: a veth gets one queue
 * per possible CPU (drivers/net/veth.c veth_get_num_queues), so they depend on the machine. In text
 * the counts are on the last detail line of a device whose kind line starts `    veth `.
 */
function normalizeVethQueues(lines: string[]): string[] {
  let veth = false;
  return lines.map((line) => {
    if (line.startsWith('$ ') || /^\d+: /.test(line)) veth = false;
    if (line.startsWith('    veth ')) veth = true;
    let l = line.replace(VETH_JSON_QUEUES_RE, '$1<ncpu>$2<ncpu>');
    if (veth) l = l.replace(/\bnumtxqueues \d+ numrxqueues \d+\b/, 'numtxqueues <ncpu> numrxqueues <ncpu>');
    return l;
  });
}

/** FIXED_MAC says whether a MAC is fixed by the protocols rather than chosen by the kernel. */
function fixedMac(m: string): boolean {
  return (
    m === 'ff:ff:ff:ff:ff:ff' ||
    m === '00:00:00:00:00:00' ||
    m.startsWith('01:00:5e:') || // IPv4 multicast (RFC 1112)
    m.startsWith('33:33:') || // IPv6 multicast (RFC 2464)
    m.startsWith('01:80:c2:') // IEEE 802.1D reserved group addresses
  );
}

/** labMacs returns every MAC address the lab itself writes, in lowercase. */
function labMacs(labText: string): Set<string> {
  const out = new Set<string>();
  for (const m of labText.matchAll(MAC_RE)) out.add(m[0].toLowerCase());
  return out;
}

/** isNeighShow says whether an echoed command is a text-mode `ip neigh show`. */
function isNeighShow(command: string): boolean {
  const r = parseLab(command, 'transcript');
  return r.ok && r.lab.lines.length === 1 && r.lab.lines[0].cmd.kind === 'neigh-show' && !r.lab.lines[0].cmd.opts.json;
}

/**
 * sortNeighBlocks sorts the output of every `ip neigh` command: the kernel walks its neighbour
 * hash table, whose hash is seeded at random, so the order of the lines varies between runs.
 */
function sortNeighBlocks(lines: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < lines.length; ) {
    const line = lines[i++];
    out.push(line);
    if (!line.startsWith('$ ') || !isNeighShow(line.slice(2))) continue;
    const block: string[] = [];
    while (i < lines.length && !lines[i].startsWith('$ ') && !(i === lines.length - 1 && lines[i] === '')) block.push(lines[i++]);
    out.push(...block.sort());
  }
  return out;
}

/**
 * isSysctlAll says whether an echoed command is `sysctl -a` (or -A, -X, --all) printing names, with or
 * without values (not -n or -b, whose lines carry no name).
 */
function isSysctlAll(command: string): boolean {
  const r = parseLab(command, 'transcript');
  if (!r.ok || r.lab.lines.length !== 1) return false;
  const cmd = r.lab.lines[0].cmd;
  return cmd.kind === 'sysctl-read' && cmd.opts !== undefined && cmd.opts.all && (cmd.opts.names || !cmd.valuesOnly);
}

/**
 * keepSysctlIpv4 keeps, of the output of every `sysctl -a`, only the net.ipv4.* lines: the simulator
 * has net.ipv4.* whole but only some net.core.* and net.ipv6.* keys, and none of kernel.*, vm.*, fs.*.
 */
function keepSysctlIpv4(lines: string[]): string[] {
  const out: string[] = [];
  let keep = true;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line.startsWith('$ ')) keep = !isSysctlAll(line.slice(2));
    else if (!keep && !line.startsWith('net.ipv4.') && !(i === lines.length - 1 && line === '')) continue;
    out.push(line);
  }
  return out;
}

/** TCP_RE picks endpoints, flags, seq and ack out of a tcpdump TCP line. */
// The lookbehind anchors the first endpoint at a word start, so a long word costs one pass, not its square.
const TCP_RE = /(?<!\S)(\S+) > (\S+): Flags \[([^\]]*)\](?:, seq (\d+)(?::\d+)?)?(?:, ack (\d+))?/;

/** normalizeLine rewrites the run-dependent numbers of one line; `isns` remembers SYNs' sequence numbers. */
function normalizeLine(line: string, ports: Map<string, string>, isns: Map<string, number>): string {
  let l = line;
  // tcpdump(8) without -t: the time of day each frame was seen.
  l = l.replace(/^\d{2}:\d{2}:\d{2}\.\d{6} /, '<time> ');
  // ping(8): round-trip times and the elapsed time of the run.
  l = l.replace(/ time=\d+(?:\.\d+)? ms/g, ' time=<t> ms');
  l = l.replace(/, time \d+ms$/, ', time <t>ms');
  l = l.replace(/^rtt min\/avg\/max\/mdev = [\d.]+\/[\d.]+\/[\d.]+\/[\d.]+ ms$/, 'rtt min/avg/max/mdev = <rtt> ms');
  // traceroute(8): a hop line (` 3  10.0.3.2  0.030 ms  0.011 ms …`) has a round trip after each answer.
  if (/^[ \d]\d {2}[\d*]/.test(l)) l = l.replace(/ {2}\d+\.\d{3} ms/g, '  <t> ms');
  // tracepath(8): a hop line (` 2:  10.0.2.2     …   0.082ms `) pads its round trip to the host column.
  l = l.replace(/^( ?\d+\??: {1,2}\S+(?: \(\S+\))?) +\d+\.\d{3}ms /, '$1 <t>ms ');
  // tcpdump(8): ping's ICMP identifier is its socket's, chosen by the kernel or from the pid.
  l = l.replace(/(ICMP echo (?:request|reply), id )\d+/g, '$1<id>');
  // tcpdump(8): initial sequence numbers are random; later segments are printed relative,
  // except a RST refusing a SYN, which acknowledges that SYN's sequence number plus one.
  const tcp = TCP_RE.exec(l);
  if (tcp) {
    const [, src, dst, flags, seq, ack] = tcp;
    if (flags.startsWith('S')) {
      if (flags === 'S' && seq !== undefined) isns.set(`${src}>${dst}`, Number(seq));
      l = l.replace(/\bseq \d+/, 'seq <seq>').replace(/\back \d+/, 'ack <ack>');
    } else if (flags.startsWith('R') && ack !== undefined) {
      const isn = isns.get(`${dst}>${src}`);
      if (isn !== undefined && Number(ack) === (isn + 1) % 2 ** 32) l = l.replace(/\back \d+/, 'ack <ack>');
    }
  }
  // TCP timestamps start at a random per-connection offset (0 in a SYN's ecr is not random).
  l = l.replace(/\bTS val \d+ ecr (\d+)/g, (_m, ecr: string) => `TS val <ts> ecr ${ecr === '0' ? '0' : '<ts>'}`);
  // Ephemeral ports (ip_local_port_range starts at 32768) are random: number them by first sight.
  l = l.replace(/\b(\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3})\.(\d{5})\b/g, (m, addr: string, port: string) => {
    if (Number(port) < 32768) return m;
    let name = ports.get(port);
    if (name === undefined) {
      name = `<port${ports.size + 1}>`;
      ports.set(port, name);
    }
    return `${addr}.${name}`;
  });
  // curl(1): how long it waited.
  l = l.replace(/\bafter \d+ (ms|milliseconds)\b/g, 'after <n> $1');
  // ip -d link: running bridge timers.
  l = normalizeTimers(l);
  return l;
}

/** LINK_LOCAL_RE finds an EUI-64 link-local address (`fe80::` and four groups). */
const LINK_LOCAL_RE = /\bfe80::[0-9a-f]{1,4}:[0-9a-f]{1,4}:[0-9a-f]{1,4}:[0-9a-f]{1,4}\b/g;

/** macOfLinkLocal is the MAC an EUI-64 link-local address was made from (the U/L bit flipped back), or null. */
function macOfLinkLocal(addr: string): string | null {
  const g = addr
    .slice('fe80::'.length)
    .split(':')
    .map((x) => x.padStart(4, '0'));
  if (!g[1].endsWith('ff') || !g[2].startsWith('fe')) return null;
  const b = [g[0].slice(0, 2), g[0].slice(2), g[1].slice(0, 2), g[2].slice(2), g[3].slice(0, 2), g[3].slice(2)];
  b[0] = (Number.parseInt(b[0], 16) ^ 2).toString(16).padStart(2, '0');
  return b.join(':');
}

/**
 * normalizeTranscript rewrites what varies between two runs of the same lab on a real kernel:
 * tcpdump's timestamps (`<time>`), ping's times, ICMP ids, absolute TCP sequence numbers and timestamps, ephemeral ports, curl's
 * elapsed time, MAC addresses the lab did not set (the kernel picks them at random; they become
 * `<mac1>`, `<mac2>`… in order of first appearance, also inside `ip -d link`'s bridge ids, which
 * become `8000.<mac1>`), running bridge timers (`<timer>`), veth queue counts (`<ncpu>`), the
 * order of `ip neigh` lines and, of `sysctl -a`, every line but the net.ipv4.* ones. `labText` is the lab's source, which says which MAC addresses are the
 * lab's own.
 */
export function normalizeTranscript(text: string, labText: string): string {
  const own = labMacs(labText);
  const macs = new Map<string, string>();
  const ports = new Map<string, string>();
  const isns = new Map<string, number>();
  const nameMac = (lower: string): string | undefined => {
    if (own.has(lower) || fixedMac(lower)) return undefined;
    let name = macs.get(lower);
    if (name === undefined) {
      name = `<mac${macs.size + 1}>`;
      macs.set(lower, name);
    }
    return name;
  };
  return normalizeVethQueues(sortNeighBlocks(keepSysctlIpv4(text.split('\n'))))
    .map((line) =>
      normalizeLine(line, ports, isns)
        .replace(LINK_LOCAL_RE, (m) => {
          // An IPv6 link-local address made from a MAC (EUI-64) varies with it.
          const mac = macOfLinkLocal(m);
          const name = mac === null ? undefined : nameMac(mac);
          return name === undefined ? m : `fe80::${name}`;
        })
        .replace(BRIDGE_ID_OR_MAC_RE, (m) => {
          const dot = m.indexOf('.');
          if (dot < 0) return nameMac(m.toLowerCase()) ?? m;
          // A bridge id: its MAC is printed without leading zeros.
          const mac = m
            .slice(dot + 1)
            .split(':')
            .map((b) => b.padStart(2, '0'))
            .join(':');
          const name = nameMac(mac);
          return name === undefined ? m : `${m.slice(0, dot + 1)}${name}`;
        }),
    )
    .join('\n');
}
