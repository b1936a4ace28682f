// The Calico resources a scenario may hold, as `calicoctl get -o yaml` (projectcalico.org/v3) and
// `kubectl get -o yaml` (crd.projectcalico.org/v1) print them. Fields are the union of Calico v3.26, v3.29
// and v3.30: api/pkg/apis/projectcalico/v3/{ippool,bgpconfig,bgppeer,felixconfig,ipamconfig,blockaffinity}.go,
// libcalico-go/lib/apis/v3/{node,blockaffinity}.go, the CRDs in libcalico-go/config/crd/ and
// k8s.io/apimachinery's ObjectMeta/ListMeta. A field Calico's API lacks is an error; `modelled: false` marks
// the fields calisim accepts (and type-checks as Go would) but whose effect it does not simulate.

import { z } from 'zod';
import {
  describeFields,
  goAsNumber,
  goBool,
  goDuration,
  goInt,
  goList,
  goRaw,
  goString,
  goStringList,
  goStringMap,
  goStruct,
  withMeta,
  type FieldInfo,
} from './decode.js';

/** API_V3 is calicoctl's API group/version. */
export const API_V3 = 'projectcalico.org/v3';
/** API_CRD is the group/version of Calico's CRDs in the Kubernetes datastore. */
export const API_CRD = 'crd.projectcalico.org/v1';
/** API_CORE_V1 is the version of kubectl's generic `List`. */
export const API_CORE_V1 = 'v1';

const notModelled = { modelled: false } as const;

/** ObjectMetaSchema is metav1.ObjectMeta: name, labels and annotations are read; the server-side fields are accepted. */
export const ObjectMetaSchema = goStruct(
  'ObjectMeta',
  {
    name: goString(),
    generateName: goString(notModelled),
    namespace: goString(notModelled),
    selfLink: goString(notModelled),
    uid: goString({ go: 'types.UID', modelled: false }),
    resourceVersion: goString(notModelled),
    generation: goInt('int64', notModelled),
    creationTimestamp: goRaw('v1.Time'),
    deletionTimestamp: goRaw('*v1.Time'),
    deletionGracePeriodSeconds: goInt('int64', notModelled),
    labels: goStringMap(),
    annotations: goStringMap(notModelled),
    ownerReferences: goRaw('[]v1.OwnerReference'),
    finalizers: goStringList(notModelled),
    managedFields: goRaw('[]v1.ManagedFieldsEntry'),
  },
  { pkg: 'v1' },
).optional();

/** ListMetaSchema is metav1.ListMeta. */
export const ListMetaSchema = goStruct(
  'ListMeta',
  {
    selfLink: goString(notModelled),
    resourceVersion: goString(notModelled),
    continue: goString(notModelled),
    remainingItemCount: goInt('int64', notModelled),
  },
  { modelled: false, pkg: 'v1' },
).optional();

const typeMeta = { apiVersion: goString(), kind: goString() };

const SecretKeySelectorSchema = goStruct(
  'SecretKeySelector',
  {
    name: goString(),
    key: goString(),
    optional: goBool({ go: '*bool' }),
  },
  { pkg: 'v1' },
).optional();

/** BGPPasswordSchema is v3.BGPPassword: a key of a Secret in calico-node's namespace. */
export const BGPPasswordSchema = goStruct('BGPPassword', { secretKeyRef: SecretKeySelectorSchema }).optional();

// ---- IPPool ------------------------------------------------------------------------------------------

/** IPPoolSpecSchema is v3.IPPoolSpec. `ipip` and `nat-outgoing` exist only for API v1 and must stay unset. */
export const IPPoolSpecSchema = goStruct('IPPoolSpec', {
  cidr: goString(),
  vxlanMode: goString({ go: 'v3.VXLANMode' }),
  ipipMode: goString({ go: 'v3.IPIPMode' }),
  natOutgoing: goBool(),
  disabled: goBool(),
  disableBGPExport: goBool(),
  blockSize: goInt('int'),
  nodeSelector: goString(),
  ipip: goStruct('IPIPConfiguration', { enabled: goBool(), mode: goString({ go: 'v3.EncapMode' }) }).optional(),
  'nat-outgoing': goBool(),
  allowedUses: goStringList({ go: '[]v3.IPPoolAllowedUse' }),
  assignmentMode: goString({ go: 'v3.AssignmentMode' }),
}).optional();

