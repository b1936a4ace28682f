// Tests of the TCP layer (src/kernel/tcp.ts) through its socket API on two namespaces joined by a veth:
// the state machine of RFC 9293 §3.3.2 both ways, segmentation at the MSS, in-order delivery,
// retransmission (RFC 6298 backoff) when segments are lost, RST cases, ICMP errors during the
// handshake, the windows and options Linux puts in its segments, and the rows `ss -tan` gets.

import { parseIpv4 } from '../../src/model/addr.js';
import { decodeEthernet, decodeIpv4, decodeTcp, type TcpRepr } from '../../src/model/wire/index.js';
import type { Sim } from '../../src/kernel/engine.js';
import { linkByName } from '../../src/kernel/netns.js';
import { TCP_TIMEWAIT_US, type TcpErrno, type TcpHandlers, type TcpSocket, seqDiff, tcpSockets } from '../../src/kernel/tcp.js';
import { sysctlWrite } from '../../src/kernel/sysctl.js';
import { createSimulator } from '../../src/scenarios/simulator.js';
import { Shell } from '../../src/tools/shell.js';
import { ROUTED, shellWith } from '../support/shell.js';

const ip = (s: string) => parseIpv4(s)!;
const A = ip('10.0.0.1');
const B = ip('10.0.0.2');

/** pair builds namespaces a and b on one veth, 10.0.0.1 and 10.0.0.2, neighbours permanent; `mtu` on both ends. */
function pair(mtu = 1500): { sim: Sim; shell: Shell } {
  const shell = shellWith(
    'ip netns add a',
    'ip netns add b',
    'ip -n a link add eth0 type veth peer name eth0 netns b',
    `ip -n a link set eth0 address 02:00:00:00:00:0a mtu ${mtu} up`,
    `ip -n b link set eth0 address 02:00:00:00:00:0b mtu ${mtu} up`,
    'ip -n a addr add 10.0.0.1/24 dev eth0',
    'ip -n b addr add 10.0.0.2/24 dev eth0',
    'ip -n a neigh add 10.0.0.2 lladdr 02:00:00:00:00:0b dev eth0 nud permanent',
    'ip -n b neigh add 10.0.0.1 lladdr 02:00:00:00:00:0a dev eth0 nud permanent',
  );
  return { sim: shell.sim, shell };
}

/** Segment is a captured TCP segment: its direction, header and payload length, and when it was seen. */
interface Segment {
  readonly fromA: boolean;
  readonly tcp: TcpRepr;
  readonly len: number;
  readonly at: number;
}

function startCapture(sim: Sim): () => Segment[] {
  const ifindex = linkByName(sim.world.namespaces.get('a')!, 'eth0')!.ifindex;
  sim.startCapture('a', ifindex);
  return () =>
    sim.stopCapture('a', ifindex).flatMap((f) => {
      const eth = decodeEthernet(f.frame);
      if (!eth.ok) return [];
      const v4 = decodeIpv4(eth.value.payload);
      if (!v4.ok || v4.value.repr.protocol !== 6) return [];
      const t = decodeTcp(v4.value.payload, v4.value.repr.src, v4.value.repr.dst);
      if (!t.ok) return [];
      return [{ fromA: v4.value.repr.src === A, tcp: t.value.repr, len: t.value.payload.length, at: f.at }];
    });
}

function flagsOf(s: Segment): string {
  const f = s.tcp.flags;
  return `${f.syn ? 'S' : ''}${f.fin ? 'F' : ''}${f.rst ? 'R' : ''}${f.psh ? 'P' : ''}${f.ack ? '.' : ''}`;
}

/** Ends records what each side's application heard. */
interface Ends {
  server: TcpSocket | null;
  received: number[];
  clientGot: number[];
  log: string[];
}

