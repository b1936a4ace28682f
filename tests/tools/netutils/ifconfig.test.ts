// Tests for src/tools/netutils/ifconfig.ts and arp.ts. The net-tools outputs are what ifconfig and
// arp (Debian 12, net-tools 2.10) printed in throwaway network namespaces for a pod-like veth pair
// (eth0 /32 in one namespace, a cali* veth with proxy ARP in the other), together with the
// /proc/net/dev, /proc/net/arp and address data the models below are built from. The busybox
// outputs are seed 003's (busybox in a Calico pod), whose spacing follows networking/interface.c.

import { parseIpv4 } from '../../../src/model/addr.js';
import { ATF, arpBusybox, arpFlagsFor, arpNetTools, parseArpArgs, type ProcArpEntry } from '../../../src/tools/netutils/arp.js';
import {
  IFF,
  formatBusyboxIface,
  ifaceFlags,
  ifconfig,
  nstrcmp,
  parseIfconfigArgs,
  type NetInterface,
} from '../../../src/tools/netutils/ifconfig.js';

const ip = (s: string): number => parseIpv4(s)!;
const lines = (...l: string[]): string => l.map((x) => `${x}\n`).join('');
const UP_RUNNING = ifaceFlags({ up: true, broadcast: true, running: true, multicast: true });

const POD_ETH0: NetInterface = {
  name: 'eth0',
  flags: UP_RUNNING,
  mtu: 1440,
  hwType: 'ether',
  mac: '4a:8d:0e:93:6a:39',
  ipv4: { addr: ip('10.233.133.2'), netmask: ip('255.255.255.255'), broadcast: ip('10.233.133.2') },
  txqueuelen: 1000,
  stats: { rxPackets: 5, rxBytes: 322, txPackets: 3, txBytes: 238 },
};
const POD_LO: NetInterface = {
  name: 'lo',
  flags: ifaceFlags({ up: true, loopback: true, running: true }),
  mtu: 65536,
  hwType: 'loopback',
  ipv4: { addr: ip('127.0.0.1'), netmask: ip('255.0.0.0') },
  txqueuelen: 1000,
  stats: { rxPackets: 0, rxBytes: 0, txPackets: 0, txBytes: 0 },
};
const HOST_CALI: NetInterface = {
  name: 'cali12345678901',
  flags: UP_RUNNING,
  mtu: 1500,
  hwType: 'ether',
  mac: 'ee:ee:ee:ee:ee:ee',
  ipv4: { addr: ip('10.23.14.110'), netmask: ip('255.255.255.0') },
  txqueuelen: 1000,
  // /proc/net/dev had these; ifconfig still printed zeros for the 15-character name.
  stats: { rxPackets: 3, rxBytes: 238, txPackets: 5, txBytes: 322 },
};

const ETH0_TEXT = lines(
  'eth0: flags=4163<UP,BROADCAST,RUNNING,MULTICAST>  mtu 1440',
  '        inet 10.233.133.2  netmask 255.255.255.255  broadcast 10.233.133.2',
  '        ether 4a:8d:0e:93:6a:39  txqueuelen 1000  (Ethernet)',
  '        RX packets 5  bytes 322 (322.0 B)',
  '        RX errors 0  dropped 0  overruns 0  frame 0',
  '        TX packets 3  bytes 238 (238.0 B)',
  '        TX errors 0  dropped 0 overruns 0  carrier 0  collisions 0',
  '',
);
const LO_TEXT = lines(
  'lo: flags=73<UP,LOOPBACK,RUNNING>  mtu 65536',
  '        inet 127.0.0.1  netmask 255.0.0.0',
  '        loop  txqueuelen 1000  (Local Loopback)',
  '        RX packets 0  bytes 0 (0.0 B)',
  '        RX errors 0  dropped 0  overruns 0  frame 0',
  '        TX packets 0  bytes 0 (0.0 B)',
  '        TX errors 0  dropped 0 overruns 0  carrier 0  collisions 0',
  '',
);

