// Tests of `bridge fdb replace`, `static` and `bridge -j [-p]` (src/kernel/netns.ts fdbChange,
// src/tools/bridge/*). Expected lines are what iproute2 6.1 on kernel 6.18 prints
// (fixtures/labs/bridge-forms.lab).

import type { Shell } from '../../../src/tools/shell.js';
import { runLine as run, shellWith } from '../../support/shell.js';

const SETUP = [
  'ip link add br0 type bridge',
  'ip link set br0 address 02:00:00:00:00:20 up',
  'ip link add eth0 type veth peer name eth1',
  'ip link set eth0 address 02:00:00:00:00:10 master br0 up',
  'ip link set eth1 address 02:00:00:00:00:11 up',
  'ip link add eth2 type veth peer name eth3',
  'ip link set eth2 address 02:00:00:00:00:12 master br0',
];

const shell = (...more: string[]): Shell => shellWith(...SETUP, ...more);

describe('bridge fdb on a bridge port', () => {
  it('refuses a MAC the bridge knows on any port, and replace moves it', () => {
    const sh = shell('bridge fdb add 02:00:00:00:00:99 dev eth0 master');
    expect(run(sh, 'bridge fdb add 02:00:00:00:00:99 dev eth2 master')).toEqual(['RTNETLINK answers: File exists\n', 2]);
    expect(run(sh, 'bridge fdb replace 02:00:00:00:00:99 dev eth2 master')).toEqual(['', 0]);
    expect(run(sh, 'bridge fdb show dev eth2')[0]).toBe(
      '02:00:00:00:00:99 master br0 permanent\n02:00:00:00:00:12 master br0 permanent\n33:33:00:00:00:01 self permanent\n',
    );
  });

  it('makes a static entry with static, a local one without', () => {
    const sh = shell('bridge fdb replace 02:00:00:00:00:98 dev eth2 master', 'bridge fdb replace 02:00:00:00:00:98 dev eth2 master static');
    expect(run(sh, 'bridge fdb show dev eth2')[0].split('\n')[0]).toBe('02:00:00:00:00:98 master br0 static');
  });

  it('prints -j and -j -p', () => {
    const sh = shell();
    expect(run(sh, 'bridge -j fdb show dev eth2')[0]).toBe(
      '[{"mac":"02:00:00:00:00:12","flags":[],"master":"br0","state":"permanent"},{"mac":"33:33:00:00:00:01","flags":["self"],"state":"permanent"}]\n',
    );
    expect(run(sh, 'bridge -j -p fdb show dev eth2')[0]).toBe(
      '[ {\n        "mac": "02:00:00:00:00:12",\n        "flags": [ ],\n        "master": "br0",\n        "state": "permanent"\n    },{\n' +
        '        "mac": "33:33:00:00:00:01",\n        "flags": [ "self" ],\n        "state": "permanent"\n    } ]\n',
    );
    expect(run(sh, 'bridge -j link show dev eth0')[0]).toBe(
      '[{"ifindex":4,"link":"eth1","ifname":"eth0","flags":["BROADCAST","MULTICAST","UP","LOWER_UP"],"mtu":1500,"master":"br0","state":"forwarding","priority":32,"cost":2}]\n',
    );
  });
});

describe('bridge fdb on a VXLAN device', () => {
  const VX = [
    'ip link add vx0 type vxlan id 42 dstport 4789 local 10.0.0.1 nolearning',
    'bridge fdb add 00:00:00:00:00:00 dev vx0 dst 10.0.0.2',
    'bridge fdb append 00:00:00:00:00:00 dev vx0 dst 10.0.0.3',
    'bridge fdb add 02:00:00:00:00:77 dev vx0 dst 10.0.0.2',
  ];

  it('replaces the first remote of a unicast entry, newest MAC first', () => {
    const sh = shell(
      ...VX,
      'bridge fdb replace 02:00:00:00:00:77 dev vx0 dst 10.0.0.4',
      'bridge fdb replace 02:00:00:00:00:78 dev vx0 dst 10.0.0.5',
    );
    expect(run(sh, 'bridge fdb replace 00:00:00:00:00:00 dev vx0 dst 10.0.0.6')).toEqual([
      'Error: Cannot replace non-unicast fdb entries.\n',
      2,
    ]);
    expect(run(sh, 'bridge fdb show dev vx0')[0]).toBe(
      '02:00:00:00:00:78 dst 10.0.0.5 self permanent\n02:00:00:00:00:77 dst 10.0.0.4 self permanent\n' +
        '00:00:00:00:00:00 dst 10.0.0.2 self permanent\n00:00:00:00:00:00 dst 10.0.0.3 self permanent\n',
    );
  });
});

describe('a device own address list', () => {
  it('takes a MAC once; replace accepts it being there', () => {
    const sh = shell('bridge fdb add 02:00:00:00:00:55 dev eth1 self');
    expect(run(sh, 'bridge fdb add 02:00:00:00:00:55 dev eth1 self')).toEqual(['RTNETLINK answers: File exists\n', 2]);
    expect(run(sh, 'bridge fdb replace 02:00:00:00:00:55 dev eth1 self')).toEqual(['', 0]);
    expect(run(sh, 'bridge fdb show dev eth1')[0]).toBe(
      '02:00:00:00:00:55 self permanent\n33:33:00:00:00:01 self permanent\n01:00:5e:00:00:01 self permanent\n',
    );
  });
});
