// Prints Ethernet frames exactly as `tcpdump -n -e -t` 4.99 does (tcpdump(8); the layouts are those
// of tcpdump 4.99.3's print-ether.c, print-arp.c, print-ip.c, print-icmp.c, print-tcp.c, print-udp.c
// and print-vxlan.c). Like tcpdump, a printer reads only what was captured: a field past the end
// stops the line with ` [|proto]`, and garbage is printed, never thrown.

import { formatIpv4, macFromBytes } from '../../model/addr.js';
import { EtherType } from '../../model/wire/ethernet.js';
import { IpProtocol } from '../../model/wire/ipv4.js';
import { VXLAN_PORT } from '../../model/wire/vxlan.js';

/** MAXIMUM_SNAPLEN is the largest packet tcpdump accepts from a savefile. */
const MAXIMUM_SNAPLEN = 262144;

/** Truncated is thrown when a printer reads past the captured data, as tcpdump longjmps. */
class Truncated {}
const TRUNCATED = new Truncated();

/** Dissection is the state of printing one frame: the bytes, the end of what may be read, the output. */
class Dissection {
  out = '';
  protocol = '';
  private readonly saved: number[] = [];

  constructor(
    readonly b: Uint8Array,
    public snapend: number,
  ) {}

  print(s: string): void {
    this.out += s;
  }

  /** has says whether `n` bytes from `at` were captured (ND_TTEST_LEN). */
  has(at: number, n: number): boolean {
    return n >= 0 && at >= 0 && at <= this.snapend - n;
  }

  need(at: number, n: number): void {
    if (!this.has(at, n)) throw TRUNCATED;
  }

  /** avail is the number of captured bytes from `at` on (ND_BYTES_AVAILABLE_AFTER). */
  avail(at: number): number {
    return Math.max(0, this.snapend - at);
  }

  u8(at: number): number {
    this.need(at, 1);
    return this.b[at];
  }

  u16(at: number): number {
    this.need(at, 2);
    return (this.b[at] << 8) | this.b[at + 1];
  }

  u24(at: number): number {
    this.need(at, 3);
    return (this.b[at] << 16) | (this.b[at + 1] << 8) | this.b[at + 2];
  }

  u32(at: number): number {
    this.need(at, 4);
    return ((this.b[at] << 24) | (this.b[at + 1] << 16) | (this.b[at + 2] << 8) | this.b[at + 3]) >>> 0;
  }

  ip(at: number): string {
    return formatIpv4(this.u32(at));
  }

  mac(at: number): string {
    this.need(at, 6);
    return macFromBytes(this.b, at);
  }

  /** pushSnaplen narrows what may be read to `len` bytes from `bp`, never widening it (nd_push_snaplen). */
  pushSnaplen(bp: number, len: number): void {
    this.saved.push(this.snapend);
    if (len <= this.snapend - bp) this.snapend = bp + len;
  }

  popSnaplen(): void {
    this.snapend = this.saved.pop() ?? this.snapend;
  }

  trunc(): void {
    this.print(` [|${this.protocol}]`);
  }

  invalid(): void {
    this.print(' (invalid)');
  }
}

/** ETHERTYPE_NAMES are tcpdump's names for EtherTypes (ethertype_values). */
const ETHERTYPE_NAMES = new Map<number, string>([
  [0x0800, 'IPv4'],
  [0x8847, 'MPLS unicast'],
  [0x8848, 'MPLS multicast'],
  [0x86dd, 'IPv6'],
  [0x8100, '802.1Q'],
  [0x9100, '802.1Q-9100'],
  [0x88a8, '802.1Q-QinQ'],
  [0x9200, '802.1Q-9200'],
  [0x88e5, '802.1AE MACsec'],
  [0x0200, 'PUP'],
  [0x0806, 'ARP'],
  [0x8035, 'Reverse ARP'],
  [0x0600, 'NS'],
  [0x0500, 'Sprite'],
  [0x1000, 'Trail'],
  [0x6001, 'MOP DL'],
  [0x6002, 'MOP RC'],
  [0x6003, 'DN'],
  [0x6004, 'LAT'],
  [0x6007, 'SCA'],
  [0x6558, 'TEB'],
  [0x8038, 'Lanbridge'],
  [0x803c, 'DEC DNS'],
  [0x803e, 'DEC DTS'],
  [0x805b, 'VEXP'],
  [0x805c, 'VPROD'],
  [0x809b, 'Appletalk'],
  [0x80f3, 'Appletalk ARP'],
  [0x8137, 'IPX'],
  [0x880b, 'PPP'],
  [0x8808, 'MPCP'],
  [0x8809, 'Slow Protocols'],
  [0x8863, 'PPPoE D'],
  [0x8864, 'PPPoE S'],
  [0x888e, 'EAPOL'],
  [0x8899, 'Realtek protocols'],
  [0x886f, 'MS NLB heartbeat'],
  [0x8870, 'Jumbo'],
  [0x894f, 'NSH'],
  [0x9000, 'Loopback'],
  [0xfefe, 'OSI'],
  [0x00fe, 'GRE-OSI'],
  [0xabcd, 'CFM (old)'],
  [0x8902, 'CFM'],
  [0x893a, 'IEEE1905.1'],
  [0x88cc, 'LLDP'],
  [0x88ca, 'TIPC'],
  [0x0707, 'GeoNet (old)'],
  [0x8947, 'GeoNet'],
  [0x1111, 'CALM FAST'],
  [0x88a2, 'AoE'],
  [0x88f7, 'PTP'],
  [0xd28b, 'Arista Vendor Specific Protocol'],
]);

