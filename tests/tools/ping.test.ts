// Tests for src/tools/ping.ts, iputils 20221126 ping: its printf formats (%g, time=, the rtt line
// in integer microseconds), its option checks, its timing rules (pinger's token bucket with -i 0,
// schedule_exit's -W, the -w alarm), streaming through a sink in flat memory, and how it stops
// (an interrupt prints the statistics, a budget does not). The kernel's output for the same
// commands is in fixtures/labs/ping-options.kernel.out and ping-timing.kernel.out.

import { SimStopped } from '../../src/kernel/engine.js';
import { createSimulator } from '../../src/scenarios/simulator.js';
import { parseLab } from '../../src/tools/lab.js';
import { fmtG, fmtTriptime, redirectText, rttLine } from '../../src/tools/ping.js';
import { LineStopped, Shell } from '../../src/tools/shell.js';
import { shellWith } from '../support/shell.js';

/** PEER builds a veth to namespace `peer` (10.0.0.2), which does not forward 10.9.0.0/24. */
const PEER = [
  'ip netns add peer',
  'ip link add eth0 type veth peer name eth0 netns peer',
  'ip link set eth0 address 02:00:0a:00:00:01 up',
  'ip addr add 10.0.0.1/24 dev eth0',
  'ip -n peer link set eth0 address 02:00:0a:00:00:02 up',
  'ip -n peer addr add 10.0.0.2/24 dev eth0',
  'ip route add 10.9.0.0/24 via 10.0.0.2',
];

const shellWithPeer = () => shellWith(...PEER);

/** replyLines counts the echo reply lines of a transcript. */
const replyLines = (text: string): number => text.split('\n').filter((l) => / bytes from /.test(l)).length;

describe('printf formats', () => {
  it.each([
    [0, '0'],
    [100, '100'],
    [50, '50'],
    [Math.fround(200 / 3), '66.6667'],
    [Math.fround(100 / 3), '33.3333'],
    [Math.fround(97.98), '97.98'],
    [Math.fround(0.02), '0.02'],
    [1e-4, '0.0001'],
    [1e-5, '1e-05'],
    [Math.fround(1e-7), '1e-07'],
  ])('%%g of %p is %s', (x, text) => {
    expect(fmtG(x)).toBe(text);
  });

  it.each([
    [0, '0.000'],
    [4, '0.004'],
    [999, '0.999'],
    [1000, '1.00'],
    [1004, '1.00'],
    [1005, '1.01'],
    [9994, '9.99'],
    [9995, '10.0'],
    [99949, '99.9'],
    [99950, '100'],
    [123456, '123'],
  ])('time= of %i µs is %s', (us, text) => {
    expect(fmtTriptime(us)).toBe(text);
  });

  it.each([
    // Two replies of 55 and 75 µs (docs/labs.md section 7).
    [{ tmin: 55, tmax: 75, tsum: 130, tsum2: 55 ** 2 + 75 ** 2, total: 2 }, '0.055/0.065/0.075/0.010'],
    // 4 and 5 µs: the average is truncated, not rounded; mdev = floor(sqrt(0.25)) = 0.
    [{ tmin: 4, tmax: 5, tsum: 9, tsum2: 41, total: 2 }, '0.004/0.004/0.005/0.000'],
    [{ tmin: 34, tmax: 34, tsum: 34, tsum2: 34 ** 2, total: 1 }, '0.034/0.034/0.034/0.000'],
    // 1 ms and 3 ms: mdev 1 ms.
    [{ tmin: 1000, tmax: 3000, tsum: 4000, tsum2: 1e7, total: 2 }, '1.000/2.000/3.000/1.000'],
  ])('rtt line of %j', (sums, figures) => {
    expect(rttLine(sums)).toBe(`rtt min/avg/max/mdev = ${figures} ms`);
  });

  it('takes the other order of computation once tsum reaches INT_MAX', () => {
    // 1000 replies of 3 s each: the variance is 0 either way.
    const t = 3_000_000;
    expect(rttLine({ tmin: t, tmax: t, tsum: 1000 * t, tsum2: 1000 * t * t, total: 1000 })).toBe(
      'rtt min/avg/max/mdev = 3000.000/3000.000/3000.000/0.000 ms',
    );
  });
});

