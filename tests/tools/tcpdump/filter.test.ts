// Tests for src/tools/tcpdump/filter.ts: the parse of each supported form (and tcpdump's errors), and
// matching, checked against the tcpdump binary itself (`tcpdump -n -e -t -r FILE EXPR` decides which
// of a set of frames pass), with a fast-check property over random expressions.

import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { writePcap } from '../../../cli/pcap.js';
import { parseIpv4, type Mac } from '../../../src/model/addr.js';
import { ArpOp, encodeArp } from '../../../src/model/wire/arp.js';
import { encodeEthernet, EtherType } from '../../../src/model/wire/ethernet.js';
import { encodeIcmp } from '../../../src/model/wire/icmp.js';
import { encodeIpv4, IpProtocol, type Ipv4Repr } from '../../../src/model/wire/ipv4.js';
import { encodeTcp, tcpFlags } from '../../../src/model/wire/tcp.js';
import { encodeUdp } from '../../../src/model/wire/udp.js';
import { filterMatches, parseFilter } from '../../../src/tools/tcpdump/filter.js';
import { TcpdumpPrinter } from '../../../src/tools/tcpdump/print.js';
import { SyntaxFault } from '../../../src/tools/words.js';

const TCPDUMP = '/usr/bin/tcpdump';
const haveTcpdump = existsSync(TCPDUMP);
const oracleRequired = process.env.CALISIM_KERNEL_TESTS === '1';
const oracleIt = haveTcpdump || oracleRequired ? it : it.skip;

const ip = (s: string): number => parseIpv4(s)!;
const A = '02:00:00:00:00:0a';
const B = '02:00:00:00:00:0b';
const BRD = 'ff:ff:ff:ff:ff:ff';

function eth(src: Mac, dst: Mac, type: number, payload: Uint8Array): Uint8Array {
  return encodeEthernet({ src, dst, ethertype: type }, payload);
}

function ipv4(src: string, dst: string, protocol: number, payload: Uint8Array, over: Partial<Ipv4Repr> = {}): Uint8Array {
  return encodeIpv4(
    { src: ip(src), dst: ip(dst), protocol, ttl: 64, ident: 7, tos: 0, dontFrag: false, moreFrags: false, fragOffset: 0, ...over },
    payload,
  );
}

function tcp(src: string, dst: string, sport: number, dport: number): Uint8Array {
  const seg = encodeTcp(
    { srcPort: sport, dstPort: dport, seq: 1, ack: 0, flags: tcpFlags({ syn: true }), window: 100, urgent: 0, options: [] },
    new Uint8Array(0),
    ip(src),
    ip(dst),
  );
  return eth(A, B, EtherType.Ipv4, ipv4(src, dst, IpProtocol.Tcp, seg));
}

function udp(src: string, dst: string, sport: number, dport: number): Uint8Array {
  return eth(
    A,
    B,
    EtherType.Ipv4,
    ipv4(src, dst, IpProtocol.Udp, encodeUdp({ srcPort: sport, dstPort: dport }, new Uint8Array(4), ip(src), ip(dst))),
  );
}

/** FRAMES are one of each kind of frame a lab captures, each printing on one line. */
const FRAMES: readonly Uint8Array[] = [
  eth(
    A,
    BRD,
    EtherType.Arp,
    encodeArp({ op: ArpOp.Request, senderMac: A, senderIp: ip('10.0.0.1'), targetMac: '00:00:00:00:00:00', targetIp: ip('10.0.0.2') }),
  ),
  eth(B, A, EtherType.Arp, encodeArp({ op: ArpOp.Reply, senderMac: B, senderIp: ip('10.0.0.2'), targetMac: A, targetIp: ip('10.0.0.1') })),
  eth(
    A,
    B,
    EtherType.Ipv4,
    ipv4('10.0.0.1', '10.0.0.2', IpProtocol.Icmp, encodeIcmp({ type: 'echo-request', ident: 1, seq: 1, data: new Uint8Array(8) })),
  ),
  eth(
    B,
    A,
    EtherType.Ipv4,
    ipv4('10.0.0.2', '10.0.0.1', IpProtocol.Icmp, encodeIcmp({ type: 'echo-reply', ident: 1, seq: 1, data: new Uint8Array(8) })),
  ),
  tcp('10.0.0.1', '10.0.0.3', 40000, 80),
  tcp('10.0.0.3', '10.0.0.1', 8080, 40001),
  udp('10.0.0.1', '10.1.0.9', 9999, 40002),
  // A later fragment of a UDP datagram to port 80: `port 80` must not match it (gen_ipfrag).
  eth(A, B, EtherType.Ipv4, ipv4('10.0.0.1', '10.0.0.2', IpProtocol.Udp, Uint8Array.of(0, 80, 0, 80, 0, 0, 0, 0), { fragOffset: 8 })),
];

