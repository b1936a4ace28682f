// Tests for the `tcpdump -n -e -t` line printer (tcpdump(8) 4.99): golden lines from a real capture
// and from frames built with the wire encoders, and differential runs against the tcpdump binary.

import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { writePcap, type PcapFrame } from '../../../cli/pcap.js';
import { TcpdumpPrinter } from '../../../src/tools/tcpdump/print.js';
import { parseIpv4, type Mac } from '../../../src/model/addr.js';
import { ArpOp, encodeArp, type ArpRepr } from '../../../src/model/wire/arp.js';
import { encodeEthernet, EtherType } from '../../../src/model/wire/ethernet.js';
import { encodeIcmp, type IcmpRepr } from '../../../src/model/wire/icmp.js';
import { encodeIpv4, IpProtocol, type Ipv4Repr } from '../../../src/model/wire/ipv4.js';
import { encodeTcp, tcpFlags, type TcpFlags, type TcpOption } from '../../../src/model/wire/tcp.js';
import { encodeUdp } from '../../../src/model/wire/udp.js';
import { encodeVxlan, VXLAN_PORT } from '../../../src/model/wire/vxlan.js';
import {
  arbArpRepr,
  arbIcmpRepr,
  arbIpv4Repr,
  arbMac,
  arbPayload,
  arbTcpFlags,
  arbTcpOption,
  arbU16,
  arbU32,
  canonicalTcpOptions,
  hexBytes,
  tcpOptionLength,
} from '../../model/wire/arbitraries.js';
import { CAPTURE } from '../../model/wire/captured.js';

const TCPDUMP = '/usr/bin/tcpdump';
const haveTcpdump = existsSync(TCPDUMP);
const oracleRequired = process.env.CALISIM_KERNEL_TESTS === '1';
if (!haveTcpdump && !oracleRequired) console.log('tcpdump oracle skipped: tcpdump not installed');
/** oracleIt runs a test that needs the tcpdump binary; without it the test fails when required, else is skipped. */
const oracleIt = haveTcpdump || oracleRequired ? it : it.skip;

