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
    let dev: string | null = null;
    let br: string | null = null;
    for (let w = args.take(); w !== undefined; w = args.take()) {
      if (w === 'dev') dev = devName(args.value(w));
      else if (w === 'br') br = devName(args.value(w));
      else fail(`${args.ctx}: unknown option "${w}"`);
    }
    return { netns, cmd: { kind: 'fdb-show', dev, br, ...out } };
  }
  let m: Mac | null = null;
  let dev: string | null = null;
  let dst: Ipv4 | null = null;
  let self = false;
  let master = false;
  let permanent = false;
  let isStatic = false;
  for (let w = args.take(); w !== undefined; w = args.take()) {
    if (w === 'dev') dev = devName(args.value(w));
    else if (w === 'dst') dst = ipv4(args.value(w));
    else if (w === 'self') self = true;
    else if (matches(w, 'master')) master = true;
    else if (matches(w, 'permanent')) permanent = true;
    else if (w === 'static') isStatic = true;
    else if (['nhid', 'port', 'vni', 'src_vni', 'via', 'local', 'temp', 'dynamic', 'use', 'sticky', 'vlan'].includes(w))
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
    cmd: { kind: 'fdb-change', action: verb, mac: m, dev, dst, self, master, permanent, ...(isStatic ? { static: true } : {}) },
  };
}
