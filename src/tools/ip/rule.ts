// `ip rule` as iproute2 6.1 reads and prints it (ip/iprule.c: iprule_modify, iprule_list_flush_or_save,
// filter_nlmsg, print_rule, flush_rule; ip-rule(8)), against the kernel's rules in src/kernel/rules.ts.

import { type Cidr, formatIpv4, maskOf } from '../../model/addr.js';
import type { FibRule } from '../../model/fibstore.js';
import { linkByName } from '../../kernel/netns.js';
import { fibRuleAdd, fibRuleDelete, fibRules, type FibRuleRequest } from '../../kernel/rules.js';
import { rtnlErrorLine } from '../../kernel/fib.js';
import type { Command, IpOptions, RuleCmd, RuleSpec } from '../ast.js';
import type { ToolContext } from '../context.js';
import { type Args, cidr, devName, fail, matches, proto, uint } from '../words.js';
import { jsonDocument, type JsonObject, type JsonValue } from './json.js';
import { netnsOf, protoName, tableName, type KernelView } from './print.js';

// ---------------------------------------------------------------------------------------------
// Parsing

const RULE_VERBS: readonly (readonly [string, RuleCmd['verb'] | null])[] = [
  ['list', 'show'],
  ['lst', 'show'],
  ['show', 'show'],
  ['save', null],
  ['restore', null],
  ['add', 'add'],
  ['delete', 'del'],
  ['flush', 'flush'],
  ['help', null],
];

/** ruleTable is rtnl_rttable_a2n with the stock rt_tables. */
function ruleTable(s: string, ctx: string): number {
  const named = new Map<string, number>([
    ['local', 255],
    ['main', 254],
    ['default', 253],
    ['unspec', 0],
  ]);
  const n = named.get(s);
  if (n !== undefined) return n;
  if (!/^\d+$/.test(s) || Number(s) > 0xffffffff) fail(`${ctx}: invalid table ID "${s}"`);
  return Number(s);
}

/** numberArg is get_u32 with base 0: decimal, 0x hex or 0 octal. */
function numberArg(s: string, what: string, ctx: string): number {
  let v: number;
  if (/^0[xX][0-9a-fA-F]+$/.test(s)) v = parseInt(s.slice(2), 16);
  else if (/^0[0-7]*$/.test(s)) v = parseInt(s, 8);
  else if (/^[1-9]\d*$/.test(s)) v = Number(s);
  else return fail(`${ctx}: ${what} value is invalid "${s}"`);
  if (v > 0xffffffff) fail(`${ctx}: ${what} value is invalid "${s}"`);
  return v;
}

/** DSFIELD_NAMES is /etc/iproute2/rt_dsfield as Debian ships it. */
const DSFIELD_NAMES: ReadonlyMap<number, string> = new Map([
  [0x00, 'default'],
  [0x28, 'AF11'],
  [0x30, 'AF12'],
  [0x38, 'AF13'],
  [0x48, 'AF21'],
  [0x50, 'AF22'],
  [0x58, 'AF23'],
  [0x68, 'AF31'],
  [0x70, 'AF32'],
  [0x78, 'AF33'],
  [0x88, 'AF41'],
  [0x90, 'AF42'],
  [0x98, 'AF43'],
  [0x20, 'CS1'],
  [0x40, 'CS2'],
  [0x60, 'CS3'],
  [0x80, 'CS4'],
  [0xa0, 'CS5'],
  [0xc0, 'CS6'],
  [0xe0, 'CS7'],
  [0xb8, 'EF'],
]);

/** dsfield is rtnl_dsfield_a2n: a name from rt_dsfield, else a hexadecimal number below 256. */
function dsfield(s: string, ctx: string): number {
  for (const [v, name] of DSFIELD_NAMES) if (name === s) return v;
  const t = s.replace(/^0[xX]/, '');
  if (!/^[0-9a-fA-F]+$/.test(t) || parseInt(t, 16) > 255) fail(`${ctx}: TOS value is invalid "${s}"`);
  return parseInt(t, 16);
}

/** dsfieldName is rtnl_dsfield_n2a. */
function dsfieldName(v: number): string {
  return DSFIELD_NAMES.get(v) ?? `0x${v.toString(16).padStart(2, '0')}`;
}

function prefixArg(s: string): Cidr {
  if (s === 'all' || s === 'any' || s === 'default') return { addr: 0, len: 0 };
  return cidr(s);
}