/** serve listens on b:80; the accepted socket runs `onServer` handlers and logs what it hears. */
function serve(sim: Sim, ends: Ends, extra: (s: TcpSocket) => Partial<TcpHandlers> = () => ({}), reads = true): void {
  const l = sim.tcp.listen('b', { port: 80, reads }, (s) => {
    ends.server = s;
    const more = extra(s);
    return {
      data: (_s, bytes) => ends.received.push(...bytes),
      peerClosed: () => ends.log.push('server: peer closed'),
      reset: () => ends.log.push('server: reset'),
      ...more,
    };
  });
  expect('errno' in l).toBe(false);
}

function client(sim: Sim, ends: Ends, port = 80): TcpSocket {
  const c = sim.tcp.connect(
    'a',
    { dst: B, port },
    {
      connected: () => ends.log.push('client: connected'),
      data: (_s, bytes) => ends.clientGot.push(...bytes),
      peerClosed: () => ends.log.push('client: peer closed'),
      reset: () => ends.log.push('client: reset'),
      error: (_s, e: TcpErrno) => ends.log.push(`client: ${e}`),
    },
  );
  if ('errno' in c) throw new Error(c.errno);
  return c;
}

const newEnds = (): Ends => ({ server: null, received: [], clientGot: [], log: [] });

function states(sim: Sim, ns: string): string[] {
  return tcpSockets(sim.view, ns).map((r) => `${r.state} ${r.recvQ} ${r.sendQ} ${r.local.port}>${r.peer.port}`);
}