/** VLAN_TAG_TYPES are the tag protocol identifiers tcpdump unwraps. */
const VLAN_TAG_TYPES = new Set([0x8100, 0x9100, 0x9200, 0x88a8]);

/** MAX_ETHERNET_LENGTH_VAL is the largest Length (not Type) in an IEEE 802.3 header. */
const MAX_ETHERNET_LENGTH_VAL = 1500;

const ETHERTYPE_REVARP = 0x8035;
const ETHERTYPE_TRAIL = 0x1000;

const ARPHRD_NAMES = new Map<number, string>([
  [1, 'Ethernet'],
  [6, 'TokenRing'],
  [7, 'ArcNet'],
  [15, 'FrameRelay'],
  [23, 'Strip'],
  [24, 'IEEE 1394'],
  [19, 'ATM'],
  [32, 'InfiniBand'],
]);

const ARPOP_NAMES = new Map<number, string>([
  [1, 'Request'],
  [2, 'Reply'],
  [3, 'Reverse Request'],
  [4, 'Reverse Reply'],
  [8, 'Inverse Request'],
  [9, 'Inverse Reply'],
  [10, 'NACK Reply'],
]);

const ICMP_OTHER_NAMES = new Map<number, string>([
  [0, 'echo reply'],
  [4, 'source quench'],
  [8, 'echo request'],
  [10, 'router solicitation'],
  [13, 'time stamp request'],
  [14, 'time stamp reply'],
  [15, 'information request'],
  [16, 'information reply'],
  [17, 'address mask request'],
]);

/** UNREACH_TEXT formats Destination Unreachable codes 0-15 apart from 2, 3 and 4, given the destination. */
const UNREACH_TEXT: Record<number, (dst: string) => string> = {
  0: (d) => `net ${d} unreachable`,
  1: (d) => `host ${d} unreachable`,
  5: (d) => `${d} unreachable - source route failed`,
  6: (d) => `net ${d} unreachable - unknown`,
  7: (d) => `host ${d} unreachable - unknown`,
  8: (d) => `${d} unreachable - source host isolated`,
  9: (d) => `net ${d} unreachable - admin prohibited`,
  10: (d) => `host ${d} unreachable - admin prohibited`,
  11: (d) => `net ${d} unreachable - tos prohibited`,
  12: (d) => `host ${d} unreachable - tos prohibited`,
  13: (d) => `host ${d} unreachable - admin prohibited filter`,
  14: (d) => `host ${d} unreachable - host precedence violation`,
  15: (d) => `host ${d} unreachable - precedence cutoff`,
};

/** TCP_FLAG_LETTERS are the control bits in tcpdump's order, low bit first. */
const TCP_FLAG_LETTERS: [number, string][] = [
  [0x01, 'F'],
  [0x02, 'S'],
  [0x04, 'R'],
  [0x08, 'P'],
  [0x10, '.'],
  [0x20, 'U'],
  [0x40, 'E'],
  [0x80, 'W'],
];

const TCP_OPTION_NAMES = new Map<number, string>([
  [0, 'eol'],
  [1, 'nop'],
  [2, 'mss'],
  [3, 'wscale'],
  [4, 'sackOK'],
  [5, 'sack'],
  [6, 'echo'],
  [7, 'echoreply'],
  [8, 'TS'],
  [11, 'cc'],
  [12, 'ccnew'],
  [13, ''],
  [19, 'md5'],
  [20, 'scps'],
  [28, 'uto'],
  [29, 'tcp-ao'],
  [30, 'mptcp'],
  [34, 'tfo'],
  [254, 'exp'],
]);

const TH_FIN = 0x01;
const TH_SYN = 0x02;
const TH_RST = 0x04;
const TH_ACK = 0x10;
const TH_URG = 0x20;

const HTTP_METHODS = new Set([
  'GET',
  'PUT',
  'COPY',
  'HEAD',
  'LOCK',
  'MOVE',
  'POLL',
  'POST',
  'BCOPY',
  'BMOVE',
  'MKCOL',
  'TRACE',
  'LABEL',
  'MERGE',
  'DELETE',
  'SEARCH',
  'UNLOCK',
  'REPORT',
  'UPDATE',
  'NOTIFY',
  'BDELETE',
  'CONNECT',
  'OPTIONS',
  'CHECKIN',
  'PROPFIND',
  'CHECKOUT',
  'CCM_POST',
  'SUBSCRIBE',
  'PROPPATCH',
  'BPROPFIND',
  'BPROPPATCH',
  'UNCHECKOUT',
  'MKACTIVITY',
  'MKWORKSPACE',
  'UNSUBSCRIBE',
  'RPC_CONNECT',
  'VERSION-CONTROL',
  'BASELINE-CONTROL',
]);

const HTTP_PORT = 80;
const HTTP_PORT_ALT = 8080;
const BGP_PORT = 179;
const SSH_PORT = 22;

/** MAX_TOKEN bounds the word tcpdump reads to recognise a text protocol. */
const MAX_TOKEN = 128;

const isPrint = (c: number): boolean => c >= 0x20 && c <= 0x7e;
const isGraph = (c: number): boolean => c > 0x20 && c <= 0x7e;
const hex2 = (n: number): string => n.toString(16).padStart(2, '0');
const hex4 = (n: number): string => n.toString(16).padStart(4, '0');

