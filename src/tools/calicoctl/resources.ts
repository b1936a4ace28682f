// Calico v3 resources as calicoctl reads and prints them: the structs of projectcalico/calico
// api/pkg/apis/projectcalico/v3 (IPPool, BGPPeer, BGPConfiguration) and libcalico-go/lib/apis/v3
// (Node, WorkloadEndpoint), with metav1.ObjectMeta, turned into the JSON encoding/json writes for
// them: struct field order, `omitempty` dropping zero values, Go maps (labels) in key order.
// Addresses and CIDRs are strings here, exactly as the API carries them.

import { goObject, goSortedMap, type GoObject, type GoValue } from '../format/govalue.js';

/** CALICO_API_VERSION is the apiVersion calicoctl writes (api GroupVersionCurrent). */
export const CALICO_API_VERSION = 'projectcalico.org/v3';

/** CalicoVersion is the calicoctl release whose table columns are printed. */
export type CalicoVersion = 'v3.26' | 'v3.27' | 'v3.28' | 'v3.29' | 'v3.30';

/** ObjectMeta is the part of metav1.ObjectMeta Calico resources carry. */
export interface ObjectMeta {
  readonly name: string;
  readonly namespace?: string;
  readonly uid?: string;
  readonly resourceVersion?: string;
  readonly generation?: number;
  /** creationTimestamp is RFC 3339 (`2024-05-16T12:31:29Z`); absent prints `null`, as a zero metav1.Time does. */
  readonly creationTimestamp?: string;
  readonly labels?: ReadonlyMap<string, string>;
  readonly annotations?: ReadonlyMap<string, string>;
}

/** IPPoolSpec is api v3 IPPoolSpec; unset fields are the Go zero values. */
export interface IPPoolSpec {
  readonly cidr: string;
  readonly vxlanMode?: string;
  readonly ipipMode?: string;
  readonly natOutgoing?: boolean;
  readonly disabled?: boolean;
  readonly disableBGPExport?: boolean;
  readonly blockSize?: number;
  readonly nodeSelector?: string;
  readonly allowedUses?: readonly string[];
  /** assignmentMode exists from v3.30 (the client defaults it to `Automatic`). */
  readonly assignmentMode?: string;
}

/** IPPool is an api v3 IPPool. */
export interface IPPool {
  readonly kind: 'IPPool';
  readonly metadata: ObjectMeta;
  readonly spec: IPPoolSpec;
}

/** NodeBGPSpec is libcalico-go v3 NodeBGPSpec. */
export interface NodeBGPSpec {
  readonly asNumber?: number;
  readonly ipv4Address?: string;
  readonly ipv6Address?: string;
  readonly ipv4IPIPTunnelAddr?: string;
  readonly routeReflectorClusterID?: string;
}

/** NodeAddress is one entry of NodeSpec.addresses (`type` is CalicoNodeIP, InternalIP, ...). */
export interface NodeAddress {
  readonly address: string;
  readonly type?: string;
}

/** OrchRef names the orchestrator's node for a Calico node. */
export interface OrchRef {
  readonly nodeName?: string;
  readonly orchestrator: string;
}

/** CalicoNodeSpec is libcalico-go v3 NodeSpec (WireGuard left out). */
export interface CalicoNodeSpec {
  readonly bgp?: NodeBGPSpec;
  readonly ipv4VXLANTunnelAddr?: string;
  readonly vxlanTunnelMACAddr?: string;
  readonly orchRefs?: readonly OrchRef[];
  readonly addresses?: readonly NodeAddress[];
}

/** CalicoNodeStatus is libcalico-go v3 NodeStatus. */
export interface CalicoNodeStatus {
  readonly podCIDRs?: readonly string[];
}

/** CalicoNode is a libcalico-go v3 Node. */
export interface CalicoNode {
  readonly kind: 'Node';
  readonly metadata: ObjectMeta;
  readonly spec: CalicoNodeSpec;
  readonly status?: CalicoNodeStatus;
}

/** IPNAT is one 1:1 NAT of a workload endpoint. */
export interface IPNAT {
  readonly internalIP: string;
  readonly externalIP: string;
}