describe('option checks', () => {
  it.each([
    ['ping -c 1 -w 1.5 10.0.0.2', 'invalid deadline "1.5"'],
    ['ping -c 1 -W 3000000 10.0.0.2', 'ping: bad linger time: 3000000'],
    ['ping -c 1 -i 3000000 10.0.0.2', 'ping: bad timing interval: 3000000'],
    ['ping -w 0 10.0.0.2', 'ping: needs -c N or -w SECS in labs (it would never end)'],
  ])('%s is a syntax error', (line, message) => {
    const r = parseLab(`${line}\n`, 'x.lab');
    expect(r.ok ? null : r.error.message).toBe(message);
  });

  it('refuses -t 0 as the kernel refuses IP_TTL 0, after connect', () => {
    const sh = shellWithPeer();
    const r = sh.run('ping -t 0 -c 1 127.0.0.1');
    expect({ stdout: r.output.stdout, stderr: r.output.stderr, status: r.output.status }).toEqual({
      stdout: '',
      stderr: 'ping: cannot set unicast time-to-live: Invalid argument\n',
      status: 2,
    });
    expect(sh.run('ping -t 0 -c 1 10.200.0.1').output.stderr).toBe('ping: connect: Network is unreachable\n');
  });

  it('pings the host itself for 0.0.0.0, from and to 127.0.0.1', () => {
    const r = new Shell(createSimulator()).run('ping -c 2 -i 0.2 0.0.0.0').output;
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('PING 0.0.0.0 (127.0.0.1) 56(84) bytes of data.');
    expect(lines[1]).toMatch(/^64 bytes from 127\.0\.0\.1: icmp_seq=1 ttl=64 time=[\d.]+ ms$/);
    expect(lines).toContain('--- 0.0.0.0 ping statistics ---');
    expect(lines).toContain('2 packets transmitted, 2 received, 0% packet loss, time 200ms');
  });

  it('prints no times for less data than a timeval', () => {
    const r = shellWithPeer().run('ping -c 2 -i 0.2 -s 8 10.0.0.2').output;
    expect(r.stdout).toBe(
      'PING 10.0.0.2 (10.0.0.2) 8(36) bytes of data.\n' +
        '16 bytes from 10.0.0.2: icmp_seq=1 ttl=64\n' +
        '16 bytes from 10.0.0.2: icmp_seq=2 ttl=64\n' +
        '\n--- 10.0.0.2 ping statistics ---\n' +
        '2 packets transmitted, 2 received, 0% packet loss, time 200ms\n\n',
    );
  });
});

describe('timing', () => {
  it.each([100, 5000])('-i 0 waits for each reply: -c %i loses nothing', (n) => {
    const r = shellWithPeer().run(`ping -c ${n} -i 0 -q 10.0.0.2`).output;
    expect(r.stdout).toContain(`${n} packets transmitted, ${n} received, 0% packet loss`);
    expect(r.stdout).toMatch(/, ipg\/ewma [\d.]+\/[\d.]+ ms\n$/);
    expect(r.status).toBe(0);
  });

  it('-w goes on sending past -c until the deadline', () => {
    const r = shellWithPeer().run('ping -c 1 -W 0 -i 0.7 -w 2 10.9.0.1').output;
    expect(r.stdout).toContain('3 packets transmitted, 0 received, 100% packet loss, time 1400ms\n');
    expect(r.status).toBe(1);
  });

  it('exits 1 when the deadline comes before -c replies', () => {
    const r = shellWithPeer().run('ping -c 5 -i 0.7 -w 2 10.0.0.2').output;
    expect(replyLines(r.stdout)).toBe(3);
    expect(r.status).toBe(1);
  });

  it('lingers -W after the last probe when nothing came back', () => {
    const sh = shellWithPeer();
    const t0 = sh.sim.now;
    const r = sh.run('ping -c 2 -W 0.5 -i 0.2 10.9.0.1').output;
    expect(r.stdout).toContain('2 packets transmitted, 0 received, 100% packet loss, time 200ms\n');
    expect(sh.sim.now - t0).toBe(700_000);
  });

  it('waits for ever with -W 0 and no reply: only a budget ends it, without statistics', () => {
    const sh = shellWithPeer();
    sh.sim.setBudget({ maxEvents: 1e9, maxVirtualTimeUs: 3600e6 });
    const t0 = sh.sim.now;
    const r = sh.run('ping -c 1 -W 0 10.9.0.1');
    expect(r.stopped).toEqual({ kind: 'budget', budget: 'virtual-time' });
    expect(r.output.stdout).toBe('PING 10.9.0.1 (10.9.0.1) 56(84) bytes of data.\n');
    expect(sh.sim.now - t0).toBe(3600e6);
  });

  it('numbers probes with 16 bits, as the ICMP header does', () => {
    const seqs: string[] = [];
    const r = new Shell(createSimulator()).run('ping -c 65537 -i 0 127.0.0.1', undefined, {
      sink: (fd, text) => {
        const m = / icmp_seq=(\d+) /.exec(text);
        if (fd === 1 && m !== null) seqs.push(m[1]);
      },
    });
    expect(r.output.status).toBe(0);
    expect(seqs.length).toBe(65537);
    expect(seqs.slice(65533)).toEqual(['65534', '65535', '0', '1']);
  });
});

