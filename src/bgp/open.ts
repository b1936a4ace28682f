// The OPEN message a speaker sends and what it learns from the peer's: BIRD 1.6 as Calico runs it
// (projectcalico/bird proto/bgp/packets.c bgp_create_open, bgp_parse_capabilities), GoBGP v3.37
// (osrg/gobgp pkg/server/fsm.go capabilitiesFromConfig, buildopen), and the capability and session
// words of `birdc show protocols all` (proto/bgp/bgp.c bgp_show_proto_info).

import type { Ipv4 } from '../model/addr.js';
import {
  ADD_PATH_RECEIVE,
  ADD_PATH_SEND,
  AS_TRANS,
  Afi,
  BGP_VERSION,
  GR_FORWARDING,
  GR_RESTART_STATE,
  Safi,
  type BgpCapability,
  type BgpOpenRepr,
} from '../model/wire/bgp.js';
import { effectiveLlgr, isInternal, type BgpProtocolConfig } from './config.js';

/** PeerCaps is what BIRD 1.6 records from the peer's capabilities (struct bgp_conn peer_*). */
export interface PeerCaps {
  readonly routeRefresh: boolean;
  readonly enhancedRefresh: boolean;
  readonly as4: boolean;
  /** as4Number is the AS of capability 65, or null when absent. */
  readonly as4Number: number | null;
  /** addPath is the peer's Send/Receive value for IPv4 unicast (0 when absent). */
  readonly addPath: number;
  readonly grAware: boolean;
  readonly grAble: boolean;
  readonly grTime: number;
  /** grRestarting is the peer's Restart State (R) bit. */
  readonly grRestarting: boolean;
  /** grForwarding is the F bit of the peer's IPv4 unicast tuple. */
  readonly grForwarding: boolean;
  readonly llgrAware: boolean;
  readonly llgrAble: boolean;
  readonly llgrTime: number;
  readonly llgrForwarding: boolean;
  readonly extMessages: boolean;
}

/** NO_CAPS is a peer that sent no capabilities. */
export const NO_CAPS: PeerCaps = {
  routeRefresh: false,
  enhancedRefresh: false,
  as4: false,
  as4Number: null,
  addPath: 0,
  grAware: false,
  grAble: false,
  grTime: 0,
  grRestarting: false,
  grForwarding: false,
  llgrAware: false,
  llgrAble: false,
  llgrTime: 0,
  llgrForwarding: false,
  extMessages: false,
};

/** OpenState is the local state the OPEN depends on. */
export interface OpenState {
  /** grRecovery is BIRD's gr_recovery: started with `-R` and graceful restart recovery not done yet. */
  readonly grRecovery: boolean;
  /** noCapabilities is start state BSS_CONNECT_NOCAP (retry without capabilities after a 2/4 or 2/7). */
  readonly noCapabilities: boolean;
}

const isV4Unicast = (f: { afi: number; safi: number }): boolean => f.afi === Afi.Ipv4 && f.safi === Safi.Unicast;

/**
 * birdCapabilities is bgp_create_open's capability list, in its order: MP IPv4 unicast, route refresh,
 * graceful restart (6 octets when able, with the R and F bits while recovering; 2 octets of zero
 * when aware), 4-octet AS, ADD-PATH, enhanced route refresh, extended messages, long-lived GR
 * (7 octets when able, empty when aware).
 */
export function birdCapabilities(c: BgpProtocolConfig, s: OpenState): BgpCapability[] {
  const caps: BgpCapability[] = [];
  if (c.advertiseIpv4) caps.push({ code: 'multiprotocol', afi: Afi.Ipv4, safi: Safi.Unicast });
  if (c.enableRouteRefresh) caps.push({ code: 'route-refresh' });
  if (c.gracefulRestart === 'able')
    caps.push({
      code: 'graceful-restart',
      flags: s.grRecovery ? GR_RESTART_STATE : 0,
      restartTime: c.gracefulRestartTime & 0xfff,
      families: [{ afi: Afi.Ipv4, safi: Safi.Unicast, flags: s.grRecovery ? GR_FORWARDING : 0 }],
    });
  else if (c.gracefulRestart === 'aware') caps.push({ code: 'graceful-restart', flags: 0, restartTime: 0, families: [] });
  if (c.enableAs4) caps.push({ code: 'as4', asn: c.localAs });
  if (c.addPaths) caps.push({ code: 'add-path', families: [{ afi: Afi.Ipv4, safi: Safi.Unicast, sendReceive: c.addPaths }] });
  if (c.enableRouteRefresh) caps.push({ code: 'enhanced-route-refresh' });
  if (c.enableExtendedMessages) caps.push({ code: 'extended-message' });
  const llgr = effectiveLlgr(c);
  if (llgr === 'able')
    caps.push({
      code: 'long-lived-graceful-restart',
      families: [
        { afi: Afi.Ipv4, safi: Safi.Unicast, flags: s.grRecovery ? GR_FORWARDING : 0, staleTime: c.longLivedStaleTime & 0xffffff },
      ],
    });
  else if (llgr === 'aware') caps.push({ code: 'long-lived-graceful-restart', families: [] });
  return caps;
}

