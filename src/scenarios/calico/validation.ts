// Calico's validation and defaulting of the resources a scenario holds, with Calico's messages:
// libcalico-go/lib/clientv3/ippool.go (validateAndSetDefaults, convertIpPoolFromStorage), clientv3/bgpconfig.go
// (ValidateDefaultOnlyFields), clientv3/bgppeer.go (validate), libcalico-go/lib/validator/v3/validator.go (the
// field tags and struct validators) and k8s.io/apimachinery/pkg/util/validation (label and name rules).
// Each problem is one cerrors.ErroredField, printed as Calico prints a single one:
// `error with field IPPool.Spec.CIDR = '10.0.0.0/16' (IPPool CIDR is not strictly masked)`.

import { formatCidr, networkOf, parseIpv4, type Cidr } from '../../model/addr.js';
import type { PathSegment } from './goyaml.js';
import { validateSelector } from './selector.js';
import type {
  BGPConfiguration,
  BGPPeer,
  BlockAffinity,
  CalicoNode,
  FelixConfiguration,
  IPAMConfiguration,
  IPPool,
  ObjectMeta,
} from './resources.js';

/** CalicoFieldError is one cerrors.ErroredField and the path of the YAML field it is about. */
export interface CalicoFieldError {
  readonly name: string;
  /** value is the Go `%v` rendering of the value, or undefined when Calico gives none. */
  readonly value?: string;
  readonly reason: string;
  readonly path: readonly PathSegment[];
}

/** formatErroredField is ErroredField.String(): `Name = 'value' (reason)`. */
export function formatErroredField(e: CalicoFieldError): string {
  const head = e.value === undefined ? e.name : `${e.name} = '${e.value}'`;
  return e.reason !== '' ? `${head} (${e.reason})` : head;
}

/** formatErrorValidation is cerrors.ErrorValidation.Error() for one or more fields. */
export function formatErrorValidation(errors: readonly CalicoFieldError[]): string {
  if (errors.length === 0) return 'unknown validation error';
  if (errors.length === 1) return `error with field ${formatErroredField(errors[0])}`;
  return `error with the following fields:\n${errors.map((e) => `-  ${formatErroredField(e)}\n`).join('')}`;
}

/** tagError is the ErroredField of a failed validator tag: `Reason: failed to validate Field: X because of Tag: t `. */
function tagError(field: string, value: string, tag: string, path: readonly PathSegment[]): CalicoFieldError {
  return { name: field, value, reason: `Reason: failed to validate Field: ${field} because of Tag: ${tag} `, path };
}

/** goList renders a Go slice of strings as `%v` does: `[a b]`. */
export function goList(values: readonly string[]): string {
  return `[${values.join(' ')}]`;
}

// ---- Go's net parsing --------------------------------------------------------------------------------

/** parseGoIPv4 is net.ParseIP restricted to IPv4: four decimal octets, no leading zeros. */
export function parseGoIPv4(s: string): number | null {
  if (!/^(0|[1-9][0-9]{0,2})(\.(0|[1-9][0-9]{0,2})){3}$/.test(s)) return null;
  return parseIpv4(s);
}

/** isGoIPv6 says whether net.ParseIP would take `s` as an IPv6 address (roughly: hex groups and colons). */
function isGoIPv6(s: string): boolean {
  return (s.match(/:/g)?.length ?? 0) >= 2 && /^[0-9a-fA-F:.]+$/.test(s) && (s.match(/::/g)?.length ?? 0) <= 1;
}

/** parseGoCIDR is net.ParseCIDR for IPv4: `a.b.c.d/n`; it keeps the address as written. */
export function parseGoCIDR(s: string): Cidr | null {
  const slash = s.indexOf('/');
  if (slash < 0) return null;
  const a = parseGoIPv4(s.slice(0, slash));
  const lenText = s.slice(slash + 1);
  if (a === null || !/^(0|[1-9][0-9]?)$/.test(lenText)) return null;
  const len = Number(lenText);
  return len <= 32 ? { addr: a, len } : null;
}

/** parseGoCIDROrIP is cnet.ParseCIDROrIP for IPv4: a CIDR, or a bare address as /32. */
export function parseGoCIDROrIP(s: string): Cidr | null {
  if (!s.includes('/')) {
    const a = parseGoIPv4(s);
    return a === null ? null : { addr: a, len: 32 };
  }
  return parseGoCIDR(s);
}

