// IPv4 policy routing rules as the kernel keeps them: net/core/fib_rules.c (fib_nl_newrule, fib_nl_delrule,
// rule_exists, rule_find, fib_default_rule_pref) and net/ipv4/fib_rules.c (fib4_rule_configure,
// fib4_rule_compare, fib_default_rules_init). The walk itself (fib_rules_lookup, fib4_rule_action) is part of
// fibLookup in src/kernel/fib.ts; the rules live in the namespace's FibStore.

import type { Ipv4 } from '../model/addr.js';
import type { FibRule, FibRuleAction, FibStore } from '../model/fibstore.js';
import { RouteProto, RouteTable } from '../model/world.js';

import { RT_TABLE_DEFAULT, type FibError } from './fib.js';

function defaultRule(pref: number, table: number): FibRule {
  return {
    pref,
    action: 'lookup',
    table,
    invert: false,
    src: 0,
    srcLen: 0,
    dst: 0,
    dstLen: 0,
    tos: 0,
    iifname: null,
    oifname: null,
    mark: 0,
    markMask: 0,
    suppressPrefixlen: -1,
    proto: RouteProto.Kernel,
  };
}

/** DEFAULT_RULES are fib_default_rules_init's three rules: local at 0, main at 32766, default at 32767. */
export const DEFAULT_RULES: readonly FibRule[] = Object.freeze([
  defaultRule(0, RouteTable.Local),
  defaultRule(32766, RouteTable.Main),
  defaultRule(32767, RT_TABLE_DEFAULT),
]);

/** fibRules lists a namespace's rules in walk order (the defaults until the first change). */
export function fibRules(store: FibStore): readonly FibRule[] {
  return store.rules ?? DEFAULT_RULES;
}

/**
 * FibRuleRequest is an `ip rule add|del` request as iproute2 sends it: a field left out is absent from the
 * message (for a delete it then matches any rule; for an add it takes the kernel's default).
 */
export interface FibRuleRequest {
  /** pref is FRA_PRIORITY; absent, an add takes fib_default_rule_pref. */
  readonly pref?: number;
  /** action is frh.action; absent (FR_ACT_UNSPEC) only in a delete. */
  readonly action?: FibRuleAction;
  /** table is the table id; 0 (or absent) is RT_TABLE_UNSPEC. */
  readonly table?: number;
  readonly invert?: boolean;
  readonly src?: Ipv4;
  readonly srcLen?: number;
  readonly dst?: Ipv4;
  readonly dstLen?: number;
  readonly tos?: number;
  readonly iifname?: string;
  readonly oifname?: string;
  /** mark is FRA_FWMARK and markMask FRA_FWMASK. */
  readonly mark?: number;
  readonly markMask?: number;
  readonly suppressPrefixlen?: number;
  readonly proto?: number;
}

/** ruleFromRequest is fib_nl2rule with fib4_rule_configure: the rule an add makes, before its priority is known. */
function ruleFromRequest(req: FibRuleRequest, pref: number): FibRule {
  const mark = req.mark ?? 0;
  const srcLen = req.srcLen ?? 0;
  const dstLen = req.dstLen ?? 0;
  return {
    pref,
    action: req.action ?? 'lookup',
    table: req.table ?? 0,
    invert: req.invert ?? false,
    src: srcLen === 0 ? 0 : (req.src ?? 0),
    srcLen,
    dst: dstLen === 0 ? 0 : (req.dst ?? 0),
    dstLen,
    tos: req.tos ?? 0,
    iifname: req.iifname ?? null,
    oifname: req.oifname ?? null,
    mark,
    // A non-zero mark without a mask compares all bits.
    markMask: req.markMask ?? (mark !== 0 ? 0xffffffff : 0),
    suppressPrefixlen: req.suppressPrefixlen ?? -1,
    proto: req.proto ?? 0,
  };
}

