// The gobgp CLI of osrg/gobgp v3.37.0 (cmd/gobgp/neighbor.go showNeighbors, showNeighborRib,
// showRoute, makeShowRouteArgs, getPathSymbolString, getPathAttributeString; common.go
// formatTimedelta; pkg/packet/bgp/bgp.go attribute String methods): `gobgp neighbor` and
// `gobgp global rib`, with its Network / Next Hop / AS_PATH columns growing past 20 to fit.

/** GobgpSessionState is api.PeerState_SessionState. */
export type GobgpSessionState = 'UNKNOWN' | 'IDLE' | 'CONNECT' | 'ACTIVE' | 'OPENSENT' | 'OPENCONFIRM' | 'ESTABLISHED';

/** GobgpPeer is what `gobgp neighbor` reads of one api.Peer. Times are epoch seconds. */
export interface GobgpPeer {
  readonly neighborAddress: string;
  readonly neighborInterface?: string;
  /** peerAsn 0 prints `*` (not yet known). */
  readonly peerAsn: number;
  readonly sessionState: GobgpSessionState;
  readonly adminState?: 'UP' | 'DOWN' | 'PFX_CT';
  /** uptime is absent until the session was first established (then Up/Down says `never`). */
  readonly uptime?: number;
  readonly downtime?: number;
  /** received and accepted are summed over the peer's address families. */
  readonly received: number;
  readonly accepted: number;
}

/** formatTimedelta is common.go formatTimedelta: `HH:MM:SS`, or `Nd HH:MM:SS` past a day. */
export function formatTimedelta(t: number, now: number): string {
  let u = Math.abs(Math.trunc(now) - Math.trunc(t));
  const secs = u % 60;
  u = Math.floor(u / 60);
  const mins = u % 60;
  u = Math.floor(u / 60);
  const hours = u % 24;
  const days = Math.floor(u / 24);
  const hms = `${String(hours).padStart(2, '0')}:${String(mins).padStart(2, '0')}:${String(secs).padStart(2, '0')}`;
  return days === 0 ? hms : `${days}d ${hms}`;
}

const padEnd = (s: string, n: number): string => (s.length >= n ? s : s + ' '.repeat(n - s.length));
const padStart = (s: string, n: number): string => (s.length >= n ? s : ' '.repeat(n - s.length) + s);

function ipv4Bits(addr: string): string | null {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(addr);
  if (!m) return null;
  return m
    .slice(1)
    .map((o) => Number(o).toString(2).padStart(8, '0'))
    .join('');
}

