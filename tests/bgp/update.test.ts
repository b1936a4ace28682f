// Tests for the handling of received UPDATEs: BIRD 1.6's RFC 4271 reading ('rfc4271', the Calico default)
// against RFC 7606 ('rfc7606'), case by case, and the loop checks of RFC 4456 §8.

import { parseIpv4 } from '../../src/model/addr.js';
import fc from 'fast-check';
import { encodeBgp } from '../../src/model/wire/bgp.js';
import { processUpdate, processUpdateUncached, type UpdateContext } from '../../src/bgp/update.js';
import { arbUpdate, hex, toHex } from './arbitraries.js';

const ip = (s: string): number => parseIpv4(s)!;

const CTX: UpdateContext = {
  mode: 'rfc4271',
  internal: true,
  as4Session: true,
  addPathRx: false,
  localAs: 64512,
  peerAs: 64512,
  routerId: ip('10.23.14.110'),
  rrClient: false,
  clusterId: ip('10.23.14.110'),
  defaultLocalPref: 100,
};

const ORIGIN = '40010100';
const PATH = '400200';
const NH = '4003040a170e6f';

/** body is an UPDATE body announcing 10.233.80.0/24 with the attributes given in hex. */
function body(attrs: string, nlri = '180ae950', withdrawn = ''): Uint8Array {
  const a = hex(attrs);
  const w = hex(withdrawn);
  return hex(`${w.length.toString(16).padStart(4, '0')} ${withdrawn} ${a.length.toString(16).padStart(4, '0')} ${attrs} ${nlri}`);
}

type Outcome = string;

function outcome(b: Uint8Array, ctx: Partial<UpdateContext> = {}): Outcome {
  const v = processUpdate(b, { ...CTX, ...ctx });
  if (v.kind === 'notify') return `notify ${v.code}/${v.subcode}${v.data.length ? ` ${toHex(v.data)}` : ''}`;
  if (v.endOfRib) return 'end-of-rib';
  if (v.attrs === null) return v.withdraw.length > 0 ? 'withdraw' : 'nothing';
  return `announce ${v.attrs.map((a) => (a.type === 'unknown' ? `#${a.code}` : a.type)).join(',')}`;
}

