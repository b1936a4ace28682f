// Tests for src/scenarios/calico/resources.ts: every field of Calico's API is declared (checked against
// the property lists of the v3.30 CRDs in libcalico-go/config/crd), with a modelled flag.

import {
  fieldTable,
  FELIX_MODELLED,
  FelixConfigurationSpecSchema,
  KINDS,
  UNMODELLED_KINDS,
} from '../../../src/scenarios/calico/resources.js';
import { describeFields } from '../../../src/scenarios/calico/decode.js';

const specFields = (kind: Parameters<typeof fieldTable>[0]) =>
  fieldTable(kind)
    .filter((f) => f.path.startsWith('spec.'))
    .map((f) => f.path.slice(5))
    .sort();

describe('field tables', () => {
  it.each<[Parameters<typeof fieldTable>[0], string]>([
    [
      'IPPool',
      'allowedUses assignmentMode blockSize cidr disableBGPExport disabled ipip.enabled ipip.mode ipipMode nat-outgoing natOutgoing nodeSelector vxlanMode',
    ],
    [
      'BGPPeer',
      'asNumber filters keepOriginalNextHop localWorkloadSelector maxRestartTime node nodeSelector numAllowedLocalASNumbers password.secretKeyRef.key password.secretKeyRef.name password.secretKeyRef.optional peerIP peerSelector reachableBy sourceAddress ttlSecurity',
    ],
    [
      'BGPConfiguration',
      'asNumber bindMode communities[].name communities[].value ignoredInterfaces listenPort localWorkloadPeeringIPV4 localWorkloadPeeringIPV6 logSeverityScreen nodeMeshMaxRestartTime nodeMeshPassword.secretKeyRef.key nodeMeshPassword.secretKeyRef.name nodeMeshPassword.secretKeyRef.optional nodeToNodeMeshEnabled prefixAdvertisements[].cidr prefixAdvertisements[].communities serviceClusterIPs[].cidr serviceExternalIPs[].cidr serviceLoadBalancerIPs[].cidr',
    ],
  ])('declares every %s spec field of the CRD', (kind, crd) => {
    expect(specFields(kind)).toEqual(crd.split(' ').sort());
  });

  it('marks what calisim models', () => {
    const ippool = new Map(fieldTable('IPPool').map((f) => [f.path, f.modelled]));
    expect(ippool.get('spec.cidr')).toBe(true);
    expect(ippool.get('metadata.managedFields')).toBe(false);
    const peer = new Map(fieldTable('BGPPeer').map((f) => [f.path, f.modelled]));
    expect(peer.get('spec.filters')).toBe(false);
    expect(peer.get('spec.keepOriginalNextHop')).toBe(true);
  });

  it('declares the 160 FelixConfiguration fields of v3.30 and models a few', () => {
    const rows = describeFields(FelixConfigurationSpecSchema);
    expect(rows).toHaveLength(160);
    expect(
      rows
        .filter((r) => r.modelled)
        .map((r) => r.path)
        .sort(),
    ).toEqual([...FELIX_MODELLED].sort());
    expect(rows.find((r) => r.path === 'vxlanMTU')?.go).toBe('int');
    expect(rows.find((r) => r.path === 'routeRefreshInterval')?.go).toBe('v1.Duration');
  });

  it('knows the kinds of both API groups and the unmodelled ones', () => {
    expect([...(KINDS.get('projectcalico.org/v3')?.keys() ?? [])]).toContain('Node');
    expect([...(KINDS.get('crd.projectcalico.org/v1')?.keys() ?? [])]).not.toContain('Node');
    expect(KINDS.get('crd.projectcalico.org/v1')?.get('IPAMConfig')?.kind).toBe('IPAMConfiguration');
    expect(UNMODELLED_KINDS.has('NetworkPolicy')).toBe(true);
  });
});
