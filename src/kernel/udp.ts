// UDP sockets (RFC 768; net/ipv4/udp.c): the send path of an unconnected socket (udp_sendmsg, which
// routes each datagram and takes the route's source unless bound), delivery to a bound port
// (__udp4_lib_rcv), and ICMP errors for a datagram a socket sent (__udp4_lib_err, with IP_RECVERR:
// the error goes to the socket's error queue with the offender's address and the ICMP type and
// code, as traceroute and tracepath read it). Sockets are kept per simulator, by namespace and port.

import type { Ipv4 } from '../model/addr.js';
import { encodeUdp, IpProtocol, type Ipv4Decoded, type UdpDecoded } from '../model/wire/index.js';
import type { Tx } from './driver.js';
import { type Errno, type IcmpErrno, icmpErrConvert, ipRouteOutput, ipSendLocal, type SendOpts } from './stack.js';

/** UdpError is one entry of a socket's error queue (sock_extended_err with its offender). */
export interface UdpError {
  /** from is the address that sent the ICMP error (SO_EE_OFFENDER). */
  readonly from: Ipv4;
  readonly type: number;
  readonly code: number;
  /** errno is what the error means to the socket (ee_errno). */
  readonly errno: IcmpErrno;
  /** ttl is the TTL of the ICMP error as it arrived (IP_RECVTTL). */
  readonly ttl: number;
  /** dst and dport are the quoted datagram's destination; sport its source port. */
  readonly dst: Ipv4;
  readonly sport: number;
  readonly dport: number;
  /** mtu is the next-hop MTU of a Fragmentation Needed (ee_info). */
  readonly mtu?: number;
  readonly at: number;
}

/** UdpDatagram is one datagram a socket received. */
export interface UdpDatagram {
  readonly from: Ipv4;
  readonly sport: number;
  readonly payload: Uint8Array;
  readonly ttl: number;
  readonly at: number;
}

/** UdpHandlers are what a socket's owner hears. */
export interface UdpHandlers {
  readonly error?: (e: UdpError) => void;
  readonly datagram?: (d: UdpDatagram) => void;
}

/** sockets are the bound UDP sockets of each simulator, by `ns` NUL `port`. */
const sockets = new WeakMap<object, Map<string, UdpHandlers>>();

const key = (ns: string, port: number): string => `${ns}\u0000${port}`;

function table(owner: object): Map<string, UdpHandlers> {
  let t = sockets.get(owner);
  if (t === undefined) {
    t = new Map();
    sockets.set(owner, t);
  }
  return t;
}

/**
 * udpBind binds a socket to `port` in namespace `ns` of the simulator `owner` (the Tx its steps
 * run with) and returns its close. A port already bound is EADDRINUSE.
 */
export function udpBind(owner: object, ns: string, port: number, h: UdpHandlers): (() => void) | { errno: 'EADDRINUSE' } {
  const t = table(owner);
  const k = key(ns, port);
  if (t.has(k)) return { errno: 'EADDRINUSE' };
  t.set(k, h);
  return () => {
    if (t.get(k) === h) t.delete(k);
  };
}

/** EPHEMERAL_LOW and EPHEMERAL_HIGH are ip_local_port_range's defaults; the cursor starts at EPHEMERAL_FIRST. */
const EPHEMERAL_LOW = 32768;
const EPHEMERAL_HIGH = 60999;
const EPHEMERAL_FIRST = 45000;

/** cursors are each simulator's next ephemeral port: deterministic, and never the port a closed socket just had. */
const cursors = new WeakMap<object, number>();

/**
 * udpBindEphemeral binds a socket to the next free port of the ephemeral range (udp_lib_get_port for
 * port 0), so an ICMP error still in flight for a closed socket never reaches a new one. null when
 * every port is taken.
 */
export function udpBindEphemeral(owner: object, ns: string, h: UdpHandlers): { port: number; close: () => void } | null {
  let port = cursors.get(owner) ?? EPHEMERAL_FIRST;
  for (let tries = 0; tries <= EPHEMERAL_HIGH - EPHEMERAL_LOW; tries++) {
    const here = port;
    port = port >= EPHEMERAL_HIGH ? EPHEMERAL_LOW : port + 1;
    const close = udpBind(owner, ns, here, h);
    if (typeof close === 'function') {
      cursors.set(owner, port);
      return { port: here, close };
    }
  }
  return null;
}

/**
 * udpSendTo is udp_sendmsg for an unconnected socket bound to `sport`: the route gives the source
 * (unless `src` is set) and the datagram goes out with the socket's TTL and IP_MTU_DISCOVER.
 */
export function udpSendTo(
  tx: Tx,
  ns: string,
  src: Ipv4,
  sport: number,
  dst: Ipv4,
  dport: number,
  payload: Uint8Array,
  opts: SendOpts,
): { errno: Errno | 'EMSGSIZE'; mtu?: number } | null {
  const n = tx.ns(ns);
  if (n === undefined) return { errno: 'EINVAL' };
  let saddr = src;
  if (saddr === 0) {
    const rt = ipRouteOutput(n, dst, 0, opts.oif);
    if ('errno' in rt) return { errno: rt.errno };
    saddr = rt.prefsrc;
  }
  const dgram = encodeUdp({ srcPort: sport, dstPort: dport }, payload, saddr, dst);
  return ipSendLocal(tx, ns, saddr, dst, IpProtocol.Udp, dgram, opts);
}

/** udpRcv is __udp4_lib_rcv for a datagram no tunnel took: it returns true when a bound socket took it. */
export function udpRcv(tx: Tx, ns: string, ip: Ipv4Decoded, udp: UdpDecoded): boolean {
  const h = sockets.get(tx)?.get(key(ns, udp.repr.dstPort));
  if (h === undefined) return false;
  h.datagram?.({ from: ip.repr.src, sport: udp.repr.srcPort, payload: udp.payload, ttl: ip.repr.ttl, at: tx.now });
  return true;
}

/**
 * udpErr is __udp4_lib_err: an ICMP Destination Unreachable or Time Exceeded (`type`, `code`)
 * that arrived in `ip` quoting a UDP datagram (`invoking`: its IP header and at least 8 bytes)
 * goes to the error queue of the socket bound to the quoted source port. It returns true when
 * one took it.
 */
export function udpErr(tx: Tx, ns: string, ip: Ipv4Decoded, type: number, code: number, invoking: Uint8Array, mtu?: number): boolean {
  if (invoking.length < 20) return false;
  const ihl = (invoking[0] & 0x0f) * 4;
  if (invoking[9] !== IpProtocol.Udp || invoking.length < ihl + 8) return false;
  const sport = (invoking[ihl] << 8) | invoking[ihl + 1];
  const dport = (invoking[ihl + 2] << 8) | invoking[ihl + 3];
  const dst = ((invoking[16] << 24) | (invoking[17] << 16) | (invoking[18] << 8) | invoking[19]) >>> 0;
  const h = sockets.get(tx)?.get(key(ns, sport));
  const errno = icmpErrConvert(type, code) ?? (type === 3 ? 'EHOSTUNREACH' : null);
  if (h === undefined || errno === null) return false;
  h.error?.({
    from: ip.repr.src,
    type,
    code,
    errno,
    ttl: ip.repr.ttl,
    dst,
    sport,
    dport,
    ...(mtu !== undefined ? { mtu } : {}),
    at: tx.now,
  });
  return true;
}
