// Configuration of one BGP protocol instance with BIRD 1.6's defaults (projectcalico/bird
// proto/bgp/config.Y bgp_proto_start, bgp.c bgp_check_config) and the template Calico's confd renders
// (calico confd/etc/calico/confd/templates/bird.cfg.template: `template bgp bgp_template`).

import type { Ipv4 } from '../model/addr.js';
import { BGP_PORT } from '../model/wire/bgp.js';

/** GracefulRestartMode is `graceful restart on|aware|off` (BGP_GR_ABLE, BGP_GR_AWARE, 0). */
export type GracefulRestartMode = 'able' | 'aware' | 'off';

/** UpdateErrorHandling picks how attribute errors are answered: BIRD 1.6's RFC 4271 reading, or RFC 7606. */
export type UpdateErrorHandling = 'rfc4271' | 'rfc7606';

/** OpenStyle picks the OPEN a protocol sends: BIRD 1.6's (bgp_create_open) or GoBGP v3's (fsm.go buildopen). */
export type OpenStyle = { kind: 'bird' } | { kind: 'gobgp'; hostname: string; version: string };

/** BgpProtocolConfig is one `protocol bgp NAME { … }` block with every option the simulator models. */
export interface BgpProtocolConfig {
  /** name is the protocol name: `Mesh_10_23_14_111`, `Node_…`, `Global_…`. */
  readonly name: string;
  /** description is `description "…"` (`show protocols all` prints it). */
  readonly description?: string;
  readonly localAs: number;
  readonly peerAs: number;
  /** neighborAddress is `neighbor A as N`. */
  readonly neighborAddress: Ipv4;
  /** sourceAddress is `source address A`; it is the local end and the NEXT_HOP of local routes. */
  readonly sourceAddress: Ipv4;
  /** port is `neighbor … port N` (179 by default). */
  readonly port: number;
  /** routerId is the speaker's `router id`. */
  readonly routerId: Ipv4;
  readonly passive: boolean;
  /** rrClient is `rr client`; rrClusterId is `rr cluster id` (default: the router id). */
  readonly rrClient: boolean;
  readonly rrClusterId: Ipv4 | null;
  /** multihop is `multihop [N]` / `direct`; null is BIRD's default (64 for iBGP, direct for eBGP). */
  readonly multihop: number | null;
  readonly ttlSecurity: boolean;
  readonly holdTime: number;
  readonly startupHoldTime: number;
  /** keepaliveTime 0 means hold time / 3. */
  readonly keepaliveTime: number;
  readonly connectDelayTime: number;
  readonly connectRetryTime: number;
  readonly errorWaitTime: readonly [number, number];
  readonly errorForgetTime: number;
  readonly gracefulRestart: GracefulRestartMode;
  readonly gracefulRestartTime: number;
  /** longLivedGracefulRestart null follows BIRD: aware when graceful restart is on, else off. */
  readonly longLivedGracefulRestart: GracefulRestartMode | null;
  readonly longLivedStaleTime: number;
  /** addPaths is `add paths rx|tx|on|off` as the RFC 7911 Send/Receive value (1, 2, 3, 0). */
  readonly addPaths: 0 | 1 | 2 | 3;
  readonly enableRouteRefresh: boolean;
  readonly enableAs4: boolean;
  readonly enableExtendedMessages: boolean;
  /** capabilities is `capabilities on|off`; 'auto' is BIRD's default: on, retrying without after a 2/4 or 2/7. */
  readonly capabilities: 'auto' | 'on' | 'off';
  readonly advertiseIpv4: boolean;
  readonly defaultLocalPref: number;
  readonly defaultMed: number;
  readonly interpretCommunities: boolean;
  /** gateway is `gateway direct|recursive`; null is BIRD's default (recursive when multihop). */
  readonly gateway: 'direct' | 'recursive' | null;
  readonly nextHopSelf: boolean;
  readonly nextHopKeep: boolean;
  /** allowLocalAs is `allow local as [N]`: N more copies of the local AS are no loop; -1 allows any. */
  readonly allowLocalAs: number;
  readonly updateErrorHandling: UpdateErrorHandling;
  readonly open: OpenStyle;
}

/** BIRD_DEFAULTS are BIRD 1.6's values for everything a `protocol bgp` block leaves out. */
export const BIRD_DEFAULTS = {
  port: BGP_PORT,
  description: undefined,
  passive: false,
  rrClient: false,
  rrClusterId: null,
  multihop: null,
  ttlSecurity: false,
  holdTime: 240,
  startupHoldTime: 240,
  keepaliveTime: 0,
  connectDelayTime: 5,
  connectRetryTime: 120,
  errorWaitTime: [60, 300] as const,
  errorForgetTime: 300,
  gracefulRestart: 'aware' as GracefulRestartMode,
  gracefulRestartTime: 120,
  longLivedGracefulRestart: null,
  longLivedStaleTime: 3600,
  addPaths: 0 as const,
  enableRouteRefresh: true,
  enableAs4: true,
  enableExtendedMessages: false,
  capabilities: 'auto' as const,
  advertiseIpv4: true,
  defaultLocalPref: 100,
  defaultMed: 0,
  interpretCommunities: true,
  gateway: null,
  nextHopSelf: false,
  nextHopKeep: false,
  allowLocalAs: 0,
  updateErrorHandling: 'rfc4271' as UpdateErrorHandling,
  open: { kind: 'bird' } as OpenStyle,
} satisfies Partial<BgpProtocolConfig>;

