// Runs a lab on the real Linux kernel, in network namespaces: ip-netns(8), unshare(1),
// nsenter(1), setpriv(1), tcpdump(8). This is the oracle the simulator is compared with.
//
// Hygiene (see DEVELOPERS.md, "Kernel tests"): the machine's own namespace is never touched.
// The lab's initial namespace is a fresh unnamed one, held by a child process that also holds a
// private mount namespace with its own empty /run/netns. Every namespace the lab names is created
// there as PREFIX+NAME (PREFIX = `csm<pid>x<n>-`), invisible to the rest of the machine, and
// goes when the holder goes: on exit, on failure, on an exception, on SIGINT/SIGTERM, and (by
// PR_SET_PDEATHSIG) when the runner itself is killed outright. Should a prefixed namespace ever
// appear in the machine's /run/netns, the runner deletes it, and the next run sweeps those of
// runners that are gone.

import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readlinkSync } from 'node:fs';
import { INITIAL_NETNS, type Lab, type LabLine } from '../../src/tools/ast.js';
import { HTTP_MAX_BODY } from '../../src/tools/directives.js';
import { netnsWordIndices } from '../../src/tools/lab.js';
import type { TranscriptEntry } from '../../src/tools/transcript.js';

/** KernelRunOptions tune a kernel run. */
export interface KernelRunOptions {
  /** commandTimeoutMs bounds each command; a command still running then is killed. */
  readonly commandTimeoutMs?: number;
  /** onEntry is called with each entry as soon as its command has finished. */
  readonly onEntry?: (entry: TranscriptEntry) => void;
  /** onStart is called once the initial namespace exists (tests use it to watch the cleanup). */
  readonly onStart?: (info: KernelRunInfo) => void;
}

/** KernelRunInfo identifies a run's processes and names. */
export interface KernelRunInfo {
  /** holderPid is the process holding the initial namespace and the private /run/netns. */
  readonly holderPid: number;
  /** prefix is put before every namespace name of the lab. */
  readonly prefix: string;
}

/** NETNS_DIR is where ip-netns(8) keeps its named namespaces. */
const NETNS_DIR = '/run/netns';

/** PRIVATE_NETNS_DIR is the shell command that gives a new mount namespace its own empty /run/netns. */
const PRIVATE_NETNS_DIR = `mkdir -p ${NETNS_DIR} && mount -t tmpfs -o mode=0755 calisim ${NETNS_DIR}`;

/** OURS matches the namespaces any calisim runner creates; the number is the runner's pid. */
const OURS = /^csm(\d+)x\d+-/;

/** ENV is the environment of every command: C locale so messages are the untranslated ones. */
const ENV: NodeJS.ProcessEnv = {
  PATH: process.env.PATH ?? '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
  LANG: 'C',
  LC_ALL: 'C',
  // No ~/.curlrc or similar personal configuration may change what the tools print.
  HOME: '/nonexistent',
};

/** CAPTURE_SETTLE_MS is how long `captures` waits for frames still in flight. */
const CAPTURE_SETTLE_MS = 300;

/** LISTENER is the TCP server of the `listen` directive: it accepts and says nothing. */
const LISTENER = [
  "const s = require('net').createServer((c) => c.on('error', () => {}));",
  "s.on('error', (e) => { console.error(e.message); process.exit(1); });",
  "s.listen(Number(process.argv[1]), '0.0.0.0', () => console.log('listening'));",
].join('\n');

/**
 * HTTP_SERVER is the server of `listen NS PORT http` (python3, socket(7), tcp(7)): it answers one GET
 * per connection with the bytes src/tools/directives.ts `httpResponse` builds, then closes. TCP_CORK
 * holds the last partial segment until close(), so the FIN rides on it ([FP.]) and the order of
 * segments does not depend on how fast curl closes its end.
 */