/** IPPoolSchema is v3.IPPool (and the crd.projectcalico.org/v1 IPPool, which has the same spec). */
export const IPPoolSchema = goStruct('IPPool', { ...typeMeta, metadata: ObjectMetaSchema, spec: IPPoolSpecSchema });

// ---- BGPConfiguration --------------------------------------------------------------------------------

const cidrBlock = (name: string) => goStruct(name, { cidr: goString() }, notModelled);

/** BGPConfigurationSpecSchema is v3.BGPConfigurationSpec. */
export const BGPConfigurationSpecSchema = goStruct('BGPConfigurationSpec', {
  logSeverityScreen: goString(),
  nodeToNodeMeshEnabled: goBool({ go: '*bool' }),
  asNumber: goAsNumber(),
  serviceLoadBalancerIPs: goList(cidrBlock('ServiceLoadBalancerIPBlock'), '[]v3.ServiceLoadBalancerIPBlock', notModelled),
  serviceExternalIPs: goList(cidrBlock('ServiceExternalIPBlock'), '[]v3.ServiceExternalIPBlock', notModelled),
  serviceClusterIPs: goList(cidrBlock('ServiceClusterIPBlock'), '[]v3.ServiceClusterIPBlock', notModelled),
  communities: goList(goStruct('Community', { name: goString(), value: goString() }), '[]v3.Community', notModelled),
  prefixAdvertisements: goList(
    goStruct('PrefixAdvertisement', { cidr: goString(), communities: goStringList() }),
    '[]v3.PrefixAdvertisement',
    notModelled,
  ),
  listenPort: goInt('uint16'),
  nodeMeshPassword: BGPPasswordSchema,
  nodeMeshMaxRestartTime: goDuration(),
  bindMode: goString({ go: 'v3.BindMode' }),
  ignoredInterfaces: goStringList(),
  localWorkloadPeeringIPV4: goString(notModelled),
  localWorkloadPeeringIPV6: goString(notModelled),
}).optional();

/** BGPConfigurationSchema is v3.BGPConfiguration: `default`, or `node.<name>` for one node. */
export const BGPConfigurationSchema = goStruct('BGPConfiguration', {
  ...typeMeta,
  metadata: ObjectMetaSchema,
  spec: BGPConfigurationSpecSchema,
});

// ---- BGPPeer -----------------------------------------------------------------------------------------

/** BGPPeerSpecSchema is v3.BGPPeerSpec. */
export const BGPPeerSpecSchema = goStruct('BGPPeerSpec', {
  node: goString(),
  nodeSelector: goString(),
  peerIP: goString(),
  asNumber: goAsNumber(),
  peerSelector: goString(),
  keepOriginalNextHop: goBool(),
  password: BGPPasswordSchema,
  sourceAddress: goString({ go: 'v3.SourceAddress' }),
  maxRestartTime: goDuration(),
  numAllowedLocalASNumbers: goInt('int32'),
  ttlSecurity: goInt('uint8'),
  reachableBy: goString(),
  filters: goStringList(notModelled),
  localWorkloadSelector: goString(notModelled),
}).optional();

/** BGPPeerSchema is v3.BGPPeer. */
export const BGPPeerSchema = goStruct('BGPPeer', { ...typeMeta, metadata: ObjectMetaSchema, spec: BGPPeerSpecSchema });

// ---- Node --------------------------------------------------------------------------------------------

/** NodeSpecSchema is libcalico-go v3.NodeSpec. */
export const NodeSpecSchema = goStruct('NodeSpec', {
  bgp: goStruct('NodeBGPSpec', {
    asNumber: goAsNumber(),
    ipv4Address: goString(),
    ipv6Address: goString(notModelled),
    ipv4IPIPTunnelAddr: goString(),
    routeReflectorClusterID: goString(),
  }).optional(),
  ipv4VXLANTunnelAddr: goString(),
  vxlanTunnelMACAddr: goString(),
  ipv6VXLANTunnelAddr: goString(notModelled),
  vxlanTunnelMACAddrV6: goString(notModelled),
  orchRefs: goList(goStruct('OrchRef', { nodeName: goString(), orchestrator: goString() }), '[]v3.OrchRef', notModelled),
  wireguard: goStruct('NodeWireguardSpec', { interfaceIPv4Address: goString(), interfaceIPv6Address: goString() }, notModelled).optional(),
  addresses: goList(goStruct('NodeAddress', { address: goString(), type: goString() }), '[]v3.NodeAddress', notModelled),
}).optional();