/** runTcpdump writes the frames to one savefile and returns the lines `tcpdump -n -e -t -r` prints. */
function runTcpdump(frames: PcapFrame[]): string[] {
  if (!haveTcpdump) throw new Error(`CALISIM_KERNEL_TESTS=1 but ${TCPDUMP} is not installed`);
  const dir = mkdtempSync(join(tmpdir(), 'calisim-tcpdump-'));
  try {
    const file = join(dir, 'frames.pcap');
    writeFileSync(file, writePcap(frames));
    const out = execFileSync(TCPDUMP, ['-n', '-e', '-t', '-r', file], {
      encoding: 'latin1',
      stdio: ['ignore', 'pipe', 'pipe'],
      maxBuffer: 64 * 1024 * 1024,
    });
    return out.endsWith('\n') ? out.slice(0, -1).split('\n') : out.split('\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** printAll prints the frames in order with one printer, as one tcpdump run would, split into lines. */
function printAll(frames: PcapFrame[]): string[] {
  const printer = new TcpdumpPrinter();
  return frames.flatMap((f) => printer.print(f.data, f.origLen).split('\n'));
}

const toPcap = (frames: { data: Uint8Array; origLen?: number }[]): PcapFrame[] =>
  frames.map((f, i) => ({ tsMicros: 1_000_000 + i * 1000, data: f.data, origLen: f.origLen }));

// --- Frame builders ---

const ip = (s: string): number => {
  const a = parseIpv4(s);
  if (a === null) throw new Error(`bad address ${s}`);
  return a;
};
const POD_MAC = '4a:8d:0e:93:6a:39';
const GW_MAC = 'ee:ee:ee:ee:ee:ee';
const BROADCAST = 'ff:ff:ff:ff:ff:ff';
const ZERO_MAC = '00:00:00:00:00:00';

function eth(src: Mac, dst: Mac, ethertype: number, payload: Uint8Array): Uint8Array {
  return encodeEthernet({ dst, src, ethertype }, payload);
}

function ipv4(src: string, dst: string, protocol: number, payload: Uint8Array, over: Partial<Ipv4Repr> = {}): Uint8Array {
  const repr: Ipv4Repr = {
    src: ip(src),
    dst: ip(dst),
    protocol,
    ttl: 64,
    ident: 0x1234,
    tos: 0,
    dontFrag: true,
    moreFrags: false,
    fragOffset: 0,
    ...over,
  };
  return encodeIpv4(repr, payload);
}

function arp(src: Mac, dst: Mac, repr: Omit<ArpRepr, 'senderIp' | 'targetIp'> & { senderIp: string; targetIp: string }): Uint8Array {
  return eth(src, dst, EtherType.Arp, encodeArp({ ...repr, senderIp: ip(repr.senderIp), targetIp: ip(repr.targetIp) }));
}

function icmp(src: string, dst: string, repr: IcmpRepr, macs: [Mac, Mac] = [POD_MAC, GW_MAC]): Uint8Array {
  return eth(macs[0], macs[1], EtherType.Ipv4, ipv4(src, dst, IpProtocol.Icmp, encodeIcmp(repr)));
}

interface Segment {
  src: string;
  dst: string;
  sport: number;
  dport: number;
  seq: number;
  ack?: number;
  flags: Partial<TcpFlags>;
  window?: number;
  urgent?: number;
  options?: TcpOption[];
  payload?: Uint8Array;
  macs?: [Mac, Mac];
}

function tcp(s: Segment): Uint8Array {
  const segment = encodeTcp(
    {
      srcPort: s.sport,
      dstPort: s.dport,
      seq: s.seq,
      ack: s.ack ?? 0,
      flags: tcpFlags(s.flags),
      window: s.window ?? 502,
      urgent: s.urgent ?? 0,
      options: s.options ?? [],
    },
    s.payload ?? new Uint8Array(0),
    ip(s.src),
    ip(s.dst),
  );
  const [srcMac, dstMac] = s.macs ?? [POD_MAC, GW_MAC];
  return eth(srcMac, dstMac, EtherType.Ipv4, ipv4(s.src, s.dst, IpProtocol.Tcp, segment));
}

function udp(src: string, dst: string, sport: number, dport: number, payload: Uint8Array): Uint8Array {
  return eth(
    POD_MAC,
    GW_MAC,
    EtherType.Ipv4,
    ipv4(src, dst, IpProtocol.Udp, encodeUdp({ srcPort: sport, dstPort: dport }, payload, ip(src), ip(dst))),
  );
}

function vxlan(inner: Uint8Array, vni = 4096, sport = 51234): Uint8Array {
  const outer = encodeUdp({ srcPort: sport, dstPort: VXLAN_PORT }, encodeVxlan({ vni }, inner), ip('172.17.0.32'), ip('172.17.0.40'));
  return eth('02:42:ac:11:00:20', '02:42:ac:11:00:28', EtherType.Ipv4, ipv4('172.17.0.32', '172.17.0.40', IpProtocol.Udp, outer));
}

const text = (s: string): Uint8Array => new TextEncoder().encode(s);
const ping64 = Uint8Array.from({ length: 56 }, (_, i) => i);
const echoRequest: IcmpRepr = { type: 'echo-request', ident: 12, seq: 1, data: ping64 };
/** originalEcho is the datagram an ICMP error quotes: an echo request from the pod to 10.0.0.2. */
const originalEcho = ipv4('10.233.133.2', '10.0.0.2', IpProtocol.Icmp, encodeIcmp(echoRequest));
const originalUdp = ipv4(
  '10.233.133.2',
  '10.0.0.2',
  IpProtocol.Udp,
  encodeUdp({ srcPort: 40000, dstPort: 53 }, text('q'), ip('10.233.133.2'), ip('10.0.0.2')),
);
const originalTcp = ipv4(
  '10.233.133.2',
  '10.0.0.2',
  IpProtocol.Tcp,
  encodeTcp(
    { srcPort: 40000, dstPort: 443, seq: 1, ack: 0, flags: tcpFlags({ syn: true }), window: 1, urgent: 0, options: [] },
    new Uint8Array(0),
    ip('10.233.133.2'),
    ip('10.0.0.2'),
  ),
);
const unreachable = (code: number, invoking: Uint8Array, nextHopMtu?: number): Uint8Array =>
  icmp(
    '10.233.133.1',
    '10.233.133.2',
    nextHopMtu === undefined ? { type: 'dest-unreachable', code, invoking } : { type: 'dest-unreachable', code, nextHopMtu, invoking },
    [GW_MAC, POD_MAC],
  );

const C = '10.8.112.2';
const S = '10.8.152.200';
const ISN_C = 3431499015;
const ISN_S = 1000000;
const synOptions: TcpOption[] = [
  { kind: 'mss', value: 1460 },
  { kind: 'sack-permitted' },
  { kind: 'timestamp', tsval: 2973023234, tsecr: 0 },
  { kind: 'nop' },
  { kind: 'window-scale', shift: 7 },
];
const ts = (tsval: number, tsecr: number): TcpOption[] => [{ kind: 'nop' }, { kind: 'nop' }, { kind: 'timestamp', tsval, tsecr }];
const VM = ['00:50:56:95:8d:20', '00:50:56:95:58:0c'] as [Mac, Mac];
const VM_BACK = [VM[1], VM[0]] as [Mac, Mac];
const httpGet = text('GET / HTTP/1.1\r\nHost: 10.8.152.200:80\r\nUser-Agent: curl/8.5.0\r\nAccept: */*\r\n\r\n');
const httpOk = text('HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n');

const padded = (frame: Uint8Array, size: number): Uint8Array => {
  const out = new Uint8Array(size);
  out.set(frame);
  return out;
};
const withByte = (frame: Uint8Array, at: number, value: number): Uint8Array => {
  const out = frame.slice();
  out[at] = value;
  return out;
};

interface Golden {
  name: string;
  data: Uint8Array;
  origLen?: number;
  expected: string;
}

/** GOLDEN frames are printed in this order by one printer (TCP lines rely on the conversation before them). */
const GOLDEN: Golden[] = [
  {
    name: 'ARP request to the broadcast address',
    data: arp(POD_MAC, BROADCAST, {
      op: ArpOp.Request,
      senderMac: POD_MAC,
      senderIp: '10.233.133.2',
      targetMac: ZERO_MAC,
      targetIp: '169.254.1.1',
    }),
    expected:
      '4a:8d:0e:93:6a:39 > ff:ff:ff:ff:ff:ff, ethertype ARP (0x0806), length 42: Request who-has 169.254.1.1 tell 10.233.133.2, length 28',
  },
  {
    name: 'ARP request unicast to the cached gateway (as the brief shows it)',
    data: arp(POD_MAC, GW_MAC, {
      op: ArpOp.Request,
      senderMac: POD_MAC,
      senderIp: '10.233.133.2',
      targetMac: ZERO_MAC,
      targetIp: '169.254.1.1',
    }),
    expected:
      '4a:8d:0e:93:6a:39 > ee:ee:ee:ee:ee:ee, ethertype ARP (0x0806), length 42: Request who-has 169.254.1.1 tell 10.233.133.2, length 28',
  },
  {
    name: 'ARP probe that names the target MAC',
    data: arp(POD_MAC, GW_MAC, {
      op: ArpOp.Request,
      senderMac: POD_MAC,
      senderIp: '10.233.133.2',
      targetMac: GW_MAC,
      targetIp: '169.254.1.1',
    }),
    expected:
      '4a:8d:0e:93:6a:39 > ee:ee:ee:ee:ee:ee, ethertype ARP (0x0806), length 42: Request who-has 169.254.1.1 (ee:ee:ee:ee:ee:ee) tell 10.233.133.2, length 28',
  },
  {
    name: 'ARP reply',
    data: arp(GW_MAC, POD_MAC, {
      op: ArpOp.Reply,
      senderMac: GW_MAC,
      senderIp: '169.254.1.1',
      targetMac: POD_MAC,
      targetIp: '10.233.133.2',
    }),
    expected:
      'ee:ee:ee:ee:ee:ee > 4a:8d:0e:93:6a:39, ethertype ARP (0x0806), length 42: Reply 169.254.1.1 is-at ee:ee:ee:ee:ee:ee, length 28',
  },
  {
    name: 'gratuitous ARP request (tcpdump 4.99 has no "Announcement")',
    data: arp(POD_MAC, BROADCAST, {
      op: ArpOp.Request,
      senderMac: POD_MAC,
      senderIp: '10.233.133.2',
      targetMac: ZERO_MAC,
      targetIp: '10.233.133.2',
    }),
    expected:
      '4a:8d:0e:93:6a:39 > ff:ff:ff:ff:ff:ff, ethertype ARP (0x0806), length 42: Request who-has 10.233.133.2 tell 10.233.133.2, length 28',
  },
  {
    name: 'gratuitous ARP reply',
    data: arp(POD_MAC, BROADCAST, {
      op: ArpOp.Reply,
      senderMac: POD_MAC,
      senderIp: '10.233.133.2',
      targetMac: BROADCAST,
      targetIp: '10.233.133.2',
    }),
    expected:
      '4a:8d:0e:93:6a:39 > ff:ff:ff:ff:ff:ff, ethertype ARP (0x0806), length 42: Reply 10.233.133.2 is-at 4a:8d:0e:93:6a:39, length 28',
  },
  {
    name: 'ARP padded to the 60-byte minimum frame',
    data: padded(
      arp(POD_MAC, BROADCAST, {
        op: ArpOp.Request,
        senderMac: POD_MAC,
        senderIp: '10.233.133.2',
        targetMac: ZERO_MAC,
        targetIp: '169.254.1.1',
      }),
      60,
    ),
    expected:
      '4a:8d:0e:93:6a:39 > ff:ff:ff:ff:ff:ff, ethertype ARP (0x0806), length 60: Request who-has 169.254.1.1 tell 10.233.133.2, length 46',
  },
  {
    name: 'ARP cut short',
    data: arp(POD_MAC, BROADCAST, {
      op: ArpOp.Request,
      senderMac: POD_MAC,
      senderIp: '10.233.133.2',
      targetMac: ZERO_MAC,
      targetIp: '169.254.1.1',
    }).subarray(0, 34),
    expected: '4a:8d:0e:93:6a:39 > ff:ff:ff:ff:ff:ff, ethertype ARP (0x0806), length 34:  [|arp]',
  },
  {
    name: 'ICMP echo request',
    data: icmp('10.233.133.2', '10.233.133.3', echoRequest),
    expected:
      '4a:8d:0e:93:6a:39 > ee:ee:ee:ee:ee:ee, ethertype IPv4 (0x0800), length 98: 10.233.133.2 > 10.233.133.3: ICMP echo request, id 12, seq 1, length 64',
  },
  {
    name: 'ICMP echo reply',
    data: icmp('10.233.133.3', '10.233.133.2', { ...echoRequest, type: 'echo-reply' }, [GW_MAC, POD_MAC]),
    expected:
      'ee:ee:ee:ee:ee:ee > 4a:8d:0e:93:6a:39, ethertype IPv4 (0x0800), length 98: 10.233.133.3 > 10.233.133.2: ICMP echo reply, id 12, seq 1, length 64',
  },
  {
    name: 'ICMP time exceeded in transit, quoting the whole echo as Linux does',
    data: icmp('10.233.133.1', '10.233.133.2', { type: 'time-exceeded', code: 0, invoking: originalEcho }, [GW_MAC, POD_MAC]),
    expected:
      'ee:ee:ee:ee:ee:ee > 4a:8d:0e:93:6a:39, ethertype IPv4 (0x0800), length 126: 10.233.133.1 > 10.233.133.2: ICMP time exceeded in-transit, length 92',
  },
  {
    name: 'ICMP reassembly time exceeded, quoting header and 8 bytes as RFC 792 does',
    data: icmp('10.233.133.1', '10.233.133.2', { type: 'time-exceeded', code: 1, invoking: originalEcho.subarray(0, 28) }, [
      GW_MAC,
      POD_MAC,
    ]),
    expected:
      'ee:ee:ee:ee:ee:ee > 4a:8d:0e:93:6a:39, ethertype IPv4 (0x0800), length 70: 10.233.133.1 > 10.233.133.2: ICMP ip reassembly time exceeded, length 36',
  },
  {
    name: 'ICMP net unreachable',
    data: unreachable(0, originalEcho.subarray(0, 28)),
    expected:
      'ee:ee:ee:ee:ee:ee > 4a:8d:0e:93:6a:39, ethertype IPv4 (0x0800), length 70: 10.233.133.1 > 10.233.133.2: ICMP net 10.0.0.2 unreachable, length 36',
  },
  {
    name: 'ICMP host unreachable',
    data: unreachable(1, originalEcho),
    expected:
      'ee:ee:ee:ee:ee:ee > 4a:8d:0e:93:6a:39, ethertype IPv4 (0x0800), length 126: 10.233.133.1 > 10.233.133.2: ICMP host 10.0.0.2 unreachable, length 92',
  },
  {
    name: 'ICMP protocol unreachable',
    data: unreachable(2, originalEcho.subarray(0, 28)),
    expected:
      'ee:ee:ee:ee:ee:ee > 4a:8d:0e:93:6a:39, ethertype IPv4 (0x0800), length 70: 10.233.133.1 > 10.233.133.2: ICMP 10.0.0.2 protocol 1 unreachable, length 36',
  },
  {
    name: 'ICMP UDP port unreachable',
    data: unreachable(3, originalUdp),
    expected:
      'ee:ee:ee:ee:ee:ee > 4a:8d:0e:93:6a:39, ethertype IPv4 (0x0800), length 71: 10.233.133.1 > 10.233.133.2: ICMP 10.0.0.2 udp port 53 unreachable, length 37',
  },
  {
    name: 'ICMP TCP port unreachable',
    data: unreachable(3, originalTcp.subarray(0, 28)),
    expected:
      'ee:ee:ee:ee:ee:ee > 4a:8d:0e:93:6a:39, ethertype IPv4 (0x0800), length 70: 10.233.133.1 > 10.233.133.2: ICMP 10.0.0.2 tcp port 443 unreachable, length 36',
  },
  {
    name: 'ICMP fragmentation needed with the next-hop MTU (RFC 1191)',
    data: unreachable(4, originalEcho, 1450),
    expected:
      'ee:ee:ee:ee:ee:ee > 4a:8d:0e:93:6a:39, ethertype IPv4 (0x0800), length 126: 10.233.133.1 > 10.233.133.2: ICMP 10.0.0.2 unreachable - need to frag (mtu 1450), length 92',
  },
  {
    name: 'ICMP fragmentation needed from an RFC 792 router (MTU 0)',
    data: unreachable(4, originalEcho.subarray(0, 28), 0),
    expected:
      'ee:ee:ee:ee:ee:ee > 4a:8d:0e:93:6a:39, ethertype IPv4 (0x0800), length 70: 10.233.133.1 > 10.233.133.2: ICMP 10.0.0.2 unreachable - need to frag, length 36',
  },
  {
    name: 'ICMP administratively prohibited (Linux "prohibit" route)',
    data: unreachable(13, originalEcho.subarray(0, 28)),
    expected:
      'ee:ee:ee:ee:ee:ee > 4a:8d:0e:93:6a:39, ethertype IPv4 (0x0800), length 70: 10.233.133.1 > 10.233.133.2: ICMP host 10.0.0.2 unreachable - admin prohibited filter, length 36',
  },
  {
    name: 'ICMP error quoting too little to name the destination',
    data: unreachable(1, originalEcho.subarray(0, 10)),
    expected: 'ee:ee:ee:ee:ee:ee > 4a:8d:0e:93:6a:39, ethertype IPv4 (0x0800), length 52: 10.233.133.1 > 10.233.133.2:  [|icmp]',
  },
  {
    name: 'TCP SYN (as the brief shows it)',
    data: tcp({ src: C, dst: S, sport: 48854, dport: 80, seq: ISN_C, flags: { syn: true }, window: 29200, options: synOptions, macs: VM }),
    expected:
      '00:50:56:95:8d:20 > 00:50:56:95:58:0c, ethertype IPv4 (0x0800), length 74: 10.8.112.2.48854 > 10.8.152.200.80: Flags [S], seq 3431499015, win 29200, options [mss 1460,sackOK,TS val 2973023234 ecr 0,nop,wscale 7], length 0',
  },
  {
    name: 'TCP SYN-ACK: absolute numbers, and the start of relative ones',
    data: tcp({
      src: S,
      dst: C,
      sport: 80,
      dport: 48854,
      seq: ISN_S,
      ack: ISN_C + 1,
      flags: { syn: true, ack: true },
      window: 28960,
      options: [
        { kind: 'mss', value: 1460 },
        { kind: 'sack-permitted' },
        { kind: 'timestamp', tsval: 7, tsecr: 2973023234 },
        { kind: 'nop' },
        { kind: 'window-scale', shift: 7 },
      ],
      macs: VM_BACK,
    }),
    expected:
      '00:50:56:95:58:0c > 00:50:56:95:8d:20, ethertype IPv4 (0x0800), length 74: 10.8.152.200.80 > 10.8.112.2.48854: Flags [S.], seq 1000000, ack 3431499016, win 28960, options [mss 1460,sackOK,TS val 7 ecr 2973023234,nop,wscale 7], length 0',
  },
  {
    name: 'TCP ACK completing the handshake',
    data: tcp({
      src: C,
      dst: S,
      sport: 48854,
      dport: 80,
      seq: ISN_C + 1,
      ack: ISN_S + 1,
      flags: { ack: true },
      window: 229,
      options: ts(2973023235, 7),
      macs: VM,
    }),
    expected:
      '00:50:56:95:8d:20 > 00:50:56:95:58:0c, ethertype IPv4 (0x0800), length 66: 10.8.112.2.48854 > 10.8.152.200.80: Flags [.], ack 1, win 229, options [nop,nop,TS val 2973023235 ecr 7], length 0',
  },
  {
    name: 'TCP request with HTTP decoding on port 80',
    data: tcp({
      src: C,
      dst: S,
      sport: 48854,
      dport: 80,
      seq: ISN_C + 1,
      ack: ISN_S + 1,
      flags: { psh: true, ack: true },
      window: 229,
      options: ts(2973023235, 7),
      payload: httpGet,
      macs: VM,
    }),
    expected:
      '00:50:56:95:8d:20 > 00:50:56:95:58:0c, ethertype IPv4 (0x0800), length 144: 10.8.112.2.48854 > 10.8.152.200.80: Flags [P.], seq 1:79, ack 1, win 229, options [nop,nop,TS val 2973023235 ecr 7], length 78: HTTP: GET / HTTP/1.1',
  },
  {
    name: 'TCP response',
    data: tcp({
      src: S,
      dst: C,
      sport: 80,
      dport: 48854,
      seq: ISN_S + 1,
      ack: ISN_C + 79,
      flags: { psh: true, ack: true },
      window: 227,
      options: ts(8, 2973023235),
      payload: httpOk,
      macs: VM_BACK,
    }),
    expected:
      '00:50:56:95:58:0c > 00:50:56:95:8d:20, ethertype IPv4 (0x0800), length 104: 10.8.152.200.80 > 10.8.112.2.48854: Flags [P.], seq 1:39, ack 79, win 227, options [nop,nop,TS val 8 ecr 2973023235], length 38: HTTP: HTTP/1.1 200 OK',
  },
  {
    name: 'TCP ACK carrying a SACK block, printed relative',
    data: tcp({
      src: C,
      dst: S,
      sport: 48854,
      dport: 80,
      seq: ISN_C + 79,
      ack: ISN_S + 1,
      flags: { ack: true },
      window: 229,
      options: [{ kind: 'nop' }, { kind: 'nop' }, { kind: 'unknown', code: 5, data: hexBytes('000f4245 000f4250') }],
      macs: VM,
    }),
    expected:
      '00:50:56:95:8d:20 > 00:50:56:95:58:0c, ethertype IPv4 (0x0800), length 66: 10.8.112.2.48854 > 10.8.152.200.80: Flags [.], ack 1, win 229, options [nop,nop,sack 1 {5:16}], length 0',
  },
  {
    name: 'TCP FIN from the server',
    data: tcp({
      src: S,
      dst: C,
      sport: 80,
      dport: 48854,
      seq: ISN_S + 39,
      ack: ISN_C + 79,
      flags: { fin: true, ack: true },
      window: 227,
      macs: VM_BACK,
    }),
    expected:
      '00:50:56:95:58:0c > 00:50:56:95:8d:20, ethertype IPv4 (0x0800), length 54: 10.8.152.200.80 > 10.8.112.2.48854: Flags [F.], seq 39, ack 79, win 227, length 0',
  },
  {
    name: 'TCP FIN from the client',
    data: tcp({
      src: C,
      dst: S,
      sport: 48854,
      dport: 80,
      seq: ISN_C + 79,
      ack: ISN_S + 40,
      flags: { fin: true, ack: true },
      window: 229,
      macs: VM,
    }),
    expected:
      '00:50:56:95:8d:20 > 00:50:56:95:58:0c, ethertype IPv4 (0x0800), length 54: 10.8.112.2.48854 > 10.8.152.200.80: Flags [F.], seq 79, ack 40, win 229, length 0',
  },
  {
    name: 'TCP RST without ACK keeps the absolute sequence number',
    data: tcp({ src: C, dst: S, sport: 48854, dport: 80, seq: ISN_C + 80, flags: { rst: true }, window: 0, macs: VM }),
    expected:
      '00:50:56:95:8d:20 > 00:50:56:95:58:0c, ethertype IPv4 (0x0800), length 54: 10.8.112.2.48854 > 10.8.152.200.80: Flags [R], seq 3431499095, win 0, length 0',
  },
  {
    name: 'TCP RST-ACK from a closed port: a new conversation, printed absolute',
    data: tcp({
      src: S,
      dst: C,
      sport: 5001,
      dport: 40182,
      seq: 0,
      ack: 422382042,
      flags: { rst: true, ack: true },
      window: 0,
      macs: VM_BACK,
    }),
    expected:
      '00:50:56:95:58:0c > 00:50:56:95:8d:20, ethertype IPv4 (0x0800), length 54: 10.8.152.200.5001 > 10.8.112.2.40182: Flags [R.], seq 0, ack 422382042, win 0, length 0',
  },
  {
    name: 'TCP with every flag set',
    data: tcp({
      src: C,
      dst: S,
      sport: 1,
      dport: 2,
      seq: 5,
      ack: 6,
      flags: { fin: true, syn: true, rst: true, psh: true, ack: true, urg: true, ece: true, cwr: true },
      urgent: 3,
    }),
    expected:
      '4a:8d:0e:93:6a:39 > ee:ee:ee:ee:ee:ee, ethertype IPv4 (0x0800), length 54: 10.8.112.2.1 > 10.8.152.200.2: Flags [FSRP.UEW], seq 5, ack 6, win 502, urg 3, length 0',
  },
  {
    name: 'TCP with no flag set',
    data: tcp({ src: C, dst: S, sport: 3, dport: 4, seq: 5, flags: {} }),
    expected:
      '4a:8d:0e:93:6a:39 > ee:ee:ee:ee:ee:ee, ethertype IPv4 (0x0800), length 54: 10.8.112.2.3 > 10.8.152.200.4: Flags [none], win 502, length 0',
  },
  {
    name: 'TCP options with odd lengths and unknown kinds',
    data: tcp({
      src: C,
      dst: S,
      sport: 5,
      dport: 6,
      seq: 5,
      flags: { syn: true },
      options: [
        { kind: 'unknown', code: 99, data: new Uint8Array(0) },
        { kind: 'unknown', code: 100, data: hexBytes('abcd') },
        { kind: 'unknown', code: 3, data: new Uint8Array(0) },
        { kind: 'nop' },
        { kind: 'nop' },
      ],
    }),
    expected:
      // A 2-byte window scale option: tcpdump still reads a shift, from the NOP after it.
      '4a:8d:0e:93:6a:39 > ee:ee:ee:ee:ee:ee, ethertype IPv4 (0x0800), length 66: 10.8.112.2.5 > 10.8.152.200.6: Flags [S], seq 5, win 502, options [unknown-99,unknown-100 0xabcd,wscale 1[len 2],nop,eol], length 0',
  },
  {
    name: 'TCP option tcpdump gives up on',
    data: tcp({
      src: C,
      dst: S,
      sport: 7,
      dport: 8,
      seq: 5,
      flags: { syn: true },
      options: [{ kind: 'unknown', code: 2, data: hexBytes('abcdef') }],
    }),
    expected:
      '4a:8d:0e:93:6a:39 > ee:ee:ee:ee:ee:ee, ethertype IPv4 (0x0800), length 62: 10.8.112.2.7 > 10.8.152.200.8: Flags [S], seq 5, win 502, options [mss 43981[len 5],[bad opt]]',
  },
  {
    name: 'UDP',
    data: udp('10.233.133.2', '10.96.0.10', 40000, 5000, text('ping')),
    expected:
      '4a:8d:0e:93:6a:39 > ee:ee:ee:ee:ee:ee, ethertype IPv4 (0x0800), length 46: 10.233.133.2.40000 > 10.96.0.10.5000: UDP, length 4',
  },
  {
    name: 'UDP whose Length claims more than the datagram holds',
    data: (() => {
      const frame = udp('10.233.133.2', '10.96.0.10', 40000, 5000, text('ping'));
      return withByte(frame, 39, 30);
    })(),
    expected:
      '4a:8d:0e:93:6a:39 > ee:ee:ee:ee:ee:ee, ethertype IPv4 (0x0800), length 46: 10.233.133.2.40000 > 10.96.0.10.5000: UDP, bad length 22 > 4',
  },
  {
    name: 'VXLAN-encapsulated ICMP: the inner frame prints on its own line',
    data: vxlan(icmp('192.168.49.66', '192.168.196.131', echoRequest, ['66:66:66:66:66:01', '66:66:66:66:66:02'])),
    expected:
      '02:42:ac:11:00:20 > 02:42:ac:11:00:28, ethertype IPv4 (0x0800), length 148: 172.17.0.32.51234 > 172.17.0.40.4789: VXLAN, flags [I] (0x08), vni 4096\n' +
      '66:66:66:66:66:01 > 66:66:66:66:66:02, ethertype IPv4 (0x0800), length 98: 192.168.49.66 > 192.168.196.131: ICMP echo request, id 12, seq 1, length 64',
  },
  {
    name: 'VXLAN-encapsulated ARP',
    data: vxlan(
      arp('66:66:66:66:66:01', BROADCAST, {
        op: ArpOp.Request,
        senderMac: '66:66:66:66:66:01',
        senderIp: '192.168.49.66',
        targetMac: ZERO_MAC,
        targetIp: '192.168.49.131',
      }),
      1,
    ),
    expected:
      '02:42:ac:11:00:20 > 02:42:ac:11:00:28, ethertype IPv4 (0x0800), length 92: 172.17.0.32.51234 > 172.17.0.40.4789: VXLAN, flags [I] (0x08), vni 1\n' +
      '66:66:66:66:66:01 > ff:ff:ff:ff:ff:ff, ethertype ARP (0x0806), length 42: Request who-has 192.168.49.131 tell 192.168.49.66, length 28',
  },
  {
    name: 'IPIP-encapsulated ICMP (Calico IPIP mode)',
    data: eth(
      '02:42:ac:11:00:20',
      '02:42:ac:11:00:28',
      EtherType.Ipv4,
      ipv4(
        '172.17.0.32',
        '172.17.0.40',
        IpProtocol.Ipip,
        ipv4('192.168.49.66', '192.168.196.131', IpProtocol.Icmp, encodeIcmp(echoRequest)),
      ),
    ),
    expected:
      '02:42:ac:11:00:20 > 02:42:ac:11:00:28, ethertype IPv4 (0x0800), length 118: 172.17.0.32 > 172.17.0.40: 192.168.49.66 > 192.168.196.131: ICMP echo request, id 12, seq 1, length 64',
  },
  {
    name: 'IPv4 fragment after the first',
    data: eth(
      POD_MAC,
      GW_MAC,
      EtherType.Ipv4,
      ipv4('10.233.133.2', '10.0.0.2', IpProtocol.Udp, new Uint8Array(8), { dontFrag: false, fragOffset: 185 }),
    ),
    expected: '4a:8d:0e:93:6a:39 > ee:ee:ee:ee:ee:ee, ethertype IPv4 (0x0800), length 42: 10.233.133.2 > 10.0.0.2: ip-proto-17',
  },
  {
    name: 'IPv4 protocol tcpdump does not decode',
    data: eth(POD_MAC, GW_MAC, EtherType.Ipv4, ipv4('10.233.133.2', '10.0.0.2', 99, new Uint8Array(8))),
    expected: '4a:8d:0e:93:6a:39 > ee:ee:ee:ee:ee:ee, ethertype IPv4 (0x0800), length 42: 10.233.133.2 > 10.0.0.2:  ip-proto-99 8',
  },
  {
    name: 'IPv4 datagram longer than the frame',
    data: icmp('10.233.133.2', '10.233.133.3', echoRequest).subarray(0, 54),
    expected:
      '4a:8d:0e:93:6a:39 > ee:ee:ee:ee:ee:ee, ethertype IPv4 (0x0800), length 54: truncated-ip - 44 bytes missing! 10.233.133.2 > 10.233.133.3: ICMP echo request, id 12, seq 1, length 64',
  },
  {
    name: 'IPv6 version nibble under the IPv4 EtherType',
    data: withByte(icmp('10.233.133.2', '10.233.133.3', echoRequest), 14, 0x65),
    expected: '4a:8d:0e:93:6a:39 > ee:ee:ee:ee:ee:ee, ethertype IPv4 (0x0800), length 98: IP6, wrong link-layer encapsulation (invalid)',
  },
  {
    name: 'IPv4 header length below 20',
    data: withByte(icmp('10.233.133.2', '10.233.133.3', echoRequest), 14, 0x44),
    expected: '4a:8d:0e:93:6a:39 > ee:ee:ee:ee:ee:ee, ethertype IPv4 (0x0800), length 98: bad-hlen 16',
  },
  {
    name: 'unknown EtherType: a hex and ASCII dump',
    data: eth(POD_MAC, GW_MAC, 0x1234, text('calisim-payload!xyz')),
    expected:
      '4a:8d:0e:93:6a:39 > ee:ee:ee:ee:ee:ee, ethertype Unknown (0x1234), length 33: \n' +
      '\t0x0000:  6361 6c69 7369 6d2d 7061 796c 6f61 6421  calisim-payload!\n' +
      '\t0x0010:  7879 7a                                  xyz',
  },
  {
    name: '802.1Q-tagged ARP',
    data: eth(
      POD_MAC,
      BROADCAST,
      0x8100,
      Uint8Array.from([
        0xf0,
        0x64,
        0x08,
        0x06,
        ...encodeArp({ op: 1, senderMac: POD_MAC, senderIp: ip('10.233.133.2'), targetMac: ZERO_MAC, targetIp: ip('169.254.1.1') }),
      ]),
    ),
    expected:
      '4a:8d:0e:93:6a:39 > ff:ff:ff:ff:ff:ff, ethertype 802.1Q (0x8100), length 46: vlan 100, p 7, DEI, ethertype ARP (0x0806), Request who-has 169.254.1.1 tell 10.233.133.2, length 28',
  },
  {
    name: 'runt frame shorter than an Ethernet header',
    data: hexBytes('ffffffffffff 4a8d0e93'),
    expected: ' [|ether]',
  },
  {
    name: 'echo request cut by the snapshot length',
    data: icmp('10.233.133.2', '10.233.133.3', echoRequest).subarray(0, 40),
    origLen: 98,
    expected: '4a:8d:0e:93:6a:39 > ee:ee:ee:ee:ee:ee, ethertype IPv4 (0x0800), length 98: 10.233.133.2 > 10.233.133.3:  [|icmp]',
  },
];

describe('TcpdumpPrinter', () => {
  it('has at least 25 varied golden frames', () => {
    expect(GOLDEN.length).toBeGreaterThanOrEqual(25);
  });

  describe('golden lines', () => {
    const printer = new TcpdumpPrinter();
    it.each(GOLDEN.map((g) => [g.name, g] as const))('%s', (_name, g) => {
      expect(printer.print(g.data, g.origLen)).toBe(g.expected);
    });
  });

  it('prints a real capture exactly as tcpdump printed it', () => {
    const printer = new TcpdumpPrinter();
    for (const f of CAPTURE) expect([f.name, printer.print(Uint8Array.from(Buffer.from(f.hex, 'hex')))]).toEqual([f.name, f.tcpdump]);
  });

  it('forgets conversations on reset, printing absolute numbers again', () => {
    const printer = new TcpdumpPrinter();
    const ack = tcp({ src: C, dst: S, sport: 40000, dport: 5000, seq: 1000, ack: 2000, flags: { ack: true }, payload: text('x') });
    expect(printer.print(ack)).toContain('seq 1000:1001, ack 2000,');
    expect(printer.print(ack)).toContain('seq 0:1, ack 1,');
    printer.reset();
    expect(printer.print(ack)).toContain('seq 1000:1001, ack 2000,');
  });

  it('reports impossible record headers as tcpdump does', () => {
    const printer = new TcpdumpPrinter();
    expect(printer.print(new Uint8Array(0), 0)).toBe('[Invalid header: caplen==0, len==0]');
    expect(printer.print(new Uint8Array(20), 10)).toBe('[Invalid header: len(10) < caplen(20)]');
  });

  it('property: never throws, whatever the bytes', () => {
    const printer = new TcpdumpPrinter();
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 120 }), fc.nat({ max: 200 }), (bytes, extra) => {
        expect(typeof printer.print(bytes)).toBe('string');
        expect(typeof printer.print(bytes, bytes.length + extra)).toBe('string');
      }),
      { numRuns: 2000 },
    );
  });

  it('property: never throws on valid frames with bytes flipped or cut', () => {
    const printer = new TcpdumpPrinter();
    fc.assert(
      fc.property(arbValidFrame, fc.array(fc.tuple(fc.nat(), arbByte), { maxLength: 4 }), fc.nat(), (frame, flips, cut) => {
        const bytes = frame.slice();
        for (const [at, v] of flips) bytes[at % bytes.length] = v;
        expect(typeof printer.print(bytes.subarray(0, cut % (bytes.length + 1)))).toBe('string');
      }),
      { numRuns: 1000 },
    );
  });

  describe('against the tcpdump binary', () => {
    oracleIt('prints the golden frames exactly as tcpdump does, line by line', () => {
      const frames = toPcap(GOLDEN);
      const expected = GOLDEN.flatMap((g) => g.expected.split('\n'));
      expect(runTcpdump(frames)).toEqual(expected);
      expect(printAll(frames)).toEqual(expected);
    });

    oracleIt('agrees with tcpdump on the real capture', () => {
      const frames = toPcap(CAPTURE.map((f) => ({ data: Uint8Array.from(Buffer.from(f.hex, 'hex')) })));
      expect(printAll(frames)).toEqual(runTcpdump(frames));
    });

    oracleIt('property: prints 300 random valid frames as tcpdump does', () => {
      fc.assert(
        fc.property(fc.array(arbValidFrame, { minLength: 300, maxLength: 300 }), (data) => {
          const frames = toPcap(data.map((d) => ({ data: d })));
          expect(printAll(frames)).toEqual(runTcpdump(frames));
        }),
        { numRuns: 1 },
      );
    });

    oracleIt('property: prints 300 random cut-off frames as tcpdump does', () => {
      fc.assert(
        fc.property(fc.array(arbCutFrame, { minLength: 300, maxLength: 300 }), (cut) => {
          const frames = toPcap(cut);
          expect(printAll(frames)).toEqual(runTcpdump(frames));
        }),
        { numRuns: 1 },
      );
    });
  });
});

