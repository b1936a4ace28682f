// cat(1) of the /proc/sys files of the namespace it runs in.

import { sysctlKey, sysctlRead } from '../kernel/sysctl.js';
import type { Cat, Command } from './ast.js';
import type { ToolContext } from './context.js';
import { type Args, fail } from './words.js';

/** parseCat reads `cat FILE`: labs read /proc/sys files only. */
export function parseCat(args: Args): Command {
  const path = args.take();
  if (path === undefined) fail('cat: missing file');
  args.end();
  if (!/^\/proc\/sys\/[A-Za-z0-9_./-]+$/.test(path) || path.includes('..'))
    fail(`cat: only /proc/sys/ files can be read in labs, not "${path}"`);
  return { kind: 'cat', path };
}

/** runCat prints a /proc/sys file, or cat's error when there is none. */
export function runCat(ctx: ToolContext, cmd: Cat): void {
  const v = sysctlRead(ctx.sim.world.namespaces.get(ctx.ns)!, sysctlKey(cmd.path));
  if (v === null) ctx.out.errLine(`cat: ${cmd.path}: No such file or directory`, 1);
  else ctx.out.out(`${v}\n`);
}
