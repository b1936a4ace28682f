// Names a person may choose that are also the names of Object.prototype's properties (`__proto__`,
// `constructor`, `toString`, `hasOwnProperty`, …), used as a namespace, a device, a component of a
// sysctl key, a capture's namespace and interface, and a listener's namespace, through the Shell as
// a program drives it (README "Library use"). Each must behave exactly like an ordinary name of the
// same length that nothing knows: the same output with the name swapped, the same status, no
// internal error.

import { createSimulator } from '../../src/scenarios/simulator.js';
import { Shell } from '../../src/tools/shell.js';

/** PROTOTYPE_NAMES are every own property name of Object.prototype, __proto__ included. */
const PROTOTYPE_NAMES = Object.getOwnPropertyNames(Object.prototype);

/** script is what a person types with NAME as every name they choose. */
function script(name: string): string[] {
  return [
    `ip netns add ${name}`,
    'ip netns list',
    `ip -n ${name} link`,
    `ip netns exec ${name} ip addr`,
    `ip link add ${name} type veth peer name p0`,
    `ip link add v0 type veth peer name ${name} netns ${name}`,
    `ip link set ${name} address 02:00:00:00:00:01 up`,
    'ip link set p0 address 02:00:00:00:00:02 up',
    `ip -n ${name} link set ${name} address 02:00:00:00:00:03 up`,
    'ip link set v0 address 02:00:00:00:00:04 up',
    `ip addr add 10.0.0.1/24 dev ${name}`,
    'ip addr add 10.1.0.1/24 dev v0',
    `ip -n ${name} addr add 10.1.0.2/24 dev ${name}`,
    `ip -n ${name} neigh add 10.1.0.1 lladdr 02:00:00:00:00:04 dev ${name} nud permanent`,
    'ip neigh add 10.1.0.2 lladdr 02:00:00:00:00:03 dev v0 nud permanent',
    'ip -br link',
    `ip -d link show ${name}`,
    `ip -j addr show dev ${name}`,
    'ip route',
    `ip route add 10.9.0.0/16 dev ${name}`,
    `ip route get 10.9.0.1 oif ${name}`,
    `ip route get 10.9.0.1`,
    `ip neigh add 10.0.0.9 lladdr 02:00:00:00:00:09 dev ${name}`,
    `ip neigh show dev ${name}`,
    `sysctl net.ipv4.conf.${name}.proxy_arp`,
    `sysctl -w net.ipv4.conf.${name}.proxy_arp=1`,
    `sysctl net.ipv4.conf.${name}.proxy_arp net.ipv4.conf.${name}.forwarding`,
    `sysctl -w net.ipv4.neigh.${name}.proxy_delay=0`,
    `sysctl net.ipv4.neigh.${name}.proxy_delay`,
    `sysctl net.ipv4.${name}`,
    `sysctl -w net.ipv4.${name}=1`,
    `sysctl net.${name}`,
    `sysctl net.ipv4.conf.all.${name}`,
    `sysctl -w net.ipv4.conf.default.${name}=1`,
    `sysctl net.ipv4.conf.${name}.${name}`,
    `sysctl net.ipv4.neigh.${name}.${name}`,
    `sysctl net.ipv4.neigh.default.${name}`,
    `sysctl net.ipv6.conf.${name}.disable_ipv6`,
    `sysctl net.ipv6.conf.${name}.${name}`,
    `sysctl -w net.ipv4.ip_forward=1 net.ipv4.conf.${name}.rp_filter=2`,
    `ip netns exec ${name} sysctl net.ipv4.conf.${name}.proxy_arp`,
    `cat /proc/sys/net/ipv4/conf/${name}/forwarding`,
    `cat /proc/sys/net/ipv4/${name}`,
    `listen ${name} 8080 http`,
    `capture ${name} ${name}`,
    `capture ${name} ${name} icmp`,
    `capture - ${name}`,
    'capture - v0',
    `ip netns exec ${name} ping -c 1 -W 1 10.1.0.1`,
    'curl -s -m 1 http://10.1.0.2:8080/',
    'captures',
    `capture ${name} nosuch`,
    `capture nosuch ${name}`,
    `bridge fdb show dev ${name}`,
    'bridge link',
    'route -n',
    `ip netns exec ${name} route -n`,
    `ip link set ${name} down`,
    `ip link set ${name} name x0`,
    `sysctl net.ipv4.conf.x0.proxy_arp`,
    `ip link set x0 name ${name}`,
    `ip link set ${name} mtu 60`,
    `ip link set ${name} netns ${name}`,
    `ip link del ${name}`,
    `ip -n ${name} link del ${name}`,
    `sysctl net.ipv4.conf.${name}.proxy_arp`,
    `ip netns del ${name}`,
    `ip netns del ${name}`,
    'ip netns list',
  ];
}

/** Run is one line's outcome. */
interface Run {
  readonly line: string;
  readonly stdout: string;
  readonly stderr: string;
  readonly status: number;
  readonly syntaxError: string | null;
}

function runScript(name: string): Run[] {
  const shell = new Shell(createSimulator());
  return script(name).map((line) => {
    const r = shell.run(line);
    return { line, stdout: r.output.stdout, stderr: r.output.stderr, status: r.output.status, syntaxError: r.syntaxError ?? null };
  });
}

/** ordinary is a plain name of the same length that no table of the simulator knows. */
function ordinary(name: string): string {
  return 'q'.repeat(name.length);
}

describe('Object.prototype property names', () => {
  it('are the names the test covers', () => {
    expect(PROTOTYPE_NAMES).toEqual(expect.arrayContaining(['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf']));
  });

  it.each(PROTOTYPE_NAMES)('%s behaves like any other new name', (name) => {
    const plain = ordinary(name);
    const swap = (s: string): string => s.split(plain).join(name);
    const hostile = runScript(name);
    const expected = runScript(plain).map((r) => ({
      ...r,
      line: swap(r.line),
      stdout: swap(r.stdout),
      stderr: swap(r.stderr),
      syntaxError: r.syntaxError === null ? null : swap(r.syntaxError),
    }));
    expect(hostile).toEqual(expected);
    // The run did something: the name was a namespace with a device of the same name.
    if (name.length <= 15) expect(hostile.find((r) => r.line === 'ip -br link')?.stdout).toContain(`${name}@`);
    expect(hostile.find((r) => r.line === 'ip netns list')?.stdout).toContain(name);
  });
});