/** parseGoMAC is net.ParseMAC for the 6-byte forms: `aa:bb:..`, `aa-bb-..` and `aabb.ccdd.eeff`. */
export function parseGoMAC(s: string): string | null {
  let hex: string | null = null;
  if (/^([0-9a-fA-F]{2}:){5}[0-9a-fA-F]{2}$/.test(s) || /^([0-9a-fA-F]{2}-){5}[0-9a-fA-F]{2}$/.test(s)) hex = s.replace(/[:-]/g, '');
  else if (/^([0-9a-fA-F]{4}\.){2}[0-9a-fA-F]{4}$/.test(s)) hex = s.replaceAll('.', '');
  if (hex === null) return null;
  return hex.toLowerCase().match(/../g)!.join(':');
}

// ---- Kubernetes name rules ---------------------------------------------------------------------------

const QUALIFIED_NAME_FMT = '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]';
const QUALIFIED_NAME_MSG =
  "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const DNS1123_LABEL_FMT = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const DNS1123_SUBDOMAIN_FMT = `${DNS1123_LABEL_FMT}(\\.${DNS1123_LABEL_FMT})*`;
const DNS1123_SUBDOMAIN_MSG =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";
const LABEL_VALUE_FMT = `(${QUALIFIED_NAME_FMT})?`;
const LABEL_VALUE_MSG =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";

/** regexError is apimachinery's RegexError text. */
function regexError(msg: string, fmt: string, ...examples: string[]): string {
  if (examples.length === 0) return `${msg} (regex used for validation is '${fmt}')`;
  return `${msg} (e.g. ${examples.map((e) => `'${e}', `).join(' or ')}regex used for validation is '${fmt}')`;
}

function anchored(fmt: string): RegExp {
  return new RegExp(`^${fmt}$`);
}

/** isDNS1123Subdomain returns apimachinery's IsDNS1123Subdomain errors. */
export function isDNS1123Subdomain(value: string): string[] {
  const errs: string[] = [];
  if (Buffer.byteLength(value, 'utf8') > 253) errs.push('must be no more than 253 characters');
  if (!anchored(DNS1123_SUBDOMAIN_FMT).test(value)) errs.push(regexError(DNS1123_SUBDOMAIN_MSG, DNS1123_SUBDOMAIN_FMT, 'example.com'));
  return errs;
}

/** isQualifiedName returns apimachinery's IsQualifiedName errors (label and annotation keys). */
export function isQualifiedName(value: string): string[] {
  const errs: string[] = [];
  const parts = value.split('/');
  let name: string;
  if (parts.length === 1) name = parts[0];
  else if (parts.length === 2) {
    const prefix = parts[0];
    name = parts[1];
    if (prefix.length === 0) errs.push('prefix part must be non-empty');
    else errs.push(...isDNS1123Subdomain(prefix).map((m) => `prefix part ${m}`));
  } else {
    return [
      `a qualified name ${regexError(QUALIFIED_NAME_MSG, QUALIFIED_NAME_FMT, 'MyName', 'my.name', '123-abc')} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`,
    ];
  }
  if (name.length === 0) errs.push('name part must be non-empty');
  else if (Buffer.byteLength(name, 'utf8') > 63) errs.push('name part must be no more than 63 characters');
  if (!anchored(QUALIFIED_NAME_FMT).test(name))
    errs.push(`name part ${regexError(QUALIFIED_NAME_MSG, QUALIFIED_NAME_FMT, 'MyName', 'my.name', '123-abc')}`);
  return errs;
}

/** isValidLabelValue returns apimachinery's IsValidLabelValue errors. */
export function isValidLabelValue(value: string): string[] {
  const errs: string[] = [];
  if (Buffer.byteLength(value, 'utf8') > 63) errs.push('must be no more than 63 characters');
  if (!anchored(LABEL_VALUE_FMT).test(value)) errs.push(regexError(LABEL_VALUE_MSG, LABEL_VALUE_FMT, 'MyValue', 'my_value', '12345'));
  return errs;
}

/** validateObjectMeta is validator.go validateObjectMeta: name length and format, annotations, labels. */
export function validateObjectMeta(meta: ObjectMeta): CalicoFieldError[] {
  const errs: CalicoFieldError[] = [];
  const name = meta?.name ?? '';
  const at = ['metadata', 'name'];
  const len = Buffer.byteLength(name, 'utf8');
  if (len > 253) errs.push({ name: 'Metadata.Name', value: name, reason: `name is too long by ${len - 253} bytes`, path: at });
  if (!anchored(`[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*`).test(name)) {
    errs.push({
      name: 'Metadata.Name',
      value: name,
      reason:
        "name must consist of lower case alphanumeric characters, '-' or '.' (regex: [a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*)",
      path: at,
    });
  }
  let size = 0;
  for (const [k, v] of meta?.annotations ?? new Map<string, string>()) {
    for (const e of isQualifiedName(k.toLowerCase()))
      errs.push({ name: 'Metadata.Annotations (key)', value: k, reason: e, path: ['metadata', 'annotations', k] });
    size += Buffer.byteLength(k, 'utf8') + Buffer.byteLength(v, 'utf8');
  }
  if (size > 256 * 1024) {
    errs.push({
      name: 'Metadata.Annotations (key)',
      value: 'map[...]',
      reason: `total size of annotations is too large by ${size - 256 * 1024} bytes`,
      path: ['metadata', 'annotations'],
    });
  }
  for (const [k, v] of meta?.labels ?? new Map<string, string>()) {
    for (const e of isQualifiedName(k))
      errs.push({ name: 'Metadata.Labels (label)', value: k, reason: e, path: ['metadata', 'labels', k] });
    for (const e of isValidLabelValue(v))
      errs.push({ name: 'Metadata.Labels (value)', value: v, reason: e, path: ['metadata', 'labels', k] });
  }
  return errs;
}

