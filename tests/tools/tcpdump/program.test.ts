// Tests for src/tools/tcpdump/program.ts: whose `-n` names ports, and the Red Hat flavour's `.http`
// of seed 002 printed with the services table.

import { parseIpv4 } from '../../../src/model/addr.js';
import { encodeEthernet, EtherType } from '../../../src/model/wire/ethernet.js';
import { encodeIpv4, IpProtocol } from '../../../src/model/wire/ipv4.js';
import { encodeTcp, tcpFlags } from '../../../src/model/wire/tcp.js';
import { TcpdumpPrinter } from '../../../src/tools/tcpdump/print.js';
import { SERVICE_NAMES, tcpdumpNamesPorts } from '../../../src/tools/tcpdump/program.js';

const ip = (s: string): number => parseIpv4(s)!;

describe('tcpdumpNamesPorts', () => {
  it.each([
    [0, 'upstream', true],
    [1, 'upstream', false],
    [2, 'upstream', false],
    [0, 'redhat', true],
    [1, 'redhat', true],
    [2, 'redhat', false],
  ] as const)('%d × -n on %s: %s', (n, flavour, named) => {
    expect(tcpdumpNamesPorts(n, flavour)).toBe(named);
  });
});

/** SYN is seed 002's first frame: the pod's SYN to port 80 as node3's ens192 saw it. */
const SYN = encodeEthernet(
  { src: '00:50:56:95:8d:20', dst: '00:50:56:95:58:0c', ethertype: EtherType.Ipv4 },
  encodeIpv4(
    {
      src: ip('10.8.112.2'),
      dst: ip('10.8.152.200'),
      protocol: IpProtocol.Tcp,
      ttl: 63,
      ident: 1,
      tos: 0,
      dontFrag: true,
      moreFrags: false,
      fragOffset: 0,
    },
    encodeTcp(
      {
        srcPort: 48854,
        dstPort: 80,
        seq: 3431499015,
        ack: 0,
        flags: tcpFlags({ syn: true }),
        window: 29200,
        urgent: 0,
        options: [
          { kind: 'mss', value: 1460 },
          { kind: 'sack-permitted' },
          { kind: 'timestamp', tsval: 2973023234, tsecr: 0 },
          { kind: 'nop' },
          { kind: 'window-scale', shift: 7 },
        ],
      },
      new Uint8Array(0),
      ip('10.8.112.2'),
      ip('10.8.152.200'),
    ),
  ),
);

describe('port names', () => {
  it('prints seed 002 line with the services table (Red Hat tcpdump -n)', () => {
    expect(new TcpdumpPrinter({ portNames: SERVICE_NAMES }).print(SYN)).toBe(
      '00:50:56:95:8d:20 > 00:50:56:95:58:0c, ethertype IPv4 (0x0800), length 74: 10.8.112.2.48854 > 10.8.152.200.http: Flags [S], seq 3431499015, win 29200, options [mss 1460,sackOK,TS val 2973023234 ecr 0,nop,wscale 7], length 0',
    );
  });

  it('prints numbers without it (upstream -n, any -nn)', () => {
    expect(new TcpdumpPrinter().print(SYN)).toContain('10.8.112.2.48854 > 10.8.152.200.80: Flags [S]');
  });
});
