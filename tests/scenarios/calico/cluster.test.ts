// Tests for src/scenarios/calico/cluster.ts: time parsing, interface names, image flavours and the
// Cluster schema's own checks.

import { parseRfc3339, podToolFlavour, validInterfaceName, DEFAULT_START_TIME } from '../../../src/scenarios/calico/cluster.js';

describe('parseRfc3339', () => {
  it.each<[string, number | null]>([
    ['1970-01-01T00:00:00Z', 0],
    ['2025-05-16T03:24:00Z', 1747365840],
    ['2025-05-16T05:24:00+02:00', 1747365840],
    ['2025-05-16t03:24:00.25z', 1747365840.25],
    ['2024-02-29T12:00:00Z', 1709208000],
    [DEFAULT_START_TIME, 1735689600],
    ['2023-02-29T00:00:00Z', null],
    ['2025-13-01T00:00:00Z', null],
    ['2025-05-16 03:24:00Z', null],
    ['2025-05-16T03:24:00', null],
    ['yesterday', null],
  ])('reads %j as %j', (s, want) => {
    expect(parseRfc3339(s)).toBe(want);
  });
});

describe('validInterfaceName', () => {
  it.each([
    ['eth0', true],
    ['calife4cf73bf2a', true],
    ['vxlan.calico', true],
    ['a'.repeat(16), false],
    ['', false],
    ['.', false],
    ['a/b', false],
    ['a:b', false],
    ['a b', false],
  ])('%j is %s', (name, ok) => {
    expect(validInterfaceName(name)).toBe(ok);
  });
});

describe('podToolFlavour', () => {
  it.each([
    ['busybox', 'busybox'],
    ['busybox:1.36', 'busybox'],
    ['docker.io/library/busybox:latest', 'busybox'],
    ['busybox@sha256:abc', 'busybox'],
    ['nicolaka/netshoot', 'iputils'],
    ['nginx', 'iputils'],
    [undefined, 'iputils'],
  ])('%j has %s tools', (image, want) => {
    expect(podToolFlavour(image)).toBe(want);
  });
});
