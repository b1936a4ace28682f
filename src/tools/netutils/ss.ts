// `ss -t[a|l][n][p]` as iproute2 6.1's ss (misc/ss.c) prints TCP sockets: every line is a row of
// field tokens (Netid, State, Recv-Q, Send-Q, Local Address:, Port, Peer Address:, Port, the
// extension column headed "Process", and a last unnamed one), buffered and then rendered
// (render_calc_width, render). Off a terminal each column is as wide as its longest token plus its
// left delimiter; on a terminal of `screenWidth` columns the spare width is spread over them.
// Netid is hidden when one socket table is shown, State when one state is (`state established`).

import { formatIpv4, type Ipv4 } from '../../model/addr.js';
import type { TcpSockState } from '../../kernel/tcp.js';
import type { CommandOutput } from '../format/output.js';

/** TcpState is the kernel's TCP state as ss names it; UNCONN is ss's word for a closed socket. */
export type TcpState = TcpSockState | 'UNCONN';

/** TcpSocket is one inet_diag answer for a TCP socket (IPv4). */
export interface TcpSocket {
  readonly state: TcpState;
  /** recvQ / sendQ: for LISTEN the accept queue length and the backlog. */
  readonly recvQ: number;
  readonly sendQ: number;
  readonly local: { readonly addr: Ipv4; readonly port: number };
  readonly peer: { readonly addr: Ipv4; readonly port: number };
  /** users is the `-p` text inside users:(...), e.g. `("bird",pid=25,fd=7)`. */
  readonly users?: string;
}

/** SsOptions are the options of the modelled command lines. */
export interface SsOptions {
  /**
   * states selects the sockets: `connected` (the default, SS_CONN: not LISTEN, CLOSE, TIME-WAIT or
   * SYN-RECV), `all` (-a), `listening` (-l: LISTEN and CLOSE). None is a single state, so the State
   * column always shows.
   */
  readonly states: 'connected' | 'all' | 'listening';
  readonly numeric: boolean;
  readonly processes: boolean;
  readonly header?: boolean;
  /** screenWidth is the terminal width when stdout is a tty; absent for a pipe or file. */
  readonly screenWidth?: number;
  /** services resolves port numbers without -n (/etc/services); unknown ports stay numeric. */
  readonly services?: ReadonlyMap<number, string>;
}

interface Column {
  readonly align: 'left' | 'right';
  readonly header: string;
  readonly ldelim: string;
  disabled: boolean;
  width: number;
  maxLen: number;
}

const CONNECTED_EXCLUDED: ReadonlySet<TcpState> = new Set(['LISTEN', 'UNCONN', 'TIME-WAIT', 'SYN-RECV']);

/** SS_SERVICES is the subset of netbase's /etc/services for ports a Calico node uses. */
export const SS_SERVICES: ReadonlyMap<number, string> = new Map([
  [22, 'ssh'],
  [53, 'domain'],
  [80, 'http'],
  [179, 'bgp'],
  [443, 'https'],
  [2379, 'etcd-client'],
  [2380, 'etcd-server'],
  [4789, 'vxlan'],
  [8080, 'http-alt'],
]);

function columns(): Column[] {
  const c = (align: 'left' | 'right', header: string, ldelim: string): Column => ({
    align,
    header,
    ldelim,
    disabled: false,
    width: 0,
    maxLen: 0,
  });
  return [
    c('left', 'Netid', ''),
    c('left', 'State', ' '),
    c('left', 'Recv-Q', ' '),
    c('left', 'Send-Q', ' '),
    c('right', 'Local Address:', ' '),
    c('left', 'Port', ''),
    c('right', 'Peer Address:', ' '),
    c('left', 'Port', ''),
    c('left', 'Process', ''),
    c('left', '', ''),
  ];
}

/**
 * renderSs lays out rows of 10 tokens (one per column) as ss's render() does. A field's length
 * counts once field_flush runs, which is when the next field starts: the extension token of the
 * last socket (`users:(...)`) never is, so it does not widen its column (`lastRowOpenFrom` = 8).
 */