describe('handshake, data and the close', () => {
  it('opens with the options and windows Linux sends (MSS 1460, wscale 10, win 64240 / 65160, then 63 / 64)', () => {
    const { sim } = pair();
    const ends = newEnds();
    serve(sim, ends);
    const stop = startCapture(sim);
    client(sim, ends);
    sim.runFor(10_000);
    const segs = stop();
    expect(segs.map(flagsOf)).toEqual(['S', 'S.', '.']);
    const [syn, synack, ack] = segs;
    expect(syn.tcp.window).toBe(64240);
    expect(syn.tcp.options.map((o) => o.kind)).toEqual(['mss', 'sack-permitted', 'timestamp', 'nop', 'window-scale']);
    expect(syn.tcp.options[0]).toEqual({ kind: 'mss', value: 1460 });
    expect(syn.tcp.options[4]).toEqual({ kind: 'window-scale', shift: 10 });
    expect(synack.tcp.window).toBe(65160);
    expect(synack.tcp.ack).toBe((syn.tcp.seq + 1) >>> 0);
    expect(ack.tcp.window).toBe(63);
    expect(ack.tcp.options.map((o) => o.kind)).toEqual(['nop', 'nop', 'timestamp']);
    expect(ends.log).toEqual(['client: connected']);
  });

  it('announces the MSS of the route device (MTU 1400: MSS 1360, window 48 × 1348 in the SYN-ACK)', () => {
    const { sim } = pair(1400);
    const ends = newEnds();
    serve(sim, ends);
    const stop = startCapture(sim);
    client(sim, ends);
    sim.runFor(10_000);
    const [syn, synack] = stop();
    expect(syn.tcp.options[0]).toEqual({ kind: 'mss', value: 1360 });
    expect(synack.tcp.options[0]).toEqual({ kind: 'mss', value: 1360 });
    expect(synack.tcp.window).toBe(48 * 1348);
    expect(syn.tcp.window).toBe(48 * 1360);
  });

  it.each([
    // ipv4_mtu: a route's mtu metric is the path MTU; ipv4_default_advmss subtracts 40, at least min_adv_mss.
    ['ip -n a route add 10.0.0.2/32 dev eth0 mtu 1300', [], 1260, 52 * 1260],
    ['ip -n a route add 10.0.0.2/32 dev eth0 mtu 576', ['ip netns exec a sysctl -qw net.ipv4.route.min_adv_mss=600'], 600, 109 * 600],
  ])('announces the MSS of the route: %s', (route, more, mss, win) => {
    const { sim, shell } = pair();
    for (const l of [route, ...more]) expect(shell.run(l).output.stderr).toBe('');
    const ends = newEnds();
    serve(sim, ends);
    const stop = startCapture(sim);
    client(sim, ends);
    sim.runFor(10_000);
    const [syn, synack] = stop();
    expect(syn.tcp.options[0]).toEqual({ kind: 'mss', value: mss });
    expect(syn.tcp.window).toBe(win);
    // The server's route has no metric.
    expect(synack.tcp.options[0]).toEqual({ kind: 'mss', value: 1460 });
  });

  it('announces the MSS of a learnt path MTU on both ends (frag needed, mtu 1450)', () => {
    const { sim } = pair();
    const now = sim.now;
    // A PMTU exception each way, as ip_rt_update_pmtu leaves it after an ICMP frag needed.
    for (const [ns, dst] of [
      ['a', B],
      ['b', A],
    ] as const) {
      const n = sim.world.namespaces.get(ns)!;
      n.pmtu.set(dst, { mtu: 1450, expires: now + 600e6 });
    }
    const ends = newEnds();
    serve(sim, ends);
    const stop = startCapture(sim);
    client(sim, ends);
    sim.runFor(10_000);
    const [syn, synack, ack] = stop();
    expect(syn.tcp.options[0]).toEqual({ kind: 'mss', value: 1410 });
    expect(syn.tcp.window).toBe(46 * 1410);
    expect(synack.tcp.options[0]).toEqual({ kind: 'mss', value: 1410 });
    // tcp_openreq_init_rwin: whole MSS less the timestamp option.
    expect(synack.tcp.window).toBe(46 * 1398);
    // tcp_select_window keeps the offered window, rounded up to the scale: ceil(64860 / 1024).
    expect(ack.tcp.window).toBe(64);
  });

  it('announces 65495 over loopback (IPV4_MAX_PMTU less the headers)', () => {
    const { sim } = pair();
    const ifindex = linkByName(sim.world.namespaces.get('b')!, 'lo')!.ifindex;
    const l = sim.tcp.listen('b', { port: 81, reads: true }, () => ({}));
    expect('errno' in l).toBe(false);
    sim.startCapture('b', ifindex);
    const c = sim.tcp.connect('b', { dst: B, port: 81 }, {});
    expect('errno' in c).toBe(false);
    sim.runFor(10_000);
    const mss = sim.stopCapture('b', ifindex).flatMap((f) => {
      const eth = decodeEthernet(f.frame);
      const v4 = eth.ok ? decodeIpv4(eth.value.payload) : null;
      const t = v4?.ok ? decodeTcp(v4.value.payload, v4.value.repr.src, v4.value.repr.dst) : null;
      return t?.ok && t.value.repr.flags.syn ? t.value.repr.options.filter((o) => o.kind === 'mss') : [];
    });
    // The SYN and the SYN-ACK (a capture on lo sees each as sent and as received).
    expect(mss.length).toBeGreaterThanOrEqual(2);
    expect(new Set(mss.map((o) => (o.kind === 'mss' ? o.value : 0)))).toEqual(new Set([65495]));
  });

  it('splits data at the MSS less the timestamp option and delivers it in order', () => {
    const { sim } = pair();
    const ends = newEnds();
    serve(sim, ends);
    const c = client(sim, ends);
    sim.runFor(10_000);
    const stop = startCapture(sim);
    const data = Uint8Array.from({ length: 10_000 }, (_, i) => (i * 7) & 255);
    c.send(data);
    sim.runFor(100_000);
    const segs = stop().filter((s) => s.fromA && s.len > 0);
    expect(Math.max(...segs.map((s) => s.len))).toBe(1448);
    expect(segs.reduce((n, s) => n + s.len, 0)).toBe(10_000);
    // Sequence numbers follow on from each other.
    for (let i = 1; i < segs.length; i++) expect(seqDiff(segs[i].tcp.seq, segs[i - 1].tcp.seq)).toBe(segs[i - 1].len);
    expect(ends.received).toEqual([...data]);
  });

  it.each([
    ['the client closes first', 'client', ['FIN-WAIT-2', 'CLOSE-WAIT'], ['TIME-WAIT', 'none']],
    ['the server closes first', 'server', ['CLOSE-WAIT', 'FIN-WAIT-2'], ['none', 'TIME-WAIT']],
  ])('goes through the states of RFC 9293 when %s', (_name, first, half, done) => {
    const { sim } = pair();
    const ends = newEnds();
    serve(sim, ends);
    const c = client(sim, ends);
    sim.runFor(10_000);
    expect(states(sim, 'a')[0]).toMatch(/^ESTAB 0 0 /);
    const server = ends.server!;
    const [one, two] = first === 'client' ? [c, server] : [server, c];
    // Keep the first closer's socket open to the application so FIN-WAIT-2 waits for the peer.
    one.close();
    sim.runFor(100_000);
    const st = (ns: string) =>
      tcpSockets(sim.view, ns)
        .filter((r) => r.state !== 'LISTEN')
        .map((r) => r.state)[0] ?? 'none';
    expect([st('a'), st('b')]).toEqual(half.map((s) => (s === 'FIN-WAIT-2' ? 'FIN-WAIT-2' : s === 'CLOSE-WAIT' ? 'CLOSE-WAIT' : s)));
    expect(ends.log).toContain(first === 'client' ? 'server: peer closed' : 'client: peer closed');
    two.close();
    sim.runFor(100_000);
    expect([st('a'), st('b')]).toEqual(done);
    sim.runFor(TCP_TIMEWAIT_US);
    expect([st('a'), st('b')]).toEqual(['none', 'none']);
  });

  it('shows each socket as ss -tan does (LISTEN backlog, SYN-SENT Send-Q 1, unread bytes in Recv-Q)', () => {
    const { sim, shell } = pair();
    const ends = newEnds();
    serve(sim, ends, () => ({}), false);
    shell.run('ip netns exec b true');
    expect(states(sim, 'b')).toEqual(['LISTEN 0 4096 80>0']);
    const c = client(sim, ends);
    expect(states(sim, 'a')).toEqual([`SYN-SENT 0 1 ${tcpSockets(sim.view, 'a')[0].local.port}>80`]);
    sim.runFor(10_000);
    c.send(new TextEncoder().encode('hello'));
    sim.runFor(10_000);
    const rows = tcpSockets(sim.view, 'b');
    expect(rows[0].state).toBe('LISTEN');
    expect(rows[1]).toMatchObject({ state: 'ESTAB', recvQ: 5, sendQ: 0, local: { addr: B, port: 80 }, peer: { addr: A } });
  });
});