describe('UPDATE handling', () => {
  it('accepts a well-formed UPDATE and adds the default LOCAL_PREF', () => {
    expect(outcome(body(`${ORIGIN} ${PATH} ${NH}`))).toBe('announce origin,as-path,next-hop,local-pref');
  });

  it('recognises the End-of-RIB marker', () => {
    expect(outcome(hex('0000 0000'))).toBe('end-of-rib');
  });

  // Each row: the case, the attribute hex (announcing 10.233.80.0/24), BIRD 1.6's answer, RFC 7606's.
  it.each<[string, string, string, Outcome, Outcome]>([
    ['ORIGIN value 3', `40010103 ${PATH} ${NH}`, '180ae950', 'notify 3/6 40010103', 'withdraw'],
    ['ORIGIN of length 2', `4001020000 ${PATH} ${NH}`, '180ae950', 'notify 3/5 4001020000', 'withdraw'],
    ['ORIGIN flagged optional', `c0010100 ${PATH} ${NH}`, '180ae950', 'notify 3/4 c0010100', 'withdraw'],
    [
      'NEXT_HOP flagged optional and 3 long (length is checked first)',
      `${ORIGIN} ${PATH} c003030a170e`,
      '180ae950',
      'notify 3/5 c003030a170e',
      'withdraw',
    ],
    ['a malformed AS_PATH', `${ORIGIN} 400206020300000001 ${NH}`, '180ae950', 'notify 3/11 400206020300000001', 'withdraw'],
    ['NEXT_HOP 0.0.0.0', `${ORIGIN} ${PATH} 40030400000000`, '180ae950', 'notify 3/8 40030400000000', 'withdraw'],
    ['missing NEXT_HOP', `${ORIGIN} ${PATH}`, '180ae950', 'notify 3/3 03', 'withdraw'],
    ['missing ORIGIN', `${PATH} ${NH}`, '180ae950', 'notify 3/3 01', 'withdraw'],
    ['a duplicate attribute', `${ORIGIN} ${ORIGIN} ${PATH} ${NH}`, '180ae950', 'notify 3/1', 'announce origin,as-path,next-hop,local-pref'],
    ['an attribute overrunning the list', `${ORIGIN} ${PATH} ${NH} 400505000000`, '180ae950', 'notify 3/1', 'withdraw'],
    ['an unknown well-known attribute', `${ORIGIN} ${PATH} ${NH} 406301ff`, '180ae950', 'notify 3/2 406301ff', 'notify 3/2 406301ff'],
    [
      'an unknown optional attribute (kept)',
      `${ORIGIN} ${PATH} ${NH} c06301ff`,
      '180ae950',
      'announce origin,as-path,next-hop,local-pref,#99',
      'announce origin,as-path,next-hop,local-pref,#99',
    ],
    ['COMMUNITY of length 3 (BIRD 1.6 withdraws too)', `${ORIGIN} ${PATH} ${NH} c00803000001`, '180ae950', 'withdraw', 'withdraw'],
    [
      'AGGREGATOR of length 7',
      `${ORIGIN} ${PATH} ${NH} c00707000000010a0000`,
      '180ae950',
      'withdraw',
      'announce origin,as-path,next-hop,local-pref',
    ],
    [
      'ATOMIC_AGGREGATE of length 1',
      `${ORIGIN} ${PATH} ${NH} 400601ff`,
      '180ae950',
      'notify 3/5 400601ff',
      'announce origin,as-path,next-hop,local-pref',
    ],
    ['CLUSTER_LIST of length 5', `${ORIGIN} ${PATH} ${NH} 800a050a00000101`, '180ae950', 'notify 3/5 800a050a00000101', 'withdraw'],
    ['a prefix length of 33', `${ORIGIN} ${PATH} ${NH}`, '21ffffffffff', 'notify 3/10', 'notify 3/10'],
    ['NLRI without attributes', '', '180ae950', 'notify 3/1', 'withdraw'],
  ])('%s', (_n, attrs, nlri, bird16, rfc7606) => {
    expect(outcome(body(attrs, nlri), { mode: 'rfc4271' })).toBe(bird16);
    expect(outcome(body(attrs, nlri), { mode: 'rfc7606' })).toBe(rfc7606);
  });

  it('resets the session when an attribute error would be treated as withdraw but no NLRI is there (RFC 7606 §5.2)', () => {
    expect(outcome(body(`40010103 ${PATH} ${NH}`, '', '180ae951'), { mode: 'rfc7606' })).toBe('notify 3/1');
    expect(outcome(body('', '', '180ae951'), { mode: 'rfc7606' })).toBe('withdraw');
  });

  it('answers a withdrawn-routes length overrunning the message with 3/1 in both modes', () => {
    for (const mode of ['rfc4271', 'rfc7606'] as const) expect(outcome(hex('0009 0000'), { mode })).toBe('notify 3/1');
  });

  it.each<[string, string, Partial<UpdateContext>]>([
    ['our AS in AS_PATH', `${ORIGIN} 4002060201 0000fc00 ${NH}`, {}],
    ['ORIGINATOR_ID equal to our router id', `${ORIGIN} ${PATH} ${NH} 8009040a170e6e`, {}],
    ['our cluster id in CLUSTER_LIST on an rr client session', `${ORIGIN} ${PATH} ${NH} 800a040a170e6e`, { rrClient: true }],
  ])('treats a route with %s as withdrawn (RFC 4456 §8)', (_n, attrs, ctx) => {
    expect(outcome(body(attrs), ctx)).toBe('withdraw');
  });

  it('lets `allow local as N` take N copies of the local AS', () => {
    const twice = `${ORIGIN} 40020a02020000fc000000fc00 ${NH}`;
    expect(outcome(body(twice), { allowLocalAs: 1 })).toBe('withdraw');
    expect(outcome(body(twice), { allowLocalAs: 2 })).toBe('announce origin,as-path,next-hop,local-pref');
    expect(outcome(body(twice), { allowLocalAs: -1 })).toBe('announce origin,as-path,next-hop,local-pref');
  });

  it('does not check CLUSTER_LIST on a session that is not an rr client (BIRD 1.6 bgp_cluster_list_loopy)', () => {
    expect(outcome(body(`${ORIGIN} ${PATH} ${NH} 800a040a170e6e`))).toBe('announce origin,as-path,next-hop,local-pref,cluster-list');
  });

  it('drops LOCAL_PREF, ORIGINATOR_ID and CLUSTER_LIST from an eBGP peer and puts the default LOCAL_PREF', () => {
    const attrs = `${ORIGIN} 40020602010000fde8 ${NH} 40050400000005 800904 01020304 800a04 01020304`;
    const v = processUpdate(body(attrs), { ...CTX, internal: false, peerAs: 65000 });
    expect(v.kind === 'routes' && v.attrs?.map((a) => a.type)).toEqual(['origin', 'as-path', 'next-hop', 'local-pref']);
    expect(v.kind === 'routes' && v.attrs?.find((a) => a.type === 'local-pref')).toEqual({
      type: 'local-pref',
      flags: 0x40,
      localPref: 100,
    });
  });

  it('rebuilds the 4-octet AS_PATH of a 2-octet session from AS4_PATH (RFC 6793 §4.2.3)', () => {
    const attrs = `${ORIGIN} 40020602025ba0fde8 ${NH} c0110a020200011170 0000fde8`;
    const v = processUpdate(body(attrs), { ...CTX, as4Session: false, internal: false, peerAs: 23456, localAs: 64512 });
    expect(v.kind === 'routes' && v.attrs?.find((a) => a.type === 'as-path')).toEqual({
      type: 'as-path',
      flags: 0x40,
      segments: [{ type: 2, asns: [70000, 65000] }],
    });
  });

  it('with RFC 7606 treats an eBGP AS_PATH not starting with the peer AS as withdrawn', () => {
    const attrs = `${ORIGIN} 40020602010000fde9 ${NH}`;
    expect(outcome(body(attrs), { mode: 'rfc7606', internal: false, peerAs: 65000 })).toBe('withdraw');
    expect(outcome(body(attrs), { mode: 'rfc4271', internal: false, peerAs: 65000 })).toBe('announce origin,as-path,next-hop,local-pref');
  });

  it('property: the shared cache of clean attribute lists answers as the full path, on first sight and after', () => {
    const arbCtx = fc.record({
      mode: fc.constantFrom('rfc4271' as const, 'rfc7606' as const),
      internal: fc.boolean(),
      as4Session: fc.boolean(),
      addPathRx: fc.boolean(),
      localAs: fc.constantFrom(64512, 65000, 1),
      peerAs: fc.constantFrom(64512, 65000, 1),
      routerId: fc.constantFrom(ip('10.23.14.110'), ip('1.2.3.4')),
      rrClient: fc.boolean(),
      clusterId: fc.constantFrom(ip('10.23.14.110'), ip('1.2.3.4')),
      defaultLocalPref: fc.constantFrom(100, 200),
      allowLocalAs: fc.constantFrom(0, 1, -1),
    });
    // Bodies are well-formed UPDATEs, some with an octet changed (to reach the problems the cache leaves to the full path).
    // Most announce a route: ORIGIN, AS_PATH and NEXT_HOP are there, with whatever else.
    const announcing = (ctx: { as4Session: boolean; addPathRx: boolean }) =>
      fc
        .tuple(
          arbUpdate({ as4: ctx.as4Session, addPath: ctx.addPathRx }),
          fc.integer({ min: 0, max: 2 }),
          fc.array(fc.constantFrom(64512, 65000, 1, 23456), { maxLength: 3 }),
          fc.constantFrom(ip('10.23.14.111'), ip('1.2.3.4')),
        )
        .map(([u, origin, asns, nextHop]) => ({
          ...u,
          attributes: [
            { type: 'origin' as const, flags: 0x40, origin },
            { type: 'as-path' as const, flags: 0x40, segments: asns.length > 0 ? [{ type: 2, asns }] : [] },
            { type: 'next-hop' as const, flags: 0x40, nextHop },
            ...u.attributes.filter((a) => a.type !== 'origin' && a.type !== 'as-path' && a.type !== 'next-hop'),
          ],
          nlri: u.nlri.length > 0 ? u.nlri : [{ prefix: { addr: ip('10.233.80.0'), len: 24 }, ...(ctx.addPathRx ? { pathId: 1 } : {}) }],
        }));
    const arbBody = arbCtx.chain((ctx) =>
      fc.tuple(
        fc.constant(ctx),
        fc.oneof(
          { weight: 3, arbitrary: announcing(ctx) },
          { weight: 1, arbitrary: arbUpdate({ as4: ctx.as4Session, addPath: ctx.addPathRx }) },
        ),
        fc.option(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { freq: 4 }),
      ),
    );
    fc.assert(
      fc.property(arbBody, ([ctx, u, flip]) => {
        let bytes: Uint8Array;
        try {
          bytes = encodeBgp(u, { as4: ctx.as4Session, addPath: ctx.addPathRx, extendedMessages: true }).subarray(19);
        } catch {
          return;
        }
        if (flip) {
          bytes = bytes.slice();
          bytes[flip[0] % bytes.length] = flip[1];
        }
        const full = processUpdateUncached(bytes, ctx);
        expect(processUpdate(bytes, ctx)).toEqual(full);
        expect(processUpdate(bytes.slice(), ctx)).toEqual(full);
      }),
      { numRuns: 400 },
    );
  });

  it('shares one frozen attribute list between every UPDATE that carries the same octets', () => {
    const b = body(`${ORIGIN} ${PATH} ${NH}`);
    const a = processUpdate(b, CTX);
    const c = processUpdate(body(`${ORIGIN} ${PATH} ${NH}`, '1a0ae94f40'), { ...CTX, routerId: ip('10.23.14.99') });
    expect(a.kind === 'routes' && c.kind === 'routes' && a.attrs !== null && a.attrs === c.attrs).toBe(true);
    expect(a.kind === 'routes' && Object.isFrozen(a.attrs) && Object.isFrozen(a.attrs![0])).toBe(true);
    // Another kind of session (eBGP) does not share the internal session's list.
    const e = processUpdate(b, { ...CTX, internal: false, peerAs: 64512 });
    expect(e.kind === 'routes' && e.attrs !== (a.kind === 'routes' ? a.attrs : null)).toBe(true);
  });
});
