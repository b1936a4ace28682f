// Names Calico derives from other names, as projectcalico/calico v3.26–v3.30 computes them:
// libcalico-go/lib/backend/k8s/conversion/workload_endpoint_default.go (VethNameForWorkload),
// libcalico-go/lib/names/workloadendpoint.go (CalculateWorkloadEndpointName), libcalico-go/lib/names/cidr.go
// (CIDRToName), libcalico-go/lib/backend/k8s/resources/ipam_affinity.go (parseKey),
// felix/calc/vxlan_resolver.go (vtepMACForHost), confd/etc/calico/confd/templates/bird.cfg.template (protocol
// names), felix/ipsets/ipset_defs.go and felix/rules/rule_defs.go (ipset and chain names),
// cni-plugin/internal/pkg/utils/utils.go (GetHandleID), node/pkg/allocateip/allocateip.go (tunnel handles).

import { createHash } from 'node:crypto';
import { formatCidr, formatIpv4, type Cidr, type Ipv4, type Mac } from '../../model/addr.js';

/** DEFAULT_INTERFACE_PREFIX is the host-side veth prefix when FELIX_INTERFACEPREFIX is unset. */
export const DEFAULT_INTERFACE_PREFIX = 'cali';

function sha1Hex(s: string): string {
  return createHash('sha1').update(s, 'utf8').digest('hex');
}

/**
 * vethNameForWorkload is the host-side veth of a pod: the prefix, then the first 11 hex digits of
 * SHA-1("<namespace>.<pod>"). `prefix` is the first comma-separated entry of FELIX_INTERFACEPREFIX;
 * Calico does not shorten the result, so a prefix longer than 4 characters makes a name past IFNAMSIZ.
 */
export function vethNameForWorkload(namespace: string, pod: string, prefix = DEFAULT_INTERFACE_PREFIX): string {
  const first = prefix === '' ? DEFAULT_INTERFACE_PREFIX : prefix.split(',')[0];
  return first + sha1Hex(`${namespace}.${pod}`).slice(0, 11);
}

/** NameResult is a computed name, or the error Calico reports instead. */
export type NameResult = { readonly ok: true; readonly name: string } | { readonly ok: false; readonly error: string };

function escapeDashes(field: string, value: string): NameResult {
  if (value.startsWith('-')) return { ok: false, error: `error with field ${field} = '${value}' (field must not begin with a '-')` };
  if (value.endsWith('-')) return { ok: false, error: `error with field ${field} = '${value}' (field must not end with a '-')` };
  return { ok: true, name: value.replaceAll('-', '--') };
}

/**
 * workloadEndpointName is the WorkloadEndpoint name of a Kubernetes pod: node, `k8s`, pod and endpoint
 * joined by `-`, each `-` inside a segment doubled (`10--23--14--110-k8s-zlw--01-eth0`). A segment that is
 * empty, or begins or ends with `-`, gives Calico's ErrorValidation text.
 */
export function workloadEndpointName(node: string, pod: string, endpoint = 'eth0'): NameResult {
  const segments: [string, string][] = [
    ['node', node],
    ['orchestrator', 'k8s'],
    ['pod', pod],
    ['endpoint', endpoint],
  ];
  if (node === '') return { ok: false, error: 'error with field node (field should be assigned)' };
  const parts: string[] = [];
  for (const [field, value] of segments) {
    if (value === '') return { ok: false, error: `error with field ${field} = '' (field should be assigned)` };
    const r = escapeDashes(field, value);
    if (!r.ok) return r;
    parts.push(r.name);
  }
  return { ok: true, name: parts.join('-') };
}

/**
 * cidrToName is libcalico-go's CIDRToName: the CIDR text with its first three `.`, up to seven `:` and
 * its `/` replaced by `-`, e.g. `10-233-80-0-26`. It is the name of an IPAMBlock.
 */
export function cidrToName(cidr: Cidr): string {
  return replaceFirst(replaceFirst(replaceFirst(formatCidr(cidr), '.', '-', 3), ':', '-', 7), '/', '-', 1);
}

function replaceFirst(s: string, from: string, to: string, count: number): string {
  let out = s;
  let at = 0;
  for (let i = 0; i < count; i++) {
    const j = out.indexOf(from, at);
    if (j < 0) break;
    out = out.slice(0, j) + to + out.slice(j + from.length);
    at = j + to.length;
  }
  return out;
}

/** ipamBlockName is the Kubernetes name of the IPAMBlock CRD for a block, e.g. `10-233-80-0-26`. */
export function ipamBlockName(block: Cidr): string {
  return cidrToName(block);
}

/**
 * blockAffinityName is the Kubernetes name of a BlockAffinity: `<host>-<cidr name>`. A name of 253
 * characters or more is cut, and an 11-hex-digit SHA-256 of `<host>+<cidr name>` appended, as
 * ipam_affinity.go parseKey does.
 */
export function blockAffinityName(host: string, block: Cidr): string {
  const cidrName = cidrToName(block);
  const name = `${host}-${cidrName}`;
  if (name.length < 253) return name;
  const short = `${host.slice(0, 252 - cidrName.length - 13)}-${cidrName}`;
  const hash = createHash('sha256').update(`${host}+${cidrName}`, 'utf8').digest('hex').slice(0, 11);
  return `${short}-${hash}`;
}

function macOfBytes(bytes: readonly number[]): Mac {
  return bytes.map((b) => b.toString(16).padStart(2, '0')).join(':');
}

/**
 * vtepMacForHost is the MAC of a node's vxlan.calico when its Node has no vxlanTunnelMACAddr: 0x66 ('f')
 * followed by the first five bytes of SHA-1(node name), e.g. `10-23-14-110` → `66:53:9a:3b:57:55`.
 */