/** NodeStatusSchema is libcalico-go v3.NodeStatus. */
export const NodeStatusSchema = goStruct(
  'NodeStatus',
  {
    wireguardPublicKey: goString(),
    wireguardPublicKeyV6: goString(),
    podCIDRs: goStringList(),
  },
  notModelled,
).optional();

/** NodeSchema is the Calico Node (projectcalico.org/v3 only: the Kubernetes datastore keeps it on the k8s Node). */
export const NodeSchema = goStruct('Node', { ...typeMeta, metadata: ObjectMetaSchema, spec: NodeSpecSchema, status: NodeStatusSchema });

// ---- FelixConfiguration ------------------------------------------------------------------------------

/**
 * FELIX_FIELDS lists every FelixConfigurationSpec field of v3.30 (a superset of v3.26 and v3.29) with its
 * Go type. Scalars, lists and durations are type-checked as Go decodes them; structured fields are
 * accepted as they are.
 */
const FELIX_FIELDS =
  'useInternalDataplaneDriver:*bool dataplaneDriver:string dataplaneWatchdogTimeout:*metav1.Duration ipv6Support:*bool ' +
  'routeRefreshInterval:*metav1.Duration interfaceRefreshInterval:*metav1.Duration iptablesRefreshInterval:*metav1.Duration ' +
  'iptablesPostWriteCheckInterval:*metav1.Duration iptablesLockFilePath:string iptablesLockTimeout:*metav1.Duration ' +
  'iptablesLockProbeInterval:*metav1.Duration featureDetectOverride:string featureGates:string ' +
  'ipsetsRefreshInterval:*metav1.Duration maxIpsetSize:*int iptablesBackend:*IptablesBackend ' +
  'xdpRefreshInterval:*metav1.Duration netlinkTimeout:*metav1.Duration metadataAddr:string metadataPort:*int ' +
  'openstackRegion:string interfacePrefix:string interfaceExclude:string chainInsertMode:string ' +
  'defaultEndpointToHostAction:string iptablesFilterAllowAction:string iptablesMangleAllowAction:string ' +
  'iptablesFilterDenyAction:string logPrefix:string logFilePath:string logSeverityFile:string logSeverityScreen:string ' +
  'logSeveritySys:string logDebugFilenameRegex:string ipipEnabled:*bool ipipMTU:*int vxlanEnabled:*bool vxlanMTU:*int ' +
  'vxlanMTUV6:*int vxlanPort:*int vxlanVNI:*int allowVXLANPacketsFromWorkloads:*bool allowIPIPPacketsFromWorkloads:*bool ' +
  'reportingInterval:*metav1.Duration reportingTTL:*metav1.Duration endpointReportingEnabled:*bool ' +
  'endpointReportingDelay:*metav1.Duration endpointStatusPathPrefix:string iptablesMarkMask:*uint32 ' +
  'disableConntrackInvalidCheck:*bool healthEnabled:*bool healthHost:*string healthPort:*int ' +
  'healthTimeoutOverrides:[]HealthTimeoutOverride prometheusMetricsEnabled:*bool prometheusMetricsHost:string ' +
  'prometheusMetricsPort:*int prometheusGoMetricsEnabled:*bool prometheusProcessMetricsEnabled:*bool ' +
  'prometheusWireGuardMetricsEnabled:*bool failsafeInboundHostPorts:*[]ProtoPort failsafeOutboundHostPorts:*[]ProtoPort ' +
  'kubeNodePortRanges:*[]numorstring.Port policySyncPathPrefix:string usageReportingEnabled:*bool ' +
  'usageReportingInitialDelay:*metav1.Duration usageReportingInterval:*metav1.Duration natPortRange:*numorstring.Port ' +
  'natOutgoingAddress:string deviceRouteSourceAddress:string deviceRouteSourceAddressIPv6:string deviceRouteProtocol:*int ' +
  'removeExternalRoutes:*bool ipForwarding:string externalNodesList:*[]string debugMemoryProfilePath:string ' +
  'debugDisableLogDropping:*bool debugSimulateCalcGraphHangAfter:*metav1.Duration ' +
  'debugSimulateDataplaneHangAfter:*metav1.Duration debugSimulateDataplaneApplyDelay:*metav1.Duration debugHost:*string ' +
  'debugPort:*int iptablesNATOutgoingInterfaceFilter:string sidecarAccelerationEnabled:*bool xdpEnabled:*bool ' +
  'genericXDPEnabled:*bool nftablesMode:*NFTablesMode nftablesRefreshInterval:*metav1.Duration ' +
  'nftablesFilterAllowAction:string nftablesMangleAllowAction:string nftablesFilterDenyAction:string ' +
  'nftablesMarkMask:*uint32 bpfEnabled:*bool bpfDisableUnprivileged:*bool bpfLogLevel:string bpfConntrackLogLevel:string ' +
  'bpfConntrackMode:*BPFConntrackMode bpfConntrackTimeouts:*BPFConntrackTimeouts bpfLogFilters:*map[string]string ' +
  'bpfCTLBLogFilter:string bpfDataIfacePattern:string bpfL3IfacePattern:string bpfConnectTimeLoadBalancingEnabled:*bool ' +
  'bpfConnectTimeLoadBalancing:*BPFConnectTimeLBType bpfHostNetworkedNATWithoutCTLB:*BPFHostNetworkedNATType ' +
  'bpfExternalServiceMode:string bpfDSROptoutCIDRs:*[]string bpfExtToServiceConnmark:*int ' +
  'bpfKubeProxyIptablesCleanupEnabled:*bool bpfKubeProxyMinSyncPeriod:*metav1.Duration ' +
  'bpfKubeProxyEndpointSlicesEnabled:*bool bpfPSNATPorts:*numorstring.Port bpfMapSizeNATFrontend:*int ' +
  'bpfMapSizeNATBackend:*int bpfMapSizeNATAffinity:*int bpfMapSizeRoute:*int bpfMapSizeConntrack:*int ' +
  'bpfMapSizePerCpuConntrack:*int bpfMapSizeConntrackScaling:string bpfMapSizeConntrackCleanupQueue:*int ' +
  'bpfMapSizeIPSets:*int bpfMapSizeIfState:*int bpfHostConntrackBypass:*bool bpfEnforceRPF:string ' +
  'bpfPolicyDebugEnabled:*bool bpfForceTrackPacketsFromIfaces:*[]string bpfDisableGROForIfaces:string ' +
  'bpfExcludeCIDRsFromNAT:*[]string bpfExportBufferSizeMB:*int flowLogsPolicyEvaluationMode:*FlowLogsPolicyEvaluationModeType ' +
  'bpfRedirectToPeer:string flowLogsFlushInterval:*metav1.Duration flowLogsCollectorDebugTrace:*bool ' +
  'flowLogsGoldmaneServer:*string bpfProfiling:string routeSource:string routeTableRanges:*RouteTableRanges ' +
  'routeTableRange:*RouteTableRange routeSyncDisabled:*bool wireguardEnabled:*bool wireguardEnabledV6:*bool ' +
  'wireguardThreadingEnabled:*bool wireguardListeningPort:*int wireguardListeningPortV6:*int ' +
  'wireguardRoutingRulePriority:*int wireguardInterfaceName:string wireguardInterfaceNameV6:string wireguardMTU:*int ' +
  'wireguardMTUV6:*int wireguardHostEncryptionEnabled:*bool wireguardKeepAlive:*metav1.Duration ' +
  'awsSrcDstCheck:*AWSSrcDstCheckOption serviceLoopPrevention:string workloadSourceSpoofing:string mtuIfacePattern:string ' +
  'floatingIPs:*FloatingIPType windowsManageFirewallRules:*WindowsManageFirewallRulesMode goGCThreshold:*int ' +
  'goMemoryLimitMB:*int goMaxProcs:*int';