// --- Random valid frames, restricted to what the printer decodes like tcpdump ---

const arbByte = fc.integer({ min: 0, max: 255 });
/** Ports tcpdump hands to a protocol printer this one does not model are left out. */
const arbTcpPort = fc.oneof(fc.constantFrom(80, 8080, 179, 22, 443, 5000, 6443, 9099), fc.integer({ min: 32768, max: 48000 }));
const arbUdpPort = fc.oneof(fc.constantFrom(5000, 9999, 8285), fc.integer({ min: 32768, max: 48000 }));
/** A few endpoints so that conversations recur and relative sequence numbers come into play. */
const arbEndpoint = fc.constantFrom('10.233.133.2', '10.233.133.3', '10.8.152.200').map(ip);
const arbIpHeader = fc.oneof(
  { weight: 8, arbitrary: arbIpv4Repr.map((r) => ({ ...r, moreFrags: false, fragOffset: 0 })) },
  { weight: 1, arbitrary: arbIpv4Repr },
);
/** arbInvoking quotes a datagram as an ICMP error does: a real IPv4 header and some of its payload. */
const arbInvoking = fc
  .tuple(arbIpv4Repr, fc.constantFrom(IpProtocol.Icmp, IpProtocol.Tcp, IpProtocol.Udp, 47), arbPayload(64), fc.nat())
  .map(([h, proto, p, cut]) => {
    const datagram = encodeIpv4({ ...h, protocol: proto }, p);
    return datagram.subarray(0, Math.min(datagram.length, 20 + (cut % 80)));
  });