/** parseRule reads `ip rule [list|add|del|flush] SELECTOR… [ACTION]` as iprule_modify and iprule_list_flush_or_save do. */
export function parseRule(args: Args, opts: IpOptions): Command {
  let verb: RuleCmd['verb'] = 'show';
  const w0 = args.take();
  if (w0 !== undefined) {
    const found = RULE_VERBS.find(([kw]) => matches(w0, kw));
    if (found === undefined) fail(`ip rule: unknown command "${w0}"`);
    if (found[1] === null) fail(`ip rule ${w0}: not supported in labs`);
    verb = found[1];
  }
  const ctx = `ip rule ${verb}`;
  const modify = verb === 'add' || verb === 'del';
  let not = false;
  let from: Cidr | null = null;
  let to: Cidr | null = null;
  let pref: number | null = null;
  let tos: number | null = null;
  let fwmark: number | null = null;
  let fwmask: number | null = null;
  let iif: string | null = null;
  let oif: string | null = null;
  let table: number | null = null;
  let action: RuleSpec['action'] = null;
  let suppress: number | null = null;
  let pr: number | null = null;
  const value = (kw: string): string => {
    const v = args.take();
    if (v === undefined) fail(`${ctx}: "${kw}" needs a value`);
    return v;
  };
  for (let w = args.take(); w !== undefined; w = args.take()) {
    if (w === 'not') not = true;
    else if (w === 'from' || (!modify && matches(w, 'from')) || (!modify && matches(w, 'src'))) from = prefixArg(value(w));
    else if (modify && w === 'to') to = prefixArg(value(w));
    else if (matches(w, 'preference') || matches(w, 'order') || matches(w, 'priority')) pref = numberArg(value(w), 'preference', ctx);
    else if (w === 'tos' || matches(w, 'dsfield')) tos = dsfield(value(w), ctx);
    else if (w === 'fwmark') {
      const [m, k] = value(w).split('/', 2);
      fwmark = numberArg(m, 'fwmark', ctx);
      if (k !== undefined) fwmask = numberArg(k, 'fwmask', ctx);
    } else if (w === 'dev' || w === 'iif') iif = devName(value(w));
    else if (w === 'oif') oif = devName(value(w));
    else if (matches(w, 'table') || w === 'lookup' || (!modify && matches(w, 'lookup'))) table = ruleTable(value(w), ctx);
    else if (matches(w, 'protocol')) pr = proto(value(w));
    else if (modify && (matches(w, 'suppress_prefixlength') || w === 'sup_pl'))
      suppress = uint(value(w), 'suppress_prefixlength', 0x7fffffff);
    else if (modify) {
      const t = w === 'type' ? value(w) : w;
      if (t === 'blackhole' || t === 'unreachable' || t === 'prohibit') {
        action = t;
        table = table ?? 0;
      } else if (matches(t, 'goto') || matches(t, 'nop') || t === 'nat' || matches(t, 'map-to')) {
        fail(`${ctx}: "${t}" is not supported in labs`);
      } else if (['realms', 'tun_id', 'suppress_ifgroup', 'sup_group', 'l3mdev', 'uidrange', 'ipproto', 'sport', 'dport'].includes(t)) {
        fail(`${ctx}: "${t}" is not supported in labs`);
      } else fail(`${ctx}: unknown rule type "${t}"`);
    } else {
      if (['l3mdev', 'uidrange', 'tun_id', 'ipproto', 'sport', 'dport'].includes(w)) fail(`${ctx}: "${w}" is not supported in labs`);
      const d = matches(w, 'dst') || matches(w, 'to') ? value(w) : w;
      to = prefixArg(d);
    }
  }
  return {
    kind: 'rule',
    opts,
    verb,
    rule: { not, from, to, pref, tos, fwmark, fwmask, iif, oif, table, action, suppressPrefixlen: suppress, proto: pr },
  };
}

// ---------------------------------------------------------------------------------------------
// Running