describe('retransmission', () => {
  it('backs off the SYN (1 s, 2 s, 4 s …) and gives up with ETIMEDOUT after tcp_syn_retries', () => {
    const { sim, shell } = pair();
    // b's address now points at a MAC no one has: a's frames leave (and are captured) but b drops them.
    shell.run('ip -n a neigh replace 10.0.0.2 lladdr 02:00:00:00:99:99 dev eth0 nud permanent');
    const ends = newEnds();
    const stop = startCapture(sim);
    client(sim, ends);
    sim.runFor(200_000_000);
    const syns = stop().filter((s) => s.fromA);
    expect(syns.map(flagsOf)).toEqual(['S', 'S', 'S', 'S', 'S', 'S', 'S']);
    const gaps = syns.slice(1).map((s, i) => Math.round((s.at - syns[i].at) / 1e6));
    expect(gaps).toEqual([1, 2, 4, 8, 16, 32]);
    expect(ends.log).toEqual(['client: ETIMEDOUT']);
    expect(tcpSockets(sim.view, 'a')).toEqual([]);
  });

  it('resends a lost data segment when the RTO fires, and the data arrives once and in order', () => {
    const { sim, shell } = pair();
    const ends = newEnds();
    serve(sim, ends);
    const c = client(sim, ends);
    sim.runFor(10_000);
    shell.run('ip -n a neigh replace 10.0.0.2 lladdr 02:00:00:00:99:99 dev eth0 nud permanent');
    const stop = startCapture(sim);
    c.send(new TextEncoder().encode('lost once'));
    sim.runFor(100_000);
    shell.run('ip -n a neigh replace 10.0.0.2 lladdr 02:00:00:00:00:0b dev eth0 nud permanent');
    sim.runFor(2_000_000);
    const data = stop().filter((s) => s.fromA && s.len > 0);
    expect(data.length).toBeGreaterThanOrEqual(2);
    expect(new Set(data.map((s) => s.tcp.seq)).size).toBe(1);
    expect(new TextDecoder().decode(Uint8Array.from(ends.received))).toBe('lost once');
  });
});