/** PortNames are the service names tcpdump's init_servarray reads from /etc/services, by protocol. */
export interface PortNames {
  readonly tcp: ReadonlyMap<number, string>;
  readonly udp: ReadonlyMap<number, string>;
}

/** TcpConversation is tcpdump's record of the initial sequence numbers of one TCP conversation. */
interface TcpConversation {
  seq: number;
  ack: number;
}

/**
 * TcpdumpPrinter prints frames one by one as one tcpdump run prints a capture. It keeps state
 * because tcpdump prints TCP sequence numbers relative to the first ACK-bearing segment it saw
 * of each conversation (the SYN-ACK, when the capture holds the handshake).
 */
export class TcpdumpPrinter {
  private readonly conversations = new Map<string, TcpConversation>();
  private readonly tcpPort: (port: number) => string;
  private readonly udpPort: (port: number) => string;

  /**
   * A printer prints port numbers (`-n` of an upstream tcpdump, `-nn`) unless `opts.portNames` is
   * given: the names tcpport_string and udpport_string take from the services table then.
   */
  constructor(opts: { readonly portNames?: PortNames } = {}) {
    const names = opts.portNames;
    this.tcpPort = names === undefined ? String : (p) => names.tcp.get(p) ?? String(p);
    this.udpPort = names === undefined ? String : (p) => names.udp.get(p) ?? String(p);
  }

  /**
   * print returns what tcpdump prints for a captured Ethernet frame, without timestamp or final
   * newline. `wireLength` is the frame's length on the wire when the capture was cut short.
   * Some frames (VXLAN, hex dumps of unknown payloads) print on several lines joined by '\n'.
   */
  print(frame: Uint8Array, wireLength: number = frame.length): string {
    const caplen = frame.length;
    const header = this.invalidHeader(caplen, wireLength);
    if (header !== null) return header;
    const d = new Dissection(frame, caplen);
    try {
      this.ether(d, 0, wireLength, caplen);
    } catch (e) {
      if (e !== TRUNCATED) throw e;
      d.trunc();
    }
    return d.out;
  }

  /** reset forgets every TCP conversation, as a new tcpdump run would. */
  reset(): void {
    this.conversations.clear();
  }

  private invalidHeader(caplen: number, len: number): string | null {
    const problems: string[] = [];
    if (caplen === 0) problems.push('caplen==0');
    if (len === 0) problems.push('len==0');
    else if (len < caplen) problems.push(`len(${len}) < caplen(${caplen})`);
    if (caplen > MAXIMUM_SNAPLEN) problems.push(`caplen(${caplen}) > ${MAXIMUM_SNAPLEN}`);
    if (len > MAXIMUM_SNAPLEN) problems.push(`len(${len}) > ${MAXIMUM_SNAPLEN}`);
    if (problems.length === 0) return null;
    return `[Invalid header:${problems.map((p) => ` ${p}`).join(',')}]`;
  }

  // --- Ethernet (print-ether.c) ---

  private ether(d: Dissection, p: number, length: number, caplen: number): void {
    d.protocol = 'ether';
    if (length < caplen) {
      d.print(`[length ${length} < caplen ${caplen}]`);
      d.invalid();
      return;
    }
    if (caplen < 14) {
      d.trunc();
      return;
    }
    const origLength = length;
    d.print(`${d.mac(p + 6)} > ${d.mac(p)}, `);
    p += 12;
    length -= 12;
    caplen -= 12;
    let type = d.u16(p);
    p += 2;
    length -= 2;
    caplen -= 2;
    let printedLength = false;
    while (VLAN_TAG_TYPES.has(type)) {
      if (caplen < 4 || length < 4) {
        d.protocol = 'vlan';
        d.trunc();
        return;
      }
      const tci = d.u16(p);
      d.print(etherTypeText(type));
      d.print(printedLength ? ', ' : `, length ${origLength}: `);
      printedLength = true;
      d.print(`vlan ${tci & 0xfff}, p ${tci >>> 13}${tci & 0x1000 ? ', DEI' : ''}, `);
      type = d.u16(p + 2);
      p += 4;
      length -= 4;
      caplen -= 4;
    }
    if (type <= MAX_ETHERNET_LENGTH_VAL) {
      // An IEEE 802.3 length field: LLC is not decoded here, its bytes are dumped.
      if (type < length) {
        length = type;
        if (caplen > length) caplen = length;
      }
      d.print('802.3');
      if (!printedLength) d.print(`, length ${length}: `);
      this.defaultPrint(d, p, caplen);
      return;
    }
    d.print(etherTypeText(type));
    d.print(printedLength ? ', ' : `, length ${origLength}: `);
    if (!this.ethertype(d, type, p, length, caplen)) this.defaultPrint(d, p, caplen);
  }

  private ethertype(d: Dissection, type: number, p: number, length: number, caplen: number): boolean {
    switch (type) {
      case EtherType.Ipv4:
        this.ipv4(d, p, length);
        return true;
      case EtherType.Arp:
      case ETHERTYPE_REVARP:
        this.arp(d, p, length, caplen);
        return true;
      default:
        return false;
    }
  }