describe('streaming and stopping', () => {
  it('writes each reply to the sink as it comes and keeps nothing', () => {
    const sh = new Shell(createSimulator());
    const writes: string[] = [];
    const r = sh.run('ping -c 3 -i 0.2 127.0.0.1', undefined, { sink: (fd, t) => writes.push(`${fd}:${t}`) });
    expect(r.output.chunks).toEqual([]);
    expect(writes[0]).toBe('1:PING 127.0.0.1 (127.0.0.1) 56(84) bytes of data.\n');
    expect(writes.slice(1, 4).every((w) => w.startsWith('1:64 bytes from 127.0.0.1: icmp_seq='))).toBe(true);
    expect(writes.join('')).toContain('3 packets transmitted, 3 received');
  });

  it('keeps stdout and stderr in the order ping wrote them', () => {
    const sh = shellWithPeer();
    const writes: (1 | 2)[] = [];
    sh.run('ping -c 2 -i 0.2 -M do -s 1473 10.0.0.2', undefined, { sink: (fd) => writes.push(fd) });
    expect(writes).toEqual([1, 2, 2, 1]);
  });

  it('prints the statistics when interrupted, as on Ctrl-C', () => {
    const sh = new Shell(createSimulator());
    let replies = 0;
    let text = '';
    const r = sh.run('ping -c 1000000000 127.0.0.1', undefined, {
      sink: (_fd, t) => {
        text += t;
        if (t.includes(' bytes from ') && ++replies === 3) sh.interrupt();
      },
    });
    expect(r.stopped).toEqual({ kind: 'interrupted' });
    expect(text.slice(text.indexOf('\n---'))).toBe(
      '\n--- 127.0.0.1 ping statistics ---\n' +
        '3 packets transmitted, 3 received, 0% packet loss, time 2000ms\n' +
        'rtt min/avg/max/mdev = 0.000/0.000/0.000/0.000 ms\n',
    );
    // The interrupt holds until it is cleared.
    expect(sh.run('ping -c 1 127.0.0.1').stopped).toEqual({ kind: 'interrupted' });
    sh.sim.clearInterrupt();
    expect(sh.run('ping -c 1 127.0.0.1').output.status).toBe(0);
  });

  it('stops at once when the event budget is spent, counted across commands', () => {
    const sh = new Shell(createSimulator());
    sh.sim.setBudget({ maxEvents: 50, maxVirtualTimeUs: 1e12 });
    expect(sh.run('ping -c 5 -i 0.2 127.0.0.1').stopped).toBeUndefined();
    const r = sh.run('ping -c 100 -i 0.2 127.0.0.1');
    expect(r.stopped).toEqual({ kind: 'budget', budget: 'events' });
    expect(r.output.stdout).not.toContain('statistics');
  });

  it('throws LineStopped from runLine with what the line printed', () => {
    const sh = new Shell(createSimulator());
    sh.sim.setBudget({ maxEvents: 1e9, maxVirtualTimeUs: 10e6 });
    const lab = parseLab('ping -c 1000 127.0.0.1\n', 'x.lab');
    if (!lab.ok) throw new Error(lab.error.message);
    let stopped: unknown;
    try {
      sh.runLine(lab.lab.lines[0]);
    } catch (e) {
      stopped = e;
    }
    expect(stopped).toBeInstanceOf(LineStopped);
    const s = stopped as LineStopped;
    expect(s.reason).toEqual({ kind: 'budget', budget: 'virtual-time' });
    expect(replyLines(s.entry.stdout)).toBe(11);
    expect(s.entry).toMatchObject({ line: 1, command: 'ping -c 1000 127.0.0.1' });
  });

  it('spends the virtual-time budget on an idle clock too', () => {
    const sh = new Shell(createSimulator());
    sh.sim.setBudget({ maxEvents: 1e9, maxVirtualTimeUs: 60e6 });
    expect(sh.run('sleep 30').stopped).toBeUndefined();
    expect(sh.run('sleep 31').stopped).toEqual({ kind: 'budget', budget: 'virtual-time' });
    expect(sh.sim.now).toBe(60e6);
    expect(() => sh.sim.runFor(1)).toThrow(SimStopped);
  });
});