/** WorkloadEndpointSpec is libcalico-go v3 WorkloadEndpointSpec (ports and QoS left out). */
export interface WorkloadEndpointSpec {
  readonly orchestrator?: string;
  readonly workload?: string;
  readonly node?: string;
  readonly containerID?: string;
  readonly pod?: string;
  readonly endpoint?: string;
  readonly serviceAccountName?: string;
  readonly ipNetworks?: readonly string[];
  readonly ipNATs?: readonly IPNAT[];
  readonly ipv4Gateway?: string;
  readonly profiles?: readonly string[];
  readonly interfaceName?: string;
  readonly mac?: string;
}

/** WorkloadEndpoint is a libcalico-go v3 WorkloadEndpoint. */
export interface WorkloadEndpoint {
  readonly kind: 'WorkloadEndpoint';
  readonly metadata: ObjectMeta;
  readonly spec: WorkloadEndpointSpec;
}

/** BGPPeerSpec is api v3 BGPPeerSpec (password, filters and timers left out). */
export interface BGPPeerSpec {
  readonly node?: string;
  readonly nodeSelector?: string;
  readonly peerIP?: string;
  readonly asNumber?: number;
  readonly peerSelector?: string;
  readonly keepOriginalNextHop?: boolean;
  readonly sourceAddress?: string;
  readonly ttlSecurity?: number;
  readonly reachableBy?: string;
}

/** BGPPeer is an api v3 BGPPeer. */
export interface BGPPeer {
  readonly kind: 'BGPPeer';
  readonly metadata: ObjectMeta;
  readonly spec: BGPPeerSpec;
}

/** BGPConfigurationSpec is api v3 BGPConfigurationSpec (service IPs and communities left out). */
export interface BGPConfigurationSpec {
  readonly logSeverityScreen?: string;
  readonly nodeToNodeMeshEnabled?: boolean;
  readonly asNumber?: number;
  readonly listenPort?: number;
  readonly bindMode?: string;
}

/** BGPConfiguration is an api v3 BGPConfiguration. */
export interface BGPConfiguration {
  readonly kind: 'BGPConfiguration';
  readonly metadata: ObjectMeta;
  readonly spec: BGPConfigurationSpec;
}

/** CalicoResource is any resource calicoctl prints here. */
export type CalicoResource = IPPool | CalicoNode | WorkloadEndpoint | BGPPeer | BGPConfiguration;

/** CalicoKind is the kind of a CalicoResource. */
export type CalicoKind = CalicoResource['kind'];

// omitempty: Go drops "", 0, false, nil and empty slices and maps.
const str = (s: string | undefined): string | undefined => (s ? s : undefined);
const num = (n: number | undefined): number | undefined => (n ? n : undefined);
const bool = (b: boolean | undefined): boolean | undefined => (b ? true : undefined);
const strs = (a: readonly string[] | undefined): GoValue | undefined => (a && a.length > 0 ? [...a] : undefined);

function stringMap(m: ReadonlyMap<string, string> | undefined): GoObject | undefined {
  return m && m.size > 0 ? goSortedMap(m) : undefined;
}

/** objectMetaJson is metav1.ObjectMeta as JSON (field order of the struct). */
export function objectMetaJson(m: ObjectMeta): GoObject {
  return goObject([
    ['name', str(m.name)],
    ['namespace', str(m.namespace)],
    ['uid', str(m.uid)],
    ['resourceVersion', str(m.resourceVersion)],
    ['generation', num(m.generation)],
    ['creationTimestamp', m.creationTimestamp ?? null],
    ['labels', stringMap(m.labels)],
    ['annotations', stringMap(m.annotations)],
  ]);
}