  /** defaultPrint is tcpdump's hex and ASCII dump of bytes no printer understood. */
  private defaultPrint(d: Dissection, p: number, length: number): void {
    const available = d.avail(p);
    const truncated = length > available;
    if (truncated) length = available;
    let offset = 0;
    while (offset < length) {
      const n = Math.min(16, length - offset);
      let hex = '';
      let ascii = '';
      for (let i = 0; i < n; i++) {
        const c = d.b[p + offset + i];
        hex += (i % 2 === 0 ? ' ' : '') + hex2(c);
        ascii += isGraph(c) ? String.fromCharCode(c) : '.';
      }
      d.print(`\n\t0x${hex4(offset)}: ${hex.padEnd(40)}  ${ascii}`);
      offset += n;
    }
    if (truncated) throw TRUNCATED;
  }

  // --- ARP (print-arp.c) ---

  private arp(d: Dissection, ap: number, length: number, caplen: number): void {
    d.protocol = 'arp';
    d.need(ap, 8);
    const hrd = d.u16(ap);
    const pro = d.u16(ap + 2);
    const hln = d.u8(ap + 4);
    const pln = d.u8(ap + 5);
    const op = d.u16(ap + 6);
    const sha = ap + 8;
    const spa = sha + hln;
    const tha = spa + pln;
    const tpa = tha + hln;
    d.need(tpa, pln);
    const linkaddr = (at: number): string => {
      if (hln === 0) return '<empty>';
      d.need(at, hln);
      const parts: string[] = [];
      for (let i = 0; i < hln; i++) parts.push(hex2(d.b[at + i]));
      return parts.join(':');
    };
    const paddr = (at: number): string => {
      if (pro !== EtherType.Ipv4 && pro !== ETHERTYPE_TRAIL) return '<wrong proto type>';
      if (pln !== 4) return '<wrong len>';
      return d.ip(at);
    };
    if ((pro !== EtherType.Ipv4 && pro !== ETHERTYPE_TRAIL) || pln !== 4 || hln === 0) {
      d.print(
        `${ARPHRD_NAMES.get(hrd) ?? `Unknown Hardware (${hrd})`} (len ${hln}), ` +
          `${ETHERTYPE_NAMES.get(pro) ?? `Unknown Protocol (0x${hex4(pro)})`} (len ${pln})`,
      );
      d.print(`, length ${length}`);
      return;
    }
    d.print(`${ARPOP_NAMES.get(op) ?? `Unknown (${op})`} `);
    switch (op) {
      case 1: {
        d.print(`who-has ${paddr(tpa)}`);
        let nonzero = false;
        for (let i = 0; i < hln; i++) if (d.u8(tha + i) !== 0) nonzero = true;
        if (nonzero) d.print(` (${linkaddr(tha)})`);
        d.print(` tell ${paddr(spa)}`);
        break;
      }
      case 2:
        d.print(`${paddr(spa)} is-at ${linkaddr(sha)}`);
        break;
      case 3:
      case 8:
        d.print(`who-is ${linkaddr(tha)}`);
        d.print(` tell ${linkaddr(sha)}`);
        break;
      case 4:
        d.print(`${linkaddr(tha)} at ${paddr(tpa)}`);
        break;
      case 9:
        d.print(`${linkaddr(sha)} at ${paddr(spa)}`);
        break;
      default:
        this.defaultPrint(d, ap, caplen);
        return;
    }
    d.print(`, length ${length}`);
  }

  // --- IPv4 (print-ip.c, print-ip-demux.c) ---

  private ipv4(d: Dissection, ip: number, length: number): void {
    d.protocol = 'ip';
    const version = d.u8(ip) >>> 4;
    if (version !== 4) {
      d.print(version === 6 ? 'IP6, wrong link-layer encapsulation' : `IP${version}`);
      d.invalid();
      return;
    }
    d.need(ip, 20);
    if (length < 20) {
      d.print(`truncated-ip ${length}`);
      return;
    }
    const hlen = (d.u8(ip) & 0x0f) * 4;
    if (hlen < 20) {
      d.print(`bad-hlen ${hlen}`);
      return;
    }
    let len = d.u16(ip + 2);
    if (length < len) d.print(`truncated-ip - ${len - length} bytes missing! `);
    if (len < hlen) {
      d.print(`bad-len ${len}`);
      return;
    }
    d.pushSnaplen(ip, len);
    len -= hlen;
    const off = d.u16(ip + 6);
    const proto = d.u8(ip + 9);
    if ((off & 0x1fff) === 0) {
      if (proto !== IpProtocol.Tcp && proto !== IpProtocol.Udp && proto !== 132 && proto !== 33) {
        d.print(`${d.ip(ip + 12)} > ${d.ip(ip + 16)}: `);
      }
      if (!d.has(ip, hlen)) {
        d.print(` [remaining caplen(${d.avail(ip)}) < header length(${hlen})]`);
        throw TRUNCATED;
      }
      this.ipDemux(d, ip + hlen, len, (off & 0x2000) !== 0, proto, ip);
    } else {
      // A later fragment: the next header is elsewhere, so only the protocol number is known.
      d.print(`${d.ip(ip + 12)} > ${d.ip(ip + 16)}:`);
      d.print(` ip-proto-${proto}`);
    }
    d.popSnaplen();
  }

