// The lab simulator: runs each command of a lab against the in-memory kernel model and prints
// what the real tool prints (ip(8), bridge(8), sysctl(8), ping(8), curl(1), route(8), tcpdump(8)).

import { formatIpv4, type Ipv4 } from '../../src/model/addr.js';
import { INIT_NS, NudState, type Route, RouteTable, type World } from '../../src/model/world.js';
import { Sim } from '../../src/kernel/engine.js';
import { fibCheckNewRoute, fibDelete, fibInsert, fibLookup, rtnlErrorLine } from '../../src/kernel/fib.js';
import { inetSelectAddr } from '../../src/kernel/addrsel.js';
import {
  addrAdd,
  addrDel,
  fdbChange,
  linkAdd,
  linkByName,
  linkDel,
  linkSet,
  netnsAdd,
  netnsDel,
  sysctlGet,
  sysctlKey,
  sysctlSet,
  sysctlValue,
} from '../../src/kernel/netns.js';
import { ipRouteOutput } from '../../src/kernel/stack.js';
import {
  formatIpAddr,
  formatIpLink,
  formatIpNeigh,
  formatIpRoute,
  formatNetnsList,
  formatRouteGet,
  formatSysctl,
  protoName,
  CommandError,
} from '../print/iproute2.js';
import { formatRouteN } from '../print/route.js';
import { formatBridgeFdb } from '../print/bridge.js';
import { formatBridgeLink } from '../print/bridge-link.js';
import { TcpdumpPrinter } from '../print/tcpdump.js';
import { runCurl, runPing } from './apps.js';
import type { Command, Lab, LabLine } from './ast.js';
import type { TranscriptEntry } from './transcript.js';

interface Out {
  stdout: string;
  stderr: string;
}

interface Capture {
  readonly ns: string;
  readonly nsLabel: string;
  readonly iface: string;
  readonly ifindex: number;
}

/** LabSim runs labs; it keeps the simulator so callers (the TUI, tests) can inspect the world after. */
export class LabSim {
  readonly sim = new Sim();
  private captures: Capture[] = [];

  /** run executes one lab line and returns what it printed. */
  run(line: LabLine): TranscriptEntry {
    const out: Out = { stdout: '', stderr: '' };
    const ns = line.netns === null ? INIT_NS : line.netns;
    if (!this.sim.world.namespaces[ns]) {
      out.stderr = `Cannot open network namespace "${line.netns}": No such file or directory\n`;
    } else {
      try {
        this.exec(ns, line.cmd, out);
      } catch (e) {
        // Printers report a missing device the way the real tool does: a line on stderr.
        if (!(e instanceof CommandError)) throw e;
        out.stderr += e.stderr.endsWith('\n') ? e.stderr : e.stderr + '\n';
      }
    }
    return { line: line.line, command: line.text, stdout: out.stdout, stderr: out.stderr };
  }

  private get world(): World {
    return this.sim.world;
  }

  private err(out: Out, msg: string | null): void {
    if (msg) out.stderr += msg + '\n';
  }