const arbIcmpMessage: fc.Arbitrary<IcmpRepr> = fc.oneof(
  { weight: 2, arbitrary: arbIcmpRepr },
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.integer({ min: 0, max: 16 }), arbInvoking, arbU16)
      .map(
        ([code, invoking, mtu]): IcmpRepr =>
          code === 4 ? { type: 'dest-unreachable', code, nextHopMtu: mtu, invoking } : { type: 'dest-unreachable', code, invoking },
      ),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.integer({ min: 0, max: 2 }), arbInvoking)
      .map(([code, invoking]): IcmpRepr => ({ type: 'time-exceeded', code, invoking })),
  },
);
const arbTcpOptions = fc
  .array(
    arbTcpOption.filter((o) => o.kind !== 'unknown' || (o.code !== 19 && o.code !== 30)),
    { maxLength: 6 },
  )
  .filter((os) => os.reduce((n, o) => n + tcpOptionLength(o), 0) <= 40)
  .map(canonicalTcpOptions);
const arbTcpPayload = fc.oneof(
  arbPayload(40),
  fc
    .constantFrom(
      'GET / HTTP/1.1\r\nHost: x\r\n\r\n',
      'HTTP/1.1 404 Not Found\r\n',
      'POST /a HTTP/1.0\n',
      'SSH-2.0-OpenSSH_9.6\r\n',
      'hello\r\n',
      'GET',
    )
    .map(text),
);