describe('resets', () => {
  it('refuses a connect to a closed port: RST|ACK acknowledging the SYN, ECONNREFUSED', () => {
    const { sim } = pair();
    const ends = newEnds();
    const stop = startCapture(sim);
    client(sim, ends, 81);
    sim.runFor(10_000);
    const [syn, rst] = stop();
    expect(flagsOf(rst)).toBe('R.');
    expect(rst.tcp.seq).toBe(0);
    expect(rst.tcp.ack).toBe((syn.tcp.seq + 1) >>> 0);
    expect(ends.log).toEqual(['client: ECONNREFUSED']);
  });

  it('aborts with a RST that the peer reports as a reset', () => {
    const { sim } = pair();
    const ends = newEnds();
    serve(sim, ends);
    const c = client(sim, ends);
    sim.runFor(10_000);
    const stop = startCapture(sim);
    c.abort();
    sim.runFor(10_000);
    expect(stop().map(flagsOf)).toEqual(['R.']);
    expect(ends.log).toEqual(['client: connected', 'server: reset']);
    expect(tcpSockets(sim.view, 'b').map((r) => r.state)).toEqual(['LISTEN']);
  });

  it('resets instead of closing when unread data is left (tcp_close)', () => {
    const { sim } = pair();
    const ends = newEnds();
    serve(sim, ends, () => ({}), false);
    const c = client(sim, ends);
    sim.runFor(10_000);
    c.send(new TextEncoder().encode('never read'));
    sim.runFor(10_000);
    const stop = startCapture(sim);
    ends.server!.close();
    sim.runFor(10_000);
    expect(stop().map(flagsOf)).toEqual(['R.']);
    expect(ends.log).toContain('client: reset');
  });

  it('answers a segment for no connection with a RST taking its ACK number', () => {
    const { sim } = pair();
    const ends = newEnds();
    serve(sim, ends);
    const c = client(sim, ends);
    sim.runFor(10_000);
    // The server forgets the connection without a word; the client's next segment meets no socket.
    const server = ends.server!;
    sim.control((tx) => tx.ns('b')!.tcp!.delete(server.id));
    const stop = startCapture(sim);
    c.send(new TextEncoder().encode('x'));
    sim.runFor(10_000);
    const [data, rst] = stop();
    expect(flagsOf(rst)).toBe('R');
    expect(rst.tcp.seq).toBe(data.tcp.ack);
    expect(ends.log).toContain('client: reset');
  });
});