function specJson(r: CalicoResource): GoObject {
  switch (r.kind) {
    case 'IPPool': {
      const s = r.spec;
      return goObject([
        ['cidr', s.cidr],
        ['vxlanMode', str(s.vxlanMode)],
        ['ipipMode', str(s.ipipMode)],
        ['natOutgoing', bool(s.natOutgoing)],
        ['disabled', bool(s.disabled)],
        ['disableBGPExport', bool(s.disableBGPExport)],
        ['blockSize', num(s.blockSize)],
        ['nodeSelector', str(s.nodeSelector)],
        ['allowedUses', strs(s.allowedUses)],
        ['assignmentMode', s.assignmentMode],
      ]);
    }
    case 'Node': {
      const s = r.spec;
      const bgp = s.bgp
        ? goObject([
            ['asNumber', num(s.bgp.asNumber)],
            ['ipv4Address', str(s.bgp.ipv4Address)],
            ['ipv6Address', str(s.bgp.ipv6Address)],
            ['ipv4IPIPTunnelAddr', str(s.bgp.ipv4IPIPTunnelAddr)],
            ['routeReflectorClusterID', str(s.bgp.routeReflectorClusterID)],
          ])
        : undefined;
      const orch =
        s.orchRefs && s.orchRefs.length > 0
          ? s.orchRefs.map((o) =>
              goObject([
                ['nodeName', str(o.nodeName)],
                ['orchestrator', o.orchestrator],
              ]),
            )
          : undefined;
      const addrs =
        s.addresses && s.addresses.length > 0
          ? s.addresses.map((a) =>
              goObject([
                ['address', a.address],
                ['type', str(a.type)],
              ]),
            )
          : undefined;
      return goObject([
        ['bgp', bgp],
        ['ipv4VXLANTunnelAddr', str(s.ipv4VXLANTunnelAddr)],
        ['vxlanTunnelMACAddr', str(s.vxlanTunnelMACAddr)],
        ['orchRefs', orch],
        ['addresses', addrs],
      ]);
    }
    case 'WorkloadEndpoint': {
      const s = r.spec;
      const nats =
        s.ipNATs && s.ipNATs.length > 0
          ? s.ipNATs.map((n) =>
              goObject([
                ['internalIP', n.internalIP],
                ['externalIP', n.externalIP],
              ]),
            )
          : undefined;
      return goObject([
        ['orchestrator', str(s.orchestrator)],
        ['workload', str(s.workload)],
        ['node', str(s.node)],
        ['containerID', str(s.containerID)],
        ['pod', str(s.pod)],
        ['endpoint', str(s.endpoint)],
        ['serviceAccountName', str(s.serviceAccountName)],
        ['ipNetworks', strs(s.ipNetworks)],
        ['ipNATs', nats],
        ['ipv4Gateway', str(s.ipv4Gateway)],
        ['profiles', strs(s.profiles)],
        ['interfaceName', str(s.interfaceName)],
        ['mac', str(s.mac)],
      ]);
    }
    case 'BGPPeer': {
      const s = r.spec;
      return goObject([
        ['node', str(s.node)],
        ['nodeSelector', str(s.nodeSelector)],
        ['peerIP', str(s.peerIP)],
        ['asNumber', num(s.asNumber)],
        ['peerSelector', str(s.peerSelector)],
        ['keepOriginalNextHop', bool(s.keepOriginalNextHop)],
        ['sourceAddress', str(s.sourceAddress)],
        ['ttlSecurity', s.ttlSecurity],
        ['reachableBy', str(s.reachableBy)],
      ]);
    }
    case 'BGPConfiguration': {
      const s = r.spec;
      return goObject([
        ['logSeverityScreen', str(s.logSeverityScreen)],
        ['nodeToNodeMeshEnabled', s.nodeToNodeMeshEnabled],
        ['asNumber', s.asNumber],
        ['listenPort', num(s.listenPort)],
        ['bindMode', s.bindMode],
      ]);
    }
  }
}

/** resourceJson is the resource as encoding/json writes it: kind, apiVersion, metadata, spec[, status]. */
export function resourceJson(r: CalicoResource): GoObject {
  const entries: [string, GoValue | undefined][] = [
    ['kind', r.kind],
    ['apiVersion', CALICO_API_VERSION],
    ['metadata', objectMetaJson(r.metadata)],
    ['spec', specJson(r)],
  ];
  if (r.kind === 'Node') entries.push(['status', goObject([['podCIDRs', strs(r.status?.podCIDRs)]])]);
  return goObject(entries);
}

/** resourceListJson is a `<Kind>List` (what a list without names returns) as JSON. */
export function resourceListJson(kind: CalicoKind, items: readonly CalicoResource[], resourceVersion?: string): GoObject {
  return goObject([
    ['kind', `${kind}List`],
    ['apiVersion', CALICO_API_VERSION],
    ['metadata', goObject([['resourceVersion', str(resourceVersion)]])],
    ['items', items.map(resourceJson)],
  ]);
}
