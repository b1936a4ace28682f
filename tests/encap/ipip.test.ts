// The ipip link kind (src/encap/ipip.ts): whether every namespace has the fallback tunl0 follows
// whether the module is loaded; tunl0 prints as iproute2 6.1 prints it (seed 000's pods); and until
// IPIP encapsulation is modelled, what a tunnel is asked to send is dropped with a named reason.

import { DropReason } from '../../src/kernel/trace.js';
import { createSimulator } from '../../src/scenarios/simulator.js';
import { Shell } from '../../src/tools/shell.js';

describe('without the ipip module (labs, like the kernel they are compared with)', () => {
  it('has no tunl0, and `ip link add … type ipip` is an unknown device type', () => {
    const sh = new Shell(createSimulator());
    expect(sh.run('ip -br link').output.stdout).toBe('lo               UNKNOWN        00:00:00:00:00:00 <LOOPBACK,UP,LOWER_UP> \n');
    const r = sh.run('ip link add t1 type ipip').output;
    expect(r.stderr).toBe('Error: Unknown device type.\n');
    expect(r.status).toBe(2);
  });
});

describe('with the ipip module (a Calico node)', () => {
  const sh = new Shell(createSimulator({ ipip: true }));
  sh.run('ip netns add zlw-01');

  it('gives every namespace tunl0@NONE at ifindex 2, MTU 1480, NOARP, down', () => {
    expect(sh.run('ip -n zlw-01 link').output.stdout).toBe(
      '1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN mode DEFAULT group default qlen 1000\n' +
        '    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00\n' +
        '2: tunl0@NONE: <NOARP> mtu 1480 qdisc noop state DOWN mode DEFAULT group default qlen 1000\n' +
        '    link/ipip 0.0.0.0 brd 0.0.0.0\n',
    );
    expect(sh.run('ip -n zlw-01 -j link show tunl0').output.stdout).toBe(
      '[{"ifindex":2,"link":null,"ifname":"tunl0","flags":["NOARP"],"mtu":1480,"qdisc":"noop","operstate":"DOWN","linkmode":"DEFAULT","group":"default","txqlen":1000,"link_type":"ipip","address":"0.0.0.0","broadcast":"0.0.0.0"}]\n',
    );
  });

  it('shows the fallback tunnel parameters under -d (derived from iproute2 link_iptnl.c)', () => {
    expect(sh.run('ip -n zlw-01 -d link show tunl0').output.stdout).toBe(
      '2: tunl0@NONE: <NOARP> mtu 1480 qdisc noop state DOWN mode DEFAULT group default qlen 1000\n' +
        '    link/ipip 0.0.0.0 brd 0.0.0.0 promiscuity 0  allmulti 0 minmtu 0 maxmtu 0 \n' +
        '    ipip any remote any local any ttl inherit nopmtudisc numtxqueues 1 numrxqueues 1 gso_max_size 65536 gso_max_segs 65535 tso_max_size 65536 tso_max_segs 65535 gro_max_size 65536 \n',
    );
  });

  it('drops what is routed into tunl0 with a named reason, and counts it', () => {
    sh.run('ip link set tunl0 up');
    sh.run('ip addr add 10.233.133.1/32 dev tunl0');
    sh.run('ip link add v0 type veth peer name v1');
    sh.run('ip addr add 10.23.14.110/24 dev v0');
    sh.run('ip link set v0 up');
    sh.run('ip link set v1 up');
    expect(sh.run('ip route add 10.233.80.0/24 via 10.23.14.111 dev tunl0 proto bird onlink').output.stderr).toBe('');
    expect(sh.run('ip route').output.stdout).toContain('10.233.80.0/24 via 10.23.14.111 dev tunl0 proto bird onlink \n');
    const trace = sh.sim.record();
    const ping = sh.run('ping -c 1 -W 1 10.233.80.5').output;
    trace.close();
    expect(ping.stdout).toContain('1 packets transmitted, 0 received, 100% packet loss');
    const drops = trace.steps.filter((s) => s.event.kind === 'drop');
    expect(drops.map((s) => (s.event.kind === 'drop' ? s.event.reason : ''))).toEqual([DropReason.IpipNoEncap]);
    expect(sh.sim.world.namespaces.get('')!.drops.get(DropReason.IpipNoEncap)).toBe(1);
  });
});
