// Tests for src/tools/kubectl/resources.ts: how `kubectl get TYPE` resolves TYPE. Every row is what
// kubectl v1.32.4 did with the same argument against a stub API server (on loopback, in a throwaway
// network namespace) whose discovery documents served pods, nodes, namespaces, services,
// apps/v1 daemonsets and deployments, and crd.projectcalico.org/v1 ippools, bgppeers and
// bgpconfigurations: which resource it then requested, or the error it printed (exit status 1).

import { qualifiedResource, resolveResourceType } from '../../../src/tools/kubectl/resources.js';

describe('resolveResourceType (checked against kubectl v1.32.4)', () => {
  it.each([
    ['IPPool', 'ippools.crd.projectcalico.org'],
    ['IPPOOLS', 'ippools.crd.projectcalico.org'],
    ['ippool', 'ippools.crd.projectcalico.org'],
    ['ippools.crd.projectcalico.org', 'ippools.crd.projectcalico.org'],
    ['IPPool.crd.projectcalico.org', 'ippools.crd.projectcalico.org'],
    ['ippool.v1.crd.projectcalico.org', 'ippools.crd.projectcalico.org'],
    // The shortcut expander also takes a prefix of the group.
    ['ippools.crd', 'ippools.crd.projectcalico.org'],
    ['ippools.cr', 'ippools.crd.projectcalico.org'],
    ['ippools.crd.projectcalico', 'ippools.crd.projectcalico.org'],
    ['ippool.crd', 'ippools.crd.projectcalico.org'],
    ['daemonset', 'daemonsets.apps'],
    ['ds', 'daemonsets.apps'],
    ['daemonset.apps', 'daemonsets.apps'],
    ['daemonsets.app', 'daemonsets.apps'],
    ['ds.app', 'daemonsets.apps'],
    ['DaemonSet.v1.apps', 'daemonsets.apps'],
    ['po', 'pods'],
    ['Pods', 'pods'],
    ['no', 'nodes'],
    ['bgppeers', 'bgppeers.crd.projectcalico.org'],
    ['bgpconfiguration', 'bgpconfigurations.crd.projectcalico.org'],
  ])('%s is %s', (arg, want) => {
    const r = resolveResourceType(arg);
    expect(r.ok && qualifiedResource(r.type)).toBe(want);
  });

  it.each([
    ['foo', 'error: the server doesn\'t have a resource type "foo"\n'],
    ['Foo.bar', 'error: the server doesn\'t have a resource type "Foo"\n'],
    // A version with a group that is only a prefix does not match, nor does another group.
    ['ippools.v1.crd', 'error: the server doesn\'t have a resource type "ippools"\n'],
    ['ippools.x', 'error: the server doesn\'t have a resource type "ippools"\n'],
  ])('%s is unknown', (arg, error) => {
    expect(resolveResourceType(arg)).toEqual({ ok: false, error });
  });

  it('prefers the core groups to the CRDs, as discovery lists them', () => {
    const r = resolveResourceType('networkpolicies');
    expect(r.ok && qualifiedResource(r.type)).toBe('networkpolicies.networking.k8s.io');
    const calico = resolveResourceType('networkpolicies.crd.projectcalico.org');
    expect(calico.ok && calico.type.namespaced).toBe(true);
  });
});
