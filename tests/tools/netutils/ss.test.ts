// Tests for src/tools/netutils/ss.ts, ethtool.ts and ping.ts. The ss outputs were printed by
// iproute2 6.1's ss in a throwaway network namespace for these sockets (a listener on *:179 and
// 127.0.0.1:8080, a BGP-like session from 10.23.14.111:43210 with 10 unread bytes), with stdout
// not a terminal. The ethtool counter names were read from a real veth (Linux 6.18) through the
// SIOCETHTOOL ioctl; the busybox ping lines are seed 003's.

import { parseIpv4 } from '../../../src/model/addr.js';
import { ethtoolStats, formatEthtoolStats, vethStatistics } from '../../../src/tools/netutils/ethtool.js';
import { busyboxPing, parseBusyboxPingArgs } from '../../../src/tools/netutils/ping.js';
import { SS_USAGE, parseSsArgs, ssTcp, type SsOptions, type TcpSocket } from '../../../src/tools/netutils/ss.js';

const ip = (s: string): number => parseIpv4(s)!;
const lines = (...l: string[]): string => l.map((x) => `${x}\n`).join('');

const SOCKETS: TcpSocket[] = [
  {
    state: 'LISTEN',
    recvQ: 0,
    sendQ: 128,
    local: { addr: ip('127.0.0.1'), port: 8080 },
    peer: { addr: 0, port: 0 },
    users: '("python3",pid=16519,fd=4)',
  },
  { state: 'LISTEN', recvQ: 0, sendQ: 5, local: { addr: 0, port: 179 }, peer: { addr: 0, port: 0 }, users: '("python3",pid=16519,fd=3)' },
  {
    state: 'ESTAB',
    recvQ: 10,
    sendQ: 0,
    local: { addr: ip('10.23.14.110'), port: 179 },
    peer: { addr: ip('10.23.14.111'), port: 43210 },
    users: '("python3",pid=16519,fd=5)',
  },
];

function ss(args: string[], sockets = SOCKETS): string {
  const r = parseSsArgs(args);
  if (!r.ok) throw new Error(`not modelled: ${args.join(' ')}`);
  return ssTcp(sockets, r.cmd.options).stdout;
}

