// Tests for src/kernel/udp.ts: a UDP datagram sent by udpSendTo reaches a socket bound with udpBind
// (__udp4_lib_rcv), a datagram to a port nobody bound is answered with Port Unreachable, and the
// ICMP errors a datagram meets (Time Exceeded from a router, Port Unreachable from the host) go to
// the sending socket's error queue with the offender and the quoted ports (__udp4_lib_err).

import { parseIpv4 } from '../../src/model/addr.js';
import { type UdpDatagram, type UdpError, udpBind, udpSendTo } from '../../src/kernel/udp.js';
import { ROUTED, shellWith } from '../support/shell.js';

const routed = () => shellWith(...ROUTED);

/** ip parses an address the test writes. */
const ip = (text: string): number => parseIpv4(text)!;
const B = ip('10.0.2.2');

describe('UDP sockets', () => {
  it('delivers a datagram to the bound port with its source and TTL', () => {
    const sh = routed();
    const got: UdpDatagram[] = [];
    const close = udpBind(sh.sim, 'b', 5000, { datagram: (d) => got.push(d) });
    expect(typeof close).toBe('function');
    const data = new Uint8Array([1, 2, 3]);
    expect(sh.sim.control((tx) => udpSendTo(tx, 'a', 0, 40001, B, 5000, data, { ttl: 64, pmtudisc: 'dont' }))).toBeNull();
    sh.sim.runFor(1000);
    expect(got).toHaveLength(1);
    expect({ from: got[0].from, sport: got[0].sport, ttl: got[0].ttl, payload: [...got[0].payload] }).toEqual({
      from: ip('10.0.1.2'),
      sport: 40001,
      ttl: 63,
      payload: [1, 2, 3],
    });
  });

  it('refuses a second bind of the same port', () => {
    const sh = routed();
    expect(typeof udpBind(sh.sim, 'a', 7, {})).toBe('function');
    expect(udpBind(sh.sim, 'a', 7, {})).toEqual({ errno: 'EADDRINUSE' });
  });

  it.each([
    [1, 11, 0, '10.0.1.1'],
    [2, 3, 3, '10.0.2.2'],
  ])('with TTL %i the socket learns ICMP type %i code %i from %s', (ttl, type, code, from) => {
    const sh = routed();
    const errors: UdpError[] = [];
    udpBind(sh.sim, 'a', 40002, { error: (e) => errors.push(e) });
    sh.sim.control((tx) => udpSendTo(tx, 'a', 0, 40002, B, 33434, new Uint8Array(32), { ttl, pmtudisc: 'dont' }));
    sh.sim.runFor(1_000_000);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ from: ip(from), type, code, dst: B, sport: 40002, dport: 33434 });
  });

  it('returns the route error of a send with no route', () => {
    const sh = routed();
    const r = sh.sim.control((tx) => udpSendTo(tx, 'b', 0, 1, ip('10.0.2.2'), 2, new Uint8Array(0), { ttl: 64, pmtudisc: 'dont' }));
    expect(r).toBeNull();
    sh.run('ip -n a route del default');
    expect(sh.sim.control((tx) => udpSendTo(tx, 'a', 0, 1, B, 2, new Uint8Array(0), { ttl: 64, pmtudisc: 'dont' }))).toEqual({
      errno: 'ENETUNREACH',
    });
  });
});