describe('net-tools ifconfig (checked on a real kernel)', () => {
  it('lists the up interfaces sorted by name', () => {
    expect(ifconfig('net-tools', [POD_LO, POD_ETH0], { all: false })).toEqual({ stdout: ETH0_TEXT + LO_TEXT, stderr: '', exitStatus: 0 });
  });

  it('shows one interface, and fails for a missing one', () => {
    expect(ifconfig('net-tools', [POD_LO, POD_ETH0], { all: false, iface: 'eth0' }).stdout).toBe(ETH0_TEXT);
    expect(ifconfig('net-tools', [POD_LO, POD_ETH0], { all: false, iface: 'nosuch' })).toEqual({
      stdout: '',
      stderr: 'nosuch: error fetching interface information: Device not found\n',
      exitStatus: 1,
    });
  });

  it('prints broadcast 0.0.0.0 and zero counters for a cali* veth', () => {
    expect(ifconfig('net-tools', [HOST_CALI], { all: false, iface: 'cali12345678901' }).stdout).toBe(
      lines(
        'cali12345678901: flags=4163<UP,BROADCAST,RUNNING,MULTICAST>  mtu 1500',
        '        inet 10.23.14.110  netmask 255.255.255.0  broadcast 0.0.0.0',
        '        ether ee:ee:ee:ee:ee:ee  txqueuelen 1000  (Ethernet)',
        '        RX packets 0  bytes 0 (0.0 B)',
        '        RX errors 0  dropped 0  overruns 0  frame 0',
        '        TX packets 0  bytes 0 (0.0 B)',
        '        TX errors 0  dropped 0 overruns 0  carrier 0  collisions 0',
        '',
      ),
    );
  });

  it('prints IPv6 addresses, KiB and down interfaces with -a', () => {
    const eth0: NetInterface = {
      ...POD_ETH0,
      mtu: 1500,
      ipv4: { addr: ip('10.233.133.2'), netmask: ip('255.255.255.255'), broadcast: 0 },
      ipv6: [{ addr: 'fe80::488d:eff:fe93:6a39', prefixLen: 64, scope: 0x20 }],
      stats: { rxPackets: 7, rxBytes: 586, txPackets: 19, txBytes: 1090 },
    };
    const lo: NetInterface = {
      ...POD_LO,
      ipv6: [{ addr: '::1', prefixLen: 128, scope: 0x10 }],
      stats: { rxPackets: 5, rxBytes: 504, txPackets: 5, txBytes: 504 },
    };
    expect(ifconfig('net-tools', [lo, eth0], { all: true }).stdout).toBe(
      lines(
        'eth0: flags=4163<UP,BROADCAST,RUNNING,MULTICAST>  mtu 1500',
        '        inet 10.233.133.2  netmask 255.255.255.255  broadcast 0.0.0.0',
        '        inet6 fe80::488d:eff:fe93:6a39  prefixlen 64  scopeid 0x20<link>',
        '        ether 4a:8d:0e:93:6a:39  txqueuelen 1000  (Ethernet)',
        '        RX packets 7  bytes 586 (586.0 B)',
        '        RX errors 0  dropped 0  overruns 0  frame 0',
        '        TX packets 19  bytes 1090 (1.0 KiB)',
        '        TX errors 0  dropped 0 overruns 0  carrier 0  collisions 0',
        '',
        'lo: flags=73<UP,LOOPBACK,RUNNING>  mtu 65536',
        '        inet 127.0.0.1  netmask 255.0.0.0',
        '        inet6 ::1  prefixlen 128  scopeid 0x10<host>',
        '        loop  txqueuelen 1000  (Local Loopback)',
        '        RX packets 5  bytes 504 (504.0 B)',
        '        RX errors 0  dropped 0  overruns 0  frame 0',
        '        TX packets 5  bytes 504 (504.0 B)',
        '        TX errors 0  dropped 0 overruns 0  carrier 0  collisions 0',
        '',
      ),
    );
    const down: NetInterface = { ...HOST_CALI, flags: ifaceFlags({ broadcast: true, multicast: true }) };
    expect(ifconfig('net-tools', [down], { all: false }).stdout).toBe('');
    expect(ifconfig('net-tools', [down], { all: true }).stdout.split('\n')[0]).toBe(
      'cali12345678901: flags=4098<BROADCAST,MULTICAST>  mtu 1500',
    );
  });

  it('prints an IPIP tunnel with its three spaces', () => {
    const tunl0: NetInterface = {
      name: 'tunl0',
      flags: ifaceFlags({ up: true, running: true, noarp: true }),
      mtu: 1480,
      hwType: 'tunnel',
      ipv4: { addr: ip('192.168.49.64'), netmask: ip('255.255.255.255') },
      txqueuelen: 1000,
      stats: { rxPackets: 0, rxBytes: 0, txPackets: 0, txBytes: 0 },
    };
    expect(ifconfig('net-tools', [tunl0], { all: false }).stdout.split('\n').slice(0, 3)).toEqual([
      'tunl0: flags=193<UP,RUNNING,NOARP>  mtu 1480',
      '        inet 192.168.49.64  netmask 255.255.255.255',
      '        tunnel   txqueuelen 1000  (IPIP Tunnel)',
    ]);
  });

  it.each([
    ['eth1', 'eth10', -1],
    ['eth2', 'eth10', -1],
    ['eth10', 'eth2', 1],
    ['eth0:1', 'eth0:2', -1],
    ['lo', 'eth0', 1],
    ['cali20e9b05e2d6', 'cali957267df2c7', -1],
  ])('nstrcmp(%j, %j) has sign %d', (a, b, sign) => {
    expect(Math.sign(nstrcmp(a, b))).toBe(sign);
  });

  it('parses the display command lines', () => {
    expect(parseIfconfigArgs(['-a'])).toEqual({ ok: true, cmd: { all: true, iface: undefined } });
    expect(parseIfconfigArgs(['eth0', 'up']).ok).toBe(false);
  });
});