describe('ss (checked against iproute2 6.1)', () => {
  it('ss -tn', () => {
    expect(ss(['-tn'])).toBe(
      lines(
        'State Recv-Q Send-Q Local Address:Port Peer Address:Port Process',
        'ESTAB 10     0       10.23.14.110:179  10.23.14.111:43210       ',
      ),
    );
  });

  it('ss -tan', () => {
    expect(ss(['-tan'])).toBe(
      lines(
        'State  Recv-Q Send-Q Local Address:Port Peer Address:Port Process',
        'LISTEN 0      128        127.0.0.1:8080      0.0.0.0:*           ',
        'LISTEN 0      5            0.0.0.0:179       0.0.0.0:*           ',
        'ESTAB  10     0       10.23.14.110:179  10.23.14.111:43210       ',
      ),
    );
  });

  it('ss -ltn runs Peer Port into Process', () => {
    expect(ss(['-ltn'])).toBe(
      lines(
        'State  Recv-Q Send-Q Local Address:Port Peer Address:PortProcess',
        'LISTEN 0      128        127.0.0.1:8080      0.0.0.0:*          ',
        'LISTEN 0      5            0.0.0.0:179       0.0.0.0:*          ',
      ),
    );
  });

  it('ss -tnp and -tanp', () => {
    expect(ss(['-tnp'])).toBe(
      lines(
        'State Recv-Q Send-Q Local Address:Port Peer Address:Port Process',
        'ESTAB 10     0       10.23.14.110:179  10.23.14.111:43210 users:(("python3",pid=16519,fd=5))',
      ),
    );
    expect(ss(['-tanp'])).toBe(
      lines(
        'State  Recv-Q Send-Q Local Address:Port Peer Address:Port Process                            ',
        'LISTEN 0      128        127.0.0.1:8080      0.0.0.0:*     users:(("python3",pid=16519,fd=4))',
        'LISTEN 0      5            0.0.0.0:179       0.0.0.0:*     users:(("python3",pid=16519,fd=3))',
        'ESTAB  10     0       10.23.14.110:179  10.23.14.111:43210 users:(("python3",pid=16519,fd=5))',
      ),
    );
  });

  it('ss -tn from the other end', () => {
    const peer: TcpSocket[] = [
      {
        state: 'ESTAB',
        recvQ: 0,
        sendQ: 0,
        local: { addr: ip('10.23.14.111'), port: 43210 },
        peer: { addr: ip('10.23.14.110'), port: 179 },
      },
    ];
    expect(ss(['-tn'], peer)).toBe(
      lines(
        'State Recv-Q Send-Q Local Address:Port  Peer Address:PortProcess',
        'ESTAB 0      0       10.23.14.111:43210 10.23.14.110:179        ',
      ),
    );
  });

  it('prints only the header when nothing matches', () => {
    expect(ss(['-tn'], [])).toBe('State Recv-Q Send-Q Local Address:Port Peer Address:PortProcess\n');
  });

  it('resolves service names without -n and hides the header with -H (checked for -H)', () => {
    expect(ss(['-ta']).split('\n')[2]).toBe('LISTEN 0      5            0.0.0.0:bgp           0.0.0.0:*           ');
    expect(ss(['-tnH'])).toBe('ESTAB 10     0      10.23.14.110:179 10.23.14.111:43210\n');
    expect(ss(['-tnpH'])).toBe('ESTAB 10     0      10.23.14.110:179 10.23.14.111:43210 users:(("python3",pid=16519,fd=5))\n');
    expect(ss(['-tanH'])).toBe(
      lines(
        'LISTEN 0      128       127.0.0.1:8080      0.0.0.0:*    ',
        'LISTEN 0      5           0.0.0.0:179       0.0.0.0:*    ',
        'ESTAB  10     0      10.23.14.110:179  10.23.14.111:43210',
      ),
    );
  });

  it('spreads spare width over the columns on a terminal', () => {
    const opts: SsOptions = { states: 'connected', numeric: true, processes: false, screenWidth: 80 };
    const out = ssTcp(SOCKETS, opts).stdout.split('\n');
    expect(out[0].length).toBe(80);
    expect(out[1].length).toBe(80);
  });

  it('rejects an unknown option with getopt and the usage', () => {
    const r = parseSsArgs(['-tz', '-Q']);
    expect(r.ok).toBe(false);
    const bad = parseSsArgs(['-tY']);
    expect(!bad.ok && bad.output).toEqual({ stdout: '', stderr: `ss: invalid option -- 'Y'\n${SS_USAGE}`, exitStatus: 255 });
    expect(SS_USAGE.startsWith('Usage: ss [ OPTIONS ]\n       ss [ OPTIONS ] [ FILTER ]\n')).toBe(true);
  });
});

describe('ethtool -S on a veth', () => {
  it('lists the counters of one queue pair in the driver order seen on Linux 6.18', () => {
    expect(ethtoolStats({ peerIfindex: 18, rx: [{}], tx: [{}] }).stdout).toBe(
      lines(
        'NIC statistics:',
        '     peer_ifindex: 18',
        '     rx_queue_0_xdp_packets: 0',
        '     rx_queue_0_xdp_bytes: 0',
        '     rx_queue_0_drops: 0',
        '     rx_queue_0_xdp_redirect: 0',
        '     rx_queue_0_xdp_drops: 0',
        '     rx_queue_0_xdp_tx: 0',
        '     rx_queue_0_xdp_tx_errors: 0',
        '     tx_queue_0_xdp_xmit: 0',
        '     tx_queue_0_xdp_xmit_errors: 0',
      ),
    );
  });

  it('lists every rx queue before the tx queues', () => {
    const names = vethStatistics({ peerIfindex: 2, rx: [{}, {}], tx: [{}, {}] }).map(([n]) => n);
    expect(names.length).toBe(19);
    expect(names.slice(14)).toEqual([
      'rx_queue_1_xdp_tx_errors',
      'tx_queue_0_xdp_xmit',
      'tx_queue_0_xdp_xmit_errors',
      'tx_queue_1_xdp_xmit',
      'tx_queue_1_xdp_xmit_errors',
    ]);
    expect(formatEthtoolStats([['x', 1]])).toBe('NIC statistics:\n     x: 1\n');
    expect(ethtoolStats('no-device')).toEqual({
      stdout: '',
      stderr: 'Cannot get stats strings information: No such device\n',
      exitStatus: 96,
    });
  });
});

