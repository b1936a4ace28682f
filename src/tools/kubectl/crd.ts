// Calico resources as the Kubernetes API server stores them, which is what `kubectl get -o yaml|json`
// prints: crd.projectcalico.org/v1 objects written by libcalico-go's clientv3 (calico-node's startup,
// calicoctl) through the Kubernetes datastore. clientv3 resources.go Create sets the v3 creation time
// and a v3 UID; backend/k8s/resources/resources.go ConvertCalicoResourceToK8sResource then keeps name,
// labels and annotations on the custom resource and stores the rest of the v3 metadata, JSON-encoded,
// in the `projectcalico.org/metadata` annotation: `{"uid":"…","creationTimestamp":"…"}` up to v3.28.1,
// `{"creationTimestamp":"…"}` once the v3 UID stopped being stored there (projectcalico/calico#8586,
// v3.29; picked into v3.28.2). The API server adds creationTimestamp, generation (1 when created),
// resourceVersion and its own uid. Where a scenario's resource gives those fields they are used; the
// rest are derived from the resource's name, so every run prints the same values.

import { createHash } from 'node:crypto';
import { strftime } from '../birdc/cli.js';
import { goJsonMarshal } from '../format/gojson.js';
import { compareUtf8, goObject, isGoObject, type GoObject, type GoValue } from '../format/govalue.js';
import { CALICO_CRD_GROUP } from './resources.js';

/** CALICO_CRD_API_VERSION is the apiVersion of Calico's custom resources. */
export const CALICO_CRD_API_VERSION = `${CALICO_CRD_GROUP}/v1`;

/** METADATA_ANNOTATION is libcalico-go's annotation holding the v3 metadata of a custom resource. */
export const METADATA_ANNOTATION = 'projectcalico.org/metadata';

/** rfc3339Seconds is metav1.Time as JSON writes it: UTC, whole seconds. */
export function rfc3339Seconds(epoch: number): string {
  const t = Math.floor(epoch);
  return `${strftime('%F', t)}T${strftime('%T', t)}Z`;
}

/**
 * derivedUid is a UID in the form uuid.New() gives (version 4, RFC 4122 variant), made from the SHA-1
 * of `seed` instead of random bits.
 */
export function derivedUid(seed: string): string {
  const b = createHash('sha1').update(seed, 'utf8').digest().subarray(0, 16);
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** derivedResourceVersion is an etcd revision in the range a small cluster shows (1000–9999), from `seed`. */
export function derivedResourceVersion(seed: string): string {
  return String(1000 + (createHash('sha1').update(seed, 'utf8').digest().readUInt32BE(0) % 9000));
}

/** CustomResourceMeta is what a scenario's resource says of its metadata (any field may be missing). */
export interface CustomResourceMeta {
  readonly name: string;
  /** uid is the custom resource's (the API server's). */
  readonly uid?: string;
  /** v3Uid is the v3 resource's, which clientv3 gave it and the annotation keeps up to v3.28.1. */
  readonly v3Uid?: string;
  readonly resourceVersion?: string;
  readonly generation?: number;
  /** creationTimestamp is in epoch seconds. */
  readonly creationTimestamp: number;
  readonly labels?: ReadonlyMap<string, string>;
  readonly annotations?: ReadonlyMap<string, string>;
}

/** StoredObjectOptions say which Calico release wrote the object. */
export interface StoredObjectOptions {
  /** v3UidInAnnotation is true for Calico before v3.29 (the v3 UID is part of the metadata annotation). */
  readonly v3UidInAnnotation: boolean;
}

function stringMap(m: ReadonlyMap<string, string>): GoObject {
  return new Map([...m].sort(([a], [b]) => compareUtf8(a, b)));
}

/**
 * calicoCustomResource is the object `kubectl get` receives for a Calico resource of `kind` (plural
 * `plural`) whose v3 spec encodes as `spec` (encoding/json's form, as calicoctl prints it).
 */
export function calicoCustomResource(
  kind: string,
  plural: string,
  meta: CustomResourceMeta,
  spec: GoObject,
  o: StoredObjectOptions,
): GoObject {
  const created = rfc3339Seconds(meta.creationTimestamp);
  const v3Uid = meta.v3Uid ?? derivedUid(`projectcalico.org/v3/${kind}/${meta.name}`);
  const crUid = meta.uid ?? derivedUid(`${CALICO_CRD_API_VERSION}/${plural}/${meta.name}`);
  const annotations = new Map(meta.annotations ?? []);
  if (!annotations.has(METADATA_ANNOTATION)) {
    // json.Marshal of the v3 ObjectMeta without name, namespace, resourceVersion, labels and annotations.
    const v3meta = goObject([
      ['uid', o.v3UidInAnnotation ? v3Uid : undefined],
      ['creationTimestamp', created],
    ]);
    annotations.set(METADATA_ANNOTATION, goJsonMarshal(v3meta));
  }
  return goObject([
    ['apiVersion', CALICO_CRD_API_VERSION],
    ['kind', kind],
    [
      'metadata',
      goObject([
        ['annotations', stringMap(annotations)],
        ['creationTimestamp', created],
        ['generation', meta.generation ?? 1],
        ['labels', meta.labels !== undefined && meta.labels.size > 0 ? stringMap(meta.labels) : undefined],
        ['name', meta.name],
        ['resourceVersion', meta.resourceVersion ?? derivedResourceVersion(`${plural}/${meta.name}`)],
        ['uid', crUid],
      ]),
    ],
    ['spec', spec],
  ]);
}

/** sortedKeys is a value as a Go map[string]interface{} holds it: every object's keys in byte order (json.Marshal's order). */
export function sortedKeys(v: GoValue): GoValue {
  if (v === null || typeof v !== 'object') return v;
  if (isGoObject(v)) return new Map([...v.keys()].sort(compareUtf8).map((k) => [k, sortedKeys(v.get(k)!)] as const));
  return (v as readonly GoValue[]).map(sortedKeys);
}