  private ipDemux(d: Dissection, bp: number, length: number, fragmented: boolean, nh: number, ip: number): void {
    switch (nh) {
      case IpProtocol.Tcp:
        this.tcp(d, bp, length, ip);
        return;
      case IpProtocol.Udp:
        this.udp(d, bp, length, ip, fragmented);
        return;
      case IpProtocol.Icmp:
        this.icmp(d, bp, length);
        return;
      case IpProtocol.Ipip:
        this.ipv4(d, bp, length);
        return;
      case 58:
        d.print('[ICMPv6 requires IPv6]');
        d.invalid();
        return;
      case 143:
        d.print('[Ethernet requires IPv6]');
        d.invalid();
        return;
      case 59:
        d.print('no next header');
        return;
      case 77:
        d.print(` nd ${length}`);
        return;
      default:
        d.print(` ip-proto-${nh} ${length}`);
    }
  }

  // --- ICMP (print-icmp.c) ---

  private icmp(d: Dissection, bp: number, plen: number): void {
    d.protocol = 'icmp';
    const type = d.u8(bp);
    const code = d.u8(bp + 1);
    const innerDst = (): string => d.ip(bp + 8 + 16);
    let str: string;
    switch (type) {
      case 0:
      case 8:
        str = `echo ${type === 8 ? 'request' : 'reply'}, id ${d.u16(bp + 4)}, seq ${d.u16(bp + 6)}`;
        break;
      case 3:
        str = this.icmpUnreach(d, bp, code, innerDst);
        break;
      case 5: {
        const dst = innerDst();
        const gw = d.ip(bp + 4);
        str =
          code === 0
            ? `redirect ${dst} to net ${gw}`
            : code === 1
              ? `redirect ${dst} to host ${gw}`
              : code === 2
                ? `redirect-tos ${dst} to net ${gw}`
                : code === 3
                  ? `redirect-tos ${dst} to host ${gw}`
                  : `redirect-#${code} ${dst} to ${gw}`;
        break;
      }
      case 9:
        str = this.icmpRouterAdvert(d, bp);
        break;
      case 11:
        d.need(bp + 8 + 16, 4);
        str = code === 0 ? 'time exceeded in-transit' : code === 1 ? 'ip reassembly time exceeded' : `time exceeded-#${code}`;
        break;
      case 12:
        str = code !== 0 ? `parameter problem - code ${code}` : `parameter problem - octet ${d.u8(bp + 4)}`;
        break;
      case 18:
        str = `address mask is 0x${d
          .u32(bp + 8)
          .toString(16)
          .padStart(8, '0')}`;
        break;
      case 13:
        str = `time stamp query id ${d.u16(bp + 4)} seq ${d.u16(bp + 6)}`;
        break;
      case 14:
        d.need(bp + 16, 4);
        str =
          `time stamp reply id ${d.u16(bp + 4)} seq ${d.u16(bp + 6)}: org ${icmpTimestamp(d.u32(bp + 8))}` +
          `, recv ${icmpTimestamp(d.u32(bp + 12))}, xmit ${icmpTimestamp(d.u32(bp + 16))}`;
        break;
      default:
        str = ICMP_OTHER_NAMES.get(type) ?? `type-#${type}`;
    }
    d.print(`ICMP ${str}, length ${plen}`);
  }

  private icmpUnreach(d: Dissection, bp: number, code: number, innerDst: () => string): string {
    const oip = bp + 8;
    switch (code) {
      case 2:
        return `${innerDst()} protocol ${d.u8(oip + 9)} unreachable`;
      case 3: {
        d.need(oip + 9, 1);
        const hlen = (d.u8(oip) & 0x0f) * 4;
        const dport = d.u16(oip + hlen + 2);
        const proto = d.u8(oip + 9);
        if (proto === IpProtocol.Tcp) return `${innerDst()} tcp port ${this.tcpPort(dport)} unreachable`;
        if (proto === IpProtocol.Udp) return `${innerDst()} udp port ${this.udpPort(dport)} unreachable`;
        return `${innerDst()} protocol ${proto} port ${dport} unreachable`;
      }
      case 4: {
        const mtu = d.u16(bp + 6);
        return mtu ? `${innerDst()} unreachable - need to frag (mtu ${mtu})` : `${innerDst()} unreachable - need to frag`;
      }
      default: {
        const text = UNREACH_TEXT[code];
        return text ? text(innerDst()) : `${innerDst()} unreachable - #${code}`;
      }
    }
  }

  private icmpRouterAdvert(d: Dissection, bp: number): string {
    let s = 'router advertisement';
    d.need(bp + 4, 4);
    const lifetime = d.u16(bp + 6);
    s += ' lifetime ';
    if (lifetime < 60) s += `${lifetime}`;
    else if (lifetime < 3600) s += `${Math.floor(lifetime / 60)}:${pad2(lifetime % 60)}`;
    else s += `${Math.floor(lifetime / 3600)}:${pad2(Math.floor((lifetime % 3600) / 60))}:${pad2(lifetime % 60)}`;
    let num = d.u8(bp + 4);
    s += ` ${num}:`;
    const size = d.u8(bp + 5);
    if (size !== 2) return `${s} [size ${size}]`;
    let at = bp + 8;
    while (num > 0) {
      d.need(at, 8);
      s += ` {${d.ip(at)} ${d.u32(at + 4)}}`;
      at += 8;
      num--;
    }
    return s;
  }

  // --- UDP (print-udp.c) and VXLAN (print-vxlan.c) ---

