// Tests for the session state machine (RFC 4271 §8, §6.8) as BIRD 1.6 codes it (proto/bgp/bgp.c,
// packets.c): transition tables per state and event, the OPEN checks in BIRD's order, timers as Calico
// sets them, error wait doubling, collision detection and graceful restart.

import { parseIpv4 } from '../../src/model/addr.js';
import { calicoProtocol, type BgpProtocolConfig } from '../../src/bgp/config.js';
import { bgpStateName, bgpStep, newSession, statusInfo, type BgpAction, type BgpEventBody, type BgpSession } from '../../src/bgp/fsm.js';
import { birdOpen } from '../../src/bgp/open.js';
import { decodeBgp, encodeBgp, type BgpOpenRepr } from '../../src/model/wire/bgp.js';
import { hex, toHex } from './arbitraries.js';

const ip = (s: string): number => parseIpv4(s)!;
const LOCAL = ip('10.23.14.110');
const PEER = ip('10.23.14.111');

/** cfg is node 10.23.14.110's mesh protocol towards 10.23.14.111 (not passive, as "10.23.14.111" > …110 makes the other wait). */
function cfg(over: Partial<BgpProtocolConfig> = {}): BgpProtocolConfig {
  return calicoProtocol({
    name: 'Mesh_10_23_14_111',
    localAs: 64512,
    peerAs: 64512,
    neighborAddress: PEER,
    sourceAddress: LOCAL,
    routerId: LOCAL,
    ...over,
  });
}

/** peerOpen is what BIRD on 10.23.14.111 sends. */
function peerOpen(over: Partial<BgpProtocolConfig> = {}, grRecovery = false): BgpOpenRepr {
  return birdOpen(
    calicoProtocol({
      name: 'Mesh_10_23_14_110',
      localAs: 64512,
      peerAs: 64512,
      neighborAddress: LOCAL,
      sourceAddress: PEER,
      routerId: PEER,
      ...over,
    }),
    {
      grRecovery,
      noCapabilities: false,
    },
  );
}

interface Run {
  s: BgpSession;
  actions: BgpAction[];
  reasons: string[];
  now: number;
}

/** drive applies events in turn, one second apart unless an event says otherwise. */
function drive(s: BgpSession, events: (BgpEventBody & { now?: number })[], start = 0): Run {
  const run: Run = { s, actions: [], reasons: [], now: start };
  for (const e of events) {
    run.now = e.now ?? run.now;
    const [ns, acts, reason] = bgpStep(run.s, { ...e, now: run.now } as never);
    run.s = ns;
    run.actions.push(...acts);
    run.reasons.push(reason);
  }
  return run;
}

const START: BgpEventBody = { type: 'start' };
const DELAY: BgpEventBody = { type: 'timer', timer: 'connect-delay', conn: 'outgoing' };
const CONNECTED: BgpEventBody = { type: 'tcp-connected', conn: 'outgoing' };
const openFrom = (o: BgpOpenRepr): BgpEventBody => ({ type: 'message', conn: 'outgoing', message: o });
const KEEPALIVE: BgpEventBody = { type: 'message', conn: 'outgoing', message: { type: 'keepalive' } };

function established(c = cfg(), peer = peerOpen()): Run {
  return drive(newSession(c), [START, DELAY, CONNECTED, openFrom(peer), KEEPALIVE]);
}

const sent = (r: Run | BgpAction[]) =>
  (Array.isArray(r) ? r : r.actions).filter((a) => a.type === 'send').map((a) => (a as Extract<BgpAction, { type: 'send' }>).message);
const last = <T>(xs: T[]): T => xs[xs.length - 1];
const notificationsOf = (acts: BgpAction[]) =>
  sent(acts)
    .filter((m) => m.type === 'notification')
    .map((m) => (m.type === 'notification' ? `${m.code}/${m.subcode} ${toHex(m.data)}`.trim() : ''));