describe('busybox ifconfig (seed 003)', () => {
  it('prints a pod eth0 and lo as in seed 003', () => {
    const eth0: NetInterface = {
      name: 'eth0',
      flags: UP_RUNNING,
      mtu: 1440,
      hwType: 'ether',
      mac: '92:7e:c4:15:b9:82',
      ipv4: { addr: ip('192.168.49.66'), netmask: ip('255.255.255.255'), broadcast: ip('192.168.49.66') },
      txqueuelen: 0,
      stats: { rxPackets: 5, rxBytes: 446, txPackets: 0, txBytes: 0 },
    };
    const lo: NetInterface = { ...POD_LO, stats: { rxPackets: 0, rxBytes: 0, txPackets: 0, txBytes: 0 } };
    const tunl0: NetInterface = {
      name: 'tunl0',
      flags: ifaceFlags({ noarp: true }),
      mtu: 1480,
      hwType: 'tunnel',
      txqueuelen: 1000,
      stats: { rxPackets: 0, rxBytes: 0, txPackets: 0, txBytes: 0 },
    };
    expect(ifconfig('busybox', [lo, tunl0, eth0], { all: false }).stdout).toBe(
      lines(
        'eth0      Link encap:Ethernet  HWaddr 92:7E:C4:15:B9:82  ',
        '          inet addr:192.168.49.66  Bcast:192.168.49.66  Mask:255.255.255.255',
        '          UP BROADCAST RUNNING MULTICAST  MTU:1440  Metric:1',
        '          RX packets:5 errors:0 dropped:0 overruns:0 frame:0',
        '          TX packets:0 errors:0 dropped:0 overruns:0 carrier:0',
        '          collisions:0 txqueuelen:0 ',
        '          RX bytes:446 (446.0 B)  TX bytes:0 (0.0 B)',
        '',
        'lo        Link encap:Local Loopback  ',
        '          inet addr:127.0.0.1  Mask:255.0.0.0',
        '          UP LOOPBACK RUNNING  MTU:65536  Metric:1',
        '          RX packets:0 errors:0 dropped:0 overruns:0 frame:0',
        '          TX packets:0 errors:0 dropped:0 overruns:0 carrier:0',
        '          collisions:0 txqueuelen:1000 ',
        '          RX bytes:0 (0.0 B)  TX bytes:0 (0.0 B)',
        '',
      ),
    );
    expect(formatBusyboxIface(tunl0).split('\n').slice(0, 2)).toEqual([
      'tunl0     Link encap:UNSPEC  HWaddr 00-00-00-00-00-00-00-00-00-00-00-00-00-00-00-00  ',
      '          NOARP  MTU:1480  Metric:1',
    ]);
    expect(ifconfig('busybox', [lo], { all: false, iface: 'eth9' }).stderr).toBe(
      'ifconfig: eth9: error fetching interface information: Device not found\n',
    );
  });

  it('scales bytes from 1024 on, with one truncated decimal', () => {
    const i: NetInterface = { ...POD_LO, stats: { rxPackets: 1, rxBytes: 1024, txPackets: 1, txBytes: 1536 + 1048576 * 3 } };
    expect(formatBusyboxIface(i)).toContain('RX bytes:1024 (1.0 KiB)  TX bytes:3147264 (3.0 MiB)');
    expect(IFF.RUNNING).toBe(0x40);
  });
});

