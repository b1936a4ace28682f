// The resource types kubectl finds through the API server's discovery, and how it resolves a `kubectl get
// TYPE` argument to one of them: cli-runtime resource/builder.go mappingFor (schema.ParseResourceArg:
// `res`, `res.group`, `res.version.group`, then the same as a kind) over the discovery RESTMapper, which
// lower-cases the argument and matches a resource's plural, singular or short names
// (apimachinery meta/restmapper.go coerceResourceForMatching, client-go restmapper/shortcut.go). The
// table is what a v1.32 API server serves (`kubectl api-resources`), plus the CustomResourceDefinitions of
// Calico (libcalico-go/config/crd, crd.projectcalico.org/v1: no short names, no printer columns) and of
// the tigera-operator (operator.tigera.io/v1). Core groups come first, as discovery lists them, so
// `networkpolicies` is networking.k8s.io's. No Calico API server is modelled: `ippools` is the CRD.

/** KubeResourceType is one resource of the discovery documents. */
export interface KubeResourceType {
  /** plural is the resource name (`daemonsets`). */
  readonly plural: string;
  readonly singular: string;
  readonly kind: string;
  /** group is the API group, '' for the core group. */
  readonly group: string;
  readonly version: string;
  readonly namespaced: boolean;
  readonly shortNames: readonly string[];
}

const r = (plural: string, kind: string, group: string, namespaced: boolean, shortNames: readonly string[] = [], version = 'v1') => ({
  plural,
  singular: kind.toLowerCase(),
  kind,
  group,
  version,
  namespaced,
  shortNames,
});

const CORE: readonly KubeResourceType[] = [
  r('bindings', 'Binding', '', true),
  r('componentstatuses', 'ComponentStatus', '', false, ['cs']),
  r('configmaps', 'ConfigMap', '', true, ['cm']),
  r('endpoints', 'Endpoints', '', true, ['ep']),
  r('events', 'Event', '', true, ['ev']),
  r('limitranges', 'LimitRange', '', true, ['limits']),
  r('namespaces', 'Namespace', '', false, ['ns']),
  r('nodes', 'Node', '', false, ['no']),
  r('persistentvolumeclaims', 'PersistentVolumeClaim', '', true, ['pvc']),
  r('persistentvolumes', 'PersistentVolume', '', false, ['pv']),
  r('pods', 'Pod', '', true, ['po']),
  r('podtemplates', 'PodTemplate', '', true),
  r('replicationcontrollers', 'ReplicationController', '', true, ['rc']),
  r('resourcequotas', 'ResourceQuota', '', true, ['quota']),
  r('secrets', 'Secret', '', true),
  r('serviceaccounts', 'ServiceAccount', '', true, ['sa']),
  r('services', 'Service', '', true, ['svc']),
  r('mutatingwebhookconfigurations', 'MutatingWebhookConfiguration', 'admissionregistration.k8s.io', false),
  r('validatingadmissionpolicies', 'ValidatingAdmissionPolicy', 'admissionregistration.k8s.io', false),
  r('validatingadmissionpolicybindings', 'ValidatingAdmissionPolicyBinding', 'admissionregistration.k8s.io', false),
  r('validatingwebhookconfigurations', 'ValidatingWebhookConfiguration', 'admissionregistration.k8s.io', false),
  r('customresourcedefinitions', 'CustomResourceDefinition', 'apiextensions.k8s.io', false, ['crd', 'crds']),
  r('apiservices', 'APIService', 'apiregistration.k8s.io', false),
  r('controllerrevisions', 'ControllerRevision', 'apps', true),
  r('daemonsets', 'DaemonSet', 'apps', true, ['ds']),
  r('deployments', 'Deployment', 'apps', true, ['deploy']),
  r('replicasets', 'ReplicaSet', 'apps', true, ['rs']),
  r('statefulsets', 'StatefulSet', 'apps', true, ['sts']),
  r('selfsubjectreviews', 'SelfSubjectReview', 'authentication.k8s.io', false),
  r('tokenreviews', 'TokenReview', 'authentication.k8s.io', false),
  r('localsubjectaccessreviews', 'LocalSubjectAccessReview', 'authorization.k8s.io', true),
  r('selfsubjectaccessreviews', 'SelfSubjectAccessReview', 'authorization.k8s.io', false),
  r('selfsubjectrulesreviews', 'SelfSubjectRulesReview', 'authorization.k8s.io', false),
  r('subjectaccessreviews', 'SubjectAccessReview', 'authorization.k8s.io', false),
  r('horizontalpodautoscalers', 'HorizontalPodAutoscaler', 'autoscaling', true, ['hpa'], 'v2'),
  r('cronjobs', 'CronJob', 'batch', true, ['cj']),
  r('jobs', 'Job', 'batch', true),
  r('certificatesigningrequests', 'CertificateSigningRequest', 'certificates.k8s.io', false, ['csr']),
  r('leases', 'Lease', 'coordination.k8s.io', true),
  r('endpointslices', 'EndpointSlice', 'discovery.k8s.io', true),
  r('events', 'Event', 'events.k8s.io', true, ['ev']),
  r('flowschemas', 'FlowSchema', 'flowcontrol.apiserver.k8s.io', false),
  r('prioritylevelconfigurations', 'PriorityLevelConfiguration', 'flowcontrol.apiserver.k8s.io', false),
  r('ingressclasses', 'IngressClass', 'networking.k8s.io', false),
  r('ingresses', 'Ingress', 'networking.k8s.io', true, ['ing']),
  r('networkpolicies', 'NetworkPolicy', 'networking.k8s.io', true, ['netpol']),
  r('runtimeclasses', 'RuntimeClass', 'node.k8s.io', false),
  r('poddisruptionbudgets', 'PodDisruptionBudget', 'policy', true, ['pdb']),
  r('clusterrolebindings', 'ClusterRoleBinding', 'rbac.authorization.k8s.io', false),
  r('clusterroles', 'ClusterRole', 'rbac.authorization.k8s.io', false),
  r('rolebindings', 'RoleBinding', 'rbac.authorization.k8s.io', true),
  r('roles', 'Role', 'rbac.authorization.k8s.io', true),
  r('priorityclasses', 'PriorityClass', 'scheduling.k8s.io', false, ['pc']),
  r('csidrivers', 'CSIDriver', 'storage.k8s.io', false),
  r('csinodes', 'CSINode', 'storage.k8s.io', false),
  r('csistoragecapacities', 'CSIStorageCapacity', 'storage.k8s.io', true),
  r('storageclasses', 'StorageClass', 'storage.k8s.io', false, ['sc']),
  r('volumeattachments', 'VolumeAttachment', 'storage.k8s.io', false),
];