describe('ICMP errors', () => {
  it('ends a connect in SYN-SENT at once on host unreachable from a router (EHOSTUNREACH)', () => {
    const shell = new Shell(createSimulator());
    for (const l of [
      'ip netns add a',
      'ip netns add r',
      'ip -n a link add eth0 type veth peer name eth0 netns r',
      'ip -n a link set eth0 up',
      'ip -n r link set eth0 up',
      'ip -n a addr add 10.0.1.2/24 dev eth0',
      'ip -n r addr add 10.0.1.1/24 dev eth0',
      'ip -n a route add default via 10.0.1.1',
      'ip netns exec r sysctl -qw net.ipv4.ip_forward=1',
      'ip -n r route add unreachable 10.0.9.0/24',
    ])
      shell.run(l);
    const sim = shell.sim;
    const log: string[] = [];
    const start = sim.now;
    const c = sim.tcp.connect('a', { dst: ip('10.0.9.9'), port: 80 }, { error: (_s, e) => log.push(`${e} after ${sim.now - start} us`) });
    expect('errno' in c).toBe(false);
    sim.runFor(5_000_000);
    expect(log).toHaveLength(1);
    expect(log[0]).toMatch(/^EHOSTUNREACH after \d{1,5} us$/);
  });

  // icmp_err_convert: net unreachable is ENETUNREACH, prohibited and host unreachable EHOSTUNREACH;
  // an ARP that fails (three probes a second apart) reports host unreachable from this host itself.
  it.each([
    ['10.0.7.7', 'ENETUNREACH', 0, 100_000],
    ['10.0.8.8', 'EHOSTUNREACH', 0, 100_000],
    ['10.0.1.99', 'EHOSTUNREACH', 2_900_000, 3_100_000],
    ['10.0.2.99', 'EHOSTUNREACH', 2_900_000, 3_100_000],
  ])('ends a connect to %s in SYN-SENT with %s', (dst, errno, min, max) => {
    const shell = shellWith(...ROUTED, 'ip -n r route add prohibit 10.0.8.0/24');
    const sim = shell.sim;
    const got: { errno: string; after: number }[] = [];
    const start = sim.now;
    sim.tcp.connect('a', { dst: ip(dst), port: 80 }, { error: (_s, e) => got.push({ errno: e, after: sim.now - start }) });
    sim.runFor(10_000_000);
    expect(got).toHaveLength(1);
    expect(got[0].errno).toBe(errno);
    expect(got[0].after).toBeGreaterThanOrEqual(min);
    expect(got[0].after).toBeLessThan(max);
  });
});

describe('the socket API', () => {
  it('connects from a chosen source address and port, and refuses an address that is not ours', () => {
    const { sim } = pair();
    const ends = newEnds();
    serve(sim, ends);
    const c = sim.tcp.connect('a', { dst: B, port: 80, src: A, srcPort: 179 }, {});
    expect('errno' in c).toBe(false);
    sim.runFor(10_000);
    expect(tcpSockets(sim.view, 'b')[1]).toMatchObject({ state: 'ESTAB', peer: { addr: A, port: 179 } });
    expect(sim.tcp.connect('a', { dst: B, port: 80, src: ip('10.0.0.9') }, {})).toEqual({ errno: 'EADDRNOTAVAIL' });
    expect(sim.tcp.connect('a', { dst: ip('192.0.2.1'), port: 80 }, {})).toEqual({ errno: 'ENETUNREACH' });
  });

  it('refuses a second listener on a port', () => {
    const { sim } = pair();
    expect('errno' in sim.tcp.listen('b', { port: 80 }, () => ({}))).toBe(false);
    expect(sim.tcp.listen('b', { port: 80 }, () => ({}))).toEqual({ errno: 'EADDRINUSE' });
  });

  it('holds a partial segment under TCP_CORK and sends it with the FIN on close ([FP.])', () => {
    const { sim } = pair();
    const ends = newEnds();
    serve(sim, ends);
    const c = client(sim, ends);
    sim.runFor(10_000);
    const stop = startCapture(sim);
    c.setCork(true);
    c.send(new Uint8Array(2000));
    sim.runFor(10_000);
    const corked = stop()
      .filter((s) => s.fromA)
      .map((s) => `${flagsOf(s)} ${s.len}`);
    expect(corked).toEqual(['. 1448']);
    const stop2 = startCapture(sim);
    c.close();
    sim.runFor(10_000);
    expect(
      stop2()
        .filter((s) => s.fromA)
        .map((s) => `${flagsOf(s)} ${s.len}`),
    ).toEqual(['FP. 552']);
    expect(ends.received).toHaveLength(2000);
  });
});

