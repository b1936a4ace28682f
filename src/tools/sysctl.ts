// sysctl(8) as procps-ng 4.0.2 has it (src/sysctl.c: main, ReadSetting, DisplayAll, WriteSetting,
// parse_setting_line, slashdot): reading, listing and writing the net.* keys of the namespace it runs
// in, with its messages and exit status. The keys and their kernel behaviour are src/kernel/sysctl.ts.

import { sysctlSet } from '../kernel/netns.js';
import { parseSysctlPath, sysctlEntries, sysctlIsDir, sysctlMode, sysctlValue } from '../kernel/sysctl.js';
import type { Command, SysctlOptions, SysctlRead, SysctlWrite } from './ast.js';
import type { ToolContext } from './context.js';
import { type Args, fail, getopt } from './words.js';

/** DEPRECATED_OPT stands for `--deprecated`, which has no short form. */
const DEPRECATED_OPT = '\u0001';

const OPT_SPEC = {
  a: false,
  A: false,
  X: false,
  b: false,
  e: false,
  N: false,
  n: false,
  q: false,
  w: false,
  r: true,
  [DEPRECATED_OPT]: false,
};

const LONG_OPTS = new Map([
  ['all', 'a'],
  ['binary', 'b'],
  ['ignore', 'e'],
  ['names', 'N'],
  ['values', 'n'],
  ['quiet', 'q'],
  ['write', 'w'],
  ['pattern', 'r'],
  ['deprecated', DEPRECATED_OPT],
]);

/** KEY_RE is what a key may hold in a lab: no glob characters (procps would expand them) and no spaces. */
const KEY_RE = /^[A-Za-z0-9_./-]+$/;

/**
 * parseSysctl reads sysctl(8)'s argv (procps-ng): options anywhere (GNU getopt), and KEY or KEY=VALUE
 * operands. Plain reads (`-n` at most) and plain writes (`-q`, `-w` at most) keep their own forms;
 * anything else carries its options.
 */
export function parseSysctl(args: Args): Command {
  const { opts, operands } = getopt('sysctl', args.rest(), OPT_SPEC, LONG_OPTS);
  const has = (l: string): boolean => opts.some(([o]) => o === l);
  let pattern: string | null = null;
  for (const [o, v] of opts) if (o === 'r') pattern = v;
  const all = has('a') || has('A') || has('X');
  if (operands.length === 0 && !all && opts.length === 0) fail('sysctl: missing KEY or KEY=VALUE');
  for (const o of operands) {
    const eq = o.indexOf('=');
    const key = eq < 0 ? o : o.slice(0, eq);
    if (!KEY_RE.test(key) && !(eq >= 0 && key === '')) fail(`sysctl: invalid key "${o}"`);
  }
  const write = has('w');
  // procps says "invalid syntax" and goes on; a lab cannot mean it, so it is calisim's syntax error.
  if (write) for (const o of operands) if (o.indexOf('=') <= 0) fail(`sysctl: "${o}" must be of the form name=value`);
  const assigns = operands.filter((o) => o.includes('='));
  const simple = opts.every(([o]) => o === 'n' || o === 'q' || o === 'w');
  if (simple && !all && operands.length > 0) {
    if (!has('n') && assigns.length === operands.length && operands.every((o) => o.indexOf('=') > 0)) {
      const assignments = operands.map((o) => ({ key: o.slice(0, o.indexOf('=')), value: o.slice(o.indexOf('=') + 1) }));
      return { kind: 'sysctl-write', quiet: has('q'), assignments };
    }
    if (!write && !has('q') && assigns.length === 0) return { kind: 'sysctl-read', valuesOnly: has('n'), keys: operands };
  }
  const options: SysctlOptions = {
    all,
    write,
    quiet: has('q'),
    names: has('N'),
    binary: has('b'),
    ignore: has('e'),
    deprecated: has(DEPRECATED_OPT),
    pattern,
  };
  return { kind: 'sysctl-read', valuesOnly: has('n') || has('b'), keys: operands, opts: options };
}

/** formatSysctl prints what `sysctl KEY` prints for one key (`key = value`), newline included. */
export function formatSysctl(key: string, value: string): string {
  return `${key} = ${value}\n`;
}

/**
 * Slashdot is procps's slashdot(): the key with `old` separators turned into `new` and `new` ones into
 * `old`, unless its first separator already is `new`; and the warning it gives for a repeated one.
 */
interface Slashdot {
  readonly text: string;
  readonly warning: string | null;
}

