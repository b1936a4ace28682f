// A two-namespace lab for checking calisim's BGP speaker against a real BIRD 2: unshare(1), nsenter(1),
// setpriv(1), ip-netns(8), ip-link(8), bird(8), birdc(8).
//
// Hygiene, as cli/lab/netns.ts and DEVELOPERS.md "Kernel tests" require: the machine's own namespace is
// never touched. A holder process (`setpriv --pdeathsig KILL unshare --net --mount`) owns a private mount
// namespace whose /run/netns is an empty tmpfs; both namespaces (`csmbgp<pid>x<n>-bird` and `-sim`) are
// made there, so nobody else sees them, and they vanish with the holder. The veth pair is created inside
// the `bird` namespace under temporary names and renamed `eth0` inside each namespace. Every child runs
// under `setpriv --pdeathsig KILL`; close(), process exit and SIGINT/SIGTERM/SIGHUP kill them all.

import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
/** ROOT is the repository's top directory. */
export const ROOT = join(HERE, '..', '..', '..');
/** SWC_REGISTER runs TypeScript sources directly (see tests/cli/lab/swc-hooks.mjs). */
const SWC_REGISTER = join(ROOT, 'tests', 'cli', 'lab', 'swc-register.mjs');

const ENV: NodeJS.ProcessEnv = {
  PATH: process.env.PATH ?? '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
  LANG: 'C',
  LC_ALL: 'C',
  HOME: '/nonexistent',
};

const PRIVATE_NETNS_DIR = 'mkdir -p /run/netns && mount -t tmpfs -o mode=0755 csmbgp /run/netns';

/** Done is how a child ended and what it printed. */
export interface Done {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Child is a running process and what it printed so far. */
export interface Child {
  readonly proc: ChildProcess;
  readonly exited: Promise<Done>;
  readonly stdout: string;
  readonly stderr: string;
}

let labCounter = 0;
const liveLabs = new Set<BirdLab>();

function startChild(argv: readonly string[], owner: Set<Child>, opts: { stdin?: boolean; cwd?: string } = {}): Child {
  const proc = spawn('setpriv', ['--pdeathsig', 'KILL', ...argv], {
    env: ENV,
    cwd: opts.cwd,
    stdio: [opts.stdin ? 'pipe' : 'ignore', 'pipe', 'pipe'],
  });
  const out = { stdout: '', stderr: '' };
  proc.stdout!.setEncoding('utf8').on('data', (d: string) => (out.stdout += d));
  proc.stderr!.setEncoding('utf8').on('data', (d: string) => (out.stderr += d));
  const exited = new Promise<Done>((resolve) => {
    proc.on('error', (e) => (out.stderr += `harness: ${argv[0]}: ${e.message}\n`));
    proc.on('close', (code) => {
      owner.delete(child);
      resolve({ code, ...out });
    });
  });
  const child: Child = {
    proc,
    exited,
    get stdout() {
      return out.stdout;
    },
    get stderr() {
      return out.stderr;
    },
  };
  owner.add(child);
  return child;
}

async function runChild(argv: readonly string[], owner: Set<Child>, timeoutMs = 20000): Promise<Done> {
  const c = startChild(argv, owner);
  const t = setTimeout(() => c.proc.kill('SIGKILL'), timeoutMs);
  const d = await c.exited;
  clearTimeout(t);
  return d;
}

/** sleep waits `ms` real milliseconds (tests may use the wall clock; src/ never does). */
export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** waitUntil polls `test` every 20 ms until it holds or `timeoutMs` passes; it returns whether it held. */
export async function waitUntil(test: () => boolean | Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await test()) return true;
    if (Date.now() > deadline) return false;
    await sleep(20);
  }
}

/** InteropSupport says whether this machine can run the BIRD interop test, and if not, why. */
export type InteropSupport = { ok: true } | { ok: false; reason: string };

/** birdInteropSupport checks for Linux, root, bird, birdc and the namespace tools. */
export function birdInteropSupport(): InteropSupport {
  if (process.platform !== 'linux') return { ok: false, reason: `not Linux (${process.platform})` };
  if (process.getuid?.() !== 0) return { ok: false, reason: 'not root (network namespaces need CAP_SYS_ADMIN)' };
  for (const tool of ['bird', 'birdc', 'ip', 'nsenter', 'unshare', 'setpriv']) {
    try {
      execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore', env: ENV });
    } catch {
      return { ok: false, reason: `${tool} is not installed` };
    }
  }
  const v = birdVersion();
  if (!/^BIRD version 2\./.test(v)) return { ok: false, reason: `bird is not BIRD 2 (${v || 'no version'})` };
  return { ok: true };
}

/** birdVersion returns what `bird --version` prints, e.g. `BIRD version 2.0.12`. */
export function birdVersion(): string {
  const r = spawnSync('bird', ['--version'], { env: ENV, encoding: 'utf8' });
  return `${r.stdout ?? ''}${r.stderr ?? ''}`.trim();
}

