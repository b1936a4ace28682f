// Tests for transcript normalisation (cli/lab/normalize.ts): what varies between kernel runs is
// rewritten, and nothing else.

import { normalizeTranscript } from '../../../cli/lab/normalize.js';

const LAB = 'ip link set eth0 address 4a:8d:0e:93:6a:39\nip link set cali1 address ee:ee:ee:ee:ee:ee\n';

describe('normalizeTranscript', () => {
  it.each([
    ['ping reply time', '64 bytes from 10.0.0.2: icmp_seq=1 ttl=63 time=0.149 ms', '64 bytes from 10.0.0.2: icmp_seq=1 ttl=63 time=<t> ms'],
    ['ping reply time, integer', '64 bytes from 10.0.0.2: icmp_seq=1 ttl=63 time=12 ms', '64 bytes from 10.0.0.2: icmp_seq=1 ttl=63 time=<t> ms'],
    [
      'ping statistics',
      '3 packets transmitted, 0 received, +3 errors, 100% packet loss, time 2047ms',
      '3 packets transmitted, 0 received, +3 errors, 100% packet loss, time <t>ms',
    ],
    ['rtt line', 'rtt min/avg/max/mdev = 0.065/0.070/0.081/0.000 ms', 'rtt min/avg/max/mdev = <rtt> ms'],
    [
      'ICMP id',
      '4a:8d:0e:93:6a:39 > ee:ee:ee:ee:ee:ee, ethertype IPv4 (0x0800), length 98: 10.233.133.2 > 10.233.133.3: ICMP echo request, id 9807, seq 1, length 64',
      '4a:8d:0e:93:6a:39 > ee:ee:ee:ee:ee:ee, ethertype IPv4 (0x0800), length 98: 10.233.133.2 > 10.233.133.3: ICMP echo request, id <id>, seq 1, length 64',
    ],
    [
      'curl timeout',
      'curl: (28) Operation timed out after 1001 milliseconds with 0 bytes received',
      'curl: (28) Operation timed out after <n> milliseconds with 0 bytes received',
    ],
    [
      'curl refused',
      "curl: (7) Failed to connect to 10.0.0.2 port 8080 after 0 ms: Couldn't connect to server",
      "curl: (7) Failed to connect to 10.0.0.2 port 8080 after <n> ms: Couldn't connect to server",
    ],
    [
      'server ports and small numbers stay',
      'x > y, length 66: 10.0.0.2.8080 > 10.0.0.1.22: Flags [.], ack 82, win 64, length 0',
      'x > y, length 66: 10.0.0.2.8080 > 10.0.0.1.22: Flags [.], ack 82, win 64, length 0',
    ],
    ['lab MACs, broadcast and multicast stay', '4a:8d:0e:93:6a:39 ff:ff:ff:ff:ff:ff 01:00:5e:00:00:01 33:33:00:00:00:01', '4a:8d:0e:93:6a:39 ff:ff:ff:ff:ff:ff 01:00:5e:00:00:01 33:33:00:00:00:01'],
    ['the interface index and link-netnsid stay', '2: eth0@if4: <UP> link-netnsid 0', '2: eth0@if4: <UP> link-netnsid 0'],
  ])('%s', (_name, input, expected) => {
    expect(normalizeTranscript(input, LAB)).toBe(expected);
  });

  it('names unknown MACs by order of first appearance, whatever their case', () => {
    const text = 'a 9e:11:22:33:44:55 b 4A:8D:0E:93:6A:39\nc 02:aa:bb:cc:dd:ee d 9E:11:22:33:44:55\n';
    expect(normalizeTranscript(text, LAB)).toBe('a <mac1> b 4A:8D:0E:93:6A:39\nc <mac2> d <mac1>\n');
  });

  it('rewrites the SYN, SYN-ACK and their TCP timestamps, and numbers ephemeral ports', () => {
    const text = [
      'e > f, length 74: 10.0.0.1.45678 > 10.0.0.2.8080: Flags [S], seq 1234567890, win 64240, options [mss 1460,sackOK,TS val 3029 ecr 0,nop,wscale 10], length 0',
      'f > e, length 74: 10.0.0.2.8080 > 10.0.0.1.45678: Flags [S.], seq 987654321, ack 1234567891, win 65160, options [mss 1460,sackOK,TS val 77 ecr 3029,nop,wscale 10], length 0',
      'e > f, length 66: 10.0.0.1.45678 > 10.0.0.2.8080: Flags [.], ack 1, win 63, options [nop,nop,TS val 3030 ecr 77], length 0',
      'e > f, length 74: 10.0.0.1.51000 > 10.0.0.2.8080: Flags [S], seq 5, win 64240, length 0',
    ].join('\n');
    expect(normalizeTranscript(text, '')).toBe(
      [
        'e > f, length 74: 10.0.0.1.<port1> > 10.0.0.2.8080: Flags [S], seq <seq>, win 64240, options [mss 1460,sackOK,TS val <ts> ecr 0,nop,wscale 10], length 0',
        'f > e, length 74: 10.0.0.2.8080 > 10.0.0.1.<port1>: Flags [S.], seq <seq>, ack <ack>, win 65160, options [mss 1460,sackOK,TS val <ts> ecr <ts>,nop,wscale 10], length 0',
        'e > f, length 66: 10.0.0.1.<port1> > 10.0.0.2.8080: Flags [.], ack 1, win 63, options [nop,nop,TS val <ts> ecr <ts>], length 0',
        'e > f, length 74: 10.0.0.1.<port2> > 10.0.0.2.8080: Flags [S], seq <seq>, win 64240, length 0',
      ].join('\n'),
    );
  });

  it('rewrites the ack of a RST refusing a SYN, and only that one', () => {
    const text = [
      'a > b, length 74: 10.0.0.1.40000 > 10.0.0.2.8080: Flags [S], seq 4294967295, win 64240, length 0',
      'b > a, length 54: 10.0.0.2.8080 > 10.0.0.1.40000: Flags [R.], seq 0, ack 0, win 0, length 0',
      'b > a, length 54: 10.0.0.2.8080 > 10.0.0.1.40001: Flags [R.], seq 0, ack 1234, win 0, length 0',
    ].join('\n');
    expect(normalizeTranscript(text, '')).toBe(
      [
        'a > b, length 74: 10.0.0.1.<port1> > 10.0.0.2.8080: Flags [S], seq <seq>, win 64240, length 0',
        'b > a, length 54: 10.0.0.2.8080 > 10.0.0.1.<port1>: Flags [R.], seq 0, ack <ack>, win 0, length 0',
        'b > a, length 54: 10.0.0.2.8080 > 10.0.0.1.<port2>: Flags [R.], seq 0, ack 1234, win 0, length 0',
      ].join('\n'),
    );
  });

  it('sorts the output of ip neigh commands only', () => {
    const text = [
      '$ ip -n a neigh',
      '10.0.0.9 dev eth0 FAILED ',
      '10.0.0.2 dev eth0 lladdr 02:00:00:00:00:0b REACHABLE ',
      '$ ip route',
      'z',
      'a',
      '$ ip n show dev eth0',
      '10.0.0.9 FAILED ',
      '10.0.0.10 lladdr 02:00:00:00:00:0b STALE ',
      '',
    ].join('\n');
    expect(normalizeTranscript(text, '02:00:00:00:00:0b')).toBe(
      [
        '$ ip -n a neigh',
        '10.0.0.2 dev eth0 lladdr 02:00:00:00:00:0b REACHABLE ',
        '10.0.0.9 dev eth0 FAILED ',
        '$ ip route',
        'z',
        'a',
        '$ ip n show dev eth0',
        '10.0.0.10 lladdr 02:00:00:00:00:0b STALE ',
        '10.0.0.9 FAILED ',
        '',
      ].join('\n'),
    );
  });

  it('is idempotent', () => {
    const text = '64 bytes from 10.0.0.2: icmp_seq=1 ttl=63 time=0.149 ms\nx 9e:11:22:33:44:55\n';
    const once = normalizeTranscript(text, LAB);
    expect(normalizeTranscript(once, LAB)).toBe(once);
  });
});