/** slashdot swaps the separators of a key (a path with slashes, or a name with dots). */
export function slashdot(name: string, old: '.' | '/', to: '.' | '/'): Slashdot {
  const first = name.search(/[./]/);
  if (first < 0 || name[first] === to) return { text: name, warning: null };
  let text = name.slice(0, first);
  let warning: string | null = null;
  for (let i = first; i < name.length; i++) {
    const c = name[i];
    if (c !== '.' && c !== '/') {
      text += c;
      continue;
    }
    if (warning === null && (name[i + 1] === '.' || name[i + 1] === '/'))
      warning = `sysctl: separators should not be repeated: ${name.slice(i)}`;
    text += c === old ? to : old;
  }
  return { text, warning };
}

/** POSIX_CLASSES are the bracket expressions of POSIX regular expressions, as JavaScript writes them. */
const POSIX_CLASSES: ReadonlyMap<string, string> = new Map([
  ['alpha', 'A-Za-z'],
  ['digit', '0-9'],
  ['alnum', 'A-Za-z0-9'],
  ['upper', 'A-Z'],
  ['lower', 'a-z'],
  ['space', ' \\t\\n\\r\\f\\v'],
  ['xdigit', '0-9A-Fa-f'],
  ['punct', '!-\\/:-@\\[-`{-~'],
]);

/**
 * matcher is pattern_match: regcomp(REG_EXTENDED | REG_NOSUB) and regexec, unanchored. A pattern that
 * does not compile matches nothing.
 */
function matcher(pattern: string | null): (name: string) => boolean {
  if (pattern === null) return () => true;
  try {
    const re = new RegExp(pattern.replace(/\[:([a-z]+):\]/g, (m, c: string) => POSIX_CLASSES.get(c) ?? m));
    return (name) => re.test(name);
  } catch {
    return () => false;
  }
}

/** SysctlRun is one sysctl(8) process: its options, where it prints, and its exit status so far. */
interface SysctlRun {
  readonly ctx: ToolContext;
  readonly opts: SysctlOptions;
  readonly valuesOnly: boolean;
  readonly match: (name: string) => boolean;
  readonly out: string[];
}

/** flush writes what the run printed to stdout so far, so that it interleaves with stderr as it did. */
function flush(r: SysctlRun): void {
  if (r.out.length > 0) r.ctx.out.out(r.out.join(''));
  r.out.length = 0;
}

/** warn prints one of sysctl's messages on stderr. */
function warn(r: SysctlRun, line: string): void {
  flush(r);
  r.ctx.out.err(`${line}\n`);
}

/**
 * readSetting is ReadSetting: one key, or every key below a directory. A file that cannot be read
 * (route.flush) prints nothing and is no error; the pattern and -N apply to the key as printed.
 */
function readSetting(r: SysctlRun, name: string): number {
  const tmp = slashdot(name, '.', '/');
  const outname = slashdot(name, '/', '.');
  for (const w of [tmp.warning, outname.warning]) if (w !== null) warn(r, w);
  const ns = r.ctx.sim.world.namespaces.get(r.ctx.ns)!;
  const k = parseSysctlPath(ns, tmp.text);
  if (k === null) {
    if (sysctlIsDir(ns, tmp.text)) return displayAll(r, tmp.text);
    if (r.opts.ignore) return 0;
    warn(r, `sysctl: cannot stat /proc/sys/${tmp.text}: No such file or directory`);
    return 1;
  }
  const value = sysctlValue(ns, k);
  if (value === null) return 0;
  if (!r.match(outname.text)) return 0;
  if (r.opts.names) r.out.push(`${outname.text}\n`);
  else if (!r.valuesOnly) r.out.push(formatSysctl(outname.text, value));
  else r.out.push(r.opts.binary ? value : `${value}\n`);
  return 0;
}

/**
 * displayAll is DisplayAll: every file below a directory, walked in readdir order (sorted by name),
 * the deprecated ones left out unless --deprecated. Its status is that of the files directly in the
 * directory only, as procps drops the status of subdirectories.
 */
function displayAll(r: SysctlRun, dir: string): number {
  const ns = r.ctx.sim.world.namespaces.get(r.ctx.ns)!;
  const prefix = dir
    .split('/')
    .filter((s) => s !== '')
    .join('/');
  const depth = prefix === '' ? 0 : prefix.split('/').length;
  let rc = 0;
  for (const e of sysctlEntries(ns)) {
    if (prefix !== '' && !e.path.startsWith(`${prefix}/`)) continue;
    if (e.deprecated && !r.opts.deprecated) continue;
    const status = readSetting(r, e.path);
    if (e.path.split('/').length === depth + 1) rc |= status;
  }
  return rc;
}