/**
 * CALICO_TEMPLATE is what Calico's `template bgp bgp_template` sets: `description "Connection to BGP
 * peer"; gateway recursive; add paths on; graceful restart; connect delay time 2; connect retry time 5;
 * error wait time 5,30;` (no hold time: BIRD's 240).
 */
export const CALICO_TEMPLATE = {
  description: 'Connection to BGP peer',
  gateway: 'recursive' as const,
  addPaths: 3 as const,
  gracefulRestart: 'able' as GracefulRestartMode,
  connectDelayTime: 2,
  connectRetryTime: 5,
  errorWaitTime: [5, 30] as const,
} satisfies Partial<BgpProtocolConfig>;

/** BgpProtocolRequired are the options without a default. */
export type BgpProtocolRequired = Pick<BgpProtocolConfig, 'name' | 'localAs' | 'peerAs' | 'neighborAddress' | 'sourceAddress' | 'routerId'>;

/** bgpProtocol fills a protocol's options with BIRD's defaults. */
export function bgpProtocol(required: BgpProtocolRequired & Partial<BgpProtocolConfig>): BgpProtocolConfig {
  return { ...BIRD_DEFAULTS, ...required };
}

/** calicoProtocol fills a protocol from Calico's bgp_template, then BIRD's defaults. */
export function calicoProtocol(required: BgpProtocolRequired & Partial<BgpProtocolConfig>): BgpProtocolConfig {
  return { ...BIRD_DEFAULTS, ...CALICO_TEMPLATE, ...required };
}

/** isInternal says whether the session is iBGP (local AS = peer AS). */
export function isInternal(c: BgpProtocolConfig): boolean {
  return c.localAs === c.peerAs;
}

/** effectiveMultihop is bgp_check_config's default: 64 hops for iBGP, direct (0) for eBGP. */
export function effectiveMultihop(c: BgpProtocolConfig): number {
  return c.multihop ?? (isInternal(c) ? 64 : 0);
}

/** effectiveGateway is bgp_check_config's default: recursive when multihop, else direct. */
export function effectiveGateway(c: BgpProtocolConfig): 'direct' | 'recursive' {
  return c.gateway ?? (effectiveMultihop(c) ? 'recursive' : 'direct');
}

/** effectiveLlgr is bgp_check_config's default: LLGR aware when graceful restart is on. */
export function effectiveLlgr(c: BgpProtocolConfig): GracefulRestartMode {
  return c.longLivedGracefulRestart ?? (c.gracefulRestart !== 'off' ? 'aware' : 'off');
}

/** effectiveClusterId is bgp_start's rule: `rr cluster id`, else the router id (only for rr clients). */
export function effectiveClusterId(c: BgpProtocolConfig): Ipv4 {
  return c.rrClusterId ?? c.routerId;
}

/** socketTtl is the TTL BIRD sets on the session's socket (255 with TTL security, else the hop count or 1). */
export function socketTtl(c: BgpProtocolConfig): number {
  return c.ttlSecurity ? 255 : effectiveMultihop(c) || 1;
}

/** BGP_SOCKET_TOS is IP_PREC_INTERNET_CONTROL, the TOS BIRD puts on BGP sockets (tcpdump: `tos 0xc0`). */
export const BGP_SOCKET_TOS = 0xc0;

/** GOBGP_VERSION is the GoBGP release whose OPEN and timers gobgpProtocol models. */
export const GOBGP_VERSION = '3.37.0';

/**
 * gobgpProtocol is a GoBGP v3.37 neighbour (pkg/config/oc/default.go: hold 90, keepalive 30, connect retry
 * 120, no graceful restart, no ADD-PATH; pkg/server/fsm.go buildopen for the OPEN). Only the OPEN and the
 * timers are GoBGP's: the session machine and route handling stay BIRD's.
 */
export function gobgpProtocol(required: BgpProtocolRequired & Partial<BgpProtocolConfig> & { hostname: string }): BgpProtocolConfig {
  const { hostname, ...rest } = required;
  return {
    ...BIRD_DEFAULTS,
    holdTime: 90,
    startupHoldTime: 90,
    keepaliveTime: 30,
    connectDelayTime: 1,
    connectRetryTime: 120,
    errorWaitTime: [30, 30],
    gracefulRestart: 'off',
    addPaths: 0,
    open: { kind: 'gobgp', hostname, version: GOBGP_VERSION },
    ...rest,
  };
}
