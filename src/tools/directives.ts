// The lab directives, which stand for what a person does in other terminals: `listen NS PORT` (a
// TCP listener that accepts and stays silent), `capture NS IFACE` (tcpdump -n -e -t -i IFACE) and
// `captures` (stop every capture and print what each saw).

import { INIT_NS } from '../model/world.js';
import { linkByName } from '../kernel/netns.js';
import { type Capture, type Command, INITIAL_NETNS, type Listen } from './ast.js';
import type { ToolContext } from './context.js';
import { TcpdumpPrinter } from './tcpdump/print.js';
import { type Args, devName, fail, netnsName, uint } from './words.js';

/** directiveNetns reads a directive's namespace: `-` is the lab's initial namespace. */
function directiveNetns(args: Args): string | null {
  const ns = args.take();
  if (ns === undefined) fail(`${args.ctx}: missing namespace (a name, or "${INITIAL_NETNS}" for the initial one)`);
  return ns === INITIAL_NETNS ? null : netnsName(ns);
}

/** parseListen reads `listen NS PORT`. */
export function parseListen(args: Args): Command {
  const netns = directiveNetns(args);
  const p = args.take();
  if (p === undefined) fail('listen: missing port');
  const port = uint(p, 'port', 65535);
  if (port === 0) fail('listen: invalid port "0"');
  args.end();
  return { kind: 'listen', netns, port };
}

/** parseCapture reads `capture NS IFACE`. */
export function parseCapture(args: Args): Command {
  const netns = directiveNetns(args);
  const iface = args.take();
  if (iface === undefined) fail('capture: missing interface');
  args.end();
  return { kind: 'capture', netns, iface: devName(iface) };
}

/** parseCaptures reads `captures`. */
export function parseCaptures(args: Args): Command {
  args.end();
  return { kind: 'captures' };
}

/** runListen opens a TCP listener in the directive's namespace. */
export function runListen(ctx: ToolContext, cmd: Listen): void {
  const key = cmd.netns === null ? INIT_NS : cmd.netns;
  if (!ctx.sim.world.namespaces.has(key)) {
    ctx.out.errLine(`Cannot open network namespace "${cmd.netns}": No such file or directory`, 1);
    return;
  }
  ctx.sim.listen(key, cmd.port);
}

/** runCapture starts a capture, remembered by the shell until `captures`. */
export function runCapture(ctx: ToolContext, cmd: Capture): void {
  const key = cmd.netns === null ? INIT_NS : cmd.netns;
  const ns = ctx.sim.world.namespaces.get(key);
  const l = ns === undefined ? undefined : linkByName(ns, cmd.iface);
  if (l === undefined) {
    ctx.out.errLine(`tcpdump: ${cmd.iface}: No such device exists\n(SIOCGIFHWADDR: No such device)`, 1);
    return;
  }
  ctx.sim.startCapture(key, l.ifindex);
  ctx.captures.push({ ns: key, label: cmd.netns ?? INITIAL_NETNS, iface: cmd.iface, ifindex: l.ifindex });
}

/** runCaptures lets in-flight frames land, then prints and stops every capture. */
export function runCaptures(ctx: ToolContext): void {
  // The real runner waits before it stops tcpdump.
  ctx.sim.runFor(300_000);
  for (const c of ctx.captures.splice(0)) {
    const frames = ctx.sim.stopCapture(c.ns, c.ifindex);
    const printer = new TcpdumpPrinter();
    ctx.out.out(`=== capture ${c.label} ${c.iface}\n`);
    for (const f of frames) ctx.out.out(`${printer.print(f.frame)}\n`);
  }
}
