// Hygiene of the real-kernel runner (cli/lab/netns.ts): whatever way a run ends (normally, by an
// exception half-way, or by SIGTERM to `calisim netns run`), no namespace or process of it is
// left, and the machine's own links and routes are as they were.

import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, readlinkSync, statSync } from 'node:fs';
import { kernelLabSupport, runLabOnKernel, type KernelRunInfo } from '../../../cli/lab/netns.js';
import { parseLab } from '../../../src/tools/lab.js';
import { collect, startCli } from './run-cli.js';

/** LAB makes namespaces, links, a listener and a capture, then waits in a ping. */
const LAB = `
ip netns add a
ip netns add b
ip -n a link add eth0 type veth peer name eth0 netns b
ip -n a link set eth0 address 02:00:00:00:00:0a up
ip -n b link set eth0 address 02:00:00:00:00:0b up
ip -n a addr add 10.0.0.1/24 dev eth0
ip -n b addr add 10.0.0.2/24 dev eth0
ip link add v0 type veth peer name v1
listen b 8080
capture b eth0
ip -n a link show eth0
ip netns exec a ping -c 1 -W 3 10.0.0.9
ip netns list
`;

function lab() {
  const r = parseLab(LAB, 'hygiene.lab');
  if (!r.ok) throw new Error(r.error.message);
  return r.lab;
}

/** rootState is what the machine's own namespace looks like. */
function rootState(): string {
  return execFileSync('ip', ['-o', 'link'], { encoding: 'utf8' }) + execFileSync('ip', ['route'], { encoding: 'utf8' });
}

/** Watched is what a run created: its processes and its namespaces (by nsfs inode). */
interface Watched {
  readonly pids: number[];
  readonly namespaces: Set<string>;
}

function nsOf(pid: number, kind: 'net' | 'mnt'): string | null {
  try {
    return readlinkSync(`/proc/${pid}/ns/${kind}`);
  } catch {
    return null;
  }
}

/** watch records the holder's namespaces and those of the lab's named namespaces. */
function watch(holderPid: number): Watched {
  const namespaces = new Set<string>();
  for (const kind of ['net', 'mnt'] as const) {
    const ns = nsOf(holderPid, kind);
    if (ns) namespaces.add(ns);
  }
  const dir = `/proc/${holderPid}/root/run/netns`;
  for (const name of readdirSync(dir)) namespaces.add(`net:[${statSync(`${dir}/${name}`).ino}]`);
  return { pids: [holderPid], namespaces };
}

/** pidsWithParent lists the processes whose parent is `ppid`. */
function pidsWithParent(ppid: number): number[] {
  const out: number[] = [];
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    try {
      // The parent pid is the 2nd field after the parenthesised command name.
      const stat = readFileSync(`/proc/${e}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === ppid) out.push(Number(e));
    } catch {
      // Gone meanwhile.
    }
  }
  return out;
}

/** expectGone checks that nothing of a run is left. */
function expectGone(w: Watched, runnerPid: number, before: string): void {
  for (const pid of w.pids) expect(nsOf(pid, 'net')).toBeNull();
  const inUse = new Set<string>();
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    for (const kind of ['net', 'mnt'] as const) {
      const ns = nsOf(Number(e), kind);
      if (ns) inUse.add(ns);
    }
  }
  const mounts = readFileSync('/proc/self/mountinfo', 'utf8');
  for (const ns of w.namespaces) {
    expect(inUse.has(ns)).toBe(false);
    expect(mounts.includes(ns)).toBe(false);
  }
  expect(readdirSync('/run/netns').filter((n) => n.startsWith(`csm${runnerPid}x`))).toEqual([]);
  expect(rootState()).toBe(before);
}

const support = await kernelLabSupport();
const maybe = support.ok ? describe : describe.skip;
if (!support.ok && process.env.CALISIM_KERNEL_TESTS === '1') {
  it('can run kernel labs (CALISIM_KERNEL_TESTS=1)', () => {
    throw new Error(`cannot run kernel labs: ${support.reason}`);
  });
}

maybe('runLabOnKernel leaves nothing behind', () => {
  it('after a run', async () => {
    const before = rootState();
    let info: KernelRunInfo | null = null;
    let w: Watched | null = null;
    const entries = await runLabOnKernel(lab(), {
      onStart: (i) => (info = i),
      onEntry: (e) => {
        if (e.command === 'ip -n a link show eth0') w = watch(info!.holderPid);
      },
    });
    // Only the lab's own namespaces, newest first, without ids (none is linked to the initial one).
    expect(entries.at(-1)!.stdout).toBe('b\na\n');
    expect(w!.namespaces.size).toBe(4); // initial net + mount, a, b
    expectGone(w!, process.pid, before);
  });

  it('after an exception half-way', async () => {
    const before = rootState();
    let info: KernelRunInfo | null = null;
    let w: Watched | null = null;
    const run = runLabOnKernel(lab(), {
      onStart: (i) => (info = i),
      onEntry: (e) => {
        if (e.command === 'ip -n a link show eth0') {
          w = watch(info!.holderPid);
          throw new Error('half-way');
        }
      },
    });
    await expect(run).rejects.toThrow('half-way');
    expectGone(w!, process.pid, before);
  });

  it('after SIGTERM to calisim netns run', async () => {
    const dir = execFileSync('mktemp', ['-d'], { encoding: 'utf8' }).trim();
    const file = `${dir}/hygiene.lab`;
    execFileSync('sh', ['-c', `cat > ${file}`], { input: LAB });
    const before = rootState();
    const child = startCli(['netns', 'run', '--echo', file]);
    const done = collect(child);
    // Wait for the output of the command before the long ping, then find the holder.
    let out = '';
    child.stdout!.on('data', (d: Buffer | string) => (out += d.toString()));
    for (let i = 0; !out.includes('link/ether 02:00:00:00:00:0a'); i++) {
      if (i > 300) throw new Error(`no progress; output so far:\n${out}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    const holders = pidsWithParent(child.pid!).filter(
      (p) => nsOf(p, 'mnt') !== nsOf(process.pid, 'mnt') && readFileSync(`/proc/${p}/comm`, 'utf8') === 'sleep\n',
    );
    if (holders.length !== 1) child.kill('SIGKILL');
    expect(holders).toHaveLength(1);
    const w = watch(holders[0]);
    w.pids.push(...pidsWithParent(child.pid!));
    child.kill('SIGTERM');
    const r = await done;
    expect(r.signal).toBe('SIGTERM');
    expectGone(w, child.pid!, before);
  });
});