describe('arp', () => {
  const HOST_ARP: ProcArpEntry[] = [
    { ip: ip('10.23.14.111'), hwType: 1, flags: 0x6, mac: '00:50:56:a9:85:40', dev: 'cali12345678901' },
    { ip: ip('10.233.133.2'), hwType: 1, flags: 0x2, mac: '4a:8d:0e:93:6a:39', dev: 'cali12345678901' },
    { ip: ip('10.23.14.113'), hwType: 1, flags: 0x0, mac: '00:00:00:00:00:00', dev: 'cali12345678901' },
  ];
  const POD_ARP: ProcArpEntry[] = [{ ip: ip('169.254.1.1'), hwType: 1, flags: 0x2, mac: 'ee:ee:ee:ee:ee:ee', dev: 'eth0' }];
  const n = (args: string[]) => {
    const r = parseArpArgs(args);
    if (!r.ok) throw new Error('bad args');
    return r.cmd;
  };

  it('net-tools arp -n and arp -a (checked on a real kernel)', () => {
    expect(arpNetTools(POD_ARP, n(['-n'])).stdout).toBe(
      lines(
        'Address                  HWtype  HWaddress           Flags Mask            Iface',
        '169.254.1.1              ether   ee:ee:ee:ee:ee:ee   C                     eth0',
      ),
    );
    expect(arpNetTools(POD_ARP, n(['-a'])).stdout).toBe('? (169.254.1.1) at ee:ee:ee:ee:ee:ee [ether] on eth0\n');
    expect(arpNetTools(HOST_ARP, n(['-n'])).stdout).toBe(
      lines(
        'Address                  HWtype  HWaddress           Flags Mask            Iface',
        '10.23.14.111             ether   00:50:56:a9:85:40   CM                    cali12345678901',
        '10.233.133.2             ether   4a:8d:0e:93:6a:39   C                     cali12345678901',
        '10.23.14.113                     (incomplete)                              cali12345678901',
      ),
    );
    expect(arpNetTools(HOST_ARP, n(['-a'])).stdout).toBe(
      lines(
        '? (10.23.14.111) at 00:50:56:a9:85:40 [ether] PERM on cali12345678901',
        '? (10.233.133.2) at 4a:8d:0e:93:6a:39 [ether] on cali12345678901',
        '? (10.23.14.113) at <incomplete> on cali12345678901',
      ),
    );
  });

  it('net-tools arp with nothing to show', () => {
    expect(arpNetTools([], n(['-n'])).stdout).toBe('');
    expect(arpNetTools(HOST_ARP, n(['-n', '10.9.9.9'])).stdout).toBe('10.9.9.9 (10.9.9.9) -- no entry\n');
    expect(arpNetTools(HOST_ARP, n(['-n', '-i', 'nosuch'])).stdout).toBe('arp: in 3 entries no match found.\n');
  });

  it('busybox arp (seed 003)', () => {
    expect(arpBusybox(POD_ARP, n([])).stdout).toBe('? (169.254.1.1) at ee:ee:ee:ee:ee:ee [ether]  on eth0\n');
    expect(arpBusybox([], n([])).stdout).toBe('');
    expect(arpBusybox([{ ...POD_ARP[0], flags: ATF.COM | ATF.PERM }], n(['-n'])).stdout).toBe(
      '? (169.254.1.1) at ee:ee:ee:ee:ee:ee [ether] PERM on eth0\n',
    );
    expect(arpBusybox([{ ...POD_ARP[0], flags: 0 }], n(['-n'])).stdout).toBe('? (169.254.1.1) at <incomplete>  on eth0\n');
  });

  it('maps neighbour states to /proc/net/arp flags as the kernel does', () => {
    expect(arpFlagsFor('PERMANENT')).toBe(0x6);
    expect(arpFlagsFor('STALE')).toBe(0x2);
    expect(arpFlagsFor('INCOMPLETE')).toBe(0);
    expect(arpFlagsFor('FAILED')).toBe(0);
  });
});