// ---- IPPool ------------------------------------------------------------------------------------------

/** IPIPMode and VXLANMode are a pool's encapsulation settings. */
export type EncapMode = 'Always' | 'CrossSubnet' | 'Never';

/** AllowedUse is an IPPool allowed use. */
export type AllowedUse = 'Workload' | 'Tunnel' | 'LoadBalancer';

/** DefaultedIPPool is an IPPool after Calico's defaults, with its CIDR parsed and normalised. */
export interface DefaultedIPPool {
  readonly name: string;
  readonly cidr: Cidr;
  readonly blockSize: number;
  readonly ipipMode: EncapMode;
  readonly vxlanMode: EncapMode;
  readonly natOutgoing: boolean;
  readonly disabled: boolean;
  readonly disableBGPExport: boolean;
  readonly nodeSelector: string;
  readonly allowedUses: readonly AllowedUse[];
  readonly assignmentMode: 'Automatic' | 'Manual';
}

const MODE_RE = /^(Always|CrossSubnet|Never)$/;
const LINK_LOCAL: Cidr = { addr: 0xa9fe0000, len: 16 };

function overlaps(a: Cidr, b: Cidr): boolean {
  const len = Math.min(a.len, b.len);
  return networkOf(a.addr, len) === networkOf(b.addr, len);
}

/** IPPoolResult is a defaulted pool, or the ErroredFields Calico rejects it with. */
export type IPPoolResult =
  | { readonly ok: true; readonly pool: DefaultedIPPool }
  | { readonly ok: false; readonly errors: readonly CalicoFieldError[] };

/**
 * validateIPPool runs clientv3 validateAndSetDefaults (as for a Create, against the pools created
 * before it) and, when that passes, validator.Validate. IPv6 pools are not modelled by calisim.
 */