export function renderSs(
  cols: Column[],
  rows: readonly (readonly string[])[],
  screenWidth?: number,
  lastRowOpenFrom = cols.length,
): string {
  rows.forEach((row, r) => {
    row.forEach((t, i) => {
      if (r === rows.length - 1 && i >= lastRowOpenFrom) return;
      cols[i].maxLen = Math.max(cols[i].maxLen, t.length);
    });
  });
  // First pass: measured widths.
  let first = true;
  for (const c of cols) {
    if (c.disabled) continue;
    c.width = !first && c.maxLen ? c.maxLen + c.ldelim.length : c.maxLen;
    if (screenWidth !== undefined) c.width = Math.min(c.width, screenWidth);
    if (c.width) first = false;
  }
  if (screenWidth !== undefined) {
    // Second pass: line breaks and spreading of the spare width.
    let len = 0;
    let linecols = 0;
    let eol = -1;
    for (let ci = 0; ci < cols.length; ci++) {
      const c = cols[ci];
      if (!c.width) continue;
      linecols++;
      len += c.width;
      const last = !cols.slice(ci + 1).some((t) => t.width);
      if (!last && len < screenWidth) continue;
      if (len !== screenWidth) {
        if (len > screenWidth) {
          len -= c.width;
          ci--;
          linecols--;
        }
        const pad = screenWidth - len;
        const spacing = Math.floor(pad / linecols);
        let rem = pad % linecols;
        for (let t = ci; t > eol; t--) {
          if (!cols[t].width) continue;
          cols[t].width += spacing;
          if (rem) {
            cols[t].width++;
            rem--;
          }
        }
      }
      eol = ci;
      len = 0;
      linecols = 0;
    }
  }
  let out = '';
  for (const row of rows) {
    let started = false;
    row.forEach((tok, i) => {
      const f = cols[i];
      if (f.disabled) return;
      let printed = 0;
      if (started) {
        out += f.ldelim;
        printed = f.ldelim.length;
      }
      started = true;
      if (f.width && f.align === 'right') {
        const s = f.width - tok.length - printed;
        if (s > 0) {
          out += ' '.repeat(s);
          printed += s;
        }
      }
      out += tok;
      printed += tok.length;
      if (f.width && f.align === 'left') {
        const s = f.width - printed;
        if (s > 0) out += ' '.repeat(s);
      }
    });
    out += '\n';
  }
  return out;
}

/** ssTcp prints `ss -t` with the given options for the sockets, in the kernel's dump order. */
export function ssTcp(sockets: readonly TcpSocket[], o: SsOptions): CommandOutput {
  const cols = columns();
  cols[0].disabled = true; // one table (tcp) only
  const port = (p: number): string =>
    p === 0 ? '*' : !o.numeric && (o.services ?? SS_SERVICES).has(p) ? (o.services ?? SS_SERVICES).get(p)! : String(p);
  const shown = sockets.filter((s) =>
    o.states === 'all' ? true : o.states === 'listening' ? s.state === 'LISTEN' || s.state === 'UNCONN' : !CONNECTED_EXCLUDED.has(s.state),
  );
  const rows: string[][] = [];
  if (o.header ?? true) rows.push([...cols.slice(0, 9).map((c) => c.header), '']);
  for (const s of shown) {
    rows.push([
      'tcp',
      s.state,
      String(s.recvQ).padEnd(6),
      String(s.sendQ).padEnd(6),
      `${formatIpv4(s.local.addr)}:`,
      port(s.local.port),
      `${formatIpv4(s.peer.addr)}:`,
      port(s.peer.port),
      o.processes && s.users !== undefined ? ` users:(${s.users})` : '',
      '',
    ]);
  }
  return { stdout: renderSs(cols, rows, o.screenWidth, shown.length > 0 ? 8 : cols.length), stderr: '', exitStatus: 0 };
}