describe('the initial window and the TCP sysctls', () => {
  /** setRmem writes tcp_rmem of a namespace whole, as `sysctl -w net.ipv4.tcp_rmem="…"` does. */
  function setSysctl(sim: Sim, ns: string, key: string, value: string): void {
    expect(sim.control((tx) => sysctlWrite(tx.ns(ns)!, key, value))).toBeNull();
  }

  // Figures seen on kernel 6.18 between two namespaces (rmem_max 4194304 there, read-only), and in
  // seed 002's capture for the same tcp_rmem: the window is tcp_rmem[1] / 2 rounded down to the MSS
  // (1460 in a SYN, 1448 once timestamps are on in a SYN-ACK), the scale comes from tcp_rmem[2].
  it.each([
    ['the defaults', null, null, null, [64240, 10], [65160, 10]],
    ['tcp_rmem 4096 58400 6291456 on both sides', '4096 58400 6291456', '4096 58400 6291456', null, [29200, 7], [28960, 7]],
    // The listener keeps the buffer it had when it was made; the window scale reads the sysctl now.
    ['the server’s tcp_rmem changed after listen', null, null, '4096 58400 6291456', [64240, 10], [65160, 7]],
  ] as const)('%s', (_name, clientRmem, serverRmem, serverAfter, synWin, synAckWin) => {
    const { sim } = pair();
    if (clientRmem !== null) setSysctl(sim, 'a', 'net.ipv4.tcp_rmem', clientRmem);
    if (serverRmem !== null) setSysctl(sim, 'b', 'net.ipv4.tcp_rmem', serverRmem);
    const ends = newEnds();
    serve(sim, ends);
    if (serverAfter !== null) setSysctl(sim, 'b', 'net.ipv4.tcp_rmem', serverAfter);
    const stop = startCapture(sim);
    client(sim, ends);
    sim.runFor(10_000);
    const [syn, synack] = stop();
    const wscale = (s: Segment) => s.tcp.options.find((o) => o.kind === 'window-scale');
    expect([syn.tcp.window, wscale(syn)]).toEqual([synWin[0], { kind: 'window-scale', shift: synWin[1] }]);
    expect([synack.tcp.window, wscale(synack)]).toEqual([synAckWin[0], { kind: 'window-scale', shift: synAckWin[1] }]);
  });

  it('offers in a SYN only the options its sysctls allow, and takes only those from the peer', () => {
    const { sim } = pair();
    setSysctl(sim, 'a', 'net.ipv4.tcp_timestamps', '0');
    setSysctl(sim, 'b', 'net.ipv4.tcp_window_scaling', '0');
    const ends = newEnds();
    serve(sim, ends);
    const stop = startCapture(sim);
    client(sim, ends);
    sim.runFor(10_000);
    const [syn, synack, ack] = stop();
    expect(syn.tcp.options.map((o) => o.kind)).toEqual(['mss', 'nop', 'nop', 'sack-permitted', 'nop', 'window-scale']);
    // b ignores a's window scale: no scaling either way, and no timestamps since a sent none.
    expect(synack.tcp.options.map((o) => o.kind)).toEqual(['mss', 'nop', 'nop', 'sack-permitted']);
    expect(synack.tcp.window).toBe(64240);
    expect(ack.tcp.options).toEqual([]);
    expect(ack.tcp.window).toBe(64240);
  });

  // Kernel 6.18 with a listener that never closes: at 3 the connection is gone after 3 s; at 62 it
  // lives 2 s as a full socket (tcp_fin_time − TCP_TIMEWAIT_LEN) and 2 s more as a time-wait one.
  it.each([
    ['3', 3_000_000],
    ['62', 4_000_000],
  ])('keeps an orphaned FIN-WAIT-2 connection for tcp_fin_timeout=%s', (finTimeout, lifetime) => {
    const { sim } = pair();
    setSysctl(sim, 'a', 'net.ipv4.tcp_fin_timeout', finTimeout);
    const ends = newEnds();
    serve(sim, ends);
    const c = client(sim, ends);
    sim.runFor(10_000);
    c.close();
    const st = () => tcpSockets(sim.view, 'a').map((r) => r.state);
    sim.runFor(lifetime - 100_000);
    expect(st()).toEqual(['FIN-WAIT-2']);
    sim.runFor(200_000);
    expect(st()).toEqual([]);
  });
});

