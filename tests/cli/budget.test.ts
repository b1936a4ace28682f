// Tests for how `calisim run`, `replay` and `exec` (cli/main.ts) bound, stream and stop a run, as
// real processes: a spent budget is one line on stderr and exit status 3; output streams while a
// command runs; SIGINT and SIGTERM stop the run at once, ping printing its statistics as on Ctrl-C,
// and calisim exits 130 or 143. No test waits for time: each waits for output or for the exit.

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_RUN_BUDGET } from '../../src/kernel/engine.js';
import { collect, runCli, startCli } from './lab/run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'calisim-budget-'));

function lab(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

const long = lab('long.lab', '# A ping that would run for 6 years.\nip addr\nping -c 1000000000 -i 0.2 127.0.0.1\n');

describe('budgets', () => {
  it('stops when the virtual time is spent: one line, exit 3', async () => {
    const r = await runCli(['run', '--max-virtual-time', '10s', long]);
    expect(r.code).toBe(3);
    expect(r.stderr).toBe(`${long}:3: ping -c 1000000000 -i 0.2 127.0.0.1: stopped: virtual-time budget of 10s spent\n`);
    // Probes at 0, 0.2 s, …, 10 s; no statistics.
    const replies = r.stdout.split('\n').filter((l) => l.startsWith('64 bytes from'));
    expect(replies).toHaveLength(51);
    expect(replies[50]).toMatch(/ icmp_seq=51 /);
    expect(r.stdout).not.toContain('statistics');
  });

  it('stops when the events are spent', async () => {
    const r = await runCli(['run', '--max-events', '1000', '--echo', long]);
    expect(r.code).toBe(3);
    expect(r.stderr).toBe(`${long}:3: ping -c 1000000000 -i 0.2 127.0.0.1: stopped: event budget of 1000 events spent\n`);
    expect(r.stdout).toMatch(/^\$ ip addr\n/);
    expect(r.stdout).toContain('\n$ ping -c 1000000000 -i 0.2 127.0.0.1\nPING 127.0.0.1');
  });

  it('counts the budget across the whole lab', async () => {
    const file = lab('sleeps.lab', 'sleep 40\nsleep 40\nsleep 40\n');
    const r = await runCli(['run', '--max-virtual-time', '100s', file]);
    expect({ code: r.code, stderr: r.stderr }).toEqual({
      code: 3,
      stderr: `${file}:3: sleep 40: stopped: virtual-time budget of 100s spent\n`,
    });
  });

  it('prints the transcript so far with --normalize', async () => {
    const r = await runCli(['run', '--normalize', '--max-virtual-time', '1s', long]);
    expect(r.code).toBe(3);
    expect(r.stdout).toMatch(
      /\$ ping -c 1000000000 -i 0\.2 127\.0\.0\.1\nPING 127\.0\.0\.1 \(127\.0\.0\.1\) 56\(84\) bytes of data\.\n(64 bytes from .*\n){6}$/,
    );
  });

  it('bounds replay and exec too', async () => {
    const replay = await runCli(['replay', '--max-events', '5', 'seed000']);
    expect(replay.code).toBe(3);
    expect(replay.stderr).toMatch(/^seed000\.walk\.lab:\d+: .*: stopped: event budget of 5 events spent\n$/);
    const exec = await runCli(['exec', '--max-virtual-time', '5s', 'seed000', 'zlw-01', '--', 'ping', '-c', '100', '10.233.133.3']);
    expect(exec.code).toBe(3);
    expect(exec.stderr).toBe('calisim exec zlw-01: ping -c 100 10.233.133.3: stopped: virtual-time budget of 5s spent\n');
    // Probes at 0, 1, …, 5 s; the reply to the last one would come after the 5 s.
    expect(exec.stdout.split('\n').filter((l) => l.startsWith('64 bytes'))).toHaveLength(5);
  });

  it('runs ordinary labs well within the defaults', async () => {
    const r = await runCli(['run', lab('short.lab', 'ping -c 3 -i 0.2 127.0.0.1\n')]);
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
    expect(r.stdout).toContain('3 packets transmitted, 3 received');
  });

  it('documents defaults equal to the simulator’s', async () => {
    const r = await runCli(['help', 'run']);
    expect(r.stdout).toMatch(/--max-virtual-time <duration>[^-]*\(default:\s+"24h"\)/);
    expect(r.stdout).toMatch(new RegExp(`--max-events <n>[^-]*\\(default:\\s+"${DEFAULT_RUN_BUDGET.maxEvents}"\\)`));
    expect(DEFAULT_RUN_BUDGET.maxVirtualTimeUs).toBe(24 * 3600e6);
  });

  it.each([
    [['--max-virtual-time', '1y'], 'calisim: invalid --max-virtual-time "1y" (a duration such as 90s, 10m, 24h, 2d)'],
    [['--max-virtual-time', '0s'], 'calisim: invalid --max-virtual-time "0s" (a duration such as 90s, 10m, 24h, 2d)'],
    [['--max-events', '0'], 'calisim: invalid --max-events "0" (a number of events, at least 1)'],
    [['--max-events', '1e6'], 'calisim: invalid --max-events "1e6" (a number of events, at least 1)'],
  ])('%j is bad usage: one line, exit 2', async (opts, line) => {
    const r = await runCli(['run', ...opts, long]);
    expect({ code: r.code, stdout: r.stdout, stderr: r.stderr }).toEqual({ code: 2, stdout: '', stderr: `${line}\n` });
  });
});

describe('signals', () => {
  const endless = lab('endless.lab', 'ping -c 1000000000 127.0.0.1\n');

  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)('%s stops a running ping, which prints its statistics; exit %i', async (signal, code) => {
    // A budget no test meets, so that only the signal ends the run.
    const child = startCli(['run', '--max-virtual-time', '100000d', '--max-events', '1000000000000', endless]);
    const done = collect(child);
    // The first reply comes while ping runs: output streams. Then the pipe is left full, so
    // that the run waits, and the signal comes while ping is still running.
    await new Promise<void>((resolve) => {
      let seen = '';
      const onData = (d: Buffer): void => {
        seen += d.toString('utf8');
        if (/\n64 bytes from 127\.0\.0\.1: icmp_seq=1 /.test(seen)) {
          child.stdout!.off('data', onData);
          child.stdout!.pause();
          resolve();
        }
      };
      child.stdout!.on('data', onData);
    });
    child.kill(signal);
    child.stdout!.resume();
    const r = await done;
    expect({ code: r.code, signal: r.signal, stderr: r.stderr }).toEqual({ code, signal: null, stderr: '' });
    const tail = r.stdout.slice(r.stdout.indexOf('\n\n--- '));
    const m =
      /^\n\n--- 127\.0\.0\.1 ping statistics ---\n(\d+) packets transmitted, (\d+) received, [\d.]+% packet loss, time \d+ms\nrtt min\/avg\/max\/mdev = [\d.]+\/[\d.]+\/[\d.]+\/[\d.]+ ms\n$/.exec(
        tail,
      );
    expect(m).not.toBeNull();
    // The signal may come between a probe and its reply, as on a real Ctrl-C.
    const [transmitted, received] = [Number(m![1]), Number(m![2])];
    expect(received).toBeGreaterThanOrEqual(1);
    expect(transmitted - received).toBeLessThanOrEqual(1);
  });
});

