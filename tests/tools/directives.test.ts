// Tests for the lab directives and the `tcpdump` program form they run (src/tools/directives.ts):
// tcpdump's timestamps on the virtual clock, its banner and counters on stderr, port names by
// flavour, and `sleep`.

import { INIT_NS } from '../../src/model/world.js';
import { createSimulator } from '../../src/scenarios/simulator.js';
import type { RunningCapture, ToolContext } from '../../src/tools/context.js';
import { runCaptures, runTcpdump, timeOfDay } from '../../src/tools/directives.js';
import { parseLab } from '../../src/tools/lab.js';
import { Output } from '../../src/tools/output.js';
import { Shell } from '../../src/tools/shell.js';
import type { TcpdumpFlavour } from '../../src/tools/tcpdump/program.js';

describe('timeOfDay', () => {
  it.each([
    [0, '00:00:00.000000'],
    [3_723_000_001, '01:02:03.000001'],
    [86_400_000_000 + 5, '00:00:00.000005'],
  ])('%d µs is %s', (us, text) => {
    expect(timeOfDay(us)).toBe(text);
  });
});

const SETUP = [
  'ip netns add a',
  'ip link add eth0 type veth peer name eth0 netns a',
  'ip link set eth0 address 02:00:00:00:00:01 up',
  'ip -n a link set eth0 address 02:00:00:00:00:02 up',
  'ip addr add 10.0.0.1/24 dev eth0',
  'ip -n a addr add 10.0.0.2/24 dev eth0',
];

describe('the tcpdump command in a lab', () => {
  it('writes its banner now, its frames and counters at `captures`, with the virtual time', () => {
    const shell = new Shell(createSimulator());
    for (const l of SETUP) shell.run(l);
    const start = shell.run('ip netns exec a tcpdump -ne -i eth0 icmp').output;
    expect(start.stdout).toBe('');
    expect(start.stderr).toBe(
      'tcpdump: verbose output suppressed, use -v[v]... for full protocol decode\nlistening on eth0, link-type EN10MB (Ethernet), snapshot length 262144 bytes\n',
    );
    shell.run('ping -c 1 -W 1 10.0.0.2');
    const out = shell.run('captures').output;
    const frames = out.stdout.split('\n').slice(1, -1);
    expect(out.stdout.split('\n')[0]).toBe('=== capture a eth0');
    expect(frames).toHaveLength(2);
    for (const f of frames) expect(f).toMatch(/^\d\d:\d\d:\d\d\.\d{6} 02:00:00:00:00:0\d > 02:00:00:00:00:0\d, ethertype IPv4/);
    expect(out.stderr).toBe('2 packets captured\n2 packets received by filter\n0 packets dropped by kernel\n');
  });

  it('names ports under -n where the tcpdump is Red Hat’s', () => {
    const sim = createSimulator();
    const shell = new Shell(sim);
    for (const l of SETUP) shell.run(l);
    shell.run('listen a 80 http');
    const captures: RunningCapture[] = [];
    const ctx = (flavour: TcpdumpFlavour): ToolContext & { tcpdumpFlavour: () => TcpdumpFlavour } => ({
      sim,
      ns: INIT_NS,
      out: new Output(),
      captures,
      view: { world: sim.world, drivers: sim.drivers },
      tcpdumpFlavour: () => flavour,
    });
    const parsed = parseLab('tcpdump -n -e -t -i eth0 tcp and dst port 80', 'x.lab');
    if (!parsed.ok || parsed.lab.lines[0].cmd.kind !== 'tcpdump') throw new Error('bad line');
    runTcpdump(ctx('redhat'), parsed.lab.lines[0].cmd);
    runTcpdump(ctx('upstream'), parsed.lab.lines[0].cmd);
    shell.run('curl -s -m 1 http://10.0.0.2/');
    const c = ctx('upstream');
    runCaptures(c);
    const [redhat, upstream] = c.out.stdout.split('=== capture - eth0\n').slice(1);
    expect(redhat.split('\n')[0]).toMatch(/10\.0\.0\.1\.\d+ > 10\.0\.0\.2\.http: Flags \[S\]/);
    expect(upstream.split('\n')[0]).toMatch(/10\.0\.0\.1\.\d+ > 10\.0\.0\.2\.80: Flags \[S\]/);
  });
});

describe('several captures of one interface', () => {
  /** frames returns the frame lines a `captures` printed under each header. */
  function frames(stdout: string): string[][] {
    return stdout
      .split(/^=== capture .*\n/m)
      .slice(1)
      .map((b) => b.split('\n').filter((l) => l !== ''));
  }

  it('each see every frame from their start, in one shell', () => {
    const shell = new Shell(createSimulator());
    for (const l of SETUP) shell.run(l);
    shell.run('capture a eth0');
    shell.run('capture a eth0');
    shell.run('capture a eth0 icmp and src host 10.0.0.1');
    shell.run('ping -c 1 -W 1 10.0.0.2');
    shell.run('capture a eth0');
    shell.run('ping -c 1 -W 1 10.0.0.2');
    const [first, second, filtered, late] = frames(shell.run('captures').output.stdout);
    // ARP request and reply, then two echo requests and replies.
    expect(first.map((l) => /ethertype (ARP)|(ICMP echo \w+),/.exec(l)?.slice(1).join(''))).toEqual([
      'ARP',
      'ARP',
      'ICMP echo request',
      'ICMP echo reply',
      'ICMP echo request',
      'ICMP echo reply',
    ]);
    expect(second).toEqual(first);
    expect(filtered).toEqual([first[2], first[4]]);
    expect(late).toEqual(first.slice(4));
  });

  it('each see every frame when two shells drive one simulator', () => {
    const sim = createSimulator();
    const one = new Shell(sim);
    const two = new Shell(sim);
    for (const l of SETUP) one.run(l);
    one.run('capture a eth0');
    two.run('capture a eth0');
    one.run('ping -c 1 -W 1 10.0.0.2');
    const mine = frames(one.run('captures').output.stdout);
    one.run('ping -c 1 -W 1 10.0.0.2');
    const theirs = frames(two.run('captures').output.stdout);
    expect(mine[0]).toHaveLength(4);
    expect(theirs[0]).toHaveLength(6);
    expect(theirs[0].slice(0, 4)).toEqual(mine[0]);
  });
});

describe('sleep', () => {
  it('lets virtual time pass: a REACHABLE entry is STALE a minute later', () => {
    const shell = new Shell(createSimulator());
    for (const l of SETUP) shell.run(l);
    shell.run('ping -c 1 -W 1 10.0.0.2');
    expect(shell.run('ip neigh').output.stdout).toBe('10.0.0.2 dev eth0 lladdr 02:00:00:00:00:02 REACHABLE \n');
    const before = shell.sim.now;
    shell.run('sleep 60');
    expect(shell.sim.now - before).toBe(60_000_000);
    expect(shell.run('ip neigh').output.stdout).toBe('10.0.0.2 dev eth0 lladdr 02:00:00:00:00:02 STALE \n');
  });
});