/** CALICO_CRD_GROUP is the group of Calico's CustomResourceDefinitions. */
export const CALICO_CRD_GROUP = 'crd.projectcalico.org';

const CALICO: readonly KubeResourceType[] = [
  r('bgpconfigurations', 'BGPConfiguration', CALICO_CRD_GROUP, false),
  r('bgpfilters', 'BGPFilter', CALICO_CRD_GROUP, false),
  r('bgppeers', 'BGPPeer', CALICO_CRD_GROUP, false),
  r('blockaffinities', 'BlockAffinity', CALICO_CRD_GROUP, false),
  r('caliconodestatuses', 'CalicoNodeStatus', CALICO_CRD_GROUP, false),
  r('clusterinformations', 'ClusterInformation', CALICO_CRD_GROUP, false),
  r('felixconfigurations', 'FelixConfiguration', CALICO_CRD_GROUP, false),
  r('globalnetworkpolicies', 'GlobalNetworkPolicy', CALICO_CRD_GROUP, false),
  r('globalnetworksets', 'GlobalNetworkSet', CALICO_CRD_GROUP, false),
  r('hostendpoints', 'HostEndpoint', CALICO_CRD_GROUP, false),
  r('ipamblocks', 'IPAMBlock', CALICO_CRD_GROUP, false),
  r('ipamconfigs', 'IPAMConfig', CALICO_CRD_GROUP, false),
  r('ipamhandles', 'IPAMHandle', CALICO_CRD_GROUP, false),
  r('ippools', 'IPPool', CALICO_CRD_GROUP, false),
  r('ipreservations', 'IPReservation', CALICO_CRD_GROUP, false),
  r('kubecontrollersconfigurations', 'KubeControllersConfiguration', CALICO_CRD_GROUP, false),
  r('networkpolicies', 'NetworkPolicy', CALICO_CRD_GROUP, true),
  r('networksets', 'NetworkSet', CALICO_CRD_GROUP, true),
];

const OPERATOR: readonly KubeResourceType[] = [
  r('apiservers', 'APIServer', 'operator.tigera.io', false),
  r('imagesets', 'ImageSet', 'operator.tigera.io', false),
  r('installations', 'Installation', 'operator.tigera.io', false),
  r('tigerastatuses', 'TigeraStatus', 'operator.tigera.io', false),
];

/** KUBE_RESOURCE_TYPES are the discovery documents' resources, in discovery order. */
export const KUBE_RESOURCE_TYPES: readonly KubeResourceType[] = [...CORE, ...CALICO, ...OPERATOR];

/** qualifiedResource is schema.GroupResource.String(): `pods`, `daemonsets.apps`, `ippools.crd.projectcalico.org`. */
export function qualifiedResource(t: KubeResourceType): string {
  return t.group === '' ? t.plural : `${t.plural}.${t.group}`;
}

function named(t: KubeResourceType, resource: string): boolean {
  return t.plural === resource || t.singular === resource || t.shortNames.includes(resource);
}

/**
 * resolveResourceType is mappingFor: the resource an argument names (`IPPool`, `ds`,
 * `ippools.crd.projectcalico.org`, `daemonset.v1.apps`, and `ippools.crd`: the shortcut expander
 * also takes a prefix of the group), or kubectl's error for a name discovery does not have
 * (`error: the server doesn't have a resource type "X"`, X the part before the first dot). Checked
 * against kubectl v1.32.4.
 */
export function resolveResourceType(arg: string): { ok: true; type: KubeResourceType } | { ok: false; error: string } {
  const parts = arg.toLowerCase().split('.');
  const resource = parts[0];
  const find = (ok: (t: KubeResourceType) => boolean): KubeResourceType | undefined =>
    KUBE_RESOURCE_TYPES.find((t) => named(t, resource) && ok(t));
  let t: KubeResourceType | undefined;
  if (parts.length === 1) t = find(() => true);
  else {
    // ParseResourceArg: `resource.version.group` when there are three or more parts, then `resource.group`.
    const group = parts.slice(1).join('.');
    if (parts.length >= 3) t = find((x) => x.version === parts[1] && x.group === parts.slice(2).join('.'));
    t ??= find((x) => x.group === group) ?? find((x) => x.group.startsWith(group));
  }
  if (t !== undefined) return { ok: true, type: t };
  return { ok: false, error: `error: the server doesn't have a resource type "${arg.split('.')[0]}"\n` };
}
