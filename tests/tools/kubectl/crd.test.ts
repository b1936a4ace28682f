// Tests for src/tools/kubectl/crd.ts: a Calico resource as the Kubernetes datastore stores it. The
// `projectcalico.org/metadata` annotation is json.Marshal of the v3 ObjectMeta without name,
// namespace, resourceVersion, labels and annotations (libcalico-go ConvertCalicoResourceToK8sResource),
// so `{"uid":"…","creationTimestamp":"…"}` before v3.29 and `{"creationTimestamp":"…"}` after
// (projectcalico/calico#8586), as `kubectl get ippools -o yaml` shows on clusters of both ages. The
// YAML below is what kubectl v1.32.4 printed for this object, served by a stub API server.

import {
  calicoCustomResource,
  derivedResourceVersion,
  derivedUid,
  METADATA_ANNOTATION,
  rfc3339Seconds,
} from '../../../src/tools/kubectl/crd.js';
import { formatKubeObjects } from '../../../src/tools/kubectl/kubectl.js';
import { goObject, type GoObject } from '../../../src/tools/format/govalue.js';
import { parseRfc3339 } from '../../../src/scenarios/calico/cluster.js';

const lines = (...l: string[]): string => l.map((x) => `${x}\n`).join('');
const CREATED = parseRfc3339('2025-05-16T12:31:27Z')!;

const SPEC: GoObject = goObject([
  ['cidr', '10.233.0.0/16'],
  ['vxlanMode', 'Never'],
  ['ipipMode', 'Never'],
  ['natOutgoing', true],
  ['blockSize', 24],
  ['nodeSelector', 'all()'],
  ['allowedUses', ['Workload', 'Tunnel']],
]);

const META = {
  name: 'default-ipv4-ippool',
  uid: '9b8c7d6e-1f2a-4b3c-8d4e-5f6a7b8c9d0e',
  v3Uid: '3f2a1c9e-5b7d-4e21-9a0c-6d8e7f1b2c3d',
  resourceVersion: '1234',
  creationTimestamp: CREATED,
};

describe('calicoCustomResource', () => {
  it('prints as kubectl v1.32.4 printed the stored IPPool of a v3.26 cluster', () => {
    const pool = calicoCustomResource('IPPool', 'ippools', META, SPEC, { v3UidInAnnotation: true });
    expect(formatKubeObjects([pool], true, 'yaml')).toBe(
      lines(
        'apiVersion: crd.projectcalico.org/v1',
        'kind: IPPool',
        'metadata:',
        '  annotations:',
        `    projectcalico.org/metadata: '{"uid":"3f2a1c9e-5b7d-4e21-9a0c-6d8e7f1b2c3d","creationTimestamp":"2025-05-16T12:31:27Z"}'`,
        '  creationTimestamp: "2025-05-16T12:31:27Z"',
        '  generation: 1',
        '  name: default-ipv4-ippool',
        '  resourceVersion: "1234"',
        '  uid: 9b8c7d6e-1f2a-4b3c-8d4e-5f6a7b8c9d0e',
        'spec:',
        '  allowedUses:',
        '  - Workload',
        '  - Tunnel',
        '  blockSize: 24',
        '  cidr: 10.233.0.0/16',
        '  ipipMode: Never',
        '  natOutgoing: true',
        '  nodeSelector: all()',
        '  vxlanMode: Never',
      ),
    );
  });

  it('keeps only the creation time in the annotation from v3.29', () => {
    const pool = calicoCustomResource('IPPool', 'ippools', META, SPEC, { v3UidInAnnotation: false });
    const meta = pool.get('metadata') as GoObject;
    expect((meta.get('annotations') as GoObject).get(METADATA_ANNOTATION)).toBe('{"creationTimestamp":"2025-05-16T12:31:27Z"}');
  });

  it('keeps the resource labels and annotations, and an annotation the resource already has', () => {
    const pool = calicoCustomResource(
      'IPPool',
      'ippools',
      {
        name: 'p',
        creationTimestamp: CREATED,
        labels: new Map([['zone', 'b']]),
        annotations: new Map([
          ['z', '1'],
          [METADATA_ANNOTATION, '{"creationTimestamp":null}'],
        ]),
      },
      SPEC,
      { v3UidInAnnotation: true },
    );
    const meta = pool.get('metadata') as GoObject;
    expect([...(meta.get('annotations') as GoObject)]).toEqual([
      [METADATA_ANNOTATION, '{"creationTimestamp":null}'],
      ['z', '1'],
    ]);
    expect([...(meta.get('labels') as GoObject)]).toEqual([['zone', 'b']]);
  });

  it('derives the server-side fields from the name when the resource does not give them', () => {
    const a = calicoCustomResource('IPPool', 'ippools', { name: 'p', creationTimestamp: CREATED }, SPEC, { v3UidInAnnotation: true });
    const b = calicoCustomResource('IPPool', 'ippools', { name: 'p', creationTimestamp: CREATED }, SPEC, { v3UidInAnnotation: true });
    expect(formatKubeObjects([a], true, 'yaml')).toBe(formatKubeObjects([b], true, 'yaml'));
    const meta = a.get('metadata') as GoObject;
    expect(meta.get('uid')).toBe(derivedUid('crd.projectcalico.org/v1/ippools/p'));
    expect(meta.get('resourceVersion')).toBe(derivedResourceVersion('ippools/p'));
    expect(meta.get('generation')).toBe(1);
    expect(meta.get('creationTimestamp')).toBe('2025-05-16T12:31:27Z');
  });
});

describe('derived values', () => {
  it.each(['a', 'ippools/default-ipv4-ippool', 'projectcalico.org/v3/IPPool/x'])('%s gives a version-4 UUID', (seed) => {
    expect(derivedUid(seed)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('gives resource versions of four digits and differs by name', () => {
    expect(derivedResourceVersion('ippools/a')).toMatch(/^[1-9]\d{3}$/);
    expect(derivedUid('a')).not.toBe(derivedUid('b'));
  });

  it.each([
    [0, '1970-01-01T00:00:00Z'],
    [CREATED + 0.9, '2025-05-16T12:31:27Z'],
    [parseRfc3339('2024-12-31T23:59:06Z')!, '2024-12-31T23:59:06Z'],
  ])('rfc3339Seconds(%p) is %s', (t, want) => {
    expect(rfc3339Seconds(t)).toBe(want);
  });
});