describe('busybox ping', () => {
  it('prints a reply and the statistics as in seed 003', () => {
    const out = busyboxPing({
      host: '192.168.196.131',
      addr: ip('192.168.196.131'),
      count: 1,
      transmitted: 1,
      replies: [{ from: ip('192.168.196.131'), seq: 0, ttl: 62, rttUs: 653 }],
    });
    expect(out).toEqual({
      stdout: lines(
        'PING 192.168.196.131 (192.168.196.131): 56 data bytes',
        '64 bytes from 192.168.196.131: seq=0 ttl=62 time=0.653 ms',
        '',
        '--- 192.168.196.131 ping statistics ---',
        '1 packets transmitted, 1 packets received, 0% packet loss',
        'round-trip min/avg/max = 0.653/0.653/0.653 ms',
      ),
      stderr: '',
      exitStatus: 0,
    });
  });

  it('counts duplicates, truncates the loss and the average, and fails with no reply', () => {
    const from = ip('8.8.8.8');
    const out = busyboxPing({
      host: 'dns',
      addr: from,
      count: 3,
      transmitted: 3,
      replies: [
        { from, seq: 0, ttl: 116, rttUs: 3786 },
        { from, seq: 0, ttl: 116, rttUs: 4001 },
        { from, seq: 2, ttl: 116, rttUs: 2000 },
      ],
    });
    expect(out.stdout.split('\n').slice(2, 8)).toEqual([
      '64 bytes from 8.8.8.8: seq=0 ttl=116 time=4.001 ms (DUP!)',
      '64 bytes from 8.8.8.8: seq=2 ttl=116 time=2.000 ms',
      '',
      '--- dns ping statistics ---',
      '3 packets transmitted, 2 packets received, 1 duplicates, 33% packet loss',
      'round-trip min/avg/max = 2.000/3.262/4.001 ms',
    ]);
    expect(busyboxPing({ host: '10.0.0.9', addr: ip('10.0.0.9'), count: 1, transmitted: 1, replies: [] })).toEqual({
      stdout: lines(
        'PING 10.0.0.9 (10.0.0.9): 56 data bytes',
        '',
        '--- 10.0.0.9 ping statistics ---',
        '1 packets transmitted, 0 packets received, 100% packet loss',
      ),
      stderr: '',
      exitStatus: 1,
    });
  });

  it('parses options after the host, as glibc getopt permutes', () => {
    expect(parseBusyboxPingArgs(['192.168.196.131', '-c', '1'])).toMatchObject({
      ok: true,
      cmd: { host: '192.168.196.131', count: 1, size: 56, timeout: 10 },
    });
    expect(parseBusyboxPingArgs(['-c1', '-W', '2', 'x'])).toMatchObject({ ok: true, cmd: { count: 1, timeout: 2 } });
    const r = parseBusyboxPingArgs([]);
    expect(
      !r.ok &&
        r.output.stderr.startsWith(
          'BusyBox v1.36.1 multi-call binary.\n\nUsage: ping [OPTIONS] HOST\n\nSend ICMP ECHO_REQUESTs to HOST\n\n\t-4,-6\t\tForce IP or IPv6 name resolution\n',
        ),
    ).toBe(true);
  });
});