export function validateIPPool(pool: IPPool, created: readonly DefaultedIPPool[]): IPPoolResult {
  const spec = pool.spec ?? {};
  const name = pool.metadata?.name ?? '';
  const cidrPath = ['spec', 'cidr'];
  const cidrText = spec.cidr ?? '';
  if (cidrText === '')
    return { ok: false, errors: [{ name: 'IPPool.Spec.CIDR', reason: 'IPPool CIDR must be specified', path: cidrPath }] };
  const written = parseGoCIDR(cidrText);
  if (written === null) {
    const v6 = cidrText.includes('/') && isGoIPv6(cidrText.slice(0, cidrText.indexOf('/')));
    return {
      ok: false,
      errors: [
        v6
          ? { name: 'IPPool.Spec.CIDR', value: cidrText, reason: 'IPv6 IP pools are not modelled by calisim', path: cidrPath }
          : { name: 'IPPool.Spec.CIDR', value: cidrText, reason: 'IPPool CIDR must be a valid subnet', path: cidrPath },
      ],
    };
  }
  const cidr: Cidr = { addr: networkOf(written.addr, written.len), len: written.len };
  const normalized = formatCidr(cidr);
  const errs: CalicoFieldError[] = [];
  const blockSize = spec.blockSize === undefined || spec.blockSize === 0 ? 26 : spec.blockSize;
  const disabled = spec.disabled ?? false;
  if (blockSize > 32 || blockSize < 20) {
    errs.push({
      name: 'IPPool.Spec.BlockSize',
      value: String(blockSize),
      reason: 'IPv4 block size must be between 20 and 32',
      path: ['spec', 'blockSize'],
    });
  }
  if (!disabled && cidr.len > blockSize) {
    errs.push({
      name: 'IPPool.Spec.CIDR',
      value: normalized,
      reason: 'IP pool size is too small for use with Calico IPAM. It must be equal to or greater than the block size.',
      path: cidrPath,
    });
  }
  for (const other of created) {
    if (other.name === name) continue;
    if (overlaps(other.cidr, cidr)) {
      errs.push({
        name: 'IPPool.Spec.CIDR',
        value: normalized,
        reason: `IPPool(${name}) CIDR overlaps with IPPool(${other.name}) CIDR ${formatCidr(other.cidr)}`,
        path: cidrPath,
      });
    }
  }
  const ipipMode = spec.ipipMode === undefined || spec.ipipMode === '' ? 'Never' : spec.ipipMode;
  const vxlanMode = spec.vxlanMode === undefined || spec.vxlanMode === '' ? 'Never' : spec.vxlanMode;
  if (vxlanMode !== 'Never' && ipipMode !== 'Never') {
    errs.push({
      name: 'IPPool.Spec.VXLANMode',
      value: vxlanMode,
      reason: 'Cannot enable both VXLAN and IPIP on the same IPPool',
      path: ['spec', 'vxlanMode'],
    });
  }
  if (written.addr !== cidr.addr) {
    errs.push({ name: 'IPPool.Spec.CIDR', value: normalized, reason: 'IPPool CIDR is not strictly masked', path: cidrPath });
  }
  if (overlaps(cidr, LINK_LOCAL)) {
    errs.push({
      name: 'IPPool.Spec.CIDR',
      value: normalized,
      reason: 'IPPool CIDR overlaps with IPv4 Link Local range 169.254.0.0/16',
      path: cidrPath,
    });
  }
  if (errs.length > 0) return { ok: false, errors: errs };

  // validator.Validate: ObjectMeta, then the IPPoolSpec field tags in declaration order, then validateIPPoolSpec.
  errs.push(...validateObjectMeta(pool.metadata));
  if (!MODE_RE.test(vxlanMode)) errs.push(tagError('VXLANMode', vxlanMode, 'vxlanMode', ['spec', 'vxlanMode']));
  if (!MODE_RE.test(ipipMode)) errs.push(tagError('IPIPMode', ipipMode, 'ipIpMode', ['spec', 'ipipMode']));
  const nodeSelector = spec.nodeSelector === undefined || spec.nodeSelector === '' ? 'all()' : spec.nodeSelector;
  if (validateSelector(nodeSelector) !== null) errs.push(tagError('NodeSelector', nodeSelector, 'selector', ['spec', 'nodeSelector']));
  if (spec.ipip !== undefined) {
    errs.push(tagError('IPIP', `&{${spec.ipip.enabled ?? false} ${spec.ipip.mode ?? ''}}`, 'mustBeNil', ['spec', 'ipip']));
  }
  if (spec['nat-outgoing'] === true) errs.push(tagError('NATOutgoingV1', 'true', 'mustBeFalse', ['spec', 'nat-outgoing']));
  const assignment = spec.assignmentMode ?? 'Automatic';
  if (!/^(Automatic|Manual)$/.test(assignment))
    errs.push(tagError('AssignmentMode', assignment, 'assignmentMode', ['spec', 'assignmentMode']));
  const allowedUses = spec.allowedUses === undefined || spec.allowedUses.length === 0 ? ['Workload', 'Tunnel'] : spec.allowedUses;
  const isLB = allowedUses.includes('LoadBalancer');
  const encapOn = (m: string): boolean => m === 'Always' || m === 'CrossSubnet';
  if (isLB && (encapOn(ipipMode) || encapOn(vxlanMode))) {
    errs.push({
      name: 'IPpool.IPIPMode',
      value: ipipMode,
      reason: 'Neither IPIPMode nor VXLANMode can be enabled on AllowedUses LoadBalancer IP pool',
      path: ['spec', 'ipipMode'],
    });
  }
  for (const use of allowedUses) {
    if (use === 'LoadBalancer') continue;
    if (use === 'Workload' || use === 'Tunnel') {
      if (isLB)
        errs.push({
          name: 'IPpool.AllowedUses',
          value: goList(allowedUses),
          reason: `LoadBalancer cannot be used at the same time as: ${use}`,
          path: ['spec', 'allowedUses'],
        });
      continue;
    }
    errs.push({ name: 'IPpool.AllowedUses', value: goList(allowedUses), reason: `unknown use: ${use}`, path: ['spec', 'allowedUses'] });
  }
  if (isLB && spec.disableBGPExport === true) {
    errs.push({
      name: 'IPpool.DisableBGPExport',
      value: normalized,
      reason: 'IP Pool with AllowedUse LoadBalancer must have DisableBGPExport set to true',
      path: ['spec', 'disableBGPExport'],
    });
  }
  if (isLB && nodeSelector !== 'all()') {
    errs.push({
      name: 'IPpool.NodeSelector',
      value: normalized,
      reason: 'IP Pool with AllowedUse LoadBalancer must have node selector set to all()',
      path: ['spec', 'nodeSelector'],
    });
  }
  if (errs.length > 0) return { ok: false, errors: errs };
  return {
    ok: true,
    pool: {
      name,
      cidr,
      blockSize,
      ipipMode: ipipMode as EncapMode,
      vxlanMode: vxlanMode as EncapMode,
      natOutgoing: spec.natOutgoing ?? false,
      disabled,
      disableBGPExport: spec.disableBGPExport ?? false,
      nodeSelector,
      allowedUses: allowedUses as AllowedUse[],
      assignmentMode: assignment as 'Automatic' | 'Manual',
    },
  };
}