const HTTP_SERVER = [
  'import re, socket, sys',
  'port, label = int(sys.argv[1]), sys.argv[2]',
  'FILL = b"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-"',
  'def body(path):',
  '    m = re.fullmatch(rb"/bytes/([0-9]{1,8})", path)',
  '    if m and 0 < int(m.group(1)) <= HTTP_MAX:',
  '        n = int(m.group(1))',
  '        line = FILL[:63] + b"\\n"',
  '        return (line * (n // 64 + 1))[:n]',
  '    return b"hello from " + label.encode() + b"\\n"',
  `HTTP_MAX = ${HTTP_MAX_BODY}`,
  's = socket.socket(socket.AF_INET, socket.SOCK_STREAM)',
  's.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)',
  'try:',
  '    s.bind(("0.0.0.0", port))',
  '    s.listen(4096)',
  'except OSError:',
  '    print("listen EADDRINUSE: address already in use 0.0.0.0:%d" % port, file=sys.stderr, flush=True)',
  '    sys.exit(1)',
  'print("listening", flush=True)',
  'while True:',
  '    c, _ = s.accept()',
  '    try:',
  '        req = b""',
  '        while b"\\r\\n\\r\\n" not in req:',
  '            d = c.recv(65536)',
  '            if not d:',
  '                break',
  '            req += d',
  '        if b"\\r\\n\\r\\n" in req:',
  '            words = req.split(b"\\r\\n", 1)[0].split(b" ")',
  '            b = body(words[1] if len(words) > 1 else b"/")',
  '            head = b"HTTP/1.1 200 OK\\r\\nContent-Type: text/plain\\r\\nContent-Length: %d\\r\\nConnection: close\\r\\n\\r\\n" % len(b)',
  '            c.setsockopt(socket.IPPROTO_TCP, socket.TCP_CORK, 1)',
  '            c.sendall(head + b)',
  '    except OSError:',
  '        pass',
  '    c.close()',
].join('\n');

let runCounter = 0;
const activeRuns = new Set<KernelRun>();

/** Done is how a child process ended and what it printed. */
interface Done {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Child is a running child process and what it has printed so far. */
interface Child {
  readonly proc: ChildProcess;
  readonly exited: Promise<Done>;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Capture is a running `capture` directive or `tcpdump` command; `label` is `NS IFACE` as the lab
 * wrote it. A `tcpdump` command's stderr after its banner (its counters) is part of `captures`.
 */
interface Capture {
  readonly bg: Child;
  readonly label: string;
  /** program is set for the `tcpdump` command: `banner` is how much of its stderr the command showed. */
  readonly program: boolean;
  readonly banner: number;
}

/**
 * startChild spawns argv (wrapped so it dies with this process) and collects its output; while it
 * runs, it is in `owner`, so that whoever owns it can kill it.
 */
function startChild(argv: readonly string[], owner?: Set<Child>): Child {
  // setpriv --pdeathsig: if the runner is killed outright, no child outlives it.
  const proc = spawn('setpriv', ['--pdeathsig', 'KILL', ...argv], { env: ENV, stdio: ['ignore', 'pipe', 'pipe'] });
  const out = { stdout: '', stderr: '' };
  proc.stdout!.setEncoding('utf8').on('data', (d: string) => (out.stdout += d));
  proc.stderr!.setEncoding('utf8').on('data', (d: string) => (out.stderr += d));
  const exited = new Promise<Done>((resolve) => {
    proc.on('error', (e) => {
      out.stderr += `calisim: ${argv[0]}: ${e.message}\n`;
    });
    proc.on('close', (code) => {
      owner?.delete(bg);
      resolve({ code, ...out });
    });
  });
  const bg: Child = {
    proc,
    exited,
    get stdout() {
      return out.stdout;
    },
    get stderr() {
      return out.stderr;
    },
  };
  owner?.add(bg);
  return bg;
}

/** runChild runs argv to completion, killing it after `timeoutMs`. */
async function runChild(argv: readonly string[], timeoutMs: number, owner?: Set<Child>): Promise<Done> {
  const bg = startChild(argv, owner);
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    bg.proc.kill('SIGKILL');
  }, timeoutMs);
  const done = await bg.exited;
  clearTimeout(timer);
  if (timedOut) return { ...done, stderr: `${done.stderr}calisim: killed after ${timeoutMs} ms\n` };
  return done;
}