/** twoOctetAs is the My Autonomous System field: BIRD writes AS_TRANS for any AS not below 65535. */
function twoOctetAs(asn: number, strictlyBelow: boolean): number {
  return (strictlyBelow ? asn < 0xffff : asn <= 0xffff) ? asn : AS_TRANS;
}

/** birdOpen is the OPEN BIRD 1.6 sends on a connection (bgp_create_open). */
export function birdOpen(c: BgpProtocolConfig, s: OpenState): BgpOpenRepr {
  const caps = c.capabilities !== 'off' && !s.noCapabilities ? birdCapabilities(c, s) : [];
  return {
    type: 'open',
    version: BGP_VERSION,
    myAs: twoOctetAs(c.localAs, true),
    holdTime: c.holdTime,
    bgpId: c.routerId,
    parameters: caps.length > 0 ? [{ type: 'capabilities', capabilities: caps }] : [],
  };
}

/** GobgpOpenOptions are the neighbour settings GoBGP's OPEN depends on. */
export interface GobgpOpenOptions {
  readonly localAs: number;
  readonly routerId: Ipv4;
  /** holdTime is the neighbour's hold time (GoBGP's default 90). */
  readonly holdTime?: number;
  /** hostname is os.Hostname() of the gobgpd process (the FQDN capability). */
  readonly hostname: string;
  /** version is GoBGP's version, e.g. `3.37.0` (the software version capability of iBGP sessions). */
  readonly version: string;
  /** internal says the peer type is internal (then the software version capability is sent). */
  readonly internal: boolean;
  readonly sendSoftwareVersion?: boolean;
  /** gracefulRestart adds capability 64 (restart time, with the IPv4 unicast tuple unless helper only). */
  readonly gracefulRestart?: { restartTime: number; helperOnly?: boolean; restarting?: boolean; notification?: boolean };
  /** addPath is the ADD-PATH Send/Receive value for IPv4 unicast (none when 0). */
  readonly addPath?: number;
}

/**
 * gobgpOpen is the OPEN GoBGP v3.37 sends to an IPv4 neighbour with the default ipv4-unicast family:
 * route refresh, FQDN, software version (iBGP), MP, 4-octet AS, graceful restart when enabled,
 * extended next hop for IPv4 unicast, ADD-PATH when configured; all in one capabilities parameter.
 */
export function gobgpOpen(o: GobgpOpenOptions): BgpOpenRepr {
  const caps: BgpCapability[] = [{ code: 'route-refresh' }, { code: 'fqdn', hostname: o.hostname.slice(0, 64), domain: '' }];
  if (o.sendSoftwareVersion || o.internal) caps.push({ code: 'software-version', version: `GoBGP/${o.version}`.slice(0, 64) });
  caps.push({ code: 'multiprotocol', afi: Afi.Ipv4, safi: Safi.Unicast });
  caps.push({ code: 'as4', asn: o.localAs });
  if (o.gracefulRestart) {
    const gr = o.gracefulRestart;
    const flags = (gr.restarting ? GR_RESTART_STATE : 0) | (gr.notification ? 0x4 : 0);
    caps.push({
      code: 'graceful-restart',
      flags,
      restartTime: gr.restartTime & 0xfff,
      families: gr.helperOnly ? [] : [{ afi: Afi.Ipv4, safi: Safi.Unicast, flags: gr.restarting ? GR_FORWARDING : 0 }],
    });
  }
  caps.push({ code: 'extended-next-hop', tuples: [{ afi: Afi.Ipv4, safi: Safi.Unicast, nextHopAfi: Afi.Ipv6 }] });
  if (o.addPath) caps.push({ code: 'add-path', families: [{ afi: Afi.Ipv4, safi: Safi.Unicast, sendReceive: o.addPath }] });
  return {
    type: 'open',
    version: BGP_VERSION,
    myAs: twoOctetAs(o.localAs, false),
    holdTime: o.holdTime ?? 90,
    bgpId: o.routerId,
    parameters: [{ type: 'capabilities', capabilities: caps }],
  };
}

