// A daemon's view of the machine it runs on, over the simulator: netlink (routes in and out, the
// route monitor, links and addresses) and TCP sockets (src/kernel/tcp.ts). BIRD's requests are
// netlink messages, so each one is a control step of the simulator.

import type { Cidr, Ipv4 } from '../../model/addr.js';
import { RouteProto, RouteTable, type Route } from '../../model/world.js';
import type { Sim } from '../../kernel/engine.js';
import { fibDump } from '../../kernel/fib.js';
import { linkByName, linkRunning, linksInOrder } from '../../kernel/netns.js';
import type { TcpErrno, TcpHandlers, TcpListener, TcpSocket } from '../../kernel/tcp.js';
import type { BgpSocket, BgpSocketEvents, BgpTransport, BirdClock, KernelInterface, KernelRouteRequest, KernelSide } from './bird.js';
import { routeAdd, routeDel } from './kernel.js';

/** simClock is the simulator's clock in seconds; wake-ups run as their own control steps. */
export function simClock(sim: Sim): BirdClock {
  return {
    now: () => sim.now / 1e6,
    wakeAt: (seconds, fn) => sim.after(Math.max(0, Math.ceil(seconds * 1e6) - sim.now), () => sim.control(fn)),
    cancel: (h) => sim.cancel(h),
  };
}

/** ERRNO_TEXT is strerror(3) for the errors a BGP socket reports (BIRD prints `Socket: <text>`). */
const ERRNO_TEXT: ReadonlyMap<string, string> = new Map([
  ['ECONNREFUSED', 'Connection refused'],
  ['ETIMEDOUT', 'Connection timed out'],
  ['ENETUNREACH', 'Network is unreachable'],
  ['EHOSTUNREACH', 'No route to host'],
  ['ENOPROTOOPT', 'Protocol not available'],
  ['EOPNOTSUPP', 'Operation not supported'],
  ['EHOSTDOWN', 'Host is down'],
  ['ENONET', 'Machine is not on the network'],
  ['EPROTO', 'Protocol error'],
  ['EMSGSIZE', 'Message too long'],
  ['EADDRINUSE', 'Address already in use'],
  ['EADDRNOTAVAIL', 'Cannot assign requested address'],
  ['EINVAL', 'Invalid argument'],
  ['ENOBUFS', 'No buffer space available'],
  ['EACCES', 'Permission denied'],
  ['EPERM', 'Operation not permitted'],
]);

/** errnoText is strerror for an errno name. */
export function errnoText(e: string): string {
  return ERRNO_TEXT.get(e) ?? e;
}

/** SimTransport is a machine's TCP sockets as BIRD uses them. */
export class SimTransport implements BgpTransport {
  private readonly sockets = new Map<number, TcpSocket>();
  private listener: TcpListener | null = null;
  private nextId = 1;

  constructor(
    private readonly sim: Sim,
    private readonly ns: string,
  ) {}

  private handlers(id: () => number, ev: BgpSocketEvents): TcpHandlers {
    const gone = (): void => {
      this.sockets.delete(id());
    };
    return {
      connected: () => ev.connected(),
      data: (_s, bytes) => ev.data(bytes),
      peerClosed: () => {
        gone();
        ev.closed('');
      },
      reset: () => {
        gone();
        ev.closed('Connection reset by peer');
      },
      error: (_s, err: TcpErrno) => {
        gone();
        ev.closed(errnoText(err));
      },
    };
  }

  connect(o: { local: Ipv4; remote: Ipv4; port: number; ttl: number; tos: number }, ev: BgpSocketEvents): BgpSocket | { error: string } {
    const id = this.nextId++;
    const r = this.sim.tcp.connect(
      this.ns,
      { dst: o.remote, port: o.port, src: o.local },
      this.handlers(() => id, ev),
    );
    if ('errno' in r) return { error: errnoText(r.errno) };
    this.sockets.set(id, r);
    return { id };
  }