/** waitFor resolves true once `test` holds for the child's output, false if it exits first. */
async function waitFor(bg: Child, test: (b: Child) => boolean, timeoutMs: number): Promise<boolean> {
  let exited = false;
  void bg.exited.then(() => (exited = true));
  const deadline = Date.now() + timeoutMs;
  while (!test(bg)) {
    if (exited || Date.now() > deadline) return test(bg);
    await sleep(5);
  }
  return true;
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function listNetns(): string[] {
  try {
    return readdirSync(NETNS_DIR);
  } catch {
    return [];
  }
}

function deleteNetnsSync(name: string): void {
  try {
    execFileSync('ip', ['netns', 'del', name], { stdio: 'ignore', env: ENV });
  } catch {
    // Already gone (deleted by the lab itself or by a concurrent sweep).
  }
}

/** sweepStaleNamespaces deletes namespaces of calisim runners that no longer run. */
export function sweepStaleNamespaces(): string[] {
  const swept: string[] = [];
  for (const name of listNetns()) {
    const m = OURS.exec(name);
    if (m && Number(m[1]) !== process.pid && !pidAlive(Number(m[1]))) {
      deleteNetnsSync(name);
      swept.push(name);
    }
  }
  return swept;
}

/** KernelSupport says whether this machine can run kernel labs, and if not, why. */
export type KernelSupport = { ok: true } | { ok: false; reason: string };

/** kernelLabSupport checks for root, the tools, and that a namespace can really be made. */
export async function kernelLabSupport(): Promise<KernelSupport> {
  if (process.platform !== 'linux') return { ok: false, reason: `not Linux (${process.platform})` };
  if (process.getuid?.() !== 0) return { ok: false, reason: 'not root (network namespaces need CAP_SYS_ADMIN)' };
  for (const tool of ['ip', 'bridge', 'nsenter', 'unshare', 'setpriv', 'tcpdump', 'ping', 'curl', 'sysctl', 'route', 'python3']) {
    const r = await runChild(['sh', '-c', `command -v ${tool}`], 5000);
    if (r.code !== 0) return { ok: false, reason: `${tool} is not installed` };
  }
  // The probe works the way a run does, in a private /run/netns, so nobody else ever sees it.
  const probe = await runChild(
    ['unshare', '--net', '--mount', '--propagation', 'private', 'sh', '-c', `${PRIVATE_NETNS_DIR} && ip netns add probe`],
    5000,
  );
  if (probe.code !== 0) return { ok: false, reason: `ip netns add fails: ${probe.stderr.trim()}` };
  return { ok: true };
}

/** KernelRun is one lab's namespaces and children; it knows how to remove every trace of itself. */
class KernelRun {
  readonly prefix = `csm${process.pid}x${runCounter++}-`;
  holder: ChildProcess | null = null;
  /** children are this run's running processes: the holder, listeners, captures, the current command. */
  readonly children = new Set<Child>();
  captures: Capture[] = [];

  /** holderPath is a path inside the holder's namespaces (its /proc entry). */
  holderPath(rel: string): string {
    return `/proc/${this.holder!.pid}/${rel}`;
  }

  /** pathOf is the namespace file of a lab namespace (null = the initial one), openable from outside. */
  pathOf(netns: string | null): string {
    // /proc/PID/root resolves the path in the holder's mount namespace, where /run/netns is ours.
    return netns === null ? this.holderPath('ns/net') : this.holderPath(`root${NETNS_DIR}/${this.prefix}${netns}`);
  }

  /** enter is the nsenter(1) prefix that runs a command where the lab's commands run. */
  enter(): string[] {
    return ['nsenter', `--net=${this.holderPath('ns/net')}`, `--mount=${this.holderPath('ns/mnt')}`, '--'];
  }

  /**
   * strip removes the runner's own traces from what a tool printed: the namespace prefix, and the
   * holder's /proc path in an nsenter(1) message, which becomes ip-netns(8)'s words for the same
   * failure (a lab's namespaces are what ip opens, `ip netns exec NS CMD`).
   */
  strip(text: string): string {
    let out = text;
    if (this.holder?.pid !== undefined) {
      const root = `/proc/${this.holder.pid}/root`;
      out = out.replace(
        new RegExp(`^nsenter: cannot open ${escapeRegExp(`${root}${NETNS_DIR}/${this.prefix}`)}(.*): (.*)$`, 'gm'),
        (_m, name: string, why: string) => netnsOpenError(name, why).trimEnd(),
      );
      out = out.split(root).join('');
    }
    return out.split(this.prefix).join('');
  }

  /**
   * missing returns ip-netns(8)'s error when the lab's namespace `netns` does not exist, or null
   * (the initial namespace always exists). The directives and a `tcpdump` command enter their
   * namespace with nsenter, whose message would name the holder's /proc path; a person types
   * `ip netns exec NS …` and sees ip's.
   */
  missing(netns: string | null): string | null {
    if (netns === null || existsSync(this.pathOf(netns))) return null;
    return netnsOpenError(netns, 'No such file or directory');
  }

  /**
   * start creates the lab's initial namespace (unnamed, set up as setupNamespace says) and, with it, a
   * private mount namespace whose /run/netns is an empty tmpfs: the lab's `ip netns add` files
   * live there, so no other process on the machine sees them (and `ip link`, which looks up every
   * file in /run/netns, never sees anyone else's half-made namespace). When the holder dies, the
   * mount namespace goes, and with it every namespace the lab made.
   */
  async start(): Promise<void> {
    const script = `${PRIVATE_NETNS_DIR} && echo ready && exec sleep infinity`;
    const holder = startChild(['unshare', '--net', '--mount', '--propagation', 'private', 'sh', '-c', script], this.children);
    this.holder = holder.proc;
    if (!(await waitFor(holder, (b) => b.stdout.includes('ready'), 10000)))
      throw new Error(`cannot create the lab's initial namespace: ${holder.stderr.trim() || 'unshare failed'}`);
    await this.setupNamespace(null);
  }

  /**
   * setupNamespace is the runner's own setup of a new namespace (not part of the transcript):
   * IPv6 off, `lo` up, rp_filter at the kernel's default of 0, because a new namespace inherits
   * IPv4 settings from the machine's own (systemd sets 2), and labs must not depend on the machine
   * they run on; and no IGMP reports for link-local groups (igmp_link_local_mcast_reports=0):
   * a bridge that comes up joins 224.0.0.106 (br_multicast_join_snoopers) and reports it to
   * 224.0.0.22 at once and again at a random moment within igmpv3_unsolicited_report_interval
   * (net/ipv4/igmp.c igmp_ifc_event), so captures would catch one, two or none. No other group is
   * joined by itself (224.0.0.1 is never reported), so namespaces send no IGMP at all.
   */
  async setupNamespace(netns: string | null): Promise<void> {
    const sysctls = [
      'net.ipv6.conf.all.disable_ipv6=1',
      'net.ipv6.conf.default.disable_ipv6=1',
      'net.ipv4.conf.all.rp_filter=0',
      'net.ipv4.conf.default.rp_filter=0',
      'net.ipv4.igmp_link_local_mcast_reports=0',
    ];
    const r = await runChild(
      ['nsenter', `--net=${this.pathOf(netns)}`, '--', 'sh', '-c', `sysctl -qw ${sysctls.join(' ')} && ip link set lo up`],
      10000,
      this.children,
    );
    if (r.code !== 0) throw new Error(`cannot set up namespace ${netns ?? INITIAL_NETNS}: ${this.strip(r.stderr).trim()}`);
  }

  /** exec runs a lab command line, as written but with namespace names prefixed. */
  async exec(line: LabLine, timeoutMs: number): Promise<TranscriptEntry> {
    const words = line.text.split(' ');
    for (const i of netnsWordIndices(line.text)) words[i] = this.prefix + words[i];
    // Both streams go into one pipe, stdout line-buffered (stdbuf), so the transcript has them in
    // the order the tool wrote them, as a terminal shows them (ping's local errors between its
    // PING line and its statistics); with two pipes, or a fully buffered stdout, it could not.
    const r = await runChild(['sh', '-c', 'exec "$@" 2>&1', 'sh', ...this.enter(), 'stdbuf', '-oL', ...words], timeoutMs, this.children);
    let stdout = this.strip(r.stdout);
    if (line.cmd.kind === 'netns-list') {
      // Other people's namespaces are none of the lab's business (none are visible, as it is).
      stdout = r.stdout
        .split('\n')
        .filter((l) => l.startsWith(this.prefix))
        .map((l) => `${this.strip(l)}\n`)
        .join('');
    }
    if (line.cmd.kind === 'netns-add' && r.code === 0) await this.setupNamespace(line.cmd.name);
    return { line: line.line, command: line.text, stdout, stderr: this.strip(r.stderr), output: stdout + this.strip(r.stderr) };
  }

  /** listen starts the silent TCP listener of a `listen` directive and waits until it listens. */
  async listen(netns: string | null, port: number): Promise<string> {
    const missing = this.missing(netns);
    if (missing !== null) return missing;
    const bg = startChild(['nsenter', `--net=${this.pathOf(netns)}`, '--', process.execPath, '-e', LISTENER, String(port)], this.children);
    const ok = await waitFor(bg, (b) => b.stdout.includes('listening'), 10000);
    return ok ? '' : this.strip(bg.stderr) || `listen: no listener on port ${port}\n`;
  }

  /**
   * listenHttp starts the HTTP server of `listen NS PORT http` (HTTP_SERVER) and waits until it
   * listens; `label` is the namespace as the lab wrote it, which the default body names.
   */
  async listenHttp(netns: string | null, port: number): Promise<string> {
    const missing = this.missing(netns);
    if (missing !== null) return missing;
    const label = netns ?? INITIAL_NETNS;
    const bg = startChild(
      ['nsenter', `--net=${this.pathOf(netns)}`, '--', 'python3', '-c', HTTP_SERVER, String(port), label],
      this.children,
    );
    const ok = await waitFor(bg, (b) => b.stdout.includes('listening'), 10000);
    return ok ? '' : this.strip(bg.stderr) || `listen: no listener on port ${port}\n`;
  }

  /** capture starts tcpdump for a `capture` directive (with its filter words) and waits until it captures. */
  async capture(netns: string | null, iface: string, filter: readonly string[]): Promise<string> {
    const missing = this.missing(netns);
    if (missing !== null) return missing;
    const bg = startChild(
      ['nsenter', `--net=${this.pathOf(netns)}`, '--', 'tcpdump', '-n', '-e', '-t', '-l', '-i', iface, ...filter],
      this.children,
    );
    const ok = await waitFor(bg, (b) => b.stderr.includes('listening on'), 10000);
    if (!ok) return this.strip(bg.stderr);
    this.captures.push({ bg, label: `${netns ?? INITIAL_NETNS} ${iface}`, program: false, banner: 0 });
    return '';
  }

  /**
   * tcpdump starts the `tcpdump` command of a lab line in the background (line-buffered, `-l`), as a
   * second terminal would, and returns its banner once it captures, or its error when it cannot.
   */
  async tcpdump(netns: string | null, iface: string, argv: readonly string[]): Promise<string> {
    const missing = this.missing(netns);
    if (missing !== null) return missing;
    const bg = startChild(['nsenter', `--net=${this.pathOf(netns)}`, '--', 'tcpdump', '-l', ...argv], this.children);
    const ok = await waitFor(bg, (b) => /listening on .*\n/.test(b.stderr), 10000);
    if (!ok) return this.strip(bg.stderr);
    const banner = bg.stderr.length;
    this.captures.push({ bg, label: `${netns ?? INITIAL_NETNS} ${iface}`, program: true, banner });
    return this.strip(bg.stderr.slice(0, banner));
  }

  /**
   * flushCaptures stops every running capture and prints its frames, in the order started; the
   * counters the `tcpdump` commands print when stopped are returned as stderr.
   */
  async flushCaptures(): Promise<{ stdout: string; stderr: string }> {
    await sleep(CAPTURE_SETTLE_MS);
    const caps = this.captures;
    this.captures = [];
    for (const c of caps) c.bg.proc.kill('SIGINT');
    let out = '';
    let err = '';
    for (const c of caps) {
      const done = await c.bg.exited;
      // Frame lines only: tcpdump ends its output with an empty line when interrupted.
      const frames = done.stdout.split('\n').filter((l) => l !== '');
      out += `=== capture ${c.label}\n${frames.map((l) => `${l}\n`).join('')}`;
      if (c.program) err += this.strip(done.stderr.slice(c.banner));
    }
    return { stdout: out, stderr: err };
  }

  /** stop ends every child (the holder too) and deletes any namespace of this run that is visible outside. */
  async stop(): Promise<void> {
    const children = [...this.children];
    for (const c of children) c.proc.kill('SIGKILL');
    await Promise.all(children.map((c) => c.exited));
    // None should be: the lab's namespaces are in the holder's private /run/netns.
    await Promise.all(
      listNetns()
        .filter((n) => n.startsWith(this.prefix))
        .map((n) => runChild(['ip', 'netns', 'del', n], 10000)),
    );
  }

  /**
   * stopSync is stop for signal and exit handlers, which cannot wait for promises: it kills every
   * child and waits, blocking, until none of them is in a namespace any more (at most 2 s).
   */
  stopSync(): void {
    const pids = [...this.children].map((c) => c.proc.pid).filter((p): p is number => p !== undefined);
    for (const c of this.children) c.proc.kill('SIGKILL');
    const tick = new Int32Array(new SharedArrayBuffer(4));
    for (let waited = 0; waited < 2000 && pids.some(inNamespaces); waited += 10) Atomics.wait(tick, 0, 0, 10);
    for (const n of listNetns()) if (n.startsWith(this.prefix)) deleteNetnsSync(n);
  }
}

/** netnsOpenError is ip-netns(8)'s message for a namespace it cannot open (lib/namespace.c netns_switch). */
function netnsOpenError(name: string, why: string): string {
  return `Cannot open network namespace "${name}": ${why}\n`;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** inNamespaces says whether a process still holds namespaces (a zombie holds none). */
function inNamespaces(pid: number): boolean {
  try {
    readlinkSync(`/proc/${pid}/ns/net`);
    return true;
  } catch {
    return false;
  }
}

function onSignal(sig: NodeJS.Signals): void {
  for (const run of activeRuns) run.stopSync();
  activeRuns.clear();
  uninstallHandlers();
  // Die of the same signal, as the process would have without our handler.
  process.kill(process.pid, sig);
}

function onExit(): void {
  for (const run of activeRuns) run.stopSync();
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

/**
 * runLabOnKernel runs every command of `lab` on the real kernel and returns what each printed,
 * with namespace prefixes removed. It needs root. Every namespace it made is gone when it returns
 * or throws.
 */
export async function runLabOnKernel(lab: Lab, opts: KernelRunOptions = {}): Promise<TranscriptEntry[]> {
  const timeoutMs = opts.commandTimeoutMs ?? 60000;
  sweepStaleNamespaces();
  const run = new KernelRun();
  if (activeRuns.size === 0) installHandlers();
  activeRuns.add(run);
  const entries: TranscriptEntry[] = [];
  try {
    await run.start();
    opts.onStart?.({ holderPid: run.holder!.pid!, prefix: run.prefix });
    for (const line of lab.lines) {
      const cmd = line.cmd;
      let entry: TranscriptEntry;
      switch (cmd.kind) {
        case 'listen':
          entry = {
            line: line.line,
            command: line.text,
            stdout: '',
            stderr: cmd.http === true ? await run.listenHttp(cmd.netns, cmd.port) : await run.listen(cmd.netns, cmd.port),
          };
          break;
        case 'capture':
          entry = { line: line.line, command: line.text, stdout: '', stderr: await run.capture(cmd.netns, cmd.iface, cmd.filterWords) };
          break;
        case 'tcpdump':
          entry = { line: line.line, command: line.text, stdout: '', stderr: await run.tcpdump(line.netns, cmd.iface, cmd.argv) };
          break;
        case 'captures':
          entry = { line: line.line, command: line.text, ...(await run.flushCaptures()) };
          break;
        case 'sleep':
          if (line.netns !== null) {
            // `ip netns exec NS sleep N` is ip's command: it fails when NS does not exist.
            entry = await run.exec(line, timeoutMs);
            break;
          }
          // Time passes for real: the kernel's timers run meanwhile.
          await sleep(cmd.seconds * 1000);
          entry = { line: line.line, command: line.text, stdout: '', stderr: '' };
          break;
        default:
          entry = await run.exec(line, timeoutMs);
      }
      entries.push(entry);
      opts.onEntry?.(entry);
    }
  } finally {
    await run.stop();
    activeRuns.delete(run);
    if (activeRuns.size === 0) uninstallHandlers();
  }
  return entries;
}