export function vtepMacForHost(nodename: string): Mac {
  const sha = createHash('sha1').update(nodename, 'utf8').digest();
  return macOfBytes([0x66, sha[0], sha[1], sha[2], sha[3], sha[4]]);
}

/** vtepMacForHostV6 is the vxlan-v6.calico MAC: the same rule over `<node name>-v6`. */
export function vtepMacForHostV6(nodename: string): Mac {
  return vtepMacForHost(`${nodename}-v6`);
}

/** birdIpId is the `$id` of bird.cfg.template: the address with each `.` turned into `_`. */
export function birdIpId(ip: Ipv4): string {
  return formatIpv4(ip).split('.').join('_');
}

/** meshProtocolName is the node-to-node mesh protocol for a peer node, `Mesh_10_23_14_111`. */
export function meshProtocolName(peer: Ipv4): string {
  return `Mesh_${birdIpId(peer)}`;
}

function withPort(id: string, port: number): string {
  // `{{$id = printf "%s_port_%.0f" $id $data.port}}` runs whenever the JSON port is non-zero, 179 included.
  return port !== 0 ? `${id}_port_${port}` : id;
}

/** globalPeerProtocolName is a global BGPPeer's protocol, `Global_<id>`, with `_port_<n>` for a set port. */
export function globalPeerProtocolName(peer: Ipv4, port = 0): string {
  return `Global_${withPort(birdIpId(peer), port)}`;
}

/** nodePeerProtocolName is a node-specific BGPPeer's protocol, `Node_<id>`, with `_port_<n>` for a set port. */
export function nodePeerProtocolName(peer: Ipv4, port = 0): string {
  return `Node_${withPort(birdIpId(peer), port)}`;
}

/** localWorkloadProtocolName is a v3.30 local-workload peering's protocol, `Local_Workload_<id>`. */
export function localWorkloadProtocolName(peer: Ipv4, port = 0): string {
  return `Local_Workload_${withPort(birdIpId(peer), port)}`;
}

/** IPSET_MAX_NAME_LENGTH is the longest ipset name the kernel takes (IPSET_MAXNAMELEN - 1). */
export const IPSET_MAX_NAME_LENGTH = 31;

/** IpsetId names the Felix ipsets the scenarios use (felix/rules/rule_defs.go). */
export const IpsetId = {
  AllIpamPools: 'all-ipam-pools',
  MasqIpamPools: 'masq-ipam-pools',
  AllHostNets: 'all-hosts-net',
  AllVxlanSourceNets: 'all-vxlan-net',
  ThisHostIps: 'this-host',
} as const;

/** ipsetName is Felix's main ipset name for an id: `cali` + IP version + `0` + id, cut to 31 characters. */
export function ipsetName(id: string, ipVersion: 4 | 6 = 4): string {
  return `cali${ipVersion}0${id}`.slice(0, IPSET_MAX_NAME_LENGTH);
}

/** CalicoChain holds the iptables chain names Felix uses for NAT (felix/rules/rule_defs.go). */
export const CalicoChain = {
  NatPrerouting: 'cali-PREROUTING',
  NatPostrouting: 'cali-POSTROUTING',
  NatOutput: 'cali-OUTPUT',
  NatOutgoing: 'cali-nat-outgoing',
  FipDnat: 'cali-fip-dnat',
  FipSnat: 'cali-fip-snat',
} as const;

/** CNI_NETWORK_NAME is the `name` of Calico's CNI network configuration in the manifests. */
export const CNI_NETWORK_NAME = 'k8s-pod-network';

/** cniHandleId is the IPAM handle the CNI plugin uses: `<network name>.<container id>`. */
export function cniHandleId(containerId: string, networkName = CNI_NETWORK_NAME): string {
  return `${networkName}.${containerId}`;
}

/**
 * containerIdForPod is the 64-hex-digit sandbox id calisim gives a pod. A container runtime picks it at
 * random; calisim derives it from SHA-256("<namespace>/<pod>") so that runs are reproducible.
 */
export function containerIdForPod(namespace: string, pod: string): string {
  return createHash('sha256').update(`${namespace}/${pod}`, 'utf8').digest('hex');
}

/** TunnelType is an encapsulation whose device gets an address from IPAM. */
export type TunnelType = 'ipip' | 'vxlan' | 'wireguard';

/** tunnelHandleId is the IPAM handle of a node's tunnel address, e.g. `ipip-tunnel-addr-<node>`. */
export function tunnelHandleId(type: TunnelType, node: string): string {
  return `${type}-tunnel-addr-${node}`;
}

/** TUNNEL_ATTRIBUTE_TYPE is the `type` allocation attribute of each tunnel address (ipam AttributeType*). */
export const TUNNEL_ATTRIBUTE_TYPE: Readonly<Record<TunnelType, string>> = {
  ipip: 'ipipTunnelAddress',
  vxlan: 'vxlanTunnelAddress',
  wireguard: 'wireguardTunnelAddress',
};

/** VXLAN_DEVICE is Felix's IPv4 VXLAN device (felix/dataplane/linux/dataplanedefs). */
export const VXLAN_DEVICE = 'vxlan.calico';
/** VXLAN_DEVICE_V6 is Felix's IPv6 VXLAN device. */
export const VXLAN_DEVICE_V6 = 'vxlan-v6.calico';
/** IPIP_DEVICE is the kernel's fallback IPIP device that Felix configures. */
export const IPIP_DEVICE = 'tunl0';
/** WIREGUARD_DEVICE is Felix's default IPv4 WireGuard device. */
export const WIREGUARD_DEVICE = 'wireguard.cali';
