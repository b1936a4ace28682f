// IPv4 addresses, prefixes and MAC addresses (RFC 791, RFC 4632, IEEE 802).
// An IPv4 address is an unsigned 32-bit number so the FIB can mask and compare it cheaply.

/** Ipv4 is an IPv4 address as an unsigned 32-bit integer (0 ≤ n < 2^32). */
export type Ipv4 = number;

/** Cidr is a prefix: an address and a prefix length. `addr` keeps the host bits as written. */
export interface Cidr {
  readonly addr: Ipv4;
  readonly len: number;
}

/** Mac is a MAC address in lowercase colon form, `aa:bb:cc:dd:ee:ff`. */
export type Mac = string;

export const BROADCAST_MAC: Mac = 'ff:ff:ff:ff:ff:ff';
export const ZERO_MAC: Mac = '00:00:00:00:00:00';

const IPV4_RE = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;
const MAC_RE = /^[0-9a-fA-F]{1,2}(:[0-9a-fA-F]{1,2}){5}$/;

/** parseIpv4 returns the address, or null when `s` is not dotted-quad IPv4. */
export function parseIpv4(s: string): Ipv4 | null {
  const m = IPV4_RE.exec(s);
  if (!m) return null;
  let n = 0;
  for (let i = 1; i <= 4; i++) {
    const o = Number(m[i]);
    if (o > 255) return null;
    n = n * 256 + o;
  }
  return n;
}

/** formatIpv4 prints an address as dotted quad. */
export function formatIpv4(a: Ipv4): string {
  return `${a >>> 24}.${(a >>> 16) & 255}.${(a >>> 8) & 255}.${a & 255}`;
}

/** maskOf returns the netmask of a prefix length as an unsigned number. */
export function maskOf(len: number): number {
  return len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0;
}

/** networkOf clears the host bits of `a` for a prefix of length `len`. */
export function networkOf(a: Ipv4, len: number): Ipv4 {
  return (a & maskOf(len)) >>> 0;
}

/** broadcastOf sets the host bits of `a` for a prefix of length `len`. */
export function broadcastOf(a: Ipv4, len: number): Ipv4 {
  return (a | ~maskOf(len)) >>> 0;
}

/** parseCidr accepts `A.B.C.D/N` and, when `hostDefault` is set, a bare address as /32. */
export function parseCidr(s: string, hostDefault = true): Cidr | null {
  const slash = s.indexOf('/');
  if (slash < 0) {
    if (!hostDefault) return null;
    const a = parseIpv4(s);
    return a === null ? null : { addr: a, len: 32 };
  }
  const a = parseIpv4(s.slice(0, slash));
  const lenText = s.slice(slash + 1);
  if (a === null || !/^\d{1,2}$/.test(lenText)) return null;
  const len = Number(lenText);
  if (len > 32) return null;
  return { addr: a, len };
}

/** formatCidr prints `A.B.C.D/N`. */
export function formatCidr(c: Cidr): string {
  return `${formatIpv4(c.addr)}/${c.len}`;
}

/** cidrContains says whether address `a` lies inside prefix `c`. */
export function cidrContains(c: Cidr, a: Ipv4): boolean {
  return networkOf(a, c.len) === networkOf(c.addr, c.len);
}

/** parseMac returns the normalised lowercase form, or null when `s` is not a MAC address. */
export function parseMac(s: string): Mac | null {
  if (!MAC_RE.test(s)) return null;
  return s
    .split(':')
    .map((o) => o.toLowerCase().padStart(2, '0'))
    .join(':');
}

/** HEX2 holds the two lowercase hex digits of every octet. */
const HEX2: readonly string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** hexDigit is the value of one hex digit's character code (either case). */
function hexDigit(c: number): number {
  return c <= 57 ? c - 48 : (c | 32) - 87;
}

/** macOctet is octet `i` (0–5) of a MAC address in colon form. */
function macOctet(m: Mac, i: number): number {
  return (hexDigit(m.charCodeAt(3 * i)) << 4) | hexDigit(m.charCodeAt(3 * i + 1));
}

/** macToBytes returns the six octets of a MAC address. */
export function macToBytes(m: Mac): Uint8Array {
  const out = new Uint8Array(6);
  macWrite(out, 0, m);
  return out;
}

/** macWrite writes the six octets of a MAC address into `b` at `offset`. */
export function macWrite(b: Uint8Array, offset: number, m: Mac): void {
  for (let i = 0; i < 6; i++) b[offset + i] = macOctet(m, i);
}

/** macFromBytes formats six octets as a MAC address. */
export function macFromBytes(b: Uint8Array, offset = 0): Mac {
  return `${HEX2[b[offset]]}:${HEX2[b[offset + 1]]}:${HEX2[b[offset + 2]]}:${HEX2[b[offset + 3]]}:${HEX2[b[offset + 4]]}:${HEX2[b[offset + 5]]}`;
}

/** macEqualsBytes says whether the six octets at `offset` are the address `m`. */
export function macEqualsBytes(m: Mac, b: Uint8Array, offset: number): boolean {
  for (let i = 0; i < 6; i++) if (b[offset + i] !== macOctet(m, i)) return false;
  return true;
}

/** macNumber is a MAC address as a 48-bit number (exact in a double), for hashing without strings. */
export function macNumber(m: Mac): number {
  let n = 0;
  for (let i = 0; i < 6; i++) n = n * 256 + macOctet(m, i);
  return n;
}

/** macNumberOfBytes is the six octets at `offset` as macNumber gives them. */
export function macNumberOfBytes(b: Uint8Array, offset: number): number {
  return (
    ((b[offset] << 8) | b[offset + 1]) * 4294967296 +
    (((b[offset + 2] << 24) | (b[offset + 3] << 16) | (b[offset + 4] << 8) | b[offset + 5]) >>> 0)
  );
}

/** macCompare orders MAC addresses numerically (the bridge takes the lowest port address). */
export function macCompare(a: Mac, b: Mac): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** isMulticastMac says whether the group bit is set (broadcast included). */
export function isMulticastMac(m: Mac): boolean {
  return (hexDigit(m.charCodeAt(1)) & 1) === 1;
}