/** SS_USAGE is ss 6.1's _usage() text (printed on stderr for a bad option, with exit status 255). */
export const SS_USAGE =
  'Usage: ss [ OPTIONS ]\n' +
  '       ss [ OPTIONS ] [ FILTER ]\n' +
  '   -h, --help          this message\n' +
  '   -V, --version       output version information\n' +
  "   -n, --numeric       don't resolve service names\n" +
  '   -r, --resolve       resolve host names\n' +
  '   -a, --all           display all sockets\n' +
  '   -l, --listening     display listening sockets\n' +
  '   -o, --options       show timer information\n' +
  '   -e, --extended      show detailed socket information\n' +
  '   -m, --memory        show socket memory usage\n' +
  '   -p, --processes     show process using socket\n' +
  '   -T, --threads       show thread using socket\n' +
  '   -i, --info          show internal TCP information\n' +
  '       --tipcinfo      show internal tipc socket information\n' +
  '   -s, --summary       show socket usage summary\n' +
  '       --tos           show tos and priority information\n' +
  '       --cgroup        show cgroup information\n' +
  '   -b, --bpf           show bpf filter socket information\n' +
  '   -E, --events        continually display sockets as they are destroyed\n' +
  '   -Z, --context       display task SELinux security contexts\n' +
  '   -z, --contexts      display task and socket SELinux security contexts\n' +
  '   -N, --net           switch to the specified network namespace name\n' +
  '\n' +
  '   -4, --ipv4          display only IP version 4 sockets\n' +
  '   -6, --ipv6          display only IP version 6 sockets\n' +
  '   -0, --packet        display PACKET sockets\n' +
  '   -t, --tcp           display only TCP sockets\n' +
  '   -M, --mptcp         display only MPTCP sockets\n' +
  '   -S, --sctp          display only SCTP sockets\n' +
  '   -u, --udp           display only UDP sockets\n' +
  '   -d, --dccp          display only DCCP sockets\n' +
  '   -w, --raw           display only RAW sockets\n' +
  '   -x, --unix          display only Unix domain sockets\n' +
  '       --tipc          display only TIPC sockets\n' +
  '       --vsock         display only vsock sockets\n' +
  '       --xdp           display only XDP sockets\n' +
  '   -f, --family=FAMILY display sockets of type FAMILY\n' +
  '       FAMILY := {inet|inet6|link|unix|netlink|vsock|tipc|xdp|help}\n' +
  '\n' +
  '   -K, --kill          forcibly close sockets, display what was closed\n' +
  '   -H, --no-header     Suppress header line\n' +
  "   -O, --oneline       socket's data printed on a single line\n" +
  '       --inet-sockopt  show various inet socket options\n' +
  '\n' +
  '   -A, --query=QUERY, --socket=QUERY\n' +
  '       QUERY := {all|inet|tcp|mptcp|udp|raw|unix|unix_dgram|unix_stream|unix_seqpacket|packet|packet_raw|packet_dgram|netlink|dccp|sctp|vsock_stream|vsock_dgram|tipc|xdp}[,QUERY]\n' +
  '\n' +
  '   -D, --diag=FILE     Dump raw information about TCP sockets to FILE\n' +
  '   -F, --filter=FILE   read filter information from FILE\n' +
  '       FILTER := [ state STATE-FILTER ] [ EXPRESSION ]\n' +
  '       STATE-FILTER := {all|connected|synchronized|bucket|big|TCP-STATES}\n' +
  '         TCP-STATES := {established|syn-sent|syn-recv|fin-wait-{1,2}|time-wait|closed|close-wait|last-ack|listening|closing}\n' +
  '          connected := {established|syn-sent|syn-recv|fin-wait-{1,2}|time-wait|close-wait|last-ack|closing}\n' +
  '       synchronized := {established|syn-recv|fin-wait-{1,2}|time-wait|close-wait|last-ack|closing}\n' +
  '             bucket := {syn-recv|time-wait}\n' +
  '                big := {established|syn-sent|fin-wait-{1,2}|closed|close-wait|last-ack|listening|closing}\n';

/** SsCommand is a modelled `ss` command line: TCP sockets with some display options. */
export interface SsCommand {
  readonly tcp: boolean;
  readonly options: SsOptions;
}

/**
 * parseSsArgs parses bundled short options (-tan, -ltnp, -H, -4). Anything else ss accepts is
 * returned as `other`; an option ss does not know gets getopt's complaint and the usage.
 */
export function parseSsArgs(
  argv: readonly string[],
):
  | { readonly ok: true; readonly cmd: SsCommand }
  | { readonly ok: false; readonly output?: CommandOutput; readonly other?: readonly string[] } {
  let tcp = false;
  let states: SsOptions['states'] = 'connected';
  let numeric = false;
  let processes = false;
  let header = true;
  const known = 'dhaletuwxnro460spTbEf:mMiA:D:F:vVzZN:KHSO';
  for (const a of argv) {
    if (!a.startsWith('-') || a === '-' || a.startsWith('--')) return { ok: false, other: argv };
    for (const ch of a.slice(1)) {
      if (!known.includes(ch) || ch === ':') {
        return { ok: false, output: { stdout: '', stderr: `ss: invalid option -- '${ch}'\n${SS_USAGE}`, exitStatus: 255 } };
      }
      if (ch === 't') tcp = true;
      else if (ch === 'a') states = 'all';
      else if (ch === 'l') states = 'listening';
      else if (ch === 'n') numeric = true;
      else if (ch === 'p') processes = true;
      else if (ch === 'H') header = false;
      else if (ch !== '4') return { ok: false, other: argv };
    }
  }
  if (!tcp) return { ok: false, other: argv };
  return { ok: true, cmd: { tcp, options: { states, numeric, processes, header } } };
}