  private exec(ns: string, cmd: Command, out: Out): void {
    const sim = this.sim;
    switch (cmd.kind) {
      case 'netns-add':
        this.err(out, sim.control((d) => netnsAdd(d, cmd.name)));
        return;
      case 'netns-del':
        this.err(out, sim.control((d) => netnsDel(d, cmd.name)));
        return;
      case 'netns-list':
        out.stdout += formatNetnsList(this.world, ns);
        return;
      case 'link-add': {
        const spec = cmd.spec;
        const opts =
          spec.type === 'veth'
            ? { type: 'veth' as const, peer: spec.peer, peerNs: spec.peerNetns }
            : spec.type === 'vxlan'
              ? { type: 'vxlan' as const, vni: spec.id, dstport: spec.dstport, local: spec.local, dev: spec.dev, learning: spec.learning }
              : spec.type === 'bridge'
                ? { type: 'bridge' as const }
                : { type: 'ipip' as const };
        this.err(out, sim.control((d) => linkAdd(d, ns, cmd.name, opts)));
        return;
      }
      case 'link-set':
        this.err(out, sim.control((d) => linkSet(d, ns, cmd.dev, cmd.ops)));
        return;
      case 'link-del':
        this.err(out, sim.control((d) => linkDel(d, ns, cmd.dev)));
        return;
      case 'link-show':
        if (cmd.dev !== null && !linkByName(this.world.namespaces[ns], cmd.dev)) {
          out.stderr += `Device "${cmd.dev}" does not exist.\n`;
          return;
        }
        out.stdout += formatIpLink(this.world, ns, {
          ...(cmd.dev !== null ? { dev: cmd.dev } : {}),
          brief: cmd.opts.brief,
          json: cmd.opts.json,
          stats: cmd.opts.stats,
        });
        return;
      case 'addr-change':
        this.err(
          out,
          sim.control((d) =>
            cmd.action === 'add'
              ? addrAdd(d, ns, cmd.dev, cmd.cidr.addr, cmd.cidr.len, cmd.broadcast, cmd.scope)
              : addrDel(d, ns, cmd.dev, cmd.cidr.addr, cmd.cidr.len),
          ),
        );
        return;
      case 'addr-show':
        if (cmd.dev !== null && !linkByName(this.world.namespaces[ns], cmd.dev)) {
          out.stderr += `Device "${cmd.dev}" does not exist.\n`;
          return;
        }
        out.stdout += formatIpAddr(this.world, ns, {
          ...(cmd.dev !== null ? { dev: cmd.dev } : {}),
          inet: cmd.opts.family4,
          brief: cmd.opts.brief,
          json: cmd.opts.json,
        });
        return;
      case 'route-change':
        this.routeChange(ns, cmd, out);
        return;
      case 'route-show': {
        if (cmd.dev !== null && !linkByName(this.world.namespaces[ns], cmd.dev)) {
          out.stderr += `Cannot find device "${cmd.dev}"\n`;
          return;
        }
        let text = formatIpRoute(this.world, ns, { ...(cmd.dev !== null ? { dev: cmd.dev } : {}), json: cmd.opts.json });
        if (cmd.prefix !== null || cmd.proto !== null) text = this.filterRoutes(ns, cmd, text);
        out.stdout += text;
        return;
      }
      case 'route-get':
        this.routeGet(ns, cmd, out);
        return;
      case 'neigh-change':
        this.neighChange(ns, cmd, out);
        return;
      case 'neigh-show':
        if (cmd.dev !== null && !linkByName(this.world.namespaces[ns], cmd.dev)) {
          out.stderr += `Cannot find device "${cmd.dev}"\n`;
          return;
        }
        out.stdout += formatIpNeigh(this.world, ns, {
          ...(cmd.dev !== null ? { dev: cmd.dev } : {}),
          ...(cmd.addr !== null ? { addr: cmd.addr } : {}),
          json: cmd.opts.json,
        });
        return;
      case 'fdb-change':
        this.err(out, sim.control((d) => fdbChange(d, ns, cmd.action, cmd.mac, cmd.dev, cmd.dst)));
        return;
      case 'fdb-show':
        out.stdout += formatBridgeFdb(this.world, ns, { ...(cmd.dev !== null ? { dev: cmd.dev } : {}), ...(cmd.br !== null ? { br: cmd.br } : {}) });
        return;
      case 'bridge-link-show':
        out.stdout += formatBridgeLink(this.world, ns);
        return;
      case 'sysctl-write':
        for (const a of cmd.assignments) {
          const key = sysctlKey(a.key);
          const e = sim.control((d) => sysctlSet(d, ns, a.key, a.value));
          if (e) out.stderr += e + '\n';
          else if (!cmd.quiet) out.stdout += formatSysctl(key, sysctlValue(a.value));
        }
        return;
      case 'sysctl-read':
        for (const k of cmd.keys) {
          const v = sysctlGet(this.world.namespaces[ns], k);
          if (v === null) out.stderr += `sysctl: cannot stat /proc/sys/${sysctlKey(k).replace(/\./g, '/')}: No such file or directory\n`;
          else out.stdout += cmd.valuesOnly ? `${v}\n` : formatSysctl(sysctlKey(k), v);
        }
        return;
      case 'cat': {
        const v = cmd.path.startsWith('/proc/sys/') ? sysctlGet(this.world.namespaces[ns], cmd.path) : null;
        if (v === null) out.stderr += `cat: ${cmd.path}: No such file or directory\n`;
        else out.stdout += `${v}\n`;
        return;
      }
      case 'route-n':
        out.stdout += formatRouteN(this.world, ns);
        return;
      case 'ping': {
        const r = runPing(sim, ns, cmd);
        out.stdout += r.stdout;
        out.stderr += r.stderr;
        return;
      }
      case 'curl': {
        const r = runCurl(sim, ns, cmd);
        out.stdout += r.stdout;
        out.stderr += r.stderr;
        return;
      }
      case 'listen': {
        const key = cmd.netns === null ? INIT_NS : cmd.netns;
        if (!this.world.namespaces[key]) {
          out.stderr += `Cannot open network namespace "${cmd.netns}": No such file or directory\n`;
          return;
        }
        sim.listen(key, cmd.port);
        return;
      }
      case 'capture': {
        const key = cmd.netns === null ? INIT_NS : cmd.netns;
        const nsObj = this.world.namespaces[key];
        const l = nsObj && linkByName(nsObj, cmd.iface);
        if (!l) {
          out.stderr += `tcpdump: ${cmd.iface}: No such device exists\n(SIOCGIFHWADDR: No such device)\n`;
          return;
        }
        sim.startCapture(key, l.ifindex);
        this.captures.push({ ns: key, nsLabel: cmd.netns ?? '-', iface: cmd.iface, ifindex: l.ifindex });
        return;
      }
      case 'captures': {
        // Let in-flight frames land, as the real runner waits before stopping tcpdump.
        sim.runFor(300_000);
        for (const c of this.captures) {
          const frames = sim.stopCapture(c.ns, c.ifindex);
          const printer = new TcpdumpPrinter();
          out.stdout += `=== capture ${c.nsLabel} ${c.iface}\n`;
          for (const f of frames) out.stdout += printer.print(f.frame) + '\n';
        }
        this.captures = [];
        return;
      }
    }
  }