  private udp(d: Dissection, bp: number, length: number, ip: number, fragmented: boolean): void {
    d.protocol = 'udp';
    const addresses = (sport: number, dport: number): void => {
      if (d.u8(ip + 9) === IpProtocol.Udp) {
        d.print(
          sport < 0
            ? `${d.ip(ip + 12)} > ${d.ip(ip + 16)}: `
            : `${d.ip(ip + 12)}.${this.udpPort(sport)} > ${d.ip(ip + 16)}.${this.udpPort(dport)}: `,
        );
      } else if (sport >= 0) {
        d.print(`${this.udpPort(sport)} > ${this.udpPort(dport)}: `);
      }
    };
    if (!d.has(bp + 2, 2)) {
      addresses(-1, -1);
      throw TRUNCATED;
    }
    const sport = d.u16(bp);
    const dport = d.u16(bp + 2);
    if (length < 8) {
      addresses(sport, dport);
      d.print(`truncated-udp ${length}`);
      return;
    }
    if (!d.has(bp + 4, 2)) {
      addresses(sport, dport);
      throw TRUNCATED;
    }
    let ulen = d.u16(bp + 4);
    if (ulen < 8) {
      addresses(sport, dport);
      d.print(`truncated-udplength ${ulen}`);
      return;
    }
    ulen -= 8;
    length -= 8;
    if (ulen < length) length = ulen;
    const cp = bp + 8;
    if (cp > d.snapend) {
      addresses(sport, dport);
      throw TRUNCATED;
    }
    addresses(sport, dport);
    if (sport === VXLAN_PORT || dport === VXLAN_PORT) {
      this.vxlan(d, cp, length);
    } else if (ulen > length && !fragmented) {
      d.print(`UDP, bad length ${ulen} > ${length}`);
    } else {
      d.print(`UDP, length ${ulen}`);
    }
  }

  private vxlan(d: Dissection, bp: number, len: number): void {
    d.protocol = 'vxlan';
    d.print('VXLAN');
    if (len < 8) {
      d.invalid();
      return;
    }
    const flags = d.u8(bp);
    d.print(`, flags [${flags & 0x08 ? 'I' : 'invalid'}] (0x${hex2(flags)}), `);
    d.print(`vni ${d.u24(bp + 4)}\n`);
    d.need(bp + 7, 1);
    this.ether(d, bp + 8, len - 8, d.avail(bp + 8));
  }

  // --- TCP (print-tcp.c) ---

  private tcp(d: Dissection, tp: number, length: number, ip: number): void {
    d.protocol = 'tcp';
    if (!d.has(tp + 2, 2)) {
      d.print(`${d.ip(ip + 12)} > ${d.ip(ip + 16)}:`);
      throw TRUNCATED;
    }
    const sport = d.u16(tp);
    const dport = d.u16(tp + 2);
    if (d.u8(ip + 9) === IpProtocol.Tcp) d.print(`${d.ip(ip + 12)}.${this.tcpPort(sport)} > ${d.ip(ip + 16)}.${this.tcpPort(dport)}: `);
    else d.print(`${this.tcpPort(sport)} > ${this.tcpPort(dport)}: `);
    d.need(tp, 20);
    let hlen = (d.u8(tp + 12) >>> 4) * 4;
    if (hlen < 20) {
      d.print(` tcp ${(length - hlen) >>> 0} [bad hdr length ${hlen} - too short, < 20]`);
      return;
    }
    let seq = d.u32(tp + 4);
    let ack = d.u32(tp + 8);
    const win = d.u16(tp + 14);
    const urp = d.u16(tp + 18);
    const flags = d.u8(tp + 13);
    d.print(`Flags [${tcpFlagText(flags)}]`);

    let thseq = 0;
    let thack = 0;
    let rev = false;
    if (flags & TH_ACK) {
      const src = d.u32(ip + 12);
      const dst = d.u32(ip + 16);
      rev = sport > dport || (sport === dport && src > dst);
      const key = rev ? `${dst}>${src}:${dport}:${sport}` : `${src}>${dst}:${sport}:${dport}`;
      const th = this.conversations.get(key);
      if (th === undefined || flags & TH_SYN) {
        const fresh = rev ? { ack: seq, seq: (ack - 1) >>> 0 } : { seq, ack: (ack - 1) >>> 0 };
        this.conversations.set(key, fresh);
        thseq = fresh.seq;
        thack = fresh.ack;
      } else {
        if (rev) {
          seq = (seq - th.ack) >>> 0;
          ack = (ack - th.seq) >>> 0;
        } else {
          seq = (seq - th.seq) >>> 0;
          ack = (ack - th.ack) >>> 0;
        }
        thseq = th.seq;
        thack = th.ack;
      }
    }
    if (hlen > length) {
      d.print(` [bad hdr length ${hlen} - too long, > ${length}]`);
      return;
    }
    length -= hlen;
    if (length > 0 || flags & (TH_SYN | TH_FIN | TH_RST)) {
      d.print(`, seq ${seq}`);
      if (length > 0) d.print(`:${(seq + length) >>> 0}`);
    }
    if (flags & TH_ACK) d.print(`, ack ${ack}`);
    d.print(`, win ${win}`);
    if (flags & TH_URG) d.print(`, urg ${urp}`);
    if (hlen > 20) {
      hlen -= 20;
      if (!this.tcpOptions(d, tp + 20, hlen, rev ? thseq : thack)) return;
    }
    d.print(`, length ${length}`);
    if (length === 0) return;
    const headerLength = (d.u8(tp + 12) >>> 4) * 4;
    if (!d.has(tp, headerLength)) {
      // Reachable when an EOL ended the option walk before the cut-off end of the header.
      d.print(` [remaining caplen(${d.avail(tp)}) < header length(${headerLength})]`);
      throw TRUNCATED;
    }
    const payload = tp + headerLength;
    const port = (p: number): boolean => sport === p || dport === p;
    if (port(BGP_PORT)) {
      d.protocol = 'bgp';
      d.print(': BGP');
    } else if (port(SSH_PORT)) {
      d.protocol = 'ssh';
      this.sshVersion(d, payload, length);
    } else if (port(HTTP_PORT) || port(HTTP_PORT_ALT)) {
      d.print(': ');
      d.protocol = 'http';
      this.http(d, payload, length);
    }
  }