/** BirdLabOptions are the addresses of the lab: BIRD's side, and the sim side's (the speaker's first). */
export interface BirdLabOptions {
  /** simAddresses are put on the sim side's eth0 (CIDR), the first being the speaker's. */
  readonly simAddresses: readonly string[];
  /** birdAddress is BIRD's eth0 address (CIDR). */
  readonly birdAddress: string;
}

/** AdapterLine is one JSON line an adapter printed. */
export type AdapterLine = Record<string, unknown> & { event: string };

/** Adapter is a running tests/support/bird/adapter.ts: JSON lines in (commands) and out (events). */
export class Adapter {
  readonly lines: AdapterLine[] = [];
  private seen = 0;
  constructor(readonly child: Child) {
    let buf = '';
    child.proc.stdout!.on('data', (d: string) => {
      buf += d;
      for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        if (line.trim() === '') continue;
        try {
          this.lines.push(JSON.parse(line) as AdapterLine);
        } catch {
          this.lines.push({ event: 'garbage', text: line });
        }
      }
    });
  }

  /** send writes one command as a JSON line. */
  send(cmd: Record<string, unknown>): void {
    this.child.proc.stdin!.write(`${JSON.stringify(cmd)}\n`);
  }

  /** next waits for the next line (after those already taken) that `match` accepts. */
  async next(match: (l: AdapterLine) => boolean, timeoutMs = 15000): Promise<AdapterLine> {
    let found: AdapterLine | undefined;
    const ok = await waitUntil(() => {
      for (let i = this.seen; i < this.lines.length; i++)
        if (match(this.lines[i])) {
          found = this.lines[i];
          this.seen = i + 1;
          return true;
        }
      return false;
    }, timeoutMs);
    if (!ok || !found)
      throw new Error(
        `adapter: no matching line within ${timeoutMs} ms; got:\n${this.lines.map((l) => JSON.stringify(l)).join('\n')}\nstderr:\n${this.child.stderr}`,
      );
    return found;
  }
}

/** BirdLab is the two namespaces, BIRD and the adapters; close() removes every trace. */
export class BirdLab {
  readonly prefix = `csmbgp${process.pid}x${labCounter++}-`;
  readonly dir = mkdtempSync(join(tmpdir(), `csmbgp-${process.pid}-`));
  readonly socket = join(this.dir, 'bird.ctl');
  private holder: Child | null = null;
  private readonly children = new Set<Child>();
  private bird: Child | null = null;

  private constructor(readonly opts: BirdLabOptions) {}

  /** create makes the namespaces and the veth pair and addresses them. */
  static async create(opts: BirdLabOptions): Promise<BirdLab> {
    sweepStaleDirs();
    const lab = new BirdLab(opts);
    if (liveLabs.size === 0) installHandlers();
    liveLabs.add(lab);
    try {
      await lab.setup();
    } catch (e) {
      await lab.close();
      throw e;
    }
    return lab;
  }

  /** nsName is the full name of a lab namespace. */
  nsName(ns: 'bird' | 'sim'): string {
    return this.prefix + ns;
  }

  /** nsPath is the namespace file of a lab namespace, openable from the machine's mount namespace. */
  nsPath(ns: 'bird' | 'sim'): string {
    return `/proc/${this.holder!.proc.pid}/root/run/netns/${this.nsName(ns)}`;
  }

  private inHolder(argv: readonly string[]): string[] {
    const pid = this.holder!.proc.pid;
    return ['nsenter', `--net=/proc/${pid}/ns/net`, `--mount=/proc/${pid}/ns/mnt`, '--', ...argv];
  }

  private async must(argv: readonly string[]): Promise<Done> {
    const d = await runChild(argv, this.children);
    if (d.code !== 0) throw new Error(`${argv.join(' ')} failed (${d.code}): ${d.stderr.trim()}`);
    return d;
  }

  private async setup(): Promise<void> {
    const script = `${PRIVATE_NETNS_DIR} && echo ready && exec sleep infinity`;
    this.holder = startChild(['unshare', '--net', '--mount', '--propagation', 'private', 'sh', '-c', script], this.children);
    if (!(await waitUntil(() => this.holder!.stdout.includes('ready'), 10000)))
      throw new Error(`cannot start the namespace holder: ${this.holder.stderr.trim()}`);
    const a = this.nsName('bird');
    const b = this.nsName('sim');
    const tmpA = `cbg${process.pid}x${labCounter}a`.slice(-15);
    const tmpB = `cbg${process.pid}x${labCounter}b`.slice(-15);
    for (const ns of [a, b]) {
      await this.must(this.inHolder(['ip', 'netns', 'add', ns]));
      await this.must(
        this.inHolder([
          'ip',
          'netns',
          'exec',
          ns,
          'sh',
          '-c',
          'sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1 && ip link set lo up',
        ]),
      );
    }
    // The pair is born inside the bird namespace, never in the machine's own.
    await this.must(this.inHolder(['ip', '-n', a, 'link', 'add', tmpA, 'type', 'veth', 'peer', 'name', tmpB, 'netns', b]));
    await this.must(this.inHolder(['ip', '-n', a, 'link', 'set', tmpA, 'name', 'eth0']));
    await this.must(this.inHolder(['ip', '-n', b, 'link', 'set', tmpB, 'name', 'eth0']));
    await this.must(this.inHolder(['ip', '-n', a, 'addr', 'add', this.opts.birdAddress, 'dev', 'eth0']));
    for (const addr of this.opts.simAddresses) await this.must(this.inHolder(['ip', '-n', b, 'addr', 'add', addr, 'dev', 'eth0']));
    await this.must(this.inHolder(['ip', '-n', a, 'link', 'set', 'eth0', 'up']));
    await this.must(this.inHolder(['ip', '-n', b, 'link', 'set', 'eth0', 'up']));
  }