/** peerLess is the sort of showNeighbors: IPv4 before IPv6, then by address bits. */
function peerLess(a: string, b: string): number {
  const av4 = !a.includes(':');
  const bv4 = !b.includes(':');
  if (av4 !== bv4) return av4 ? -1 : 1;
  const ka = (av4 ? ipv4Bits(a) : null) ?? a;
  const kb = (bv4 ? ipv4Bits(b) : null) ?? b;
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

function fsmName(p: GobgpPeer): string {
  if (p.adminState === 'DOWN') return 'Idle(Admin)';
  if (p.adminState === 'PFX_CT') return 'Idle(PfxCt)';
  switch (p.sessionState) {
    case 'UNKNOWN':
      return 'Unknown';
    case 'IDLE':
      return 'Idle';
    case 'CONNECT':
      return 'Connect';
    case 'ACTIVE':
      return 'Active';
    case 'OPENSENT':
      return 'Sent';
    case 'OPENCONFIRM':
      return 'Confirm';
    case 'ESTABLISHED':
      return 'Establ';
  }
}

/** formatNeighbors is showNeighbors: the `gobgp neighbor` table. */
export function formatNeighbors(peers: readonly GobgpPeer[], now: number): string {
  const m = [...peers].sort((a, b) => peerLess(a.neighborAddress, b.neighborAddress));
  let maxaddrlen = 0;
  let maxaslen = 2;
  let maxtimelen = 'Up/Down'.length;
  const times: string[] = [];
  for (const n of m) {
    const iface = n.neighborInterface ?? '';
    if (iface.length > maxaddrlen) maxaddrlen = iface.length;
    else if (n.neighborAddress.length > maxaddrlen) maxaddrlen = n.neighborAddress.length;
    const asn = n.peerAsn > 0 ? String(n.peerAsn) : '*';
    if (asn.length > maxaslen) maxaslen = asn.length;
    let timeStr = 'never';
    if (n.uptime !== undefined) {
      const t = n.sessionState === 'ESTABLISHED' ? n.uptime : (n.downtime ?? 0);
      timeStr = formatTimedelta(t, now);
    }
    if (timeStr.length > maxtimelen) maxtimelen = timeStr.length;
    times.push(timeStr);
  }
  const row = (peer: string, as: string, time: string, state: string, rcv: string, acc: string): string =>
    `${padEnd(peer, maxaddrlen)} ${padStart(as, maxaslen)} ${padStart(time, maxtimelen)} ${padEnd(state, 11)} |${padStart(rcv, 9)} ${padStart(acc, 9)}\n`;
  let out = row('Peer', 'AS', 'Up/Down', 'State', '#Received', 'Accepted');
  m.forEach((n, i) => {
    const neigh = n.neighborInterface ? n.neighborInterface : n.neighborAddress;
    out += row(neigh, n.peerAsn > 0 ? String(n.peerAsn) : '*', times[i], fsmName(n), String(n.received), String(n.accepted));
  });
  return out;
}

// ---- RIB ----

/** GobgpAsPathSegment is one AS_PATH segment (bgp.AsPathParam). */
export type GobgpAsPathSegment = { readonly type: 'sequence' | 'set' | 'confed-sequence' | 'confed-set'; readonly asns: readonly number[] };

/** GobgpAttribute is a path attribute other than NEXT_HOP, MP_REACH and AS_PATH, in path order. */
export type GobgpAttribute =
  | { readonly type: 'origin'; readonly value: 'igp' | 'egp' | 'incomplete' }
  | { readonly type: 'med'; readonly value: number }
  | { readonly type: 'local-pref'; readonly value: number }
  | { readonly type: 'atomic-aggregate' }
  | { readonly type: 'aggregator'; readonly as: number; readonly address: string }
  | { readonly type: 'communities'; readonly values: readonly number[] }
  | { readonly type: 'originator'; readonly id: string }
  | { readonly type: 'cluster-list'; readonly ids: readonly string[] }
  /** raw is any other attribute, as its String() method prints it. */
  | { readonly type: 'raw'; readonly text: string };

/** GobgpPath is one path of a destination. */
export interface GobgpPath {
  readonly best: boolean;
  readonly nexthopInvalid?: boolean;
  readonly stale?: boolean;
  readonly validation?: 'not-found' | 'valid' | 'invalid';
  /** nextHop is absent for a path without one (printed `fictitious`). */
  readonly nextHop?: string;
  readonly asPath: readonly GobgpAsPathSegment[];
  /** age is the epoch second the path was received. */
  readonly age: number;
  readonly attributes: readonly GobgpAttribute[];
}

/** GobgpDestination is one prefix of the RIB with its paths, as the server returns them. */
export interface GobgpDestination {
  readonly prefix: string;
  readonly paths: readonly GobgpPath[];
}

const WELL_KNOWN = new Map<number, string>([
  [0x00000000, 'internet'],
  [0xffff0000, 'planned-shut'],
  [0xffff0001, 'accept-own'],
  [0xffff0002, 'route-filter-translated-v4'],
  [0xffff0003, 'route-filter-v4'],
  [0xffff0004, 'route-filter-translated-v6'],
  [0xffff0005, 'route-filter-v6'],
  [0xffff0006, 'llgr-stale'],
  [0xffff0007, 'no-llgr'],
  [0xffff029a, 'blackhole'],
  [0xffffff01, 'no-export'],
  [0xffffff02, 'no-advertise'],
  [0xffffff03, 'no-export-subconfed'],
  [0xffffff04, 'no-peer'],
]);

/** attributeString is each attribute's String() method in pkg/packet/bgp/bgp.go. */
export function attributeString(a: GobgpAttribute): string {
  switch (a.type) {
    case 'origin':
      return `{Origin: ${{ igp: 'i', egp: 'e', incomplete: '?' }[a.value]}}`;
    case 'med':
      return `{Med: ${a.value}}`;
    case 'local-pref':
      return `{LocalPref: ${a.value}}`;
    case 'atomic-aggregate':
      return '{AtomicAggregate}';
    case 'aggregator':
      return `{Aggregate: {AS: ${a.as}, Address: ${a.address}}}`;
    case 'communities':
      return `{Communities: ${a.values.map((v) => WELL_KNOWN.get(v >>> 0) ?? `${(v >>> 16) & 0xffff}:${v & 0xffff}`).join(', ')}}`;
    case 'originator':
      return `{Originator: ${a.id}}`;
    case 'cluster-list':
      return `{ClusterList: [${a.ids.join(' ')}]}`;
    case 'raw':
      return a.text;
  }
}

/** asPathString is bgp.AsPathString. */
export function asPathString(path: readonly GobgpAsPathSegment[]): string {
  return path
    .map((seg) => {
      const sep = seg.type === 'set' || seg.type === 'confed-set' ? ',' : ' ';
      const body = seg.asns.join(sep);
      switch (seg.type) {
        case 'confed-sequence':
          return `(${body})`;
        case 'confed-set':
          return `[${body}]`;
        case 'set':
          return `{${body}}`;
        default:
          return body;
      }
    })
    .join(' ');
}

function symbols(p: GobgpPath): string {
  let s = p.stale ? 'S' : '';
  if (p.validation === 'not-found') s += 'N';
  else if (p.validation === 'valid') s += 'V';
  else if (p.validation === 'invalid') s += 'I';
  return s + (p.best && !p.nexthopInvalid ? '*>' : '* ');
}

function ipv4Key(prefix: string): number[] {
  const addr = prefix.split('/')[0];
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(addr);
  return m ? m.slice(1).map(Number) : [];
}

/**
 * formatGlobalRib is `gobgp global rib` (showNeighborRib for the global table with showBest and
 * showAge): destinations sorted by address (stable, as the server's prefix order breaks ties),
 * `Network not in table` when empty.
 */
export function formatGlobalRib(dsts: readonly GobgpDestination[], now: number): string {
  if (dsts.length === 0) return 'Network not in table\n';
  const sorted = dsts
    .map((d, i) => ({ d, i, k: ipv4Key(d.prefix) }))
    .sort((a, b) => {
      for (let j = 0; j < Math.max(a.k.length, b.k.length); j++) {
        const x = a.k[j] ?? -1;
        const y = b.k[j] ?? -1;
        if (x !== y) return x - y;
      }
      return a.i - b.i;
    })
    .map((x) => x.d);
  let wPrefix = 20;
  let wNextHop = 20;
  let wAsPath = 20;
  const rows: string[][] = [];
  for (const d of sorted) {
    for (const p of d.paths) {
      const nexthop = p.nextHop ?? 'fictitious';
      const aspath = asPathString(p.asPath);
      rows.push([symbols(p), d.prefix, nexthop, aspath, formatTimedelta(p.age, now), `[${p.attributes.map(attributeString).join(' ')}]`]);
      wPrefix = Math.max(wPrefix, d.prefix.length);
      wNextHop = Math.max(wNextHop, nexthop.length);
      wAsPath = Math.max(wAsPath, aspath.length);
    }
  }
  const line = (r: readonly string[]): string =>
    `${padEnd(r[0], 3)}${padEnd(r[1], wPrefix)} ${padEnd(r[2], wNextHop)} ${padEnd(r[3], wAsPath)} ${padEnd(r[4], 10)} ${r[5]}\n`;
  return line(['', 'Network', 'Next Hop', 'AS_PATH', 'Age', 'Attrs']) + rows.map(line).join('');
}

/** GobgpCommand is a gobgp command line modelled here. */
export type GobgpCommand =
  | { readonly command: 'neighbor'; readonly address?: string }
  | {
      readonly command: 'global-rib';
      readonly family: string;
      readonly prefix?: string;
      readonly lookup?: 'longer-prefixes' | 'shorter-prefixes';
    }
  | { readonly command: 'global' }
  | { readonly command: 'other'; readonly args: readonly string[] };

/** GobgpParse is a parsed command line or gobgp's complaint about it. */
export type GobgpParse =
  | { readonly ok: true; readonly cmd: GobgpCommand; readonly json: boolean; readonly quiet: boolean }
  | { readonly ok: false; readonly output: { readonly stdout: string; readonly stderr: string; readonly exitStatus: number } };

const COMMANDS = ['global', 'neighbor', 'vrf', 'policy', 'monitor', 'mrt', 'rpki', 'bmp', 'completion', 'help', 'log-level', 'version'];

/**
 * parseGobgpArgs parses `gobgp ARGV...` for `neighbor [ADDR]` and `global [rib [-a FAMILY] [PREFIX
 * [longer-prefixes|shorter-prefixes]]]`. Persistent flags -j/-q/-u/-p are accepted anywhere.
 * An unknown top-level command gets cobra's message on stderr; gobgp's main ignores Execute's
 * error, so the status stays 0 (derived from cobra, not run).
 */
export function parseGobgpArgs(argv: readonly string[]): GobgpParse {
  let json = false;
  let quiet = false;
  let family = 'ipv4';
  const words: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '-j' || a === '--json') json = true;
    else if (a === '-q' || a === '--quiet') quiet = true;
    else if (a === '-a' || a === '--address-family') family = argv[++i] ?? '';
    else if (a === '-u' || a === '--host' || a === '-p' || a === '--port' || a === '--target') i++;
    else words.push(a);
  }
  const [c0, c1, ...rest] = words;
  if (c0 !== undefined && !COMMANDS.includes(c0)) {
    return {
      ok: false,
      output: { stdout: '', stderr: `Error: unknown command "${c0}" for "gobgp"\nRun 'gobgp --help' for usage.\n`, exitStatus: 0 },
    };
  }
  if (c0 === 'neighbor' && rest.length === 0) return { ok: true, cmd: { command: 'neighbor', address: c1 }, json, quiet };
  if (c0 === 'global' && c1 === undefined) return { ok: true, cmd: { command: 'global' }, json, quiet };
  if (c0 === 'global' && c1 === 'rib' && rest.length <= 2) {
    const [prefix, lookup] = rest;
    if (lookup !== undefined && lookup !== 'longer-prefixes' && lookup !== 'shorter-prefixes') {
      return { ok: false, output: { stdout: 'invalid format for route filtering\n', stderr: '', exitStatus: 1 } };
    }
    return { ok: true, cmd: { command: 'global-rib', family, prefix, lookup }, json, quiet };
  }
  return { ok: true, cmd: { command: 'other', args: words }, json, quiet };
}