// ---- BGPPeer -----------------------------------------------------------------------------------------

const IPV4_PORT = /^(\d+).(\d+).(\d+).(\d+):(\d+)$/;

/** parsePeerIP is validator.go processIPPort for IPv4: `a.b.c.d` or `a.b.c.d:port` (port 1–65535). */
export function parsePeerIP(s: string): { ip: number; port: number } | null {
  if (s === '') return null;
  let host = s;
  let port = 0;
  if (IPV4_PORT.test(s)) {
    const i = s.lastIndexOf(':');
    host = s.slice(0, i);
    const portText = s.slice(i + 1);
    if (!/^[0-9]+$/.test(portText)) return null;
    port = Number(portText);
    if (port < 1 || port > 65535) return null;
  }
  const ip = parseGoIPv4(host);
  return ip === null ? null : { ip, port };
}

const SOURCE_ADDRESS_RE = /^(UseNodeIP|None)$/;
const NAME_RE = anchored(DNS1123_SUBDOMAIN_FMT);

/**
 * validateBGPPeer runs clientv3 BGPPeer validation (filters must name BGPFilters, and calisim has none)
 * and validator.Validate (field tags, then validateBGPPeerSpec).
 */
export function validateBGPPeer(peer: BGPPeer): CalicoFieldError[] {
  const spec = peer.spec ?? {};
  if (spec.filters !== undefined && spec.filters.length > 0) {
    return [{ name: 'BGPPeer.Spec.Filters', value: goList(spec.filters), reason: 'BGPFilter(s) not found', path: ['spec', 'filters'] }];
  }
  const errs: CalicoFieldError[] = [...validateObjectMeta(peer.metadata)];
  if (spec.node !== undefined && spec.node !== '' && !NAME_RE.test(spec.node))
    errs.push(tagError('Node', spec.node, 'name', ['spec', 'node']));
  if (spec.nodeSelector !== undefined && spec.nodeSelector !== '' && validateSelector(spec.nodeSelector) !== null) {
    errs.push(tagError('NodeSelector', spec.nodeSelector, 'selector', ['spec', 'nodeSelector']));
  }
  const peerIP = spec.peerIP ?? '';
  if (peerIP !== '' && parsePeerIP(peerIP) === null) {
    const v6 = isGoIPv6(peerIP.replace(/^\[|\]:\d+$/g, ''));
    errs.push(
      v6
        ? { name: 'PeerIP', value: peerIP, reason: 'IPv6 peers are not modelled by calisim', path: ['spec', 'peerIP'] }
        : tagError('PeerIP', peerIP, 'IP:port', ['spec', 'peerIP']),
    );
  }
  if (spec.peerSelector !== undefined && spec.peerSelector !== '' && validateSelector(spec.peerSelector) !== null) {
    errs.push(tagError('PeerSelector', spec.peerSelector, 'selector', ['spec', 'peerSelector']));
  }
  if (spec.sourceAddress !== undefined && spec.sourceAddress !== '' && !SOURCE_ADDRESS_RE.test(spec.sourceAddress)) {
    errs.push(tagError('SourceAddress', spec.sourceAddress, 'sourceAddress', ['spec', 'sourceAddress']));
  }
  const reachableBy = spec.reachableBy ?? '';
  if (reachableBy !== '' && parseGoIPv4(reachableBy) === null && !isGoIPv6(reachableBy))
    errs.push(tagError('ReachableBy', reachableBy, 'reachableBy', ['spec', 'reachableBy']));
  if (
    spec.localWorkloadSelector !== undefined &&
    spec.localWorkloadSelector !== '' &&
    validateSelector(spec.localWorkloadSelector) !== null
  ) {
    errs.push(tagError('LocalWorkloadSelector', spec.localWorkloadSelector, 'selector', ['spec', 'localWorkloadSelector']));
  }
  // validateBGPPeerSpec
  const node = spec.node ?? '';
  const nodeSelector = spec.nodeSelector ?? '';
  const peerSelector = spec.peerSelector ?? '';
  const as = spec.asNumber ?? 0;
  const lws = spec.localWorkloadSelector ?? '';
  if (node !== '' && nodeSelector !== '')
    errs.push({ name: 'Node', value: node, reason: 'Node field must be empty when NodeSelector is specified', path: ['spec', 'node'] });
  if (peerIP !== '' && peerSelector !== '')
    errs.push({
      name: 'PeerIP',
      value: peerIP,
      reason: 'PeerIP field must be empty when PeerSelector is specified',
      path: ['spec', 'peerIP'],
    });
  if (as !== 0 && peerSelector !== '')
    errs.push({
      name: 'ASNumber',
      value: String(as),
      reason: 'ASNumber field must be empty when PeerSelector is specified',
      path: ['spec', 'asNumber'],
    });
  if (as === 0 && lws !== '')
    errs.push({
      name: 'ASNumber',
      value: '0',
      reason: 'ASNumber field must NOT be empty when LocalWorkloadSelector is specified',
      path: ['spec', 'asNumber'],
    });
  if (peerIP !== '' && lws !== '')
    errs.push({
      name: 'PeerIP',
      value: peerIP,
      reason: 'PeerIP field must be empty when LocalWorkloadSelector is specified',
      path: ['spec', 'peerIP'],
    });
  if (peerSelector !== '' && lws !== '')
    errs.push({
      name: 'PeerSelector',
      value: peerIP,
      reason: 'PeerSelector field must be empty when LocalWorkloadSelector is specified',
      path: ['spec', 'peerSelector'],
    });
  if (reachableBy !== '') {
    let msg: string | null = null;
    if (peerIP === '') msg = 'ReachablyBy field must be empty when PeerIP is empty';
    else if (parseGoIPv4(reachableBy) === null && !isGoIPv6(reachableBy)) msg = 'ReachableBy is invalid address';
    else {
      const p = parsePeerIP(peerIP);
      if (p === null) msg = 'PeerIP is invalid address';
      else if (parseGoIPv4(reachableBy) === null) msg = 'ReachableBy and PeerIP address family mismatched';
    }
    if (msg !== null) errs.push({ name: 'ReachableBy', value: reachableBy, reason: msg, path: ['spec', 'reachableBy'] });
  }
  return errs;
}

