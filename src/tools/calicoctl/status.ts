// `calicoctl node status` (calicoctl/commands/node/status.go, identical in v3.26–v3.30 but for
// imports): it checks for the calico-node -felix and bird/bird6 processes, sends `show protocols`
// on BIRD's control socket, keeps the BGP rows named Global_/Node_/Mesh_, and prints them with
// tablewriter. The input here is the raw socket reply (reply codes and all), as calicoctl reads it.

import type { CommandOutput } from '../format/output.js';
import { renderTable } from '../format/tablewriter.js';

export type { CommandOutput } from '../format/output.js';

/** BirdSocketReply is the outcome of dialling one BIRD control socket and sending `show protocols`. */
export type BirdSocketReply =
  | { readonly ok: true; readonly reply: string }
  /** dialError is Go's net.Dial error for the fallback path, e.g. `dial unix /var/run/bird/bird.ctl: connect: no such file or directory`. */
  | { readonly ok: false; readonly dialError: string };

/** NodeStatusInput is the node's state as `calicoctl node status` observes it. */
export interface NodeStatusInput {
  /** root is false when calicoctl runs without uid 0. */
  readonly root?: boolean;
  /** calicoRunning: a `calico-node -felix` (or `calico-felix`) process exists. */
  readonly calicoRunning: boolean;
  readonly birdRunning: boolean;
  readonly bird6Running: boolean;
  readonly bird4?: BirdSocketReply;
  readonly bird6?: BirdSocketReply;
}

/** BgpPeerRow is one parsed row of the table (status.go bgpPeer). */
export interface BgpPeerRow {
  readonly peerIp: string;
  readonly peerType: string;
  readonly state: string;
  readonly since: string;
  readonly bgpState: string;
  readonly info: string;
}

const PEER_RE = /^(Global|Node|Mesh)_(.+)$/;
const TYPE_MAP = new Map([
  ['Global', 'global'],
  ['Mesh', 'node-to-node mesh'],
  ['Node', 'node specific'],
]);
const EXPECTED_HEADINGS = ['name', 'proto', 'table', 'state', 'since', 'info'];

/** goFields is strings.Fields: split on runs of Unicode white space. */
function goFields(s: string): string[] {
  return s.split(/[\t\n\v\f\r \u0085\u00a0]+/).filter((f) => f.length > 0);
}

/** unmarshalBirdLine is bgpPeer.unmarshalBIRD: the row, or null when it is not a Calico peer. */
export function unmarshalBirdLine(line: string, ipSep: string): BgpPeerRow | null {
  const columns = goFields(line);
  if (columns.length < 6 || columns[1] !== 'BGP') return null;
  const sm = PEER_RE.exec(columns[0]);
  if (!sm) return null;
  return {
    peerIp: sm[2].replace(/_/g, ipSep),
    peerType: TYPE_MAP.get(sm[1])!,
    state: columns[3],
    since: columns[4],
    bgpState: columns[5],
    info: columns.length > 6 ? columns.slice(6).join(' ') : '',
  };
}

/** scanBirdPeers is status.go scanBIRDPeers over a whole reply; it fails as calicoctl does. */
export function scanBirdPeers(ipv: '4' | '6', reply: string): { ok: true; peers: BgpPeerRow[] } | { ok: false; error: string } {
  const ipSep = ipv === '6' ? ':' : '.';
  const peers: BgpPeerRow[] = [];
  const lines = reply.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  for (const raw of lines) {
    const str = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (str.startsWith('0000')) break;
    if (str.startsWith('0001')) continue;
    if (str.startsWith('2002')) {
      const f = goFields(str.slice(5));
      if (f.length !== EXPECTED_HEADINGS.length || f.some((x, i) => x !== EXPECTED_HEADINGS[i])) {
        return { ok: false, error: 'unknown BIRD table output format' };
      }
    } else if (str.startsWith('1002')) {
      const p = unmarshalBirdLine(str.slice(5), ipSep);
      if (p) peers.push(p);
    } else if (str.startsWith(' ')) {
      const p = unmarshalBirdLine(str.slice(1), ipSep);
      if (p) peers.push(p);
    } else return { ok: false, error: 'unexpected output line from BIRD' };
  }
  return { ok: true, peers };
}

/** formatPeerTable is status.go printPeers. */
export function formatPeerTable(peers: readonly BgpPeerRow[]): string {
  return renderTable(
    ['Peer address', 'Peer type', 'State', 'Since', 'Info'],
    peers.map((p) => [p.peerIp, p.peerType, p.state, p.since, p.info ? `${p.bgpState} ${p.info}` : p.bgpState]),
  );
}

/** formatNodeStatus runs `calicoctl node status` against `input`. */
export function formatNodeStatus(input: NodeStatusInput): CommandOutput {
  if (input.root === false) return { stdout: 'Need super user privileges: Operation not permitted\n', stderr: '', exitStatus: 1 };
  if (!input.calicoRunning) return { stdout: '', stderr: 'Calico process is not running.\n', exitStatus: 1 };
  let out = 'Calico process is running.\n';
  const printPeers = (ipv: '4' | '6', reply: BirdSocketReply | undefined): string | null => {
    out += `\nIPv${ipv} BGP status\n`;
    const r = reply ?? {
      ok: false,
      dialError: `dial unix /var/run/bird/bird${ipv === '6' ? '6' : ''}.ctl: connect: no such file or directory`,
    };
    if (!r.ok) {
      out += `Error querying BIRD: unable to connect to BIRDv${ipv} socket: ${r.dialError}`;
      return null;
    }
    const scanned = scanBirdPeers(ipv, r.reply);
    if (!scanned.ok) return `Error executing command: ${scanned.error}`;
    if (scanned.peers.length === 0) out += `No IPv${ipv} peers found.\n`;
    else out += formatPeerTable(scanned.peers);
    return null;
  };
  if (input.birdRunning || input.bird6Running) {
    if (input.birdRunning) {
      const err = printPeers('4', input.bird4);
      if (err) return { stdout: out, stderr: `${err}\n`, exitStatus: 1 };
    } else out += "\nINFO: BIRDv4 process: 'bird' is not running.\n";
    if (input.bird6Running) {
      const err = printPeers('6', input.bird6);
      if (err) return { stdout: out, stderr: `${err}\n`, exitStatus: 1 };
    } else out += "\nINFO: BIRDv6 process: 'bird6' is not running.\n";
  } else out += '\nThe BGP backend process (BIRD) is not running.\n';
  out += '\n';
  return { stdout: out, stderr: '', exitStatus: 0 };
}