  /** exec runs a command inside a lab namespace. */
  exec(ns: 'bird' | 'sim', argv: readonly string[]): Promise<Done> {
    return runChild(['nsenter', `--net=${this.nsPath(ns)}`, '--', ...argv], this.children);
  }

  /** startBird writes `config` and runs BIRD in the foreground in the bird namespace until it answers birdc. */
  async startBird(config: string): Promise<void> {
    const conf = join(this.dir, 'bird.conf');
    writeFileSync(conf, config);
    const check = await runChild(['bird', '-p', '-c', conf], this.children);
    if (check.code !== 0) throw new Error(`bird rejects the configuration: ${check.stderr.trim()}`);
    this.bird = startChild(
      ['nsenter', `--net=${this.nsPath('bird')}`, '--', 'bird', '-f', '-c', conf, '-s', this.socket, '-P', join(this.dir, 'bird.pid')],
      this.children,
    );
    const up = await waitUntil(async () => existsSync(this.socket) && (await this.birdc('show status')).includes('Daemon is up'), 10000);
    if (!up) throw new Error(`bird did not start: ${this.bird.stderr.trim()}`);
  }

  /** birdLog is what BIRD printed on stderr so far. */
  birdLog(): string {
    return this.bird?.stderr ?? '';
  }

  /** birdc runs one birdc command against this lab's BIRD and returns its output. */
  async birdc(command: string): Promise<string> {
    const d = await runChild(['birdc', '-s', this.socket, ...command.split(' ')], this.children, 10000);
    return d.stdout + d.stderr;
  }

  /** startAdapter runs tests/support/bird/adapter.ts in the sim namespace with a JSON configuration. */
  startAdapter(config: Record<string, unknown>): Adapter {
    const child = startChild(
      [
        'nsenter',
        `--net=${this.nsPath('sim')}`,
        '--',
        process.execPath,
        '--import',
        SWC_REGISTER,
        join(HERE, 'adapter.ts'),
        JSON.stringify(config),
      ],
      this.children,
      { stdin: true, cwd: ROOT },
    );
    return new Adapter(child);
  }

  /** close kills every child (the holder, and with it both namespaces) and removes the temp directory. */
  async close(): Promise<void> {
    const all = [...this.children];
    for (const c of all) c.proc.kill('SIGKILL');
    await Promise.all(all.map((c) => c.exited));
    rmSync(this.dir, { recursive: true, force: true });
    liveLabs.delete(this);
    if (liveLabs.size === 0) uninstallHandlers();
  }

  /** closeSync is close() for signal and exit handlers: kill, then wait (blocking, ≤ 2 s) until no child holds a namespace. */
  closeSync(): void {
    const pids = [...this.children].map((c) => c.proc.pid).filter((p): p is number => p !== undefined);
    for (const c of this.children) c.proc.kill('SIGKILL');
    const tick = new Int32Array(new SharedArrayBuffer(4));
    for (let waited = 0; waited < 2000 && pids.some(holdsNamespace); waited += 10) Atomics.wait(tick, 0, 0, 10);
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** holderPid is the pid of the namespace holder (tests use it to check the cleanup). */
  get holderPid(): number | undefined {
    return this.holder?.proc.pid;
  }
}

/** sweepStaleDirs removes the temp directories of labs whose process is gone (killed before it could clean up). */
function sweepStaleDirs(): void {
  for (const name of readdirSync(tmpdir())) {
    const m = /^csmbgp-(\d+)-/.exec(name);
    if (!m || Number(m[1]) === process.pid) continue;
    try {
      process.kill(Number(m[1]), 0);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ESRCH') rmSync(join(tmpdir(), name), { recursive: true, force: true });
    }
  }
}

function holdsNamespace(pid: number): boolean {
  try {
    readlinkSync(`/proc/${pid}/ns/net`);
    return true;
  } catch {
    return false;
  }
}

function onSignal(sig: NodeJS.Signals): void {
  for (const lab of liveLabs) lab.closeSync();
  liveLabs.clear();
  uninstallHandlers();
  process.kill(process.pid, sig);
}

function onExit(): void {
  for (const lab of liveLabs) lab.closeSync();
}

function installHandlers(): void {
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('SIGHUP', onSignal);
  process.on('exit', onExit);
}

function uninstallHandlers(): void {
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  process.off('SIGHUP', onSignal);
  process.off('exit', onExit);
}