/** FELIX_MODELLED are the FelixConfiguration fields whose effect calisim simulates. */
export const FELIX_MODELLED: ReadonlySet<string> = new Set([
  'interfacePrefix',
  'ipipEnabled',
  'ipipMTU',
  'vxlanEnabled',
  'vxlanMTU',
  'vxlanMTUV6',
  'vxlanPort',
  'vxlanVNI',
  'natOutgoingAddress',
  'natPortRange',
  'deviceRouteSourceAddress',
  'deviceRouteProtocol',
  'iptablesNATOutgoingInterfaceFilter',
  'featureDetectOverride',
  'wireguardEnabled',
  'wireguardMTU',
  'wireguardInterfaceName',
  'mtuIfacePattern',
]);

const GO_STRINGISH =
  /^\*?(string|IptablesBackend|NFTablesMode|BPFConntrackMode|BPFConnectTimeLBType|BPFHostNetworkedNATType|FlowLogsPolicyEvaluationModeType|AWSSrcDstCheckOption|FloatingIPType|WindowsManageFirewallRulesMode)$/;

function felixField(name: string, go: string): z.ZodType {
  const modelled = FELIX_MODELLED.has(name);
  const opts = { modelled };
  if (go === '*bool') return goBool({ go, modelled });
  if (GO_STRINGISH.test(go)) return goString({ go, modelled });
  if (go === '*int' || go === '*uint32') return goInt(go.slice(1) === 'uint32' ? 'uint32' : 'int', opts);
  if (go === '*metav1.Duration') return goDuration(opts);
  if (go === '*[]string') return goStringList({ go, modelled });
  if (go === '*map[string]string') return goStringMap(opts);
  if (go === '*numorstring.Port') return goRaw(go, opts);
  return goRaw(go, opts);
}