/** fib4RuleCompare is fib4_rule_compare: the prefixes and TOS the request gives must be the rule's. */
function fib4RuleCompare(r: FibRule, req: FibRuleRequest): boolean {
  const srcLen = req.srcLen ?? 0;
  const dstLen = req.dstLen ?? 0;
  if (srcLen !== 0 && (r.srcLen !== srcLen || r.src !== (req.src ?? 0))) return false;
  if (dstLen !== 0 && (r.dstLen !== dstLen || r.dst !== (req.dst ?? 0))) return false;
  if (req.tos && r.tos !== req.tos) return false;
  return true;
}

/** ruleExists is rule_exists: an identical rule (the device names, marks and priority included) is present. */
function ruleExists(rules: readonly FibRule[], rule: FibRule, req: FibRuleRequest): boolean {
  return rules.some(
    (r) =>
      r.action === rule.action &&
      r.table === rule.table &&
      r.pref === rule.pref &&
      r.iifname === rule.iifname &&
      r.oifname === rule.oifname &&
      r.mark === rule.mark &&
      r.suppressPrefixlen === rule.suppressPrefixlen &&
      r.markMask === rule.markMask &&
      r.proto === rule.proto &&
      fib4RuleCompare(r, req),
  );
}

/**
 * fibDefaultRulePref is fib_default_rule_pref: one less than the priority of the second rule when that is not
 * 0 (with the default rules, 32765, then 32764...), else 0.
 */
export function fibDefaultRulePref(rules: readonly FibRule[]): number {
  if (rules.length >= 2 && rules[1].pref !== 0) return rules[1].pref - 1;
  return 0;
}

/**
 * fibRuleAdd is fib_nl_newrule for `ip rule add` (NLM_F_CREATE|NLM_F_EXCL): the priority defaults as
 * fib_default_rule_pref says; an identical rule is EEXIST; a `lookup` of table 0 takes the first unused table
 * id (fib_empty_table); the rule goes after every rule of a lower or equal priority. The store must not be
 * frozen. It returns the rule added.
 */
export function fibRuleAdd(store: FibStore, req: FibRuleRequest): FibError | FibRule {
  const rules = fibRules(store);
  let rule = ruleFromRequest(req, req.pref ?? fibDefaultRulePref(rules));
  if (ruleExists(rules, rule, req)) return { ok: false, errno: 'EEXIST' };
  if (rule.action === 'lookup' && rule.table === 0) {
    let id = 1;
    while (store.tableExists(id)) id++;
    store.createTable(id);
    rule = { ...rule, table: id };
  }
  let at = 0;
  while (at < rules.length && rules[at].pref <= rule.pref) at++;
  const next = rules.slice();
  next.splice(at, 0, rule);
  store.setRules(next);
  return rule;
}

/**
 * fibRuleDelete is fib_nl_delrule: the first rule that agrees with every field the request gives (rule_find)
 * goes; none is ENOENT. The store must not be frozen. It returns the rule deleted.
 */
export function fibRuleDelete(store: FibStore, req: FibRuleRequest): FibError | FibRule {
  const rules = fibRules(store);
  const i = rules.findIndex(
    (r) =>
      (req.action === undefined || r.action === req.action) &&
      (!req.table || r.table === req.table) &&
      (req.pref === undefined || r.pref === req.pref) &&
      (req.iifname === undefined || r.iifname === req.iifname) &&
      (req.oifname === undefined || r.oifname === req.oifname) &&
      (!req.mark || r.mark === req.mark) &&
      (req.suppressPrefixlen === undefined || r.suppressPrefixlen === req.suppressPrefixlen) &&
      (!req.markMask || r.markMask === req.markMask) &&
      (!req.proto || r.proto === req.proto) &&
      fib4RuleCompare(r, req),
  );
  if (i < 0) return { ok: false, errno: 'ENOENT' };
  const next = rules.slice();
  const [gone] = next.splice(i, 1);
  store.setRules(next);
  return gone;
}