describe('-b, -I ADDR, -I DEV', () => {
  it('refuses a broadcast address without -b, with iputils hint, and warns with it', () => {
    const sh = shellWithPeer();
    const r = sh.run('ping -c 1 10.0.0.255').output;
    expect({ stdout: r.stdout, stderr: r.stderr, status: r.status }).toEqual({
      stdout: '',
      stderr: 'ping: Do you want to ping broadcast? Then -b. If not, check your local firewall rules\n',
      status: 2,
    });
    const b = sh.run('ping -b -c 1 -W 1 10.0.0.255').output;
    expect(b.chunks[0]).toEqual({ fd: 2, text: 'WARNING: pinging broadcast address\n' });
    expect(b.stdout.split('\n')[0]).toBe('PING 10.0.0.255 (10.0.0.255) 56(84) bytes of data.');
  });

  it.each([
    ['ping -c 1 -I 10.0.0.1 10.0.0.2', 'PING 10.0.0.2 (10.0.0.2) from 10.0.0.1 : 56(84) bytes of data.'],
    ['ping -c 1 -I eth0 10.0.0.2', 'PING 10.0.0.2 (10.0.0.2) from 10.0.0.1 eth0: 56(84) bytes of data.'],
    ['ping -c 1 -n 10.0.0.2', 'PING 10.0.0.2 (10.0.0.2) 56(84) bytes of data.'],
  ])('%s prints its header as iputils does', (line, header) => {
    const r = shellWithPeer().run(line).output;
    expect(r.stdout.split('\n')[0]).toBe(header);
    expect(r.stdout).toContain('1 packets transmitted, 1 received');
  });

  it.each([
    ['ping -c 1 -I 10.0.0.9 10.0.0.2', 'ping: bind: Cannot assign requested address\n'],
    ['ping -c 1 -I eth7 10.0.0.2', 'ping: SO_BINDTODEVICE eth7: No such device\n'],
  ])('%s fails before it sends', (line, stderr) => {
    const r = shellWithPeer().run(line).output;
    expect({ stdout: r.stdout, stderr: r.stderr, status: r.status }).toEqual({ stdout: '', stderr, status: 2 });
  });

  it('parses -I as an address when it is one and as a device otherwise', () => {
    const one = (text: string) => {
      const r = parseLab(`${text}\n`, 'x.lab');
      if (!r.ok) throw new Error(r.error.message);
      return r.lab.lines[0].cmd;
    };
    expect(one('ping -c 1 -I 10.0.0.1 10.0.0.2')).toMatchObject({ source: 0x0a000001, iface: null });
    expect(one('ping -c 1 -I eth0 -b 10.0.0.2')).toMatchObject({ iface: 'eth0', broadcast: true });
  });
});