function felixShape(): Record<string, z.ZodType> {
  const shape: Record<string, z.ZodType> = {};
  for (const item of FELIX_FIELDS.split(' ')) {
    const i = item.indexOf(':');
    shape[item.slice(0, i)] = felixField(item.slice(0, i), item.slice(i + 1));
  }
  return shape;
}

/** FelixConfigurationSpecSchema is v3.FelixConfigurationSpec (v3.30). */
export const FelixConfigurationSpecSchema = goStruct('FelixConfigurationSpec', felixShape()).optional();

/** FelixConfigurationSchema is v3.FelixConfiguration: `default`, or `node.<name>` for one node. */
export const FelixConfigurationSchema = goStruct('FelixConfiguration', {
  ...typeMeta,
  metadata: ObjectMetaSchema,
  spec: FelixConfigurationSpecSchema,
});

// ---- IPAM configuration and block affinities ---------------------------------------------------------

/** IPAMConfigurationSchema is v3.IPAMConfiguration (projectcalico.org/v3, name `default`). */
export const IPAMConfigurationSchema = goStruct('IPAMConfiguration', {
  ...typeMeta,
  metadata: ObjectMetaSchema,
  spec: goStruct('IPAMConfigurationSpec', { strictAffinity: goBool(), maxBlocksPerHost: goInt('int32') }).optional(),
});

/** IPAMConfigSchema is the crd.projectcalico.org/v1 IPAMConfig (name `default`), which also has autoAllocateBlocks. */
export const IPAMConfigSchema = goStruct('IPAMConfig', {
  ...typeMeta,
  metadata: ObjectMetaSchema,
  spec: goStruct('IPAMConfigSpec', { strictAffinity: goBool(), autoAllocateBlocks: goBool(), maxBlocksPerHost: goInt('int') }).optional(),
});

/** BlockAffinitySchemaV3 is v3.BlockAffinity; calisim claims each as a pinned block of its node. */
export const BlockAffinitySchemaV3 = goStruct('BlockAffinity', {
  ...typeMeta,
  metadata: ObjectMetaSchema,
  spec: goStruct('BlockAffinitySpec', {
    state: goString({ go: 'v3.BlockAffinityState' }),
    node: goString(),
    cidr: goString(),
    deleted: goBool(notModelled),
  }).optional(),
});

/** BlockAffinitySchemaCrd is the crd.projectcalico.org/v1 BlockAffinity; `deleted` is a string there. */
export const BlockAffinitySchemaCrd = goStruct('BlockAffinity', {
  ...typeMeta,
  metadata: ObjectMetaSchema,
  spec: goStruct('BlockAffinitySpec', {
    state: goString(),
    node: goString(),
    type: goString(notModelled),
    cidr: goString(),
    deleted: goString(notModelled),
  }).optional(),
});

// ---- kinds -------------------------------------------------------------------------------------------

/** CalicoKind is a resource kind calisim reads. */
export type CalicoKind = 'IPPool' | 'BGPConfiguration' | 'BGPPeer' | 'Node' | 'FelixConfiguration' | 'IPAMConfiguration' | 'BlockAffinity';

/** KindInfo tells how a kind is decoded for one apiVersion. */
export interface KindInfo {
  readonly kind: CalicoKind;
  readonly schema: z.ZodType;
  /** goType is the Go struct the document is decoded into. */
  readonly goType: string;
}