/** CALICO_OPEN is the OPEN BIRD 1.6 sends for Calico's bgp_template (packets.c bgp_create_open). */
const CALICO_OPEN =
  'ffffffffffffffffffffffffffffffff 003f 01 04 fc00 00f0 0a170e6e 22 02 20 010400010001 0200 4006007800010100 41040000fc00 450400010103 4600 4700';

describe('bgp fsm', () => {
  it('sends the OPEN of BIRD 1.6 as Calico configures it, byte for byte', () => {
    const r = drive(newSession(cfg()), [START, DELAY, CONNECTED]);
    const open = r.actions.find((a) => a.type === 'send');
    expect(open && open.type === 'send' && toHex(open.bytes)).toBe(toHex(hex(CALICO_OPEN)));
    expect(bgpStateName(r.s)).toBe('OpenSent');
  });

  it('sets the Restart State and Forwarding bits while `bird -R` recovers', () => {
    const s = newSession(cfg(), { grRecovery: true });
    const r = drive(s, [START, DELAY, CONNECTED]);
    const open = r.actions.find((a) => a.type === 'send');
    expect(open && open.type === 'send' && toHex(open.bytes).slice(78, 94)).toBe('4006807800010180');
    expect(r.actions.some((a) => a.type === 'gr-lock')).toBe(true);
  });

  it.each([
    ['an active session', {}, 'Active', [{ type: 'set-timer', timer: 'connect-delay', conn: 'outgoing', seconds: 2, jitter: 0 }]],
    ['a passive session', { passive: true }, 'Passive', []],
  ])('starts %s', (_n, over, state, timers) => {
    const r = drive(newSession(cfg(over)), [START]);
    expect(bgpStateName(r.s)).toBe(state);
    expect(r.s.protoState).toBe('start');
    expect(r.actions.filter((a) => a.type === 'set-timer' || a.type === 'connect')).toEqual(timers);
  });

  it('never connects when passive, whatever the timers do', () => {
    const r = drive(newSession(cfg({ passive: true })), [START, DELAY, { type: 'timer', timer: 'connect-retry', conn: 'outgoing' }]);
    expect(r.actions.some((a) => a.type === 'connect')).toBe(false);
    expect(statusInfo(r.s)).toBe('Passive       ');
  });

  it.each<[string, (BgpEventBody & { now?: number })[], string, string, string]>([
    ['connect delay expiry', [START, DELAY], 'Connect', 'connect-delay-expired', 'Connect       '],
    [
      'connection refused',
      [START, DELAY, { type: 'tcp-failed', conn: 'outgoing', error: 'Connection refused' }],
      'Active',
      'connect-failed Connection refused',
      'Active        Socket: Connection refused',
    ],
    [
      'connect retry expiry',
      [START, DELAY, { type: 'timer', timer: 'connect-retry', conn: 'outgoing' }],
      'Connect',
      'connect-retry-timer-expired',
      'Connect       ',
    ],
    ['TCP connected', [START, DELAY, CONNECTED], 'OpenSent', 'connected', 'OpenSent      '],
    ['OPEN received', [START, DELAY, CONNECTED, openFrom(peerOpen())], 'OpenConfirm', 'open-msg-received', 'OpenConfirm   '],
    [
      'KEEPALIVE received',
      [START, DELAY, CONNECTED, openFrom(peerOpen()), KEEPALIVE],
      'Established',
      'open-msg-negotiated',
      'Established   ',
    ],
    [
      'connection closed in OpenSent',
      [START, DELAY, CONNECTED, { type: 'tcp-failed', conn: 'outgoing', error: '' }],
      'Active',
      'read-failed',
      'Active        Socket: Connection closed',
    ],
    [
      'hold timer expiry in OpenSent',
      [START, DELAY, CONNECTED, { type: 'timer', timer: 'hold', conn: 'outgoing' }],
      'Idle',
      'hold-timer-expired',
      'Idle          BGP Error: Hold timer expired',
    ],
  ])('%s', (_n, events, state, reason, info) => {
    const r = drive(newSession(cfg()), events);
    expect(bgpStateName(r.s)).toBe(state);
    expect(last(r.reasons)).toBe(reason);
    expect(statusInfo(r.s)).toBe(info);
  });

  it('connects to the neighbour from the source address with TTL 64 (iBGP multihop) and TOS 0xc0', () => {
    const r = drive(newSession(cfg()), [START, DELAY]);
    expect(r.actions.filter((a) => a.type === 'connect')).toEqual([
      { type: 'connect', conn: 'outgoing', local: LOCAL, remote: PEER, port: 179, ttl: 64, tos: 0xc0 },
    ]);
    expect(r.actions).toContainEqual({ type: 'set-timer', timer: 'connect-retry', conn: 'outgoing', seconds: 5, jitter: 1 });
  });

  it('negotiates hold time as the minimum and keepalive as a third of it', () => {
    const r = drive(newSession(cfg()), [START, DELAY, CONNECTED, openFrom({ ...peerOpen(), holdTime: 90 })]);
    expect(r.s.outgoing.holdTime).toBe(90);
    expect(r.s.outgoing.keepaliveTime).toBe(30);
    expect(r.actions).toContainEqual({ type: 'set-timer', timer: 'hold', conn: 'outgoing', seconds: 90, jitter: 22 });
    expect(r.actions).toContainEqual({ type: 'set-timer', timer: 'keepalive', conn: 'outgoing', seconds: 30, jitter: 7 });
    const e = established();
    expect([e.s.outgoing.holdTime, e.s.outgoing.keepaliveTime]).toEqual([240, 80]);
    expect(e.actions).toContainEqual({ type: 'session-up', conn: 'outgoing', exportNow: true });
    expect([e.s.as4Session, e.s.addPathRx, e.s.addPathTx, e.s.grReady]).toEqual([true, true, true, true]);
  });

  it('restarts the hold timer on KEEPALIVE and UPDATE, and sends a KEEPALIVE when its timer fires', () => {
    const e = established();
    const r = drive(e.s, [KEEPALIVE, { type: 'timer', timer: 'keepalive', conn: 'outgoing' }]);
    expect(r.actions.filter((a) => a.type === 'set-timer').map((a) => (a as { timer: string }).timer)).toEqual(['hold', 'keepalive']);
    expect(sent(r).map((m) => m.type)).toEqual(['keepalive']);
  });

  it.each<[string, BgpOpenRepr | Uint8Array, string]>([
    ['version 3', { ...peerOpen(), version: 3 }, '2/1 03'],
    [
      'a bad peer AS (4-octet capability)',
      birdOpen(calicoProtocol({ name: 'x', localAs: 65000, peerAs: 64512, neighborAddress: LOCAL, sourceAddress: PEER, routerId: PEER }), {
        grRecovery: false,
        noCapabilities: false,
      }),
      '2/2 0000fde8',
    ],
    ['a BGP identifier of 0', { ...peerOpen(), bgpId: 0 }, '2/3'],
    ['our own BGP identifier on iBGP', { ...peerOpen(), bgpId: LOCAL }, '2/3'],
    ['hold time 2', { ...peerOpen(), holdTime: 2 }, '2/6 0002'],
    ['an unknown optional parameter', { ...peerOpen(), parameters: [{ type: 'unknown', code: 7, data: hex('aabb') }] }, '2/4 0702'],
    [
      'a malformed AS4 capability',
      { ...peerOpen(), parameters: [{ type: 'capabilities', capabilities: [{ code: 'unknown', type: 65, data: hex('000001') }] }] },
      '2/0',
    ],
    [
      'an ADD-PATH value of 4',
      {
        ...peerOpen(),
        parameters: [{ type: 'capabilities', capabilities: [{ code: 'add-path', families: [{ afi: 1, safi: 1, sendReceive: 4 }] }] }],
      },
      '2/0',
    ],
    ['a parameter overrunning the parameters', hex('ffffffffffffffffffffffffffffffff 0020 01 04 fc00 00f0 0a170e6f 03 020601'), '2/0'],
    [
      'a parameters length disagreeing with the message length',
      hex('ffffffffffffffffffffffffffffffff 001e 01 04 fc00 00f0 0a170e6f 02 00'),
      '1/2 001e',
    ],
  ])('answers an OPEN with %s as BIRD 1.6 does', (_n, open, expected) => {
    const start = drive(newSession(cfg()), [START, DELAY, CONNECTED]);
    const ev: BgpEventBody = open instanceof Uint8Array ? { type: 'data', conn: 'outgoing', bytes: open } : openFrom(open);
    const r = drive(start.s, [ev]);
    expect(notificationsOf(r.actions)).toEqual([expected]);
    expect(r.s.protoState).toBe('start');
    expect(r.s.startState).toBe('delay');
    expect(r.actions).toContainEqual({ type: 'set-timer', timer: 'error-wait', seconds: 5, jitter: 1 });
  });

  it.each([
    ['a bad marker', 'ffffffffffffffffffffffffffff0000 0013 04', '1/1'],
    ['a length of 18', 'ffffffffffffffffffffffffffffffff 0012 04', '1/2 0012'],
    ['a length of 4097', 'ffffffffffffffffffffffffffffffff 1001 04', '1/2 1001'],
    ['type 9', 'ffffffffffffffffffffffffffffffff 0013 09', '1/3 09'],
    ['an OPEN when established', CALICO_OPEN, '5/3'],
    [
      'a ROUTE-REFRESH of 24 bytes',
      'ffffffffffffffffffffffffffffffff 0018 05 0001 00 01 00',
      '7/1 ffffffffffffffffffffffffffffffff0018050001000100',
    ],
    ['a NOTIFICATION of 20 bytes', 'ffffffffffffffffffffffffffffffff 0014 03 06', '1/2 0014'],
  ])('answers %s on an established session', (_n, h, expected) => {
    const r = drive(established().s, [{ type: 'data', conn: 'outgoing', bytes: hex(h) }]);
    expect(notificationsOf(r.actions)).toEqual([expected]);
    expect(r.actions.some((a) => a.type === 'flush')).toBe(true);
  });

  it.each([
    ['KEEPALIVE in OpenSent', [START, DELAY, CONNECTED, KEEPALIVE], '5/1'],
    [
      'UPDATE in OpenSent',
      [
        START,
        DELAY,
        CONNECTED,
        { type: 'message', conn: 'outgoing', message: { type: 'update', withdrawn: [], attributes: [], nlri: [] } },
      ],
      '5/1',
    ],
    ['OPEN in OpenConfirm', [START, DELAY, CONNECTED, openFrom(peerOpen()), openFrom(peerOpen())], '5/2'],
  ] as [string, BgpEventBody[], string][])('answers %s with a finite state machine error (RFC 6608)', (_n, events, expected) => {
    const r = drive(newSession(cfg()), events);
    expect(notificationsOf(r.actions)).toEqual([expected]);
  });

  it('doubles the error wait after each error up to 30 s, and forgets after 300 s', () => {
    let s = newSession(cfg());
    const waits: number[] = [];
    let now = 0;
    s = drive(s, [START]).s;
    for (let i = 0; i < 6; i++) {
      const r = drive(
        s,
        [
          {
            type: 'timer',
            timer: s.startState === 'delay' ? 'error-wait' : 'connect-delay',
            conn: s.startState === 'delay' ? undefined : 'outgoing',
            now,
          },
          DELAY,
          CONNECTED,
          { type: 'timer', timer: 'hold', conn: 'outgoing' },
        ],
        now,
      );
      s = r.s;
      waits.push(s.startupDelay);
      now += 60;
    }
    expect(waits).toEqual([5, 10, 20, 30, 30, 30]);
    const r = drive(
      s,
      [{ type: 'timer', timer: 'error-wait', now: now + 400 }, DELAY, CONNECTED, { type: 'timer', timer: 'hold', conn: 'outgoing' }],
      now + 400,
    );
    expect(r.s.startupDelay).toBe(5);
  });

  it('rejects an incoming connection during the error wait', () => {
    const e = drive(newSession(cfg()), [START, DELAY, CONNECTED, { type: 'timer', timer: 'hold', conn: 'outgoing' }]);
    expect(e.s.startState).toBe('delay');
    const r = drive(e.s, [{ type: 'tcp-incoming' }]);
    expect(r.actions.filter((a) => a.type === 'accept' || a.type === 'reject')).toEqual([{ type: 'reject' }]);
    expect(last(r.reasons)).toBe('connection-rejected');
  });

  it('stops and waits after a NOTIFICATION received, but reconnects at once after a Cease', () => {
    const err = drive(established().s, [
      { type: 'message', conn: 'outgoing', message: { type: 'notification', code: 3, subcode: 1, data: new Uint8Array(0) } },
    ]);
    expect(statusInfo(err.s)).toBe('Idle          Received: Malformed attribute list');
    expect(err.s.startState).toBe('delay');
    const cease = drive(established().s, [
      { type: 'message', conn: 'outgoing', message: { type: 'notification', code: 6, subcode: 2, data: new Uint8Array(0) } },
    ]);
    expect(statusInfo(cease.s)).toBe('Active        Received: Administrative shutdown');
    expect(cease.s.startupDelay).toBe(0);
    expect(last(cease.reasons)).toBe('notification-received 6/2');
  });

  it('sends Cease 6/2 with the shutdown message on disable and stays down', () => {
    const r = drive(established().s, [{ type: 'stop', reason: 'disable', message: 'bye' }]);
    expect(notificationsOf(r.actions)).toEqual(['6/2 03627965']);
    expect(r.s.protoState).toBe('down');
    expect(statusInfo(r.s)).toBe('');
    expect(bgpStateName(r.s)).toBe('Down');
    const again = drive(r.s, [START]);
    expect(bgpStateName(again.s)).toBe('Active');
  });

  it.each([
    ['deconfigure', '6/3'],
    ['restart', '6/4'],
    ['reconfigure', '6/6'],
  ] as const)('sends the Cease subcode of a %s', (reason, code) => {
    const r = drive(established().s, [{ type: 'stop', reason }]);
    expect(notificationsOf(r.actions)).toEqual([code]);
    expect(r.s.protoState).toBe(reason === 'restart' ? 'start' : 'down');
  });

  it('stays down when disabled during the error wait, even if the wait timer still fires', () => {
    const e = drive(newSession(cfg()), [START, DELAY, CONNECTED, { type: 'timer', timer: 'hold', conn: 'outgoing' }]);
    const r = drive(e.s, [
      { type: 'stop', reason: 'disable' },
      { type: 'timer', timer: 'error-wait' },
    ]);
    expect(r.s.protoState).toBe('down');
    expect(r.actions).toContainEqual({ type: 'cancel-timer', timer: 'error-wait', conn: undefined });
    expect(r.actions.some((a) => a.type === 'connect' || a.type === 'set-timer')).toBe(false);
    expect(last(r.reasons)).toBe('timer-ignored');
  });

  describe('collision detection (RFC 4271 §6.8)', () => {
    /** both makes an outgoing connection reach OpenConfirm, then an incoming one get the peer's OPEN. */
    function both(localId: string, peerId: string): Run {
      const c = cfg({ routerId: ip(localId) });
      const p = { ...peerOpen(), bgpId: ip(peerId) };
      return drive(newSession(c), [
        START,
        DELAY,
        CONNECTED,
        openFrom(p),
        { type: 'tcp-incoming' },
        { type: 'message', conn: 'incoming', message: p },
      ]);
    }

    it.each([
      ['the neighbour has the higher id: its connection (our incoming) wins', '10.0.0.1', '10.0.0.2', 'outgoing', 'incoming'],
      ['we have the higher id: our connection (outgoing) wins', '10.0.0.2', '10.0.0.1', 'incoming', 'outgoing'],
    ])('%s', (_n, localId, peerId, closed, kept) => {
      const r = both(localId, peerId);
      const notes = r.actions.filter((a) => a.type === 'send' && a.message.type === 'notification') as Extract<
        BgpAction,
        { type: 'send' }
      >[];
      expect(notes.map((n) => [n.conn, n.message.type === 'notification' && `${n.message.code}/${n.message.subcode}`])).toEqual([
        [closed, '6/7'],
      ]);
      expect(r.s[kept as 'outgoing' | 'incoming'].state).toBe('OpenConfirm');
      expect(r.s[closed as 'outgoing' | 'incoming'].state).toBe('Idle');
    });

    it('drops a second connection while one is established', () => {
      const e = established();
      const r = drive(e.s, [{ type: 'tcp-incoming' }]);
      // An established session with graceful restart takes the new connection as the peer restarting.
      expect(r.actions.some((a) => a.type === 'stale-begin')).toBe(true);
      expect(bgpStateName(r.s)).toBe('OpenSent');
      // Without graceful restart BIRD takes the connection and refuses it at its OPEN (6/7).
      const noGr = established(cfg({ gracefulRestart: 'off' }), peerOpen({ gracefulRestart: 'off' }));
      const r2 = drive(noGr.s, [
        { type: 'tcp-incoming' },
        { type: 'message', conn: 'incoming', message: peerOpen({ gracefulRestart: 'off' }) },
      ]);
      expect(r2.actions.filter((a) => a.type === 'accept').length).toBe(1);
      expect(notificationsOf(r2.actions)).toEqual(['6/7']);
      expect(bgpStateName(r2.s)).toBe('Established');
      expect(r2.s.established).toBe('outgoing');
    });
  });

  describe('graceful restart, receiving speaker (RFC 4724 §4.2)', () => {
    it('keeps the routes stale for the restart time when the peer drops, then ends the refresh at End-of-RIB', () => {
      const e = established();
      const down = drive(e.s, [{ type: 'tcp-failed', conn: 'outgoing', error: 'Connection reset by peer' }]);
      expect(down.actions).toContainEqual({ type: 'stale-begin' });
      expect(down.actions).toContainEqual({ type: 'set-timer', timer: 'graceful-restart', seconds: 120, jitter: 0 });
      expect(down.actions.some((a) => a.type === 'flush')).toBe(false);
      expect(down.s.protoState).toBe('start');
      expect(down.s.grActive).toBe('active');
      expect(statusInfo(down.s)).toBe('Active        Socket: Connection reset by peer');
      // The peer comes back restarting (R and F bits): BIRD waits for its End-of-RIB.
      const back = drive(down.s, [DELAY, CONNECTED, openFrom(peerOpen({}, true)), KEEPALIVE]);
      expect(back.s.grActive).toBe('active');
      const eor = drive(back.s, [
        { type: 'message', conn: 'outgoing', message: { type: 'update', withdrawn: [], attributes: [], nlri: [] } },
      ]);
      expect(eor.actions).toContainEqual({ type: 'stale-end' });
      expect(eor.s.grActive).toBe('none');
    });

    it('flushes when the restart timer expires first', () => {
      const down = drive(established().s, [{ type: 'tcp-failed', conn: 'outgoing', error: '' }]);
      const r = drive(down.s, [{ type: 'timer', timer: 'graceful-restart' }]);
      expect(r.actions.some((a) => a.type === 'flush')).toBe(true);
      expect(r.s.grActive).toBe('none');
    });

    it('ends the refresh at once when the returning peer has no forwarding state', () => {
      const down = drive(established().s, [{ type: 'tcp-failed', conn: 'outgoing', error: '' }]);
      const back = drive(down.s, [DELAY, CONNECTED, openFrom(peerOpen()), KEEPALIVE]);
      expect(back.actions).toContainEqual({ type: 'stale-end' });
    });
  });

  it('defers the export while recovering when the peer is ready for graceful restart, and releases the lock at End-of-RIB', () => {
    const s = newSession(cfg(), { grRecovery: true });
    const e = drive(s, [START, DELAY, CONNECTED, openFrom(peerOpen()), KEEPALIVE]);
    expect(e.actions).toContainEqual({ type: 'session-up', conn: 'outgoing', exportNow: false });
    const eor = drive(e.s, [{ type: 'message', conn: 'outgoing', message: { type: 'update', withdrawn: [], attributes: [], nlri: [] } }]);
    expect(eor.actions).toContainEqual({ type: 'gr-unlock' });
    const done = drive(eor.s, [{ type: 'recovery-done' }]);
    expect(done.actions).toEqual([{ type: 'export-up' }]);
    // A peer restarting too is not waited for.
    const both = drive(newSession(cfg(), { grRecovery: true }), [START, DELAY, CONNECTED, openFrom(peerOpen({}, true)), KEEPALIVE]);
    expect(both.actions).toContainEqual({ type: 'gr-unlock' });
  });

  it('asks for a refeed on ROUTE-REFRESH and handles enhanced refresh demarcation', () => {
    const e = established();
    const rr = (subtype: number): BgpEventBody => ({
      type: 'message',
      conn: 'outgoing',
      message: { type: 'route-refresh', afi: 1, subtype, safi: 1 },
    });
    expect(drive(e.s, [rr(0)]).actions).toEqual([{ type: 'refeed' }]);
    const eor = drive(e.s, [{ type: 'message', conn: 'outgoing', message: { type: 'update', withdrawn: [], attributes: [], nlri: [] } }]);
    const r = drive(eor.s, [rr(1), rr(2)]);
    expect(r.actions.filter((a) => a.type === 'stale-begin' || a.type === 'stale-end')).toEqual([
      { type: 'stale-begin' },
      { type: 'stale-end' },
    ]);
  });

  it('passes the routes of an UPDATE on, and treats a loop as a withdraw', () => {
    const e = established();
    const u = hex(
      'ffffffffffffffffffffffffffffffff 003b 02 0000 001c 40010100 400200 4003040a170e6f 40050400000064 800904 0a170e6e 00000001 180ae950',
    );
    const r = drive(e.s, [{ type: 'data', conn: 'outgoing', bytes: u }]);
    // ORIGINATOR_ID is our own router id: withdrawn, silently (RFC 4456 §8).
    expect(r.actions.filter((a) => a.type === 'routes')).toEqual([
      { type: 'routes', withdraw: [{ prefix: { addr: ip('10.233.80.0'), len: 24 }, pathId: 1 }], announce: [], attrs: null },
    ]);
    const ok = decodeBgp(u, { as4: true, addPath: true });
    expect(ok.ok).toBe(true);
  });

  it('takes a stream cut anywhere and in several reads', () => {
    const e = drive(newSession(cfg()), [START, DELAY, CONNECTED]);
    const bytes = encodeBgp(peerOpen());
    const ka = encodeBgp({ type: 'keepalive' });
    const all = new Uint8Array([...bytes, ...ka]);
    for (const cut of [1, 18, 19, 40, 62, 63, 70]) {
      const r = drive(e.s, [
        { type: 'data', conn: 'outgoing', bytes: all.subarray(0, cut) },
        { type: 'data', conn: 'outgoing', bytes: all.subarray(cut) },
      ]);
      expect(bgpStateName(r.s)).toBe('Established');
    }
  });
});