describe('ICMP redirects', () => {
  it.each([
    [0, 'Redirect Network'],
    [1, 'Redirect Host'],
    [2, 'Redirect Type of Service and Network'],
    [3, 'Redirect Type of Service and Host'],
    [7, 'Redirect, Bad Code: 7'],
  ])('code %i reads %s', (code, text) => {
    expect(redirectText(code)).toBe(text);
  });

  it('prints a redirect as ping4_parse_reply does, and counts it as no error', () => {
    const sh = shellWithPeer();
    // Hand ping's socket a redirect from 10.0.0.2 for its first probe, as the kernel would.
    const open = sh.sim.openPing.bind(sh.sim);
    sh.sim.openPing = (ns, ident, fn) => {
      const close = open(ns, ident, fn);
      sh.sim.after(0, () =>
        fn({ kind: 'icmp-error', seq: 1, from: 0x0a000002, type: 5, code: 1, at: sh.sim.now, gateway: 0x0a000003 } as never),
      );
      return close;
    };
    const r = sh.run('ping -c 1 -W 1 10.0.0.2').output;
    const lines = r.stdout.split('\n');
    expect(lines[1]).toBe('From 10.0.0.2: icmp_seq=1 Redirect Host(New nexthop: 10.0.0.3)');
    expect(lines[2]).toMatch(/^64 bytes from 10\.0\.0\.2: icmp_seq=1 /);
    expect(r.stdout).toContain('1 packets transmitted, 1 received, 0% packet loss');
  });
});

describe('write order', () => {
  it('keeps a local error between the PING line and the statistics in the combined stream', () => {
    const r = shellWithPeer().run('ping -c 2 -i 0.2 -M do -s 1473 10.0.0.2').output;
    const lines = r.combined.split('\n');
    expect(lines[0]).toBe('PING 10.0.0.2 (10.0.0.2) 1473(1501) bytes of data.');
    expect(lines.slice(1, 3)).toEqual(['ping: local error: message too long, mtu=1500', 'ping: local error: message too long, mtu=1500']);
    expect(lines[4]).toBe('--- 10.0.0.2 ping statistics ---');
  });
});

describe('ENOBUFS', () => {
  /** txDropped is the TX `dropped` counter of eth0 in `ip -s link show eth0`. */
  const txDropped = (sh: Shell): number => {
    const lines = sh.run('ip -s link show eth0').output.stdout.split('\n');
    const i = lines.findIndex((l) => l.trim().startsWith('TX:'));
    return Number(lines[i + 1].trim().split(/\s+/)[3]);
  };

  it.each([
    // -W 1, -i 1: nores_interval 500 ms, so two sends for the first probe; oom_count is not reset
    // by giving up, so the second probe gives up at its first send.
    ['ping -c 1 -W 1 -s 1400 -M do 10.0.0.2', 2, 1],
    ['ping -c 2 -W 1 -s 1400 -M do 10.0.0.2', 3, 2],
    // The default linger of 10 s: 20 sends of 500 ms.
    ['ping -c 1 -s 1400 -M do 10.0.0.2', 20, 1],
    // -i 0.2: nores_interval 100 ms, ten sends under a 1 s linger.
    ['ping -c 1 -W 1 -i 0.2 -s 1400 -M do 10.0.0.2', 10, 1],
  ])('%s sends %i times and reports %i failures, not as errors', (line, sends, failures) => {
    const sh = shellWithPeer();
    expect(sh.run('ip -n peer link set eth0 mtu 1400').output.stderr).toBe('');
    // Resolve the peer first: a probe queued on an INCOMPLETE neighbour is sent as far as ping knows.
    expect(sh.run('ping -c 1 -W 1 10.0.0.2').output.status).toBe(0);
    const before = txDropped(sh);
    const r = sh.run(line).output;
    expect(txDropped(sh) - before).toBe(sends);
    expect(r.stderr).toBe('ping: sendmsg: No buffer space available\n'.repeat(failures));
    expect(r.stdout).toContain(`${failures} packets transmitted, 0 received, 100% packet loss`);
    expect(r.status).toBe(1);
  });

  it('resets oom_count after a send that succeeds', () => {
    const sh = shellWithPeer();
    expect(sh.run('ip -n peer link set eth0 mtu 1400').output.stderr).toBe('');
    // Resolve the peer first: a probe queued on an INCOMPLETE neighbour is sent as far as ping knows.
    expect(sh.run('ping -c 1 -W 1 10.0.0.2').output.status).toBe(0);
    const before = txDropped(sh);
    // -s 1372 fits (1414-byte frames); the failures of the first run do not carry across processes.
    sh.run('ping -c 1 -W 1 -s 1400 -M do 10.0.0.2');
    expect(sh.run('ping -c 1 -W 1 -s 1372 10.0.0.2').output.stdout).toContain('1 received');
    sh.run('ping -c 1 -W 1 -s 1400 -M do 10.0.0.2');
    expect(txDropped(sh) - before).toBe(4);
  });
});