/** KINDS maps apiVersion, then kind, to how calisim decodes the resource. */
export const KINDS: ReadonlyMap<string, ReadonlyMap<string, KindInfo>> = new Map([
  [
    API_V3,
    new Map<string, KindInfo>([
      ['IPPool', { kind: 'IPPool', schema: IPPoolSchema, goType: 'IPPool' }],
      ['BGPConfiguration', { kind: 'BGPConfiguration', schema: BGPConfigurationSchema, goType: 'BGPConfiguration' }],
      ['BGPPeer', { kind: 'BGPPeer', schema: BGPPeerSchema, goType: 'BGPPeer' }],
      ['Node', { kind: 'Node', schema: NodeSchema, goType: 'Node' }],
      ['FelixConfiguration', { kind: 'FelixConfiguration', schema: FelixConfigurationSchema, goType: 'FelixConfiguration' }],
      ['IPAMConfiguration', { kind: 'IPAMConfiguration', schema: IPAMConfigurationSchema, goType: 'IPAMConfiguration' }],
      ['BlockAffinity', { kind: 'BlockAffinity', schema: BlockAffinitySchemaV3, goType: 'BlockAffinity' }],
    ]),
  ],
  [
    API_CRD,
    new Map<string, KindInfo>([
      ['IPPool', { kind: 'IPPool', schema: IPPoolSchema, goType: 'IPPool' }],
      ['BGPConfiguration', { kind: 'BGPConfiguration', schema: BGPConfigurationSchema, goType: 'BGPConfiguration' }],
      ['BGPPeer', { kind: 'BGPPeer', schema: BGPPeerSchema, goType: 'BGPPeer' }],
      ['FelixConfiguration', { kind: 'FelixConfiguration', schema: FelixConfigurationSchema, goType: 'FelixConfiguration' }],
      ['IPAMConfig', { kind: 'IPAMConfiguration', schema: IPAMConfigSchema, goType: 'IPAMConfig' }],
      ['BlockAffinity', { kind: 'BlockAffinity', schema: BlockAffinitySchemaCrd, goType: 'BlockAffinity' }],
    ]),
  ],
]);

/**
 * UNMODELLED_KINDS are Calico kinds calisim recognises but does not simulate; a scenario holding one
 * is an error rather than a silent no-op.
 */
export const UNMODELLED_KINDS: ReadonlySet<string> = new Set([
  'BGPFilter',
  'CalicoNodeStatus',
  'ClusterInformation',
  'GlobalNetworkPolicy',
  'GlobalNetworkSet',
  'HostEndpoint',
  'IPAMBlock',
  'IPAMHandle',
  'IPReservation',
  'KubeControllersConfiguration',
  'NetworkPolicy',
  'NetworkSet',
  'Profile',
  'StagedGlobalNetworkPolicy',
  'StagedKubernetesNetworkPolicy',
  'StagedNetworkPolicy',
  'Tier',
  'WorkloadEndpoint',
]);

/** listSchema is a `<Kind>List` of one kind: ListMeta and items. */
export function listSchema(item: z.ZodType, goType: string): z.ZodType {
  return goStruct(goType, { ...typeMeta, metadata: ListMetaSchema, items: goList(item, `[]v3.${goType.replace(/List$/, '')}`) });
}

/** GenericListSchema is kubectl's `v1 List`; items are decoded one by one by their own kind. */
export const GenericListSchema = goStruct('List', {
  ...typeMeta,
  metadata: ListMetaSchema,
  items: withMeta(z.array(goRaw('runtime.RawExtension', { modelled: true })), { go: '[]runtime.RawExtension' }).optional(),
});

export type ObjectMeta = z.infer<typeof ObjectMetaSchema>;
export type IPPool = z.infer<typeof IPPoolSchema>;
export type BGPConfiguration = z.infer<typeof BGPConfigurationSchema>;
export type BGPPeer = z.infer<typeof BGPPeerSchema>;
export type CalicoNode = z.infer<typeof NodeSchema>;
export type FelixConfiguration = z.infer<typeof FelixConfigurationSchema>;
export type IPAMConfiguration = z.infer<typeof IPAMConfigurationSchema> | z.infer<typeof IPAMConfigSchema>;
export type BlockAffinity = z.infer<typeof BlockAffinitySchemaV3> | z.infer<typeof BlockAffinitySchemaCrd>;
export type BGPPassword = z.infer<typeof BGPPasswordSchema>;

/**
 * fieldTable lists, for a kind, every spec field with its Go type and whether calisim models it (the
 * table the brief asks for; also printed by tests).
 */
export function fieldTable(kind: CalicoKind): FieldInfo[] {
  const info = KINDS.get(API_V3)?.get(kind) ?? KINDS.get(API_CRD)?.get(kind);
  return info ? describeFields(info.schema) : [];
}