/** ruleRequest is the RTM_NEWRULE/RTM_DELRULE message iprule_modify builds from what was given. */
function ruleRequest(spec: RuleSpec, add: boolean): FibRuleRequest {
  return {
    ...(spec.pref !== null ? { pref: spec.pref } : {}),
    // iprule_modify: an add is FR_ACT_TO_TBL unless a type was given, of table main unless one was given.
    ...(spec.action !== null ? { action: spec.action } : add ? { action: 'lookup' as const } : {}),
    ...(spec.table !== null ? { table: spec.table } : add ? { table: 254 } : {}),
    invert: spec.not,
    ...(spec.from !== null ? { src: spec.from.addr, srcLen: spec.from.len } : {}),
    ...(spec.to !== null ? { dst: spec.to.addr, dstLen: spec.to.len } : {}),
    ...(spec.tos !== null ? { tos: spec.tos } : {}),
    ...(spec.iif !== null ? { iifname: spec.iif } : {}),
    ...(spec.oif !== null ? { oifname: spec.oif } : {}),
    ...(spec.fwmark !== null ? { mark: spec.fwmark } : {}),
    ...(spec.fwmask !== null ? { markMask: spec.fwmask } : {}),
    ...(spec.suppressPrefixlen !== null ? { suppressPrefixlen: spec.suppressPrefixlen } : {}),
    ...(spec.proto !== null ? { proto: spec.proto } : {}),
  };
}

function hasArguments(spec: RuleSpec): boolean {
  return (
    spec.not ||
    spec.from !== null ||
    spec.to !== null ||
    spec.pref !== null ||
    spec.tos !== null ||
    spec.fwmark !== null ||
    spec.iif !== null ||
    spec.oif !== null ||
    spec.table !== null ||
    spec.action !== null ||
    spec.suppressPrefixlen !== null ||
    spec.proto !== null
  );
}

/** runRule runs `ip rule add|del|show|flush` in the context's namespace. */
export function runRule(ctx: ToolContext, cmd: RuleCmd): void {
  const spec = cmd.rule;
  switch (cmd.verb) {
    case 'add':
    case 'del': {
      if (!hasArguments(spec)) {
        ctx.out.errLine(`"ip rule ${cmd.verb}" requires arguments.`, 1);
        return;
      }
      // fib4_rule_configure: only the TOS bits (IPTOS_TOS_MASK) may be set.
      if (cmd.verb === 'add' && spec.tos !== null && (spec.tos & ~0x1e) !== 0) {
        ctx.out.errLine(rtnlErrorLine('EINVAL', 'Invalid tos'), 2);
        return;
      }
      const req = ruleRequest(spec, cmd.verb === 'add');
      const res = ctx.sim.control((tx) => {
        const fib = tx.fib(tx.ns(ctx.ns)!);
        return cmd.verb === 'add' ? fibRuleAdd(fib, req) : fibRuleDelete(fib, req);
      });
      if ('ok' in res) ctx.out.errLine(rtnlErrorLine(res.errno, res.msg), 2);
      return;
    }
    case 'flush': {
      // flush_rule deletes every dumped rule that carries FRA_PRIORITY, which the kernel leaves out for 0.
      const netns = netnsOf(ctx.view.world, ctx.ns);
      const keep = fibRules(netns.fib).filter((r) => r.pref === 0 || !ruleSelected(r, spec));
      if (keep.length !== fibRules(netns.fib).length) ctx.sim.control((tx) => tx.fib(tx.ns(ctx.ns)!).setRules(keep));
      return;
    }
    case 'show':
      ctx.out.out(formatIpRule(ctx.view, ctx.ns, spec, { json: cmd.opts.json, details: cmd.opts.details }));
      return;
  }
}

/** prefixSelects is filter_nlmsg's prefix test: the filter is no longer than the rule's prefix and agrees with it. */
function prefixSelects(f: Cidr, addr: number, len: number): boolean {
  if (f.len > len) return false;
  if (len === 0 || f.len === 0) return true;
  return ((addr ^ f.addr) & maskOf(f.len)) === 0;
}

/** ruleSelected is iprule.c's filter_nlmsg over one rule. */
function ruleSelected(r: FibRule, f: RuleSpec): boolean {
  if (f.pref !== null && r.pref !== f.pref) return false;
  if (f.not && !r.invert) return false;
  if (f.from !== null && !prefixSelects(f.from, r.src, r.srcLen)) return false;
  if (f.to !== null && !prefixSelects(f.to, r.dst, r.dstLen)) return false;
  if (f.tos !== null && r.tos !== f.tos) return false;
  if (f.fwmark !== null && f.fwmark !== 0 && r.mark !== f.fwmark) return false;
  if (f.fwmask !== null && f.fwmask !== 0 && dumpedMask(r) !== f.fwmask) return false;
  if (f.iif !== null && r.iifname !== f.iif) return false;
  if (f.oif !== null && r.oifname !== f.oif) return false;
  if (f.table !== null && f.table > 0 && r.table !== f.table) return false;
  if (f.proto !== null && r.proto !== f.proto) return false;
  return true;
}