  /**
   * tcpOptions prints the option list as tcpdump walks it, including its quirks: a known option
   * with an odd length is read at its usual size and the walk resumes right after what was read.
   * It returns false when tcpdump gives up on the segment ("[bad opt]" or a cut-off option), printing nothing more.
   */
  private tcpOptions(d: Dissection, cp: number, hlen: number, sackBase: number): boolean {
    d.print(', options [');
    let ch = '';
    try {
      while (hlen > 0) {
        d.print(ch);
        const opt = d.u8(cp);
        cp++;
        let len: number;
        if (opt === 0 || opt === 1) {
          len = 1;
        } else {
          len = d.u8(cp);
          cp++;
          if (len < 2 || len > hlen) return this.badOption(d, ch);
          --hlen;
        }
        --hlen;
        let datalen = 0;
        // lencheck is tcpdump's LENCHECK: too long for the header is a bad option, past the capture is truncation.
        const lencheck = (l: number): boolean => {
          if (l > hlen) return false;
          if (!d.has(cp, l)) throw new OptionTruncated(ch);
          return true;
        };
        d.print(TCP_OPTION_NAMES.get(opt) ?? `unknown-${opt}`);
        switch (opt) {
          case 2:
            datalen = 2;
            if (!lencheck(datalen)) return this.badOption(d, ch);
            d.print(` ${d.u16(cp)}`);
            break;
          case 3:
            datalen = 1;
            if (!lencheck(datalen)) return this.badOption(d, ch);
            d.print(` ${d.u8(cp)}`);
            break;
          case 5:
            datalen = len - 2;
            if (datalen % 8 !== 0) {
              d.print(' invalid sack');
            } else {
              d.print(` ${datalen / 8} `);
              for (let i = 0; i < datalen; i += 8) {
                if (!lencheck(i + 4)) return this.badOption(d, ch);
                const s = (d.u32(cp + i) - sackBase) >>> 0;
                if (!lencheck(i + 8)) return this.badOption(d, ch);
                const e = (d.u32(cp + i + 4) - sackBase) >>> 0;
                d.print(`{${s}:${e}}`);
              }
            }
            break;
          case 6:
          case 7:
          case 11:
          case 12:
          case 13:
            datalen = 4;
            if (!lencheck(datalen)) return this.badOption(d, ch);
            d.print(` ${d.u32(cp)}`);
            break;
          case 8:
            datalen = 8;
            if (!lencheck(datalen)) return this.badOption(d, ch);
            d.print(` val ${d.u32(cp)} ecr ${d.u32(cp + 4)}`);
            break;
          case 19:
            // tcpdump built with libcrypto tries to verify the signature; not modelled, print the bytes.
            datalen = 16;
            if (!lencheck(datalen)) return this.badOption(d, ch);
            d.print(' ');
            for (let i = 0; i < 16; i++) d.print(hex2(d.u8(cp + i)));
            break;
          case 20:
            datalen = 2;
            if (!lencheck(datalen)) return this.badOption(d, ch);
            d.print(` cap ${hex2(d.u8(cp))} id ${d.u8(cp + 1)}`);
            break;
          case 0:
          case 1:
          case 4:
            break;
          case 28: {
            datalen = 2;
            if (!lencheck(datalen)) return this.badOption(d, ch);
            let uto = d.u16(cp);
            d.print(` 0x${uto.toString(16)}`);
            uto = uto & 1 ? (uto >>> 1) * 60 : uto >>> 1;
            d.print(` ${uto}`);
            break;
          }
          case 29:
            datalen = len - 2;
            if (datalen < 2) {
              d.invalid();
            } else {
              if (!lencheck(1)) return this.badOption(d, ch);
              d.print(` keyid ${d.u8(cp)}`);
              if (!lencheck(2)) return this.badOption(d, ch);
              d.print(` rnextkeyid ${d.u8(cp + 1)}`);
              if (datalen > 2) {
                d.print(' mac 0x');
                for (let i = 2; i < datalen; i++) {
                  if (!lencheck(i + 1)) return this.badOption(d, ch);
                  d.print(hex2(d.u8(cp + i)));
                }
              }
            }
            break;
          case 34:
            datalen = len - 2;
            if (!lencheck(datalen)) return this.badOption(d, ch);
            d.print(' ');
            this.fastOpen(d, cp, datalen, false);
            break;
          case 254: {
            datalen = len - 2;
            if (!lencheck(datalen)) return this.badOption(d, ch);
            if (datalen < 2) return this.badOption(d, ch);
            const magic = d.u16(cp);
            d.print('-');
            if (magic === 0xf989) this.fastOpen(d, cp + 2, datalen - 2, true);
            else d.print(hex4(magic));
            break;
          }
          default:
            // MPTCP (30) is decoded by tcpdump; here it is dumped like any unknown option.
            datalen = len - 2;
            if (datalen) d.print(' 0x');
            for (let i = 0; i < datalen; ++i) {
              if (!lencheck(i + 1)) return this.badOption(d, ch);
              d.print(hex2(d.u8(cp + i)));
            }
            break;
        }
        cp += datalen;
        hlen -= datalen;
        datalen++;
        if (opt !== 0 && opt !== 1) datalen++;
        if (datalen !== len) d.print(`[len ${len}]`);
        ch = ',';
        if (opt === 0) break;
      }
    } catch (e) {
      if (!(e instanceof OptionTruncated)) throw e;
      // tcpdump's local trunc label: the marker, then '>' once an option was printed.
      d.trunc();
      if (e.ch !== '') d.print('>');
      return false;
    }
    d.print(']');
    return true;
  }