  private filterRoutes(ns: string, cmd: Extract<Command, { kind: 'route-show' }>, _text: string): string {
    const keep = (r: Route) =>
      (cmd.prefix === null || (r.dst.addr === cmd.prefix.addr && r.dst.len === cmd.prefix.len)) && (cmd.proto === null || r.proto === cmd.proto);
    const filtered: World = {
      ...this.world,
      namespaces: {
        ...this.world.namespaces,
        [ns]: { ...this.world.namespaces[ns], routes: this.world.namespaces[ns].routes.filter((r) => r.table !== RouteTable.Main || keep(r)) },
      },
    };
    const text = formatIpRoute(filtered, ns, { ...(cmd.dev !== null ? { dev: cmd.dev } : {}), json: cmd.opts.json });
    // iproute2 leaves out the protocol it was asked to filter on, as it leaves out the device.
    return cmd.proto === null || cmd.opts.json ? text : text.split(` proto ${protoName(cmd.proto)} `).join(' ');
  }

  private routeChange(ns: string, cmd: Extract<Command, { kind: 'route-change' }>, out: Out): void {
    const r = cmd.route;
    const netns = this.world.namespaces[ns];
    if (cmd.action === 'del') {
      let dev: number | undefined;
      if (r.dev !== null) {
        const l = linkByName(netns, r.dev);
        if (!l) {
          out.stderr += `Cannot find device "${r.dev}"\n`;
          return;
        }
        dev = l.ifindex;
      }
      const res = fibDelete(netns.routes, {
        table: RouteTable.Main,
        dst: r.dst,
        ...(r.type !== 'unicast' ? { type: r.type } : {}),
        ...(dev !== undefined ? { dev } : {}),
        ...(r.via !== null ? { gateway: r.via } : {}),
        ...(r.proto !== null ? { proto: r.proto } : {}),
        ...(r.metric !== null ? { metric: r.metric } : {}),
        ...(r.scope !== null ? { scope: r.scope } : {}),
        ...(r.src !== null ? { prefsrc: r.src } : {}),
      });
      if (!res.ok) {
        out.stderr += rtnlErrorLine(res.errno, res.msg) + '\n';
        return;
      }
      this.sim.control((d) => {
        d.namespaces[ns].routes = res.routes as typeof d.namespaces[string]['routes'];
      });
      return;
    }
    const checked = fibCheckNewRoute(
      {
        type: r.type,
        dst: r.dst,
        ...(r.via !== null ? { gateway: r.via } : {}),
        ...(r.dev !== null ? { dev: r.dev } : {}),
        ...(r.proto !== null ? { proto: r.proto } : {}),
        ...(r.scope !== null ? { scope: r.scope } : {}),
        ...(r.src !== null ? { prefsrc: r.src } : {}),
        ...(r.metric !== null ? { metric: r.metric } : {}),
        onlink: r.onlink,
      },
      { links: netns.links, routes: netns.routes },
    );
    if (!checked.ok) {
      out.stderr += checked.error + '\n';
      return;
    }
    const res = fibInsert(netns.routes, checked.route, cmd.action === 'replace' ? 'replace' : 'add');
    if (!res.ok) {
      out.stderr += rtnlErrorLine(res.errno, res.msg) + '\n';
      return;
    }
    this.sim.control((d) => {
      d.namespaces[ns].routes = res.routes as typeof d.namespaces[string]['routes'];
    });
  }

