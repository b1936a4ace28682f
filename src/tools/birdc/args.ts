// birdc / birdcl command lines (client/client.c parse_args, getopt "s:vrl"; client/commands.c
// cmd_build_tree, cmd_find_abbrev, cmd_expand) and the few daemon commands modelled here, parsed
// from the expanded text the client sends. One-shot mode (`birdc show protocols`) prints the
// banner, the reply and exits: BIRD 1.6 always with 0, BIRD 2.0 with 1 when the last code ≥ 8000.

import { parseCidr, parseIpv4, type Ipv4 } from '../../model/addr.js';
import { BIRD1_COMMANDS, BIRD2_COMMANDS, type BirdCliCommand } from './commands.js';
import type { CommandOutput } from '../format/output.js';

/** BirdFlavor says which BIRD the client belongs to. */
export type BirdFlavor = 'bird1' | 'bird2';

/** BirdCommand is a daemon command the formatters of this folder answer. */
export type BirdCommand =
  | { readonly type: 'show-protocols'; readonly verbose: boolean; readonly name?: string; readonly pattern?: string }
  | {
      readonly type: 'show-route';
      readonly prefix?: { readonly addr: Ipv4; readonly len: number };
      readonly forAddr?: Ipv4;
      readonly verbose: boolean;
      readonly primaryOnly: boolean;
      readonly protocol?: string;
      readonly stats: boolean;
    }
  | { readonly type: 'show-status' }
  /** other is any other command, as the expanded text sent to the daemon. */
  | { readonly type: 'other'; readonly text: string };

/** BirdcInvocation is what the client will do: connect to `socket` and send `command`, or go interactive. */
export interface BirdcInvocation {
  readonly socket: string;
  readonly verbose: number;
  readonly restricted: boolean;
  /** expanded is the command line after abbreviation expansion; absent for an interactive session. */
  readonly expanded?: string;
  readonly command?: BirdCommand;
}

/** BirdcParse is a valid invocation, or what the client prints and exits with. */
export type BirdcParse =
  | { readonly ok: true; readonly invocation: BirdcInvocation }
  | { readonly ok: false; readonly output: CommandOutput };

interface CmdNode {
  readonly token: string;
  readonly sons: CmdNode[];
  readonly prio: number;
  cmd?: BirdCliCommand;
  help?: BirdCliCommand;
}

function buildTree(table: readonly BirdCliCommand[]): CmdNode {
  const root: CmdNode = { token: '', sons: [], prio: 1 };
  for (const c of table) {
    let node = root;
    for (const tok of c[0].split(/\s+/).filter((t) => t.length > 0)) {
      let next = node.sons.find((s) => s.token === tok);
      if (!next) {
        next = { token: tok, sons: [], prio: tok === 'roa' || tok === 'rip' ? 0 : 1 };
        node.sons.push(next);
      }
      node = next;
    }
    if (c[3]) node.cmd = c;
    else node.help = c;
  }
  return root;
}

const TREES = new Map<BirdFlavor, CmdNode>();

function treeOf(flavor: BirdFlavor): CmdNode {
  let t = TREES.get(flavor);
  if (!t) {
    t = buildTree(flavor === 'bird1' ? BIRD1_COMMANDS : BIRD2_COMMANDS);
    TREES.set(flavor, t);
  }
  return t;
}

function findAbbrev(root: CmdNode, word: string): { node?: CmdNode; ambiguous: boolean } {
  let best: CmdNode | undefined;
  let best2: CmdNode | undefined;
  for (const m of root.sons) {
    if (m.token === word) return { node: m, ambiguous: false };
    if (m.token.length > word.length && m.token.startsWith(word)) {
      if (best && best.prio > m.prio) continue;
      if (best && best.prio === m.prio) best2 = best;
      best = m;
    }
  }
  if (best2) return { ambiguous: true };
  return { node: best, ambiguous: false };
}

function helpLine(c: BirdCliCommand): string {
  const buf = `${c[0]} ${c[1]}`;
  return `${buf.padEnd(45)}  ${c[2]}\n`;
}

/**
 * expandBirdCommand is cmd_expand: each word that abbreviates a known command word is expanded,
 * the rest of the line is kept as typed. It fails with the client's own message.
 */
export function expandBirdCommand(flavor: BirdFlavor, text: string): { ok: true; expanded: string } | { ok: false; message: string } {
  let node = treeOf(flavor);
  let i = 0;
  let args = 0;
  while (i < text.length) {
    if (/\s/.test(text[i])) {
      i++;
      continue;
    }
    const b = i;
    while (i < text.length && !/\s/.test(text[i])) i++;
    const word = text.slice(b, i);
    const m = findAbbrev(node, word);
    if (!m.node) {
      if (!m.ambiguous) break;
      let msg = 'Ambiguous command, possible expansions are:\n';
      for (const s of node.sons) {
        if (s.token.length > word.length && s.token.startsWith(word)) {
          const c = s.help ?? s.cmd;
          if (c) msg += helpLine(c);
        }
      }
      return { ok: false, message: msg };
    }
    args = i;
    node = m.node;
  }
  if (!node.cmd) return { ok: false, message: "No such command. Press `?' for help.\n" };
  return { ok: true, expanded: node.cmd[0] + text.slice(args) };
}

