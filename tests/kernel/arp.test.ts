// Tests of ARP's sysctls and events (src/kernel/arp.ts): the sender address of a request under
// arp_announce (arp_solicit), which requests arp_ignore answers (arp_ignore, confirm_addr_indev),
// RFC 5227 probes from 0.0.0.0 (arp_process's `sip == 0` case), gratuitous requests under
// arp_notify (inetdev_event) and the flush of a device's neighbours on a MAC change
// (neigh_changeaddr) or when it loses carrier (neigh_carrier_down). Expected lines are what kernel 6.18 printed for fixtures/labs/arp-sysctls.lab.

import { createSimulator } from '../../src/scenarios/simulator.js';
import { Shell } from '../../src/tools/shell.js';

/** shell runs lab lines on a fresh simulator and returns it; a line that fails throws. */
function shell(lines: readonly string[]): Shell {
  const sh = new Shell(createSimulator());
  for (const l of lines) run(sh, l);
  return sh;
}

function run(sh: Shell, line: string): string {
  const r = sh.run(line);
  if (r.output.status !== 0 && !line.includes('ping ')) throw new Error(`${line}: ${r.output.stderr}`);
  return r.output.stdout;
}

/** capturedArp runs `lines` under a capture of ARP on `dev` of namespace `ns` and returns the frames seen. */
function capturedArp(sh: Shell, ns: string, dev: string, lines: readonly string[]): string[] {
  run(sh, `capture ${ns} ${dev} arp`);
  for (const l of lines) run(sh, l);
  return run(sh, 'captures').split('\n').slice(1, -1);
}

const PAIR = [
  'ip netns add a',
  'ip link add v0 type veth peer name eth0 netns a',
  'ip link set v0 address 02:00:00:00:00:01 up',
  'ip -n a link set eth0 address 02:00:00:00:00:0a up',
  'ip addr add 10.0.0.1/24 dev v0',
  'ip -n a addr add 10.0.0.2/24 dev eth0',
];

const REQUEST = '02:00:00:00:00:01 > ff:ff:ff:ff:ff:ff, ethertype ARP (0x0806), length 42: Request';

describe('arp_announce', () => {
  const lab = [
    ...PAIR,
    'ip addr add 10.0.0.9/24 dev v0',
    'ip addr add 10.1.0.1/24 dev lo',
    'ip -n a addr add 10.0.0.3/32 dev eth0',
    'ip -n a route add default via 10.0.0.1',
    'ip route add 10.0.0.2 dev v0 src 10.1.0.1',
    'ip route add 10.0.0.3 dev v0 src 10.0.0.9',
  ];

  it.each([
    // The packet's source is local: 0 takes it whatever its subnet.
    ['0', '0', '10.1.0.1', '10.0.0.9'],
    // 1 only takes a source on a subnet of the device that holds the target.
    ['0', '1', '10.0.0.1', '10.0.0.9'],
    // 2 always asks inet_select_addr, which gives the device's primary; the larger of all and DEV counts.
    ['2', '0', '10.0.0.1', '10.0.0.1'],
  ])('all=%s dev=%s: tell %s (from lo) and %s (secondary)', (all, dev, viaLo, viaSecondary) => {
    const sh = shell([...lab, `sysctl -w net.ipv4.conf.all.arp_announce=${all}`, `sysctl -w net.ipv4.conf.v0.arp_announce=${dev}`]);
    const frames = capturedArp(sh, 'a', 'eth0', ['ping -c 1 -W 1 10.0.0.2', 'ping -c 1 -W 1 10.0.0.3']);
    const requests = frames.filter((f) => f.startsWith(REQUEST));
    expect(requests).toEqual([
      `${REQUEST} who-has 10.0.0.2 tell ${viaLo}, length 28`,
      `${REQUEST} who-has 10.0.0.3 tell ${viaSecondary}, length 28`,
    ]);
  });
});

describe('arp_ignore', () => {
  const lab = [
    ...PAIR,
    'ip addr add 10.1.0.1/24 dev lo',
    'ip netns add b',
    'ip link add v1 type veth peer name eth0 netns b',
    'ip link set v1 address 02:00:00:00:00:02 up',
    'ip -n b link set eth0 address 02:00:00:00:00:0b up',
    'ip -n b addr add 10.5.0.2/24 dev eth0',
    'ip -n b route add 10.0.0.0/16 dev eth0',
    'ip -n b route add 10.1.0.0/24 dev eth0',
    'ip route add 10.5.0.0/24 dev v1',
    'ip addr add 10.0.0.7/24 dev v1',
    'ip addr add 10.5.0.1/24 dev v1',
    'ip addr add 10.1.0.9/32 dev lo scope host',
  ];

  // Asked from 10.5.0.2 through v1: an address of v0, one of lo, one of v1 in another subnet, one of
  // v1 in the asker's subnet, a scope-host one of lo.
  it.each([
    ['0', ['10.0.0.1', '10.1.0.1', '10.0.0.7', '10.5.0.1', '10.1.0.9']],
    ['1', ['10.0.0.7', '10.5.0.1']],
    ['2', ['10.5.0.1']],
    ['3', ['10.0.0.1', '10.1.0.1', '10.0.0.7', '10.5.0.1']],
    ['8', []],
  ])('%s answers %j', (value, answered) => {
    const sh = shell([...lab, `sysctl -w net.ipv4.conf.v1.arp_ignore=${value}`]);
    const asked = ['10.0.0.1', '10.1.0.1', '10.0.0.7', '10.5.0.1', '10.1.0.9'];
    const frames = capturedArp(
      sh,
      '-',
      'v1',
      asked.map((a) => `ip netns exec b ping -c 1 -W 4 ${a}`),
    );
    const replies = frames.filter((f) => f.includes(' Reply ')).map((f) => /Reply (\S+) is-at/.exec(f)![1]);
    expect(replies).toEqual(answered);
  });

  it('takes the larger of all and the device', () => {
    const sh = shell([...lab, 'sysctl -w net.ipv4.conf.all.arp_ignore=1']);
    const frames = capturedArp(sh, '-', 'v1', ['ip netns exec b ping -c 1 -W 4 10.0.0.1']);
    expect(frames.filter((f) => f.includes(' Reply '))).toEqual([]);
  });
});

