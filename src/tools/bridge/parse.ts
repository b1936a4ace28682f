// The command line of bridge(8) as iproute2 6.1 reads it (bridge/bridge.c, bridge/fdb.c, bridge/link.c).

import type { Ipv4, Mac } from '../../model/addr.js';
import type { Parsed } from '../ast.js';
import { type Args, devName, fail, ipv4, mac, matches, pick, subcommand } from '../words.js';

export function parseBridge(args: Args): Parsed {
  let netns: string | null = null;
  let json = false;
  let pretty = false;
  for (let w = args.peek(); w?.startsWith('-'); w = args.peek()) {
    args.take();
    const o = w.startsWith('--') ? w.slice(1) : w;
    if (matches(o, '-netns') && o.length > 1) netns = args.netns(w);
    else if (matches(o, '-json') && o.length > 1) json = true;
    else if (matches(o, '-pretty') && o.length > 1) pretty = true;
    else fail(`bridge: option "${w}" is not supported in labs`);
  }
  const out = { ...(json ? { json } : {}), ...(json && pretty ? { pretty } : {}) };
  const objWord = args.take();
  if (objWord === undefined) fail('bridge: missing object (fdb, link)');
  const obj = pick(objWord, [
    ['link', 'link'],
    ['fdb', 'fdb'],
    ['mdb', null],
    ['vlan', null],
    ['vni', null],
    ['monitor', null],
    ['help', null],
  ] as const);
  if (obj === undefined) fail(`bridge: unknown object "${objWord}"`);
  if (obj === null) fail(`bridge ${objWord}: not supported in labs`);
  if (obj === 'link') {
    subcommand<'show'>(args, 'bridge link', [
      ['show', 'show'],
      ['lst', 'show'],
      ['list', 'show'],
      ['set', null],
      ['help', null],
    ]);
    // `bridge link show [dev DEV]`.
    let dev: string | null = null;
    for (let w = args.take(); w !== undefined; w = args.take()) {
      if (w === 'dev' && dev === null) dev = devName(args.value(w));
      else fail(`${args.ctx}: unknown option "${w}"`);
    }
    return { netns, cmd: { kind: 'bridge-link-show', ...out, ...(dev !== null ? { dev } : {}) } };
  }
  const verb = subcommand<'add' | 'append' | 'del' | 'show' | 'replace'>(args, 'bridge fdb', [
    ['add', 'add'],
    ['append', 'append'],
    ['replace', 'replace'],
    ['delete', 'del'],
    ['show', 'show'],
    ['lst', 'show'],
    ['list', 'show'],
    ['get', null],
    ['flush', null],
    ['help', null],
  ]);
  if (verb === 'show') {
    // fdb_show: words it does not know are skipped, as iproute2 6.1 does.
    let dev: string | null = null;
    let br: string | null = null;
    let state = 0;
    let vlan: number | undefined;
    let dynamic = false;
    for (let w = args.take(); w !== undefined; w = args.take()) {
      if (w === 'dev' || w === 'brport') dev = devName(args.value(w));
      else if (w === 'br') br = devName(args.value(w));
      else if (w === 'vlan') {
        if (vlan !== undefined) fail(`Error: duplicate "vlan": "${args.peek() ?? ''}" is the second value.`);
        vlan = atoi(args.value(w));
      } else if (w === 'state') {
        const v = args.value(w);
        const n = fdbStateA2n(v);
        if (n === null) fail(`Error: argument "${v}" is wrong: invalid state`);
        state |= n;
      } else if (w === 'dynamic') dynamic = true;
      else if (matches(w, 'help')) fail(`${args.ctx} help: not supported in labs`);
    }
    const filters = { ...(state !== 0 ? { state } : {}), ...(vlan !== undefined ? { vlan } : {}), ...(dynamic ? { dynamic } : {}) };
    return { netns, cmd: { kind: 'fdb-show', dev, br, ...filters, ...out } };
  }
  let m: Mac | null = null;
  let dev: string | null = null;
  let dst: Ipv4 | null = null;
  let self = false;
  let master = false;
  let permanent = false;
  let isStatic = false;
  let dynamic = false;
  for (let w = args.take(); w !== undefined; w = args.take()) {
    if (w === 'dev') dev = devName(args.value(w));
    else if (w === 'dst') dst = ipv4(args.value(w));
    else if (w === 'self') self = true;
    else if (matches(w, 'master')) master = true;
    else if (matches(w, 'permanent')) permanent = true;
    else if (w === 'static') isStatic = true;
    else if (matches(w, 'dynamic')) dynamic = true;
    else if (['nhid', 'port', 'vni', 'src_vni', 'via', 'local', 'temp', 'use', 'sticky', 'vlan'].includes(w))
      fail(`${args.ctx}: "${w}" is not supported in labs`);
    else {
      const d = w === 'to' ? args.value(w) : w;
      if (m !== null) fail(`${args.ctx}: unknown option "${w}"`);
      m = mac(d);
    }
  }
  if (m === null) fail(`${args.ctx}: missing MAC address`);
  if (dev === null) fail(`${args.ctx}: missing "dev"`);
  return {
    netns,
    cmd: {
      kind: 'fdb-change',
      action: verb,
      mac: m,
      dev,
      dst,
      self,
      master,
      permanent,
      ...(isStatic ? { static: true } : {}),
      ...(dynamic ? { dynamic: true } : {}),
    },
  };
}

/** FDB_STATES are bridge's state_a2n names and the NUD bits they stand for. */
const FDB_STATES: ReadonlyMap<string, number> = new Map([
  ['permanent', 0x80],
  ['static', 0x40],
  ['dynamic', 0x02],
]);

/** fdbStateA2n is bridge's state_a2n: a state name or a number (get_unsigned: decimal, 0x hex or 0 octal); null when bad. */
function fdbStateA2n(v: string): number | null {
  const named = FDB_STATES.get(v);
  if (named !== undefined) return named;
  if (!/^(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)$/.test(v)) return null;
  const n = Number.parseInt(v, /^0[xX]/.test(v) ? 16 : /^0[0-7]/.test(v) ? 8 : 10);
  return n <= 0xffffffff ? n : null;
}

/** atoi is C's atoi: optional blanks and sign, then leading digits; 0 when there are none. */
function atoi(v: string): number {
  const m = /^[ \t\n\v\f\r]*([+-]?\d+)/.exec(v);
  return m === null ? 0 : Number.parseInt(m[1], 10) | 0;
}