/** parseBirdCommand reads the expanded text as the daemon's grammar does, for the modelled commands. */
export function parseBirdCommand(expanded: string): BirdCommand {
  const words = expanded.trim().split(/\s+/);
  const other: BirdCommand = { type: 'other', text: expanded };
  if (words[0] !== 'show') return other;
  if (words[1] === 'status' && words.length === 2) return { type: 'show-status' };
  if (words[1] === 'protocols') {
    let k = 2;
    const verbose = words[k] === 'all';
    if (verbose) k++;
    if (words.length === k) return { type: 'show-protocols', verbose };
    if (words.length !== k + 1) return other;
    const w = words[k];
    if (w.length >= 2 && w.startsWith('"') && w.endsWith('"')) return { type: 'show-protocols', verbose, pattern: w.slice(1, -1) };
    return { type: 'show-protocols', verbose, name: w };
  }
  if (words[1] === 'route') {
    let prefix: { addr: Ipv4; len: number } | undefined;
    let forAddr: Ipv4 | undefined;
    let verbose = false;
    let primaryOnly = false;
    let stats = false;
    let protocol: string | undefined;
    for (let k = 2; k < words.length; k++) {
      const w = words[k];
      if (w === 'all') verbose = true;
      else if (w === 'primary') primaryOnly = true;
      else if (w === 'count' || w === 'stats') stats = true;
      else if (w === 'protocol' && k + 1 < words.length) protocol = words[++k];
      else if (w === 'for' && k + 1 < words.length) {
        const c = parseCidr(words[++k]);
        if (!c) return other;
        forAddr = c.addr;
      } else {
        const c = parseCidr(w, false) ?? (parseIpv4(w) !== null ? { addr: parseIpv4(w)!, len: 32 } : null);
        if (!c || prefix) return other;
        prefix = { addr: c.addr, len: c.len };
      }
    }
    return { type: 'show-route', prefix, forAddr, verbose, primaryOnly, protocol, stats };
  }
  return other;
}

/** DEFAULT_BIRD_SOCKET is PATH_CONTROL_SOCKET: Calico's build (runstatedir /var/run/calico), Debian's bird2. */
export const DEFAULT_BIRD_SOCKET: Record<BirdFlavor, string> = {
  bird1: '/var/run/calico/bird.ctl',
  bird2: '/run/bird/bird.ctl',
};

/**
 * parseBirdcArgs parses `birdc ARGV...` (`program` is argv[0] as typed, for the usage line).
 * A failed expansion of a one-shot command is the client's message on stdout (exit 0 in BIRD 1.6,
 * 1 in 2.0), after the banner, which the caller prints once it has connected.
 */
export function parseBirdcArgs(argv: readonly string[], flavor: BirdFlavor, program = 'birdc'): BirdcParse {
  let socket = DEFAULT_BIRD_SOCKET[flavor];
  let serverChanged = false;
  let verbose = 0;
  let restricted = false;
  const usage = (pre: string): BirdcParse => ({
    ok: false,
    output: { stdout: '', stderr: `${pre}Usage: ${program} [-s <control-socket>] [-v] [-r] [-l]\n`, exitStatus: 1 },
  });
  // glibc getopt permutes: options may follow the command words, up to a `--`.
  const words: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      words.push(...argv.slice(i + 1));
      break;
    }
    if (!a.startsWith('-') || a === '-') {
      words.push(a);
      continue;
    }
    for (let j = 1; j < a.length; j++) {
      const c = a[j];
      if (c === 's') {
        const v = j + 1 < a.length ? a.slice(j + 1) : argv[++i];
        if (v === undefined) return usage(`${program}: option requires an argument -- 's'\n`);
        socket = v;
        serverChanged = true;
        break;
      } else if (c === 'v') verbose++;
      else if (c === 'r') restricted = true;
      else if (c === 'l') {
        if (!serverChanged) socket = socket.slice(socket.lastIndexOf('/') + 1);
      } else return usage(`${program}: invalid option -- '${c}'\n`);
    }
  }
  if (words.length === 0) return { ok: true, invocation: { socket, verbose, restricted } };
  const text = words.join(' ');
  const e = expandBirdCommand(flavor, text);
  if (!e.ok) return { ok: false, output: { stdout: e.message, stderr: '', exitStatus: flavor === 'bird1' ? 0 : 1 } };
  return { ok: true, invocation: { socket, verbose, restricted, expanded: e.expanded, command: parseBirdCommand(e.expanded) } };
}

/** connectError is the client's message when the control socket cannot be reached (DIE with %m). */
export function connectError(socket: string, strerror = 'No such file or directory'): CommandOutput {
  return { stdout: '', stderr: `Unable to connect to server control socket (${socket}): ${strerror}\n`, exitStatus: 1 };
}