/**
 * writeSetting is parse_setting_line and WriteSetting for one KEY=VALUE operand: the key becomes a path
 * (dots to slashes, unless it has slashes already) and is printed back from it (`eth0.1` as `eth0/1`),
 * the value less the white space around it. A read-only file is refused with status 0.
 */
function writeSetting(r: SysctlRun, line: string): number {
  const text = line.replace(/^\s+/, '');
  if (text.length < 2 || text[0] === '#' || text[0] === ';') return 1;
  if (!r.match(text)) return 1;
  const eq = text.indexOf('=');
  if (eq < 0) {
    warn(r, 'sysctl: command line(0): invalid syntax, continuing...');
    return 1;
  }
  let key = text.slice(0, eq).replace(/\s+$/, '');
  const value = text
    .slice(eq + 1)
    .replace(/^\s+/, '')
    .replace(/\s+$/, '');
  if (key.startsWith('-')) key = key.slice(1);
  const path = slashdot(key, '.', '/');
  if (path.warning !== null) warn(r, path.warning);
  const ns = r.ctx.sim.world.namespaces.get(r.ctx.ns)!;
  const k = parseSysctlPath(ns, path.text);
  const dotted = slashdot(path.text, '/', '.').text;
  if (k === null) {
    if (sysctlIsDir(ns, path.text)) {
      warn(r, `sysctl: setting key "${dotted}": Invalid argument`);
      return 0;
    }
    if (r.opts.ignore) return 0;
    warn(r, `sysctl: cannot stat /proc/sys/${path.text}: No such file or directory`);
    return 1;
  }
  if (sysctlMode(k) === 'ro') {
    warn(r, `sysctl: setting key "${dotted}": Invalid argument`);
    return 0;
  }
  const e = r.ctx.sim.control((tx) => sysctlSet(tx, r.ctx.ns, k.key, value));
  if (e !== null) {
    // The kernel's error, in procps's words for the key as it prints it.
    warn(r, `sysctl: setting key "${dotted}": ${e.slice(e.lastIndexOf(': ') + 2)}`);
    return 1;
  }
  if (r.opts.quiet) return 0;
  if (r.opts.names || r.valuesOnly) r.out.push(r.opts.binary ? value : `${value}\n`);
  else r.out.push(formatSysctl(dotted, value));
  return 0;
}

/** PLAIN are the options of a command line that gave none beyond -n, -q and -w. */
const PLAIN: SysctlOptions = {
  all: false,
  write: false,
  quiet: false,
  names: false,
  binary: false,
  ignore: false,
  deprecated: false,
  pattern: null,
};

/**
 * runSysctl runs a sysctl(8) command line as procps's main does: with -a every key (operands
 * ignored); otherwise each operand in turn, written when it has `=` or -w was given, read when not.
 * The exit status adds up the reads' failures and ors in the writes'.
 */
export function runSysctl(ctx: ToolContext, cmd: SysctlRead | SysctlWrite): void {
  const opts: SysctlOptions = cmd.kind === 'sysctl-write' ? { ...PLAIN, write: true, quiet: cmd.quiet } : (cmd.opts ?? PLAIN);
  const operands = cmd.kind === 'sysctl-write' ? cmd.assignments.map((a) => `${a.key}=${a.value}`) : cmd.keys;
  const r: SysctlRun = {
    ctx,
    opts,
    valuesOnly: cmd.kind === 'sysctl-read' && cmd.valuesOnly,
    match: matcher(opts.pattern),
    out: [],
  };
  let rc = 0;
  if (opts.all) rc = displayAll(r, '');
  else if (operands.length === 0) {
    warn(r, "sysctl: no variables specified\nTry `sysctl --help' for more information.");
    rc = 1;
  } else if (opts.names && opts.quiet) {
    warn(r, "sysctl: options -N and -q cannot coexist\nTry `sysctl --help' for more information.");
    rc = 1;
  } else {
    for (const o of operands) {
      if (opts.write || o.includes('=')) rc |= writeSetting(r, o);
      else rc += readSetting(r, o);
    }
  }
  flush(r);
  if (rc !== 0) ctx.out.status = rc & 0xff;
}
