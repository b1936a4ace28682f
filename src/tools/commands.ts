// The programs a shell knows: for each, how it reads its argv and how it runs. A command line's first
// word picks the program, as execvp would; the directives are the lab's own.

import type { Command, Parsed } from './ast.js';
import { parseBridge } from './bridge/parse.js';
import { runBridge } from './bridge/run.js';
import { parseCat, runCat } from './cat.js';
import type { ToolContext } from './context.js';
import { parseCurl, runCurlCommand } from './curl.js';
import {
  parseCapture,
  parseCaptures,
  parseListen,
  parseSleep,
  runCapture,
  runCaptures,
  runListen,
  runSleep,
  runTcpdump,
} from './directives.js';
import { parseIp } from './ip/parse.js';
import { runIp } from './ip/run.js';
import { parsePing, runPingCommand } from './ping.js';
import { programNamed, runProgram } from './programs.js';
import { formatRouteN, parseRouteN } from './route.js';
import { parseSysctl, runSysctl } from './sysctl.js';
import { parseTcpdump } from './tcpdump/program.js';
import { Args, fail, type NetnsRecorder } from './words.js';

/** ProgramParser reads a program's argv (after its name) into a command and the namespace it names. */
type ProgramParser = (args: Args) => Parsed;

const inPlace =
  (parse: (args: Args) => Command): ProgramParser =>
  (args) => ({ netns: null, cmd: parse(args) });

/** PROGRAMS maps a program name to its argv parser. */
const PROGRAMS: ReadonlyMap<string, ProgramParser> = new Map<string, ProgramParser>([
  ['ip', (args) => parseIp(args, null, parseCommand)],
  ['bridge', parseBridge],
  ['sysctl', inPlace(parseSysctl)],
  ['cat', inPlace(parseCat)],
  ['route', inPlace(parseRouteN)],
  ['ping', inPlace(parsePing)],
  ['curl', inPlace(parseCurl)],
  ['listen', inPlace(parseListen)],
  ['capture', inPlace(parseCapture)],
  ['captures', inPlace(parseCaptures)],
  ['sleep', inPlace(parseSleep)],
  ['tcpdump', inPlace(parseTcpdump)],
]);

/** parseCommand parses one command line split into words; `rec` collects the words that name a namespace. */
export function parseCommand(words: readonly string[], rec: NetnsRecorder = { offset: 0, indices: [] }): Parsed {
  const [prog, ...rest] = words;
  const parse = PROGRAMS.get(prog);
  if (parse === undefined) {
    if (programNamed(prog) !== undefined) return { netns: null, cmd: { kind: 'program', prog, argv: rest } };
    return fail(`unknown command "${prog}"`);
  }
  return parse(new Args(rest, prog, rec.offset + 1, rec.indices));
}

/** runCommand runs a parsed command in the context's namespace. */
export function runCommand(ctx: ToolContext, cmd: Command): void {
  switch (cmd.kind) {
    case 'netns-exec-outer':
      // setns(2) into the outer namespace comes first (ip/ipnetns.c netns_exec).
      if (!ctx.sim.world.namespaces.has(cmd.outer)) {
        ctx.out.errLine(`Cannot open network namespace "${cmd.outer}": No such file or directory`, 1);
        return;
      }
      runCommand(ctx, cmd.cmd);
      return;
    case 'netns-add':
    case 'netns-del':
    case 'netns-list':
    case 'link-add':
    case 'link-set':
    case 'link-del':
    case 'link-show':
    case 'addr-change':
    case 'addr-show':
    case 'route-change':
    case 'route-show':
    case 'route-get':
    case 'rule':
    case 'neigh-change':
    case 'neigh-show':
    case 'addr-flush':
    case 'neigh-flush':
    case 'neigh-get':
    case 'netns-list-id':
      runIp(ctx, cmd);
      return;
    case 'fdb-change':
    case 'fdb-show':
    case 'bridge-link-show':
      runBridge(ctx, cmd);
      return;
    case 'sysctl-write':
    case 'sysctl-read':
      runSysctl(ctx, cmd);
      return;
    case 'cat':
      runCat(ctx, cmd);
      return;
    case 'route-n':
      ctx.out.out(formatRouteN(ctx.view, ctx.ns, cmd.resolve === true));
      return;
    case 'ping':
      runPingCommand(ctx, cmd);
      return;
    case 'curl':
      runCurlCommand(ctx, cmd);
      return;
    case 'listen':
      runListen(ctx, cmd);
      return;
    case 'capture':
      runCapture(ctx, cmd);
      return;
    case 'captures':
      runCaptures(ctx);
      return;
    case 'sleep':
      runSleep(ctx, cmd);
      return;
    case 'tcpdump':
      runTcpdump(ctx, cmd);
      return;
    case 'program':
      runProgram(ctx, cmd.prog, cmd.argv);
      return;
  }
}
