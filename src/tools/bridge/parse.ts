// The command line of bridge(8) as iproute2 6.1 reads it (bridge/bridge.c, bridge/fdb.c, bridge/link.c).

import type { Ipv4, Mac } from '../../model/addr.js';
import type { Parsed } from '../ast.js';
import { type Args, devName, fail, ipv4, mac, matches, pick, subcommand } from '../words.js';

export function parseBridge(args: Args): Parsed {
  let netns: string | null = null;
  for (let w = args.peek(); w?.startsWith('-'); w = args.peek()) {
    args.take();
    const o = w.startsWith('--') ? w.slice(1) : w;
    if (matches(o, '-netns') && o.length > 1) netns = args.netns(w);
    else fail(`bridge: option "${w}" is not supported in labs`);
  }
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
    args.end();
    return { netns, cmd: { kind: 'bridge-link-show' } };
  }
  const verb = subcommand<'add' | 'append' | 'del' | 'show'>(args, 'bridge fdb', [
    ['add', 'add'],
    ['append', 'append'],
    ['replace', null],
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
    return { netns, cmd: { kind: 'fdb-show', dev, br } };
  }
  let m: Mac | null = null;
  let dev: string | null = null;
  let dst: Ipv4 | null = null;
  let self = false;
  let master = false;
  let permanent = false;
  for (let w = args.take(); w !== undefined; w = args.take()) {
    if (w === 'dev') dev = devName(args.value(w));
    else if (w === 'dst') dst = ipv4(args.value(w));
    else if (w === 'self') self = true;
    else if (matches(w, 'master')) master = true;
    else if (matches(w, 'permanent')) permanent = true;
    else if (['nhid', 'port', 'vni', 'src_vni', 'via', 'local', 'temp', 'static', 'dynamic', 'use', 'sticky', 'vlan'].includes(w))
      fail(`${args.ctx}: "${w}" is not supported in labs`);
    else {
      const d = w === 'to' ? args.value(w) : w;
      if (m !== null) fail(`${args.ctx}: unknown option "${w}"`);
      m = mac(d);
    }
  }
  if (m === null) fail(`${args.ctx}: missing MAC address`);
  if (dev === null) fail(`${args.ctx}: missing "dev"`);
  return { netns, cmd: { kind: 'fdb-change', action: verb, mac: m, dev, dst, self, master, permanent } };
}