describe('finding the socket of a segment', () => {
  it('hands each of many connections its own bytes', () => {
    const { sim } = pair();
    const got = new Map<number, number[]>();
    const l = sim.tcp.listen('b', { port: 80 }, (s) => ({
      data: (_s, bytes) => {
        const port = s.tcb!.rport;
        got.set(port, [...(got.get(port) ?? []), ...bytes]);
      },
    }));
    expect('errno' in l).toBe(false);
    const socks: TcpSocket[] = [];
    for (let i = 0; i < 20; i++) {
      const c = sim.tcp.connect('a', { dst: B, port: 80, srcPort: 5000 + i }, {});
      if ('errno' in c) throw new Error(c.errno);
      socks.push(c);
    }
    sim.runFor(10_000);
    for (const [i, c] of socks.entries()) c.send(Uint8Array.of(i, i, i));
    sim.runFor(10_000);
    expect([...got].sort((x, y) => x[0] - y[0])).toEqual(socks.map((_, i) => [5000 + i, [i, i, i]]));
    expect(sim.tcp.connect('a', { dst: B, port: 80, srcPort: 5003 }, {})).toEqual({ errno: 'EADDRINUSE' });
  });

  it('takes a SYN to the listener bound to its destination address', () => {
    const { sim, shell } = pair();
    expect(shell.run('ip -n b addr add 10.0.0.3/24 dev eth0').output.stderr).toBe('');
    const accepted: string[] = [];
    for (const addr of ['10.0.0.2', '10.0.0.3']) {
      const l = sim.tcp.listen('b', { port: 80, addr: ip(addr) }, () => {
        accepted.push(addr);
        return {};
      });
      expect('errno' in l).toBe(false);
    }
    expect(sim.tcp.listen('b', { port: 80 }, () => ({}))).toEqual({ errno: 'EADDRINUSE' });
    sim.tcp.connect('a', { dst: ip('10.0.0.3'), port: 80 }, {});
    sim.runFor(10_000);
    sim.tcp.connect('a', { dst: ip('10.0.0.2'), port: 80 }, {});
    sim.runFor(10_000);
    expect(accepted).toEqual(['10.0.0.3', '10.0.0.2']);
  });

  it('reopens a pair in TIME-WAIT for a new SYN from the same port', () => {
    const { sim } = pair();
    const ends = newEnds();
    serve(sim, ends);
    const c1 = sim.tcp.connect('a', { dst: B, port: 80, srcPort: 6000 }, {});
    if ('errno' in c1) throw new Error(c1.errno);
    sim.runFor(10_000);
    ends.server!.close();
    sim.runFor(100_000);
    c1.close();
    sim.runFor(100_000);
    expect(tcpSockets(sim.view, 'b').map((r) => r.state)).toEqual(['LISTEN', 'TIME-WAIT']);
    const c2 = sim.tcp.connect('a', { dst: B, port: 80, srcPort: 6000 }, {});
    if ('errno' in c2) throw new Error(c2.errno);
    sim.runFor(10_000);
    expect(tcpSockets(sim.view, 'b').map((r) => `${r.state} ${r.peer.port}`)).toEqual(['LISTEN 0', 'ESTAB 6000']);
  });
});