describe('broadcast echo', () => {
  it('is answered only with icmp_echo_ignore_broadcasts=0, from the host address, without ARP for the broadcast', () => {
    const sh = shellWithPeer();
    expect(sh.run('ping -b -c 1 -W 1 10.0.0.255').output.stdout).toContain('1 packets transmitted, 0 received');
    expect(sh.run('ip netns exec peer sysctl -w net.ipv4.icmp_echo_ignore_broadcasts=0').output.status).toBe(0);
    const r = sh.run('ping -b -c 1 -W 1 10.0.0.255').output;
    expect(r.stdout.split('\n')[1]).toMatch(/^64 bytes from 10\.0\.0\.2: icmp_seq=1 ttl=64 time=[\d.]+ ms$/);
    expect(sh.run('ip neigh show 10.0.0.255 nud noarp').output.stdout).toBe('10.0.0.255 dev eth0 lladdr ff:ff:ff:ff:ff:ff NOARP \n');
  });

  it('answers its own broadcast first, through lo, when the sender does not ignore broadcasts either', () => {
    const sh = shellWithPeer();
    for (const ns of ['', 'ip netns exec peer '])
      expect(sh.run(`${ns}sysctl -w net.ipv4.icmp_echo_ignore_broadcasts=0`).output.status).toBe(0);
    const r = sh.run('ping -b -c 1 -W 1 10.0.0.255').output;
    // ping exits at the first reply of its only probe: its own.
    expect(r.stdout.split('\n').filter((l) => l.includes(' bytes from '))).toEqual([
      expect.stringMatching(/^64 bytes from 10\.0\.0\.1: icmp_seq=1 /),
    ]);
  });

  it('sends to a multicast group without ARP, to its mapped MAC (arp_mc_map)', () => {
    const sh = shellWithPeer();
    expect(sh.run('ip route add 224.0.0.0/4 dev eth0').output.stderr).toBe('');
    sh.run('ping -c 1 -W 1 224.129.2.3');
    expect(sh.run('ip neigh show 224.129.2.3 nud noarp').output.stdout).toBe('224.129.2.3 dev eth0 lladdr 01:00:5e:01:02:03 NOARP \n');
  });

  it('counts the later replies to a probe as duplicates without marking them, and stops at -c', () => {
    const sh = shellWithPeer();
    const more = ['ip netns add p3', 'ip link add veth3 type veth peer name eth0 netns p3'];
    for (const l of more) expect(sh.run(l).output.stderr).toBe('');
    // Two hosts behind one bridge in `peer`.
    for (const l of [
      'ip -n peer link add br0 type bridge',
      'ip -n peer link set br0 up',
      'ip -n peer addr del 10.0.0.2/24 dev eth0',
      'ip -n peer link set eth0 master br0',
      'ip -n peer addr add 10.0.0.2/24 dev br0',
      'ip link set veth3 netns peer',
      'ip -n peer link set veth3 master br0 up',
      'ip -n p3 link set eth0 up',
      'ip -n p3 addr add 10.0.0.3/24 dev eth0',
      'ip netns exec peer sysctl -w net.ipv4.icmp_echo_ignore_broadcasts=0',
      'ip netns exec p3 sysctl -w net.ipv4.icmp_echo_ignore_broadcasts=0',
    ])
      expect(sh.run(l).output.stderr).toBe('');
    const r = sh.run('ping -b -c 2 10.0.0.255').output;
    const replies = r.stdout.split('\n').filter((l) => l.includes(' bytes from '));
    expect(replies.length).toBe(3);
    expect(replies.some((l) => l.includes('DUP'))).toBe(false);
    expect(r.stdout).toContain('2 packets transmitted, 2 received, +1 duplicates, 0% packet loss');
  });
});