/** dumpedMask is the FRA_FWMASK the kernel dumps: present when the rule has a mark or a mask. */
function dumpedMask(r: FibRule): number {
  return r.mark !== 0 || r.markMask !== 0 ? r.markMask : 0;
}

function hex(v: number): string {
  return v === 0 ? '0' : `0x${v.toString(16)}`;
}

/** ruleLine is print_rule's text for one rule, without the newline. */
function ruleLine(k: KernelView, ns: string, r: FibRule, details: boolean): string {
  const netns = netnsOf(k.world, ns);
  let out = `${r.pref}:\t`;
  if (r.invert) out += 'not ';
  out += r.srcLen === 0 ? 'from all' : `from ${formatIpv4(r.src)}${r.srcLen !== 32 ? `/${r.srcLen}` : ''}`;
  if (r.dstLen !== 0) out += ` to ${formatIpv4(r.dst)}${r.dstLen !== 32 ? `/${r.dstLen}` : ''}`;
  if (r.tos !== 0) out += ` tos ${dsfieldName(r.tos)}`;
  if (r.mark !== 0 || r.markMask !== 0) {
    out += ` fwmark ${hex(r.mark)}`;
    if (r.markMask !== 0xffffffff) out += `/${hex(r.markMask)}`;
  }
  if (r.iifname !== null) out += ` iif ${r.iifname}${linkByName(netns, r.iifname) === undefined ? ' [detached]' : ''}`;
  if (r.oifname !== null) out += ` oif ${r.oifname}${linkByName(netns, r.oifname) === undefined ? ' [detached]' : ''}`;
  if (r.table !== 0) {
    out += ` lookup ${tableName(r.table)}`;
    if (r.suppressPrefixlen !== -1) out += ` suppress_prefixlength ${r.suppressPrefixlen}`;
  }
  if (r.action !== 'lookup') out += ` ${r.action}`;
  // FRA_PROTOCOL is always dumped; iproute2 prints it when it is neither unspec nor kernel, or under -d.
  if ((r.proto !== 0 && r.proto !== 2) || details) out += ` proto ${protoName(r.proto)}`;
  return out;
}

/** ruleJson is print_rule's JSON object for one rule. */
function ruleJson(k: KernelView, ns: string, r: FibRule, details: boolean): JsonObject {
  const netns = netnsOf(k.world, ns);
  const o: Record<string, JsonValue> = {};
  o.priority = r.pref;
  if (r.invert) o.not = null;
  if (r.srcLen === 0) o.src = 'all';
  else {
    o.src = formatIpv4(r.src);
    if (r.srcLen !== 32) o.srclen = r.srcLen;
  }
  if (r.dstLen !== 0) {
    o.dst = formatIpv4(r.dst);
    if (r.dstLen !== 32) o.dstlen = r.dstLen;
  }
  if (r.tos !== 0) o.tos = dsfieldName(r.tos);
  if (r.mark !== 0 || r.markMask !== 0) {
    o.fwmark = hex(r.mark);
    if (r.markMask !== 0xffffffff) o.fwmask = hex(r.markMask);
  }
  if (r.iifname !== null) {
    o.iif = r.iifname;
    if (linkByName(netns, r.iifname) === undefined) o.iif_detached = null;
  }
  if (r.oifname !== null) {
    o.oif = r.oifname;
    if (linkByName(netns, r.oifname) === undefined) o.oif_detached = null;
  }
  if (r.table !== 0) {
    o.table = tableName(r.table);
    if (r.suppressPrefixlen !== -1) o.suppress_prefixlen = r.suppressPrefixlen;
  }
  if (r.action !== 'lookup') o.action = r.action;
  if ((r.proto !== 0 && r.proto !== 2) || details) o.protocol = protoName(r.proto);
  return o;
}

/** formatIpRule prints `ip [-j] [-d] rule [show] [SELECTOR…]`: the namespace's rules in order, as print_rule does. */
export function formatIpRule(
  k: KernelView,
  ns: string,
  filter: RuleSpec | null = null,
  opts: { readonly json?: boolean; readonly details?: boolean } = {},
): string {
  const rules = fibRules(netnsOf(k.world, ns).fib).filter((r) => filter === null || ruleSelected(r, filter));
  const details = opts.details === true;
  if (opts.json) return jsonDocument(rules.map((r) => ruleJson(k, ns, r, details)));
  return rules.map((r) => `${ruleLine(k, ns, r, details)}\n`).join('');
}