describe('a probe from 0.0.0.0 (RFC 5227)', () => {
  it('is answered to the asker, who learns nothing taught to the host', () => {
    const sh = shell([
      'ip netns add a',
      'ip link add v0 type veth peer name eth0 netns a',
      'ip link set v0 address 02:00:00:00:00:01 up',
      'ip -n a link set eth0 address 02:00:00:00:00:0a up',
      'ip -n a addr add 10.0.0.1/32 dev eth0',
      'ip route add 10.0.0.1 dev v0 scope link',
    ]);
    const frames = capturedArp(sh, '-', 'v0', ['ping -c 1 -W 4 10.0.0.1']);
    expect(frames[0]).toBe(`${REQUEST} who-has 10.0.0.1 tell 0.0.0.0, length 28`);
    expect(frames[1]).toBe(
      '02:00:00:00:00:0a > 02:00:00:00:00:01, ethertype ARP (0x0806), length 42: Reply 10.0.0.1 is-at 02:00:00:00:00:0a, length 28',
    );
    // The replying namespace made no entry for 0.0.0.0.
    expect(run(sh, 'ip -n a neigh')).toBe('');
  });
});

describe('arp_notify', () => {
  const garp = (mac: string, a: string) =>
    `${mac} > ff:ff:ff:ff:ff:ff, ethertype ARP (0x0806), length 42: Request who-has ${a} tell ${a}, length 28`;

  it('announces every address when the device comes up or its MAC changes, not when an address is added', () => {
    const sh = shell([...PAIR, 'ip addr add 10.0.0.9/24 dev v0', 'sysctl -w net.ipv4.conf.v0.arp_notify=1']);
    const frames = capturedArp(sh, 'a', 'eth0', [
      'ip link set v0 down',
      'ip link set v0 up',
      'ip addr add 10.0.0.11/24 dev v0',
      'sleep 1',
      'ip link set v0 address 02:00:00:00:00:11',
      'sleep 1',
    ]);
    expect(frames).toEqual([
      garp('02:00:00:00:00:01', '10.0.0.1'),
      garp('02:00:00:00:00:01', '10.0.0.9'),
      garp('02:00:00:00:00:11', '10.0.0.1'),
      garp('02:00:00:00:00:11', '10.0.0.9'),
      garp('02:00:00:00:00:11', '10.0.0.11'),
    ]);
  });

  it('sends nothing while off', () => {
    const sh = shell(PAIR);
    expect(capturedArp(sh, 'a', 'eth0', ['ip link set v0 down', 'ip link set v0 up', 'ip link set v0 address 02:00:00:00:00:11'])).toEqual(
      [],
    );
  });
});

describe('a peer that goes down', () => {
  it('takes the carrier and with it the neighbours of the other end, but its permanent ones (neigh_carrier_down)', () => {
    const sh = shell([...PAIR, 'ping -c 1 -W 1 10.0.0.2', 'ip -n a neigh add 10.0.0.50 lladdr 02:00:00:00:00:50 dev eth0']);
    expect(
      run(sh, 'ip -n a neigh')
        .split('\n')
        .filter((l) => l !== '').length,
    ).toBe(2);
    run(sh, 'ip link set v0 down');
    expect(run(sh, 'ip -n a neigh')).toBe('10.0.0.50 dev eth0 lladdr 02:00:00:00:00:50 PERMANENT \n');
  });
});

describe('a MAC change', () => {
  it("forgets the device's neighbours, permanent ones too, and no other device's", () => {
    const sh = shell([
      ...PAIR,
      'ping -c 1 -W 1 10.0.0.2',
      'ip neigh add 10.0.0.50 lladdr 02:00:00:00:00:50 dev v0',
      'ip neigh add 10.9.0.51 lladdr 02:00:00:00:00:51 dev lo nud stale',
    ]);
    expect(
      run(sh, 'ip neigh')
        .split('\n')
        .filter((l) => l !== '').length,
    ).toBe(3);
    run(sh, 'ip link set v0 address 02:00:00:00:00:12');
    expect(run(sh, 'ip neigh')).toBe('10.9.0.51 dev lo lladdr 02:00:00:00:00:51 STALE \n');
  });
});