describe('a broadcast storm', () => {
  // Two bridges joined by two veth pairs: a loop with no STP, as on a real kernel, where one ARP
  // request would circle for ever. The run stops and names the bridges of the loop.
  const loop = lab(
    'storm.lab',
    [
      'ip netns add a',
      'ip netns add h',
      'ip -n a link add br0 type bridge',
      'ip -n a link add br1 type bridge',
      'ip -n a link add x0 type veth peer name x1',
      'ip -n a link add y0 type veth peer name y1',
      'ip -n a link set x0 master br0',
      'ip -n a link set y0 master br0',
      'ip -n a link set x1 master br1',
      'ip -n a link set y1 master br1',
      'ip -n a link add p0 type veth peer name eth0 netns h',
      'ip -n a link set p0 master br0',
      'ip -n a link set br0 up',
      'ip -n a link set br1 up',
      'ip -n a link set x0 up',
      'ip -n a link set x1 up',
      'ip -n a link set y0 up',
      'ip -n a link set y1 up',
      'ip -n a link set p0 up',
      'ip -n h link set eth0 up',
      'ip -n h addr add 10.0.0.1/24 dev eth0',
      'ip netns exec h ping -c 1 -W 1 10.0.0.2',
      'ip -n a link',
    ].join('\n'),
  );

  it('stops the run with one line naming the bridges, exit 3', async () => {
    const r = await runCli(['run', loop]);
    expect({ code: r.code, stdout: r.stdout, stderr: r.stderr }).toEqual({
      code: 3,
      stdout: 'PING 10.0.0.2 (10.0.0.2) 56(84) bytes of data.\n',
      stderr: `${loop}:22: ip netns exec h ping -c 1 -W 1 10.0.0.2: stopped: broadcast storm: one frame keeps looping through the bridges br0 (a), br1 (a)\n`,
    });
  });
});