  private routeGet(ns: string, cmd: Extract<Command, { kind: 'route-get' }>, out: Out): void {
    const netns = this.world.namespaces[ns];
    const usable = (r: Route) => r.dev === undefined || !!netns.links[r.dev]?.adminUp;
    const route = fibLookup(netns.routes, cmd.addr, { usable });
    const fail = (msg: string) => void (out.stderr += `RTNETLINK answers: ${msg}\n`);
    if (!route) return fail('Network is unreachable');
    if (route.type === 'blackhole') return fail('Invalid argument');
    if (route.type === 'unreachable') return fail('No route to host');
    if (route.type === 'prohibit') return fail('Permission denied');
    if (cmd.iif !== null) {
      const inDev = linkByName(netns, cmd.iif);
      if (!inDev) {
        out.stderr += `Cannot find device "${cmd.iif}"\n`;
        return;
      }
      const fwd = Number(netns.sysctl[`net.ipv4.conf.${cmd.iif}.forwarding`] ?? '0') === 1;
      if (route.type === 'unicast' && !fwd) return fail('No route to host');
    }
    if (cmd.fibmatch) {
      out.stdout += formatRouteGet(this.world, ns, { dst: cmd.addr, route, dev: devName(this.world, ns, route.dev), fibmatch: true }, { json: cmd.opts.json });
      return;
    }
    const rt = ipRouteOutput(netns, cmd.addr, cmd.from ?? 0);
    if ('errno' in rt) return fail('Network is unreachable');
    const type = route.type === 'local' ? 'local' : route.type === 'broadcast' ? 'broadcast' : 'unicast';
    const prefsrc = cmd.from !== null ? undefined : rt.prefsrc || inetSelectAddr(netns.addrs, netns.links, rt.dev, cmd.addr, 253) || undefined;
    out.stdout += formatRouteGet(
      this.world,
      ns,
      {
        dst: cmd.addr,
        route,
        type,
        dev: devName(this.world, ns, rt.dev),
        ...(rt.nexthop !== cmd.addr ? { gateway: rt.nexthop } : {}),
        ...(prefsrc !== undefined ? { prefsrc } : {}),
        ...(cmd.from !== null ? { from: cmd.from } : {}),
        ...(cmd.iif !== null ? { iif: cmd.iif } : { uid: 0 }),
      },
      { json: cmd.opts.json },
    );
  }

  private neighChange(ns: string, cmd: Extract<Command, { kind: 'neigh-change' }>, out: Out): void {
    const netns = this.world.namespaces[ns];
    const l = linkByName(netns, cmd.dev);
    if (!l) {
      out.stderr += `Cannot find device "${cmd.dev}"\n`;
      return;
    }
    const existing = netns.neigh.findIndex((n) => n.ip === cmd.addr && n.dev === l.ifindex);
    if (cmd.action === 'del') {
      if (existing < 0) {
        out.stderr += 'RTNETLINK answers: No such file or directory\n';
        return;
      }
      this.sim.control((d) => void d.namespaces[ns].neigh.splice(existing, 1));
      return;
    }
    if (cmd.action === 'add' && existing >= 0 && netns.neigh[existing].state !== NudState.Failed) {
      out.stderr += 'RTNETLINK answers: File exists\n';
      return;
    }
    if (cmd.lladdr === null && (cmd.nud === null || cmd.nud === 'permanent' || cmd.nud === 'reachable' || cmd.nud === 'stale')) {
      out.stderr += 'Error: No link layer address given.\n';
      return;
    }
    const state =
      cmd.nud === 'reachable' ? NudState.Reachable : cmd.nud === 'stale' ? NudState.Stale : cmd.nud === 'noarp' ? NudState.Noarp : NudState.Permanent;
    this.sim.control((d) => {
      const list = d.namespaces[ns].neigh;
      const entry = {
        ip: cmd.addr,
        dev: l.ifindex,
        ...(cmd.lladdr !== null ? { lladdr: cmd.lladdr } : {}),
        state,
        probes: 0,
        confirmed: d.now,
        updated: d.now,
        used: d.now,
        queue: [],
      };
      if (existing >= 0) list[existing] = entry;
      else list.push(entry);
    });
  }
}

function devName(w: World, ns: string, ifindex: number | undefined): string {
  if (ifindex === undefined) return '';
  return w.namespaces[ns].links[ifindex]?.name ?? `if${ifindex}`;
}

/** runLabInSim runs every command of `lab` in the simulator and returns what each printed. */
export function runLabInSim(lab: Lab): TranscriptEntry[] {
  const s = new LabSim();
  return lab.lines.map((l) => s.run(l));
}

/** ipText is formatIpv4, re-exported for the apps module. */
export function ipText(a: Ipv4): string {
  return formatIpv4(a);
}
