// Tests for the OPEN builders (BIRD 1.6 bgp_create_open, GoBGP v3.37 buildopen) and the peer capability
// parsing and wording of BIRD 1.6 (bgp_parse_capabilities, bgp_show_proto_info).

import { parseIpv4 } from '../../src/model/addr.js';
import { bgpProtocol, calicoProtocol } from '../../src/bgp/config.js';
import { birdOpen, gobgpOpen, neighborCapsText, parsePeerCaps } from '../../src/bgp/open.js';
import { encodeBgp, openCapabilities } from '../../src/model/wire/bgp.js';
import { hex, toHex } from './arbitraries.js';

const ip = (s: string): number => parseIpv4(s)!;
const base = {
  name: 'Mesh_10_23_14_111',
  localAs: 64512,
  peerAs: 64512,
  neighborAddress: ip('10.23.14.111'),
  sourceAddress: ip('10.23.14.110'),
  routerId: ip('10.23.14.110'),
};
const S = { grRecovery: false, noCapabilities: false };

describe('OPEN', () => {
  it.each([
    [
      'Calico (graceful restart, add paths on)',
      calicoProtocol(base),
      '010400010001 0200 4006007800010100 41040000fc00 450400010103 4600 4700',
    ],
    ['BIRD defaults (graceful restart aware)', bgpProtocol(base), '010400010001 0200 40020000 41040000fc00 4600 4700'],
    ['graceful restart off', bgpProtocol({ ...base, gracefulRestart: 'off' }), '010400010001 0200 41040000fc00 4600'],
    [
      'extended messages and LLGR able',
      bgpProtocol({ ...base, gracefulRestart: 'able', enableExtendedMessages: true, longLivedGracefulRestart: 'able' }),
      '010400010001 0200 4006007800010100 41040000fc00 4600 0600 470700010100000e10',
    ],
  ])('lists BIRD 1.6 capabilities in its order: %s', (_n, c, caps) => {
    const b = encodeBgp(birdOpen(c, S));
    expect(toHex(b.subarray(31))).toBe(toHex(hex(caps)));
  });

  it('sends AS_TRANS for a 4-octet AS, and for 65535 as BIRD does (`< 0xFFFF`)', () => {
    expect(birdOpen(calicoProtocol({ ...base, localAs: 4200000000 }), S).myAs).toBe(23456);
    expect(birdOpen(calicoProtocol({ ...base, localAs: 65535 }), S).myAs).toBe(23456);
    expect(gobgpOpen({ localAs: 65535, routerId: 1, hostname: 'h', version: '3.37.0', internal: false }).myAs).toBe(65535);
  });

  it('sends no capabilities when retrying without them', () => {
    expect(birdOpen(calicoProtocol(base), { grRecovery: false, noCapabilities: true }).parameters).toEqual([]);
  });

  it('builds the OPEN of a GoBGP v3 route reflector towards an iBGP client', () => {
    const o = gobgpOpen({ localAs: 64512, routerId: ip('172.18.0.2'), hostname: 'gobgp', version: '3.37.0', internal: true });
    expect(toHex(encodeBgp(o))).toBe(
      toHex(
        hex(
          'ffffffffffffffffffffffffffffffff 004d 01 04 fc00 005a ac120002 30 02 2e' +
            '0200 4907 05676f626770 00 4b0d 0c476f4247502f332e33372e30 010400010001 41040000fc00 0506000100010002',
        ),
      ),
    );
  });

  it('reads the peer capabilities as BIRD 1.6 does and words them for `show protocols all`', () => {
    const r = parsePeerCaps(openCapabilities(birdOpen(calicoProtocol(base), S)), true);
    if (!r.ok) throw new Error('refused');
    expect(neighborCapsText(r.caps)).toBe(' refresh enhanced-refresh restart-able llgr-aware AS4 add-path-rx add-path-tx');
    const g = parsePeerCaps(
      openCapabilities(gobgpOpen({ localAs: 64512, routerId: 1, hostname: 'g', version: '3.37.0', internal: true })),
      true,
    );
    expect(g.ok && neighborCapsText(g.caps)).toBe(' refresh AS4');
  });

  it('ignores LLGR without GR, and refuses a malformed known capability (2/0)', () => {
    const r = parsePeerCaps([{ code: 'long-lived-graceful-restart', families: [] }], true);
    expect(r.ok && [r.caps.llgrAware, r.caps.grAware]).toEqual([false, false]);
    expect(parsePeerCaps([{ code: 'unknown', type: 70, data: hex('00') }], true)).toEqual({ ok: false, subcode: 0 });
    // BIRD 1.6 does not check capability 1 at all.
    expect(parsePeerCaps([{ code: 'unknown', type: 1, data: hex('00') }], true).ok).toBe(true);
  });
});