  listen(address: Ipv4 | null, port: number, accept: (remote: Ipv4, sock: BgpSocket) => BgpSocketEvents): string | null {
    const r = this.sim.tcp.listen(this.ns, { port, ...(address !== null ? { addr: address } : {}) }, (s) => {
      const id = this.nextId++;
      this.sockets.set(id, s);
      let ev: BgpSocketEvents | null = null;
      const h = this.handlers(() => id, {
        connected: () => ev?.connected(),
        data: (b) => ev?.data(b),
        closed: (e) => ev?.closed(e),
      });
      ev = accept(s.tcb?.raddr ?? 0, { id });
      return h;
    });
    if ('errno' in r) return errnoText(r.errno);
    this.listener = r;
    return null;
  }

  write(sock: BgpSocket, bytes: Uint8Array): void {
    this.sockets.get(sock.id)?.send(bytes);
  }

  close(sock: BgpSocket): void {
    const s = this.sockets.get(sock.id);
    if (s === undefined) return;
    this.sockets.delete(sock.id);
    s.close();
  }

  unlisten(): void {
    this.listener?.close();
    this.listener = null;
  }
}

/** SimKernel is netlink on one namespace of the simulator. */
export class SimKernel implements KernelSide {
  constructor(
    private readonly sim: Sim,
    private readonly ns: string,
  ) {}

  routeReplace(r: KernelRouteRequest): string | null {
    return this.sim.control((tx) =>
      routeAdd(
        tx,
        this.ns,
        {
          type: r.type,
          dst: r.dst,
          ...(r.gateway !== undefined ? { gateway: r.gateway } : {}),
          ...(r.dev !== undefined ? { dev: r.dev } : {}),
          proto: RouteProto.Bird,
          scope: r.scope,
          onlink: r.onlink,
        },
        'replace',
      ),
    );
  }

  routeDelete(dst: Cidr): void {
    this.sim.control((tx) => routeDel(tx, this.ns, dst, RouteProto.Bird));
  }

  mainRoutes(): readonly Route[] {
    const n = this.sim.view.namespaces.get(this.ns);
    return n === undefined ? [] : fibDump(n.fib, RouteTable.Main);
  }

  ifname(ifindex: number): string | undefined {
    return this.sim.view.namespaces.get(this.ns)?.links.get(ifindex)?.name;
  }

  hasLink(name: string): boolean {
    const n = this.sim.view.namespaces.get(this.ns);
    return n !== undefined && linkByName(n, name) !== undefined;
  }

  interfaces(): readonly KernelInterface[] {
    const n = this.sim.view.namespaces.get(this.ns);
    if (n === undefined) return [];
    const byDev = new Map<number, { local: Ipv4; prefixLen: number }[]>();
    for (const a of n.addrs) {
      const list = byDev.get(a.ifindex) ?? [];
      list.push({ local: a.local, prefixLen: a.prefixlen });
      byDev.set(a.ifindex, list);
    }
    return linksInOrder(n).map((l) => ({
      name: l.name,
      up: l.adminUp && linkRunning(this.sim.view, this.sim.drivers, this.ns, l),
      addrs: byDev.get(l.ifindex) ?? [],
    }));
  }

  watchRoutes(fn: (table: number, dst: Cidr, before: readonly Route[], after: readonly Route[]) => void): void {
    const n = this.sim.view.namespaces.get(this.ns);
    if (n === undefined) return;
    n.fib.notify = (table, addr, len, before, after) => {
      if (!routeChangeMatters(table, before, after)) return;
      const dst = { addr, len };
      // The kernel multicasts the change; the daemon reads it after the change is done.
      this.sim.after(0, () => this.sim.control(() => fn(table, dst, before, after)));
    };
  }

  unwatchRoutes(): void {
    const n = this.sim.view.namespaces.get(this.ns);
    if (n !== undefined) n.fib.notify = null;
  }
}

/** routeChangeMatters filters the monitor for what BIRD acts on: address routes and other daemons' routes, not its own. */
function routeChangeMatters(table: number, before: readonly Route[], after: readonly Route[]): boolean {
  if (table === RouteTable.Local) return true;
  if (table !== RouteTable.Main) return false;
  for (const r of before) if (r.proto !== RouteProto.Bird) return true;
  for (const r of after) if (r.proto !== RouteProto.Bird) return true;
  return false;
}