/** openFor builds the OPEN of a protocol in its configured style. */
export function openFor(c: BgpProtocolConfig, s: OpenState): BgpOpenRepr {
  if (c.open.kind === 'gobgp')
    return gobgpOpen({
      localAs: c.localAs,
      routerId: c.routerId,
      holdTime: c.holdTime,
      hostname: c.open.hostname,
      version: c.open.version,
      internal: isInternal(c),
      addPath: c.addPaths || undefined,
    });
  return birdOpen(c, s);
}

/** CapsResult is the peer's capabilities, or the OPEN error subcode (2/0) a malformed one earns. */
export type CapsResult = { ok: true; caps: PeerCaps } | { ok: false; subcode: number };

/** BIRD16_CHECKED are the codes bgp_parse_capabilities checks the length of. */
const BIRD16_CHECKED = new Set([2, 6, 64, 65, 69, 70, 71]);

/**
 * parsePeerCaps is bgp_parse_capabilities over every capability of the OPEN, in order: a capability
 * BIRD 1.6 knows with a bad length, or an ADD-PATH value above 3, is 2/0; LLGR without GR is ignored.
 */
export function parsePeerCaps(caps: readonly BgpCapability[], enableAs4: boolean): CapsResult {
  let p: { -readonly [K in keyof PeerCaps]: PeerCaps[K] } = { ...NO_CAPS };
  for (const c of caps) {
    switch (c.code) {
      case 'route-refresh':
        p.routeRefresh = true;
        break;
      case 'extended-message':
        p.extMessages = true;
        break;
      case 'graceful-restart': {
        p.grAware = true;
        p.grAble = false;
        p.grTime = c.restartTime;
        p.grRestarting = (c.flags & GR_RESTART_STATE) !== 0;
        p.grForwarding = false;
        for (const f of c.families)
          if (isV4Unicast(f)) {
            p.grAble = true;
            p.grForwarding = (f.flags & GR_FORWARDING) !== 0;
          }
        break;
      }
      case 'as4':
        p.as4 = true;
        if (enableAs4) p.as4Number = c.asn;
        break;
      case 'add-path':
        for (const f of c.families) if (isV4Unicast(f)) p.addPath = f.sendReceive;
        if (p.addPath > 3) return { ok: false, subcode: 0 };
        break;
      case 'enhanced-route-refresh':
        p.enhancedRefresh = true;
        break;
      case 'long-lived-graceful-restart':
        p.llgrAware = true;
        p.llgrAble = false;
        p.llgrTime = 0;
        p.llgrForwarding = false;
        for (const f of c.families)
          if (isV4Unicast(f)) {
            p.llgrAble = true;
            p.llgrTime = f.staleTime;
            p.llgrForwarding = (f.flags & GR_FORWARDING) !== 0;
          }
        break;
      case 'unknown':
        if (BIRD16_CHECKED.has(c.type)) return { ok: false, subcode: 0 };
        break;
      default:
        break;
    }
  }
  if (!p.grAware && p.llgrAware) p = { ...p, llgrAware: false, llgrAble: false, llgrTime: 0, llgrForwarding: false };
  return { ok: true, caps: p };
}

/** neighborCapsText is the `Neighbor caps:` value, each word with its leading space (7 of BIRD's 8 fields print). */
export function neighborCapsText(p: PeerCaps): string {
  return (
    (p.routeRefresh ? ' refresh' : '') +
    (p.enhancedRefresh ? ' enhanced-refresh' : '') +
    (p.grAble ? ' restart-able' : p.grAware ? ' restart-aware' : '') +
    (p.llgrAble ? ' llgr-able' : p.llgrAware ? ' llgr-aware' : '') +
    (p.as4 ? ' AS4' : '') +
    (p.addPath & ADD_PATH_RECEIVE ? ' add-path-rx' : '') +
    (p.addPath & ADD_PATH_SEND ? ' add-path-tx' : '')
  );
}