// ---- BGPConfiguration --------------------------------------------------------------------------------

const LOG_LEVEL_RE = /^(Debug|Info|Warning|Error|Fatal)$/;
const IGNORED_IFACE_RE = /^[a-zA-Z0-9_.*-]{1,15}$/;

/** validateBGPConfiguration runs validator.Validate and ValidateDefaultOnlyFields. */
export function validateBGPConfiguration(cfg: BGPConfiguration): CalicoFieldError[] {
  const spec = cfg.spec ?? {};
  const errs: CalicoFieldError[] = [...validateObjectMeta(cfg.metadata)];
  if (spec.logSeverityScreen !== undefined && spec.logSeverityScreen !== '' && !LOG_LEVEL_RE.test(spec.logSeverityScreen)) {
    errs.push(tagError('LogSeverityScreen', spec.logSeverityScreen, 'logLevel', ['spec', 'logSeverityScreen']));
  }
  (spec.ignoredInterfaces ?? []).forEach((iface, i) => {
    if (!IGNORED_IFACE_RE.test(iface))
      errs.push(tagError(`IgnoredInterfaces[${i}]`, iface, 'ignoredInterface', ['spec', 'ignoredInterfaces', i]));
  });
  if (spec.bindMode !== undefined && spec.bindMode !== 'None' && spec.bindMode !== 'NodeIP') {
    errs.push({ name: 'BindMode', value: spec.bindMode, reason: 'calisim models bindMode None and NodeIP', path: ['spec', 'bindMode'] });
  }
  if (
    spec.localWorkloadPeeringIPV4 !== undefined &&
    spec.localWorkloadPeeringIPV4 !== '' &&
    parseGoIPv4(spec.localWorkloadPeeringIPV4) === null
  ) {
    errs.push(tagError('LocalWorkloadPeeringIPV4', spec.localWorkloadPeeringIPV4, 'ipv4', ['spec', 'localWorkloadPeeringIPV4']));
  }
  const mesh = spec.nodeToNodeMeshEnabled;
  if (spec.nodeMeshPassword !== undefined && mesh === false) {
    errs.push({
      name: 'Spec.NodeMeshPassword',
      value: '{...}',
      reason: 'spec.NodeMeshPassword cannot be set if spec.NodeToNodeMesh is disabled',
      path: ['spec', 'nodeMeshPassword'],
    });
  }
  if (spec.nodeMeshMaxRestartTime !== undefined && mesh === false) {
    errs.push({
      name: 'Spec.NodeMeshMaxRestartTime',
      value: '{...}',
      reason: 'spec.NodeMeshMaxRestartTime cannot be set if spec.NodeToNodeMesh is disabled',
      path: ['spec', 'nodeMeshMaxRestartTime'],
    });
  }
  if ((spec.communities ?? []).length > 0 && (spec.prefixAdvertisements ?? []).length === 0) {
    errs.push({
      name: 'Spec.Communities[]',
      value: '[...]',
      reason: 'communities are defined but not used in Spec.PrefixAdvertisement[].',
      path: ['spec', 'communities'],
    });
  }
  if (errs.length > 0) return errs;
  if ((cfg.metadata?.name ?? '') !== 'default') {
    const only: [keyof typeof spec, string, string][] = [
      ['nodeToNodeMeshEnabled', 'NodeToNodeMeshEnabled', 'nodeToNodeMeshEnabled'],
      ['asNumber', 'ASNumber', 'ASNumber'],
      ['serviceLoadBalancerIPs', 'ServiceLoadBalancerIPs', 'ServiceLoadBalancerIPs'],
      ['serviceExternalIPs', 'ServiceExternalIPs', 'ServiceExternalIPs'],
      ['serviceClusterIPs', 'ServiceClusterIPs', 'ServiceClusterIPs'],
      ['nodeMeshPassword', 'NodeMeshPassword', 'nodeMeshPassword'],
      ['nodeMeshMaxRestartTime', 'NodeMeshMaxRestartTime', 'nodeMeshMaxRestartTime'],
    ];
    for (const [key, goName, text] of only) {
      const v = spec[key];
      if (v === undefined || (Array.isArray(v) && v.length === 0)) continue;
      errs.push({
        name: `BGPConfiguration.Spec.${goName}`,
        reason: `Cannot set ${text} on a non default BGP Configuration.`,
        path: ['spec', key],
      });
    }
  }
  return errs;
}

