// Tests for transcript normalisation (cli/lab/normalize.ts): what varies between kernel runs is
// rewritten, and nothing else.

import { normalizeTranscript } from '../../../cli/lab/normalize.js';

const LAB = 'ip link set eth0 address 4a:8d:0e:93:6a:39\nip link set cali1 address ee:ee:ee:ee:ee:ee\n';

describe('normalizeTranscript', () => {
  it.each([
    ['ping reply time', '64 bytes from 10.0.0.2: icmp_seq=1 ttl=63 time=0.149 ms', '64 bytes from 10.0.0.2: icmp_seq=1 ttl=63 time=<t> ms'],
    [
      'ping reply time, integer',
      '64 bytes from 10.0.0.2: icmp_seq=1 ttl=63 time=12 ms',
      '64 bytes from 10.0.0.2: icmp_seq=1 ttl=63 time=<t> ms',
    ],
    [
      'ping statistics',
      '3 packets transmitted, 0 received, +3 errors, 100% packet loss, time 2047ms',
      '3 packets transmitted, 0 received, +3 errors, 100% packet loss, time <t>ms',
    ],
    ['rtt line', 'rtt min/avg/max/mdev = 0.065/0.070/0.081/0.000 ms', 'rtt min/avg/max/mdev = <rtt> ms'],
    [
      'tcpdump time of day',
      '19:02:11.482110 4a:8d:0e:93:6a:39 > ee:ee:ee:ee:ee:ee, ethertype ARP (0x0806), length 42: Request who-has 169.254.1.1 tell 10.233.133.2, length 28',
      '<time> 4a:8d:0e:93:6a:39 > ee:ee:ee:ee:ee:ee, ethertype ARP (0x0806), length 42: Request who-has 169.254.1.1 tell 10.233.133.2, length 28',
    ],
    [
      'a BIRD time is no tcpdump time',
      '| 10.23.14.111 | node-to-node mesh | up    | 12:31:31 | Established |',
      '| 10.23.14.111 | node-to-node mesh | up    | 12:31:31 | Established |',
    ],
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
    [
      'lab MACs, broadcast and multicast stay',
      '4a:8d:0e:93:6a:39 ff:ff:ff:ff:ff:ff 01:00:5e:00:00:01 33:33:00:00:00:01',
      '4a:8d:0e:93:6a:39 ff:ff:ff:ff:ff:ff 01:00:5e:00:00:01 33:33:00:00:00:01',
    ],
    ['the interface index and link-netnsid stay', '2: eth0@if4: <UP> link-netnsid 0', '2: eth0@if4: <UP> link-netnsid 0'],
    [
      'a running bridge gc_timer; stopped timers stay',
      'topology_change_detected 0 hello_timer    0.00 tcn_timer    0.00 topology_change_timer    0.00 gc_timer  299.79 group_fwd_mask 0',
      'topology_change_detected 0 hello_timer    0.00 tcn_timer    0.00 topology_change_timer    0.00 gc_timer <timer> group_fwd_mask 0',
    ],
    [
      'gc_timer at 0.00, which it also reads between expiry and rescheduling',
      'hello_timer    0.00 tcn_timer    0.00 topology_change_timer    0.00 gc_timer    0.00 group_fwd_mask 0',
      'hello_timer    0.00 tcn_timer    0.00 topology_change_timer    0.00 gc_timer <timer> group_fwd_mask 0',
    ],
    [
      "a port's forward_delay_timer",
      'hold_timer    0.00 message_age_timer    0.00 forward_delay_timer   14.68 topology_change_ack 0',
      'hold_timer    0.00 message_age_timer    0.00 forward_delay_timer <timer> topology_change_ack 0',
    ],
    [
      'bridge timers in JSON',
      '"topology_change_detected":0,"hello_timer":0.00,"tcn_timer":0.00,"topology_change_timer":0.00,"gc_timer":299.78,"group_fwd_mask":"0"',
      '"topology_change_detected":0,"hello_timer":0.00,"tcn_timer":0.00,"topology_change_timer":0.00,"gc_timer":<timer>,"group_fwd_mask":"0"',
    ],
    [
      'port timers in JSON',
      '"hold_timer":0.00,"message_age_timer":0.00,"forward_delay_timer":14.67,"topology_change_ack":0',
      '"hold_timer":0.00,"message_age_timer":0.00,"forward_delay_timer":<timer>,"topology_change_ack":0',
    ],
    [
      'the queue counts of a veth',
      '    veth addrgenmode eui64 numtxqueues 2 numrxqueues 2 gso_max_size 65536',
      '    veth addrgenmode eui64 numtxqueues <ncpu> numrxqueues <ncpu> gso_max_size 65536',
    ],
    [
      'the queue counts of other kinds stay',
      '    vxlan id 42 srcport 0 0 dstport 8472 ttl auto ageing 300 udpcsum noudp6zerocsumtx noudp6zerocsumrx addrgenmode eui64 numtxqueues 1 numrxqueues 1 gso_max_size 65536',
      '    vxlan id 42 srcport 0 0 dstport 8472 ttl auto ageing 300 udpcsum noudp6zerocsumtx noudp6zerocsumrx addrgenmode eui64 numtxqueues 1 numrxqueues 1 gso_max_size 65536',
    ],
    [
      'the queue counts of veths in JSON, and only theirs',
      '[{"ifname":"lo","max_mtu":0,"num_tx_queues":1,"num_rx_queues":1},{"ifname":"p1","linkinfo":{"info_kind":"veth","info_slave_kind":"bridge","info_slave_data":{"state":"disabled"}},"inet6_addr_gen_mode":"eui64","num_tx_queues":2,"num_rx_queues":2},{"ifname":"br0","linkinfo":{"info_kind":"bridge"},"num_tx_queues":1,"num_rx_queues":1}]',
      '[{"ifname":"lo","max_mtu":0,"num_tx_queues":1,"num_rx_queues":1},{"ifname":"p1","linkinfo":{"info_kind":"veth","info_slave_kind":"bridge","info_slave_data":{"state":"disabled"}},"inet6_addr_gen_mode":"eui64","num_tx_queues":<ncpu>,"num_rx_queues":<ncpu>},{"ifname":"br0","linkinfo":{"info_kind":"bridge"},"num_tx_queues":1,"num_rx_queues":1}]',
    ],
    [
      'a bridge id that is not yet set stays',
      'vlan_filtering 0 bridge_id 8000.0:0:0:0:0:0 designated_root 8000.0:0:0:0:0:0 root_port 0',
      'vlan_filtering 0 bridge_id 8000.0:0:0:0:0:0 designated_root 8000.0:0:0:0:0:0 root_port 0',
    ],
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

  it('rewrites the queue counts on the bridge_slave line of a veth port, up to the next device', () => {
    const text = [
      '$ ip -d link',
      '6: p1@if3: <BROADCAST,MULTICAST> mtu 1500 qdisc noop master br0 state DOWN mode DEFAULT group default qlen 1000',
      '    link/ether 02:00:00:00:01:01 brd ff:ff:ff:ff:ff:ff link-netns b promiscuity 1  allmulti 1 minmtu 68 maxmtu 65535 ',
      '    veth ',
      '    bridge_slave state disabled priority 32 locked off addrgenmode eui64 numtxqueues 2 numrxqueues 2 gso_max_size 65536 ',
      '7: vx0: <BROADCAST,MULTICAST> mtu 1500 qdisc noop state DOWN mode DEFAULT group default qlen 1000',
      '    link/ether 02:00:00:00:00:a0 brd ff:ff:ff:ff:ff:ff promiscuity 0  allmulti 0 minmtu 68 maxmtu 65535 ',
      '    vxlan id 42 addrgenmode eui64 numtxqueues 1 numrxqueues 1 gso_max_size 65536 ',
      '',
    ].join('\n');
    const out = normalizeTranscript(text, '02:00:00:00:01:01 02:00:00:00:00:a0').split('\n');
    expect(out[4]).toBe(
      '    bridge_slave state disabled priority 32 locked off addrgenmode eui64 numtxqueues <ncpu> numrxqueues <ncpu> gso_max_size 65536 ',
    );
    expect(out[7]).toBe('    vxlan id 42 addrgenmode eui64 numtxqueues 1 numrxqueues 1 gso_max_size 65536 ');
  });

  it("keeps the lab's own MAC in bridge ids", () => {
    const line = 'bridge_id 8000.2:0:0:0:0:fe designated_root 8000.2:0:0:0:0:fe';
    expect(normalizeTranscript(line, 'ip link set br0 address 02:00:00:00:00:fe')).toBe(line);
  });

  it('names the MAC of a bridge id as the same MAC elsewhere, text and JSON', () => {
    const text = [
      '    link/ether 06:47:85:3c:93:1e brd ff:ff:ff:ff:ff:ff promiscuity 0  allmulti 0 minmtu 68 maxmtu 65535 ',
      '    bridge forward_delay 1500 bridge_id 8000.6:47:85:3c:93:1e designated_root 8000.6:47:85:3c:93:1e root_port 0',
      '    bridge_slave state disabled designated_bridge 8000.c:ca:bf:21:0:2 designated_root 8000.c:ca:bf:21:0:2 hold_timer    0.00',
      '[{"address":"0c:ca:bf:21:00:02","info_data":{"bridge_id":"8000.6:47:85:3c:93:1e","root_id":"8000.6:47:85:3c:93:1e"}}]',
    ].join('\n');
    expect(normalizeTranscript(text, '')).toBe(
      [
        '    link/ether <mac1> brd ff:ff:ff:ff:ff:ff promiscuity 0  allmulti 0 minmtu 68 maxmtu 65535 ',
        '    bridge forward_delay 1500 bridge_id 8000.<mac1> designated_root 8000.<mac1> root_port 0',
        '    bridge_slave state disabled designated_bridge 8000.<mac2> designated_root 8000.<mac2> hold_timer    0.00',
        '[{"address":"<mac2>","info_data":{"bridge_id":"8000.<mac1>","root_id":"8000.<mac1>"}}]',
      ].join('\n'),
    );
  });

  it.each([
    ['sysctl -a', true],
    ['ip netns exec r sysctl -A -r forward', true],
    ['sysctl --all -N', true],
    ['sysctl -a -n -r ^net\\.ipv4\\.', false],
    ['sysctl net.ipv4.ip_forward', false],
  ])('keeps only the net.ipv4.* lines of `%s`: %s', (command, filtered) => {
    const block = ['kernel.hostname = vm', 'net.core.somaxconn = 4096', 'net.ipv4.ip_forward = 0', 'net.ipv6.conf.all.forwarding = 0'];
    const text = [`$ ${command}`, ...block, '$ sysctl net.core.somaxconn', 'net.core.somaxconn = 4096', ''].join('\n');
    const kept = filtered ? ['net.ipv4.ip_forward = 0'] : block;
    expect(normalizeTranscript(text, '')).toBe(
      [`$ ${command}`, ...kept, '$ sysctl net.core.somaxconn', 'net.core.somaxconn = 4096', ''].join('\n'),
    );
  });

  it('is idempotent', () => {
    const text = '64 bytes from 10.0.0.2: icmp_seq=1 ttl=63 time=0.149 ms\nx 9e:11:22:33:44:55\n';
    const once = normalizeTranscript(text, LAB);
    expect(normalizeTranscript(once, LAB)).toBe(once);
  });

  it('is idempotent on ip -d link output', () => {
    const text = [
      '    veth addrgenmode eui64 numtxqueues 2 numrxqueues 2 gso_max_size 65536 ',
      '    bridge bridge_id 8000.6:47:85:3c:93:1e designated_root 8000.6:47:85:3c:93:1e gc_timer  299.79 ',
      '[{"linkinfo":{"info_kind":"veth"},"num_tx_queues":2,"num_rx_queues":2,"forward_delay_timer":14.67,"bridge_id":"8000.6:47:85:3c:93:1e"}]',
    ].join('\n');
    const once = normalizeTranscript(text, '');
    expect(once).not.toBe(text);
    expect(normalizeTranscript(once, '')).toBe(once);
  });
});