  private badOption(d: Dissection, ch: string): false {
    d.print('[bad opt]');
    if (ch !== '') d.print(']');
    return false;
  }

  private fastOpen(d: Dissection, cp: number, datalen: number, exp: boolean): void {
    if (exp) d.print('tfo');
    if (datalen === 0) {
      d.print(' cookiereq');
    } else if (datalen % 2 !== 0 || datalen < 4 || datalen > 16) {
      d.invalid();
    } else {
      d.print(' cookie ');
      for (let i = 0; i < datalen; i++) d.print(hex2(d.u8(cp + i)));
    }
  }

  /** sshVersion prints the identification line of an SSH banner (RFC 4253 §4.2). */
  private sshVersion(d: Dissection, p: number, len: number): void {
    for (let i = 0; i < 4; i++) if (d.u8(p + i) !== 'SSH-'.charCodeAt(i)) return;
    for (let idx = 4; idx < len; idx++) {
      const c = d.u8(p + idx);
      if (c === 0x0a || (c === 0x0d && idx + 1 < len && d.u8(p + idx + 1) === 0x0a)) {
        d.print(`: SSH: ${latin1(d.b, p, idx)}`);
        return;
      }
      if (c === 0x0d || !isPrint(c)) return;
    }
  }

  /** http prints "HTTP" and, when the payload starts with a request or status line, that line. */
  private http(d: Dissection, p: number, len: number): void {
    let printThis = false;
    let tok = this.fetchToken(d, p, 0, len);
    if (tok !== null) {
      if (HTTP_METHODS.has(tok.token.toUpperCase())) printThis = true;
      tok = this.fetchToken(d, p, tok.next, len);
      if (tok !== null && /^[0-9]{3}$/.test(tok.token)) printThis = true;
    }
    d.print('HTTP');
    if (!printThis) return;
    // Only the first line is printed, and only when it is text ending in LF or CR LF.
    for (let idx = 0; idx < len; idx++) {
      const c = d.u8(p + idx);
      if (c === 0x0a) {
        d.print(`: ${latin1(d.b, p, idx)}`);
        return;
      }
      if (c === 0x0d) {
        if (idx + 1 >= len) return;
        if (d.u8(p + idx + 1) === 0x0a) d.print(`: ${latin1(d.b, p, idx)}`);
        return;
      }
      if (!isPrint(c) && c !== 0x09) return;
    }
    // All printable but no end of line: tcpdump prints it as a cut-off line.
    d.print(`: ${latin1(d.b, p, len)}`);
    d.trunc();
  }

  /** fetchToken reads a word of printable ASCII and skips the blanks after it, as tcpdump's fetch_token. */
  private fetchToken(d: Dissection, p: number, idx: number, len: number): { token: string; next: number } | null {
    let token = '';
    for (; idx < len; idx++) {
      if (!d.has(p + idx, 1)) return null;
      const c = d.b[p + idx];
      if (c >= 0x80) return null;
      if (c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0a) break;
      if (!isPrint(c)) return null;
      if (token.length + 2 > MAX_TOKEN + 1) return null;
      token += String.fromCharCode(c);
    }
    if (token.length === 0) return null;
    for (; idx < len; idx++) {
      if (!d.has(p + idx, 1)) break;
      const c = d.b[p + idx];
      if (c === 0x0d || c === 0x0a || !isPrint(c)) break;
      if (c !== 0x20 && c !== 0x09) break;
    }
    return { token, next: idx };
  }
}

/** OptionTruncated is thrown inside the option walk when an option's data was not captured. */
class OptionTruncated {
  constructor(readonly ch: string) {}
}

function etherTypeText(type: number): string {
  return `ethertype ${ETHERTYPE_NAMES.get(type) ?? 'Unknown'} (0x${hex4(type)})`;
}

function tcpFlagText(flags: number): string {
  let s = '';
  for (const [bit, letter] of TCP_FLAG_LETTERS) if (flags & bit) s += letter;
  return s === '' ? 'none' : s;
}

function pad2(n: number): string {
  return n.toString().padStart(2, '0');
}

/** icmpTimestamp formats milliseconds since midnight UT as tcpdump does, hours unbounded. */
function icmpTimestamp(ms: number): string {
  const msec = ms % 1000;
  let sec = Math.floor(ms / 1000);
  let min = Math.floor(sec / 60);
  sec -= min * 60;
  const hrs = Math.floor(min / 60);
  min -= hrs * 60;
  return `${pad2(hrs)}:${pad2(min)}:${pad2(sec)}.${msec.toString().padStart(3, '0')}`;
}

function latin1(b: Uint8Array, from: number, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += String.fromCharCode(b[from + i]);
  return s;
}