// ---- Node --------------------------------------------------------------------------------------------

/** validateNode runs validator.Validate on a Calico Node: field tags, then validateNodeSpec. */
export function validateNode(node: CalicoNode): CalicoFieldError[] {
  const errs: CalicoFieldError[] = [...validateObjectMeta(node.metadata)];
  const spec = node.spec ?? {};
  const bgp = spec.bgp;
  if (bgp !== undefined) {
    if (bgp.ipv4Address !== undefined && bgp.ipv4Address !== '' && parseGoCIDROrIP(bgp.ipv4Address) === null) {
      errs.push(tagError('IPv4Address', bgp.ipv4Address, 'cidrv4', ['spec', 'bgp', 'ipv4Address']));
    }
    if (bgp.ipv4IPIPTunnelAddr !== undefined && bgp.ipv4IPIPTunnelAddr !== '' && parseGoIPv4(bgp.ipv4IPIPTunnelAddr) === null) {
      errs.push(tagError('IPv4IPIPTunnelAddr', bgp.ipv4IPIPTunnelAddr, 'ipv4', ['spec', 'bgp', 'ipv4IPIPTunnelAddr']));
    }
    if (
      bgp.routeReflectorClusterID !== undefined &&
      bgp.routeReflectorClusterID !== '' &&
      parseGoIPv4(bgp.routeReflectorClusterID) === null
    ) {
      errs.push(tagError('RouteReflectorClusterID', bgp.routeReflectorClusterID, 'ipv4', ['spec', 'bgp', 'routeReflectorClusterID']));
    }
  }
  if (spec.ipv4VXLANTunnelAddr !== undefined && spec.ipv4VXLANTunnelAddr !== '' && parseGoIPv4(spec.ipv4VXLANTunnelAddr) === null) {
    errs.push(tagError('IPv4VXLANTunnelAddr', spec.ipv4VXLANTunnelAddr, 'ipv4', ['spec', 'ipv4VXLANTunnelAddr']));
  }
  if (spec.vxlanTunnelMACAddr !== undefined && spec.vxlanTunnelMACAddr !== '' && parseGoMAC(spec.vxlanTunnelMACAddr) === null) {
    errs.push(tagError('VXLANTunnelMACAddr', spec.vxlanTunnelMACAddr, 'mac', ['spec', 'vxlanTunnelMACAddr']));
  }
  (spec.addresses ?? []).forEach((a, i) => {
    if (a.address === undefined || parseGoCIDROrIP(a.address) === null)
      errs.push(tagError('Address', a.address ?? '', 'net', ['spec', 'addresses', i, 'address']));
    if (a.type !== undefined && a.type !== '' && !/^(CalicoNodeIP|InternalIP|ExternalIP)$/.test(a.type))
      errs.push(tagError('Type', a.type, 'ipType', ['spec', 'addresses', i, 'type']));
  });
  if (bgp !== undefined && Object.values(bgp).every((v) => v === undefined || v === '')) {
    errs.push({ name: 'BGP', value: '&{<nil>    }', reason: 'Spec.BGP should not be empty', path: ['spec', 'bgp'] });
  }
  return errs;
}

