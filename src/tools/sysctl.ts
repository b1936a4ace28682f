// sysctl(8) as procps-ng has it: reading and writing net.* keys of the namespace it runs in, with its
// messages. The keys and their kernel behaviour are src/kernel/sysctl.ts.

import { sysctlSet } from '../kernel/netns.js';
import { sysctlKey, sysctlRead } from '../kernel/sysctl.js';
import type { Command, SysctlRead, SysctlWrite } from './ast.js';
import type { ToolContext } from './context.js';
import { type Args, fail, getopt } from './words.js';

/** parseSysctl reads sysctl(8)'s argv (procps-ng): -q, -w, -n and KEY or KEY=VALUE operands. */
export function parseSysctl(args: Args): Command {
  const { opts, operands } = getopt(
    'sysctl',
    args.rest(),
    { q: false, w: false, n: false },
    new Map([
      ['quiet', 'q'],
      ['write', 'w'],
      ['values', 'n'],
    ]),
  );
  const has = (l: string): boolean => opts.some(([o]) => o === l);
  if (operands.length === 0) fail('sysctl: missing KEY or KEY=VALUE');
  // procps writes every argument holding '=', with or without -w.
  const write = has('w') || operands.some((o) => o.includes('='));
  for (const o of operands) if (!/^[A-Za-z0-9_./-]+(=.*)?$/.test(o)) fail(`sysctl: invalid key "${o}"`);
  if (!write) return { kind: 'sysctl-read', valuesOnly: has('n'), keys: operands };
  const assignments = operands.map((o) => {
    const eq = o.indexOf('=');
    if (eq <= 0) fail(`sysctl: "${o}" must be of the form name=value`);
    return { key: o.slice(0, eq), value: o.slice(eq + 1) };
  });
  return { kind: 'sysctl-write', quiet: has('q'), assignments };
}

/** formatSysctl prints what `sysctl KEY` prints for one key (`key = value`), newline included. */
export function formatSysctl(key: string, value: string): string {
  return `${key} = ${value}\n`;
}

/** runSysctl runs `sysctl -w …` or `sysctl KEY…`. */
export function runSysctl(ctx: ToolContext, cmd: SysctlRead | SysctlWrite): void {
  if (cmd.kind === 'sysctl-write') {
    for (const a of cmd.assignments) {
      const key = sysctlKey(a.key);
      const e = ctx.sim.control((tx) => sysctlSet(tx, ctx.ns, a.key, a.value));
      if (e !== null) ctx.out.errLine(e, 1);
      // sysctl echoes the value as it was given, less the white space around it (`05`, `0x1F`).
      else if (!cmd.quiet) ctx.out.out(formatSysctl(key, a.value.trim()));
    }
    return;
  }
  const ns = ctx.sim.world.namespaces.get(ctx.ns)!;
  for (const k of cmd.keys) {
    const key = sysctlKey(k);
    const v = sysctlRead(ns, key);
    if (v === null) ctx.out.errLine(`sysctl: cannot stat /proc/sys/${key.replace(/\./g, '/')}: No such file or directory`, 1);
    else ctx.out.out(cmd.valuesOnly ? `${v}\n` : formatSysctl(key, v));
  }
}
