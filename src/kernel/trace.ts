// The packet trace: typed events the data path emits while it runs, each paired (by the engine)
// with the world snapshot it produced, so renderers and the TUI never touch forwarding logic.

import type { Ipv4 } from '../model/addr.js';
import type { NudState, Route } from '../model/world.js';

/** DropReason names why a packet was dropped, in the spirit of the kernel's skb drop reasons. */
export enum DropReason {
  LinkDown = 'link-down',
  NoCarrier = 'no-carrier',
  OtherHost = 'pkt-type-otherhost',
  BadHeader = 'bad-header',
  ForwardingDisabled = 'ip-forwarding-disabled',
  NoRoute = 'ip-no-route',
  Blackhole = 'route-blackhole',
  Unreachable = 'route-unreachable',
  Prohibit = 'route-prohibit',
  TtlExceeded = 'ip-ttl-exceeded',
  FragNeeded = 'pkt-too-big',
  NeighFailed = 'neigh-failed',
  NeighQueueFull = 'neigh-queue-full',
  RpFilter = 'ip-rpfilter',
  MartianSource = 'ip-martian-source',
  NoSocket = 'no-socket',
  BridgeSamePort = 'bridge-same-port',
  NotBridgeForwarding = 'bridge-port-not-forwarding',
  UnknownProtocol = 'unknown-l3-protocol',
  ArpIgnored = 'arp-ignored',
  VxlanNoFdb = 'vxlan-no-fdb',
  NamespaceGone = 'netns-gone',
}

/** TraceEvent is one step of a packet's life. `ns` is the namespace key, `dev` an ifname. */
export type TraceEvent =
  | { readonly kind: 'tx'; readonly ns: string; readonly dev: string; readonly frame: Uint8Array }
  | { readonly kind: 'rx'; readonly ns: string; readonly dev: string; readonly frame: Uint8Array }
  | {
      readonly kind: 'fib-lookup';
      readonly ns: string;
      readonly dst: Ipv4;
      readonly route: Route | null;
      readonly input: boolean;
    }
  | {
      readonly kind: 'neigh';
      readonly ns: string;
      readonly dev: string;
      readonly ip: Ipv4;
      readonly from: NudState | 'NONE';
      readonly to: NudState | 'NONE';
      readonly reason: string;
    }
  | { readonly kind: 'encap'; readonly ns: string; readonly dev: string; readonly outer: Uint8Array }
  | { readonly kind: 'decap'; readonly ns: string; readonly dev: string; readonly inner: Uint8Array }
  | { readonly kind: 'deliver'; readonly ns: string; readonly what: string }
  | { readonly kind: 'drop'; readonly ns: string; readonly dev?: string; readonly reason: DropReason; readonly detail?: string };