// ---- FelixConfiguration ------------------------------------------------------------------------------

const IFACE_FILTER_RE = /^[a-zA-Z0-9:._+-]{1,15}$/;

/** validateFelixConfiguration checks the modelled FelixConfiguration fields as validator.go does. */
export function validateFelixConfiguration(cfg: FelixConfiguration): CalicoFieldError[] {
  const spec = cfg.spec ?? {};
  const errs: CalicoFieldError[] = [...validateObjectMeta(cfg.metadata)];
  const str = (k: string): string | undefined => (spec as Record<string, unknown>)[k] as string | undefined;
  const filter = str('iptablesNATOutgoingInterfaceFilter');
  if (filter !== undefined && filter !== '' && !IFACE_FILTER_RE.test(filter)) {
    errs.push(tagError('IptablesNATOutgoingInterfaceFilter', filter, 'ifaceFilter', ['spec', 'iptablesNATOutgoingInterfaceFilter']));
  }
  const pattern = str('mtuIfacePattern');
  if (pattern !== undefined && pattern !== '' && compileGoRegexp(pattern) === null)
    errs.push(tagError('MTUIfacePattern', pattern, 'regexp', ['spec', 'mtuIfacePattern']));
  const fdo = str('featureDetectOverride');
  if (fdo !== undefined && fdo.trim() !== '' && !fdo.split(',').every((item) => item === '' || /^\s*(\w+)=(.*)$/.test(item))) {
    errs.push(tagError('FeatureDetectOverride', fdo, 'keyValueList', ['spec', 'featureDetectOverride']));
  }
  for (const [k, goName] of [
    ['natOutgoingAddress', 'NATOutgoingAddress'],
    ['deviceRouteSourceAddress', 'DeviceRouteSourceAddress'],
  ] as const) {
    const v = str(k);
    if (v !== undefined && v !== '' && parseGoIPv4(v) === null)
      errs.push({ name: goName, value: v, reason: 'is not a valid IPv4 address', path: ['spec', k] });
  }
  return errs;
}

/** compileGoRegexp compiles an RE2 pattern with JavaScript's engine (close for the patterns Felix takes), or null. */
export function compileGoRegexp(pattern: string): RegExp | null {
  try {
    return new RegExp(pattern);
  } catch {
    return null;
  }
}

// ---- IPAM configuration and block affinities ---------------------------------------------------------

/** validateIPAMConfiguration checks maxBlocksPerHost as validateIPAMConfigSpec does. */
export function validateIPAMConfiguration(cfg: IPAMConfiguration): CalicoFieldError[] {
  const errs: CalicoFieldError[] = [...validateObjectMeta(cfg.metadata)];
  const max = cfg.spec?.maxBlocksPerHost ?? 0;
  if (max < 0)
    errs.push({
      name: 'MaxBlocksPerHost',
      value: String(max),
      reason: 'must be greater than or equal to 0',
      path: ['spec', 'maxBlocksPerHost'],
    });
  return errs;
}

/** validateBlockAffinity checks a BlockAffinity; calisim claims only confirmed (or unstated) host affinities. */
export function validateBlockAffinity(aff: BlockAffinity): CalicoFieldError[] {
  const errs: CalicoFieldError[] = [...validateObjectMeta(aff.metadata)];
  const spec = aff.spec ?? {};
  const deleted = spec.deleted;
  if (deleted === true || deleted === 'true')
    errs.push({ name: 'Spec.Deleted', value: '{...}', reason: 'spec.Deleted cannot be set to "true"', path: ['spec', 'deleted'] });
  const cidr = spec.cidr ?? '';
  if (parseGoCIDR(cidr) === null)
    errs.push({ name: 'BlockAffinity.Spec.CIDR', value: cidr, reason: 'block CIDR must be a valid IPv4 subnet', path: ['spec', 'cidr'] });
  const state = spec.state ?? '';
  if (state !== '' && state !== 'confirmed')
    errs.push({
      name: 'BlockAffinity.Spec.State',
      value: state,
      reason: 'calisim only models confirmed block affinities',
      path: ['spec', 'state'],
    });
  if ('type' in spec && spec.type !== undefined && spec.type !== '' && spec.type !== 'host') {
    errs.push({ name: 'BlockAffinity.Spec.Type', value: spec.type, reason: 'calisim only models host affinities', path: ['spec', 'type'] });
  }
  if ((spec.node ?? '') === '') errs.push({ name: 'BlockAffinity.Spec.Node', reason: 'node must be specified', path: ['spec', 'node'] });
  return errs;
}