const arbIcmpPacket = fc.tuple(arbIpHeader, arbIcmpMessage).map(([h, m]) => encodeIpv4({ ...h, protocol: IpProtocol.Icmp }, encodeIcmp(m)));

const arbTcpPacket = fc
  .record({
    h: arbIpHeader,
    src: arbEndpoint,
    dst: arbEndpoint,
    sport: arbTcpPort,
    dport: arbTcpPort,
    seq: arbU32,
    ack: arbU32,
    flags: arbTcpFlags,
    window: arbU16,
    urgent: arbU16,
    options: arbTcpOptions,
    payload: arbTcpPayload,
  })
  .map((t) => {
    const repr = {
      srcPort: t.sport,
      dstPort: t.dport,
      seq: t.seq,
      ack: t.ack,
      flags: t.flags,
      window: t.window,
      urgent: t.urgent,
      options: t.options,
    };
    return encodeIpv4({ ...t.h, src: t.src, dst: t.dst, protocol: IpProtocol.Tcp }, encodeTcp(repr, t.payload, t.src, t.dst));
  });

const arbUdpPacket = fc
  .tuple(arbIpHeader, arbUdpPort, arbUdpPort, arbPayload(40))
  .map(([h, sp, dp, p]) => encodeIpv4({ ...h, protocol: IpProtocol.Udp }, encodeUdp({ srcPort: sp, dstPort: dp }, p, h.src, h.dst)));