describe('parseFilter', () => {
  it.each([
    ['host 10.0.0.1', { op: 'host', proto: 'any', dir: 'or', addr: ip('10.0.0.1'), mask: 0xffffffff }],
    ['src host 10.0.0.1', { op: 'host', proto: 'any', dir: 'src', addr: ip('10.0.0.1'), mask: 0xffffffff }],
    ['ip dst 10.0.0.1', { op: 'host', proto: 'ip', dir: 'dst', addr: ip('10.0.0.1'), mask: 0xffffffff }],
    ['src and dst net 10.0.0.0/8', { op: 'host', proto: 'any', dir: 'and', addr: ip('10.0.0.0'), mask: 0xff000000 }],
    ['tcp port 80', { op: 'port', proto: 'tcp', dir: 'or', port: 80 }],
    ['ether src 02:00:00:00:00:0a', { op: 'ehost', dir: 'src', mac: A }],
    ['arp', { op: 'proto', name: 'arp' }],
    [
      'host 10.0.0.1 or 10.0.0.2',
      {
        op: 'or',
        left: { op: 'host', proto: 'any', dir: 'or', addr: ip('10.0.0.1'), mask: 0xffffffff },
        right: { op: 'host', proto: 'any', dir: 'or', addr: ip('10.0.0.2'), mask: 0xffffffff },
      },
    ],
    ['not arp and icmp', { op: 'and', left: { op: 'not', arg: { op: 'proto', name: 'arp' } }, right: { op: 'proto', name: 'icmp' } }],
  ])('%s', (text, expr) => {
    expect(parseFilter(text.split(' '))).toEqual({ ok: true, expr });
  });

  it.each([
    ['host', "tcpdump: can't parse filter expression: syntax error"],
    ['host 10.0.0.1 and', "tcpdump: can't parse filter expression: syntax error"],
    ['( arp', "tcpdump: can't parse filter expression: syntax error"],
    ['port 65536', 'tcpdump: illegal port number 65536 > 65535'],
    ['udp host 10.0.0.1', "tcpdump: 'udp' modifier applied to host"],
    ['net 10.0.0.1/8', 'tcpdump: non-network bits set in "10.0.0.1/8"'],
    ['host 10.0.0.0/33', 'tcpdump: mask length must be <= 32'],
    ['host 02:00:00:00:00:0a', 'tcpdump: ethernet address used in non-ether expression'],
    ['arp port 80', "tcpdump: illegal qualifier of 'port'"],
  ])('%s is tcpdump error %s', (text, error) => {
    expect(parseFilter(text.split(' '))).toEqual({ ok: false, error });
  });

  it.each(['vlan', 'host example.com', 'port http', 'ether proto 0x800'])('%s is not supported in labs', (text) => {
    expect(() => parseFilter(text.split(' '))).toThrow(SyntaxFault);
  });
});

/**
 * tcpdumpSelects returns the indices of FRAMES that `tcpdump -r FILE EXPR` prints. An expression
 * libpcap's optimiser proves matches nothing (`expression rejects all packets`, which the simulator
 * does not print) selects none.
 */
function tcpdumpSelects(expr: string): number[] {
  const dir = mkdtempSync(join(tmpdir(), 'calisim-filter-'));
  try {
    const file = join(dir, 'f.pcap');
    writeFileSync(file, writePcap(FRAMES.map((data, i) => ({ tsMicros: 1_000_000 + i, data }))));
    let out: string;
    try {
      out = execFileSync(TCPDUMP, ['-n', '-e', '-t', '-r', file, expr], { encoding: 'latin1', stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (e) {
      if (String((e as { stderr?: string }).stderr).includes('expression rejects all packets')) return [];
      throw e;
    }
    const printed = out.split('\n').filter((l) => l !== '');
    const all = FRAMES.map((f) => new TcpdumpPrinter().print(f));
    return printed.map((l) => all.indexOf(l));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function weSelect(expr: string): number[] {
  const f = parseFilter(expr.split(' '));
  if (!f.ok) throw new Error(f.error);
  return FRAMES.flatMap((frame, i) => (filterMatches(f.expr, frame) ? [i] : []));
}

const CASES = [
  'host 10.0.0.1',
  'src host 10.0.0.2',
  'dst host 10.0.0.1',
  'src and dst net 10.0.0.0/24',
  'arp',
  'ip',
  'icmp',
  'tcp',
  'udp',
  'port 80',
  'tcp port 8080',
  'udp src port 9999',
  'not arp and not icmp',
  'host 10.0.0.2 or 10.0.0.3 and not tcp',
  '! ( port 80 or port 8080 )',
  'arp and host 10.0.0.2',
  'ether src 02:00:00:00:00:0a',
  'ether dst ff:ff:ff:ff:ff:ff',
  'net 10.1.0.0/16',
  'ip host 10.0.0.1 and not ip dst 10.0.0.2',
  'src or dst port 80',
  'arp host 10.0.0.1',
  'host 10.0.0.1 and ( 10.0.0.2 or 10.0.0.3 )',
];

describe('filterMatches against tcpdump', () => {
  oracleIt.each(CASES)('%s', (expr) => {
    expect(weSelect(expr)).toEqual(tcpdumpSelects(expr));
  });

  oracleIt('agrees on random combinations', () => {
    const atom = fc.constantFrom(
      'arp',
      'icmp',
      'tcp',
      'udp',
      'host 10.0.0.1',
      'dst host 10.0.0.2',
      'port 80',
      'src port 8080',
      'net 10.0.0.0/30',
    );
    const expr: fc.Arbitrary<string> = fc.letrec<{ e: string }>((tie) => ({
      e: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        atom,
        fc.tuple(tie('e'), fc.constantFrom('and', 'or'), tie('e')).map(([a, op, b]) => `( ${a} ) ${op} ( ${b} )`),
        tie('e').map((a) => `not ( ${a} )`),
      ),
    })).e;
    fc.assert(
      fc.property(expr, (e) => {
        expect(weSelect(e)).toEqual(tcpdumpSelects(e));
      }),
      { numRuns: 60 },
    );
  });
});