/** arbOpaquePacket carries protocol numbers tcpdump prints as `ip-proto-N` or a fixed complaint. */
const arbOpaquePacket = fc
  .tuple(arbIpHeader, fc.constantFrom(0, 3, 58, 59, 77, 99, 143, 200, 253), arbPayload(20))
  .map(([h, proto, p]) => encodeIpv4({ ...h, protocol: proto }, p));

function arbIpPacket(depth: number): fc.Arbitrary<Uint8Array> {
  const options: fc.WeightedArbitrary<Uint8Array>[] = [
    { weight: 3, arbitrary: arbIcmpPacket },
    { weight: 4, arbitrary: arbTcpPacket },
    { weight: 2, arbitrary: arbUdpPacket },
    { weight: 1, arbitrary: arbOpaquePacket },
  ];
  if (depth > 0) {
    const arbVxlanPacket = fc
      .tuple(arbIpHeader, arbUdpPort, fc.integer({ min: 0, max: 0xffffff }), arbFrame(depth - 1))
      .map(([h, sp, vni, inner]) => {
        const datagram = encodeUdp({ srcPort: sp, dstPort: VXLAN_PORT }, encodeVxlan({ vni }, inner), h.src, h.dst);
        return encodeIpv4({ ...h, protocol: IpProtocol.Udp }, datagram);
      });
    const arbIpipPacket = fc
      .tuple(arbIpHeader, arbIpPacket(depth - 1))
      .map(([h, inner]) => encodeIpv4({ ...h, protocol: IpProtocol.Ipip }, inner));
    options.push({ weight: 1, arbitrary: arbVxlanPacket }, { weight: 1, arbitrary: arbIpipPacket });
  }
  return fc.oneof(...options);
}

function arbFrame(depth: number): fc.Arbitrary<Uint8Array> {
  const arpOps = fc.constantFrom(1, 2, 3, 4, 8, 9, 10, 5);
  const ipFrame = fc
    .tuple(arbMac, arbMac, arbIpPacket(depth))
    .map(([s, d, p]) => encodeEthernet({ src: s, dst: d, ethertype: EtherType.Ipv4 }, p));
  const arpFrame = fc
    .tuple(arbMac, arbMac, arbArpRepr, arpOps)
    .map(([s, d, a, op]) => encodeEthernet({ src: s, dst: d, ethertype: EtherType.Arp }, encodeArp({ ...a, op })));
  const vlanFrame = fc
    .tuple(arbMac, arbMac, arbU16, arbIpPacket(0))
    .map(([s, d, tci, p]) =>
      encodeEthernet({ src: s, dst: d, ethertype: 0x8100 }, Uint8Array.from([tci >>> 8, tci & 0xff, 0x08, 0x00, ...p])),
    );
  const unknownFrame = fc
    .tuple(arbMac, arbMac, fc.constantFrom(0x1234, 0x5555, 0x0801, 0xffff), arbPayload(40))
    .map(([s, d, t, p]) => encodeEthernet({ src: s, dst: d, ethertype: t }, p));
  return fc.oneof(
    { weight: 6, arbitrary: ipFrame },
    { weight: 2, arbitrary: arpFrame },
    { weight: 1, arbitrary: vlanFrame },
    { weight: 1, arbitrary: unknownFrame },
  );
}

const arbValidFrame = arbFrame(1);
const arbCutFrame = fc.tuple(arbValidFrame, fc.nat(), fc.boolean()).map(([frame, at, snap]) => {
  const n = 1 + (at % frame.length);
  return snap ? { data: frame.subarray(0, n), origLen: frame.length } : { data: frame.subarray(0, n) };
});
