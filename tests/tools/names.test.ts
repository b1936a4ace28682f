// Names a user chooses are never keys of plain objects: every Object.prototype member name works as a
// namespace, a device, a sysctl key part and a capture name, exactly like any other name.

import { createSimulator } from '../../src/scenarios/simulator.js';
import { Shell } from '../../src/tools/shell.js';

const PROTO_NAMES = Object.getOwnPropertyNames(Object.prototype).filter((n) => /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/.test(n));

describe('Object.prototype names are ordinary names', () => {
  it('covers the prototype', () => {
    expect(PROTO_NAMES).toEqual(expect.arrayContaining(['constructor', 'hasOwnProperty', 'toString', 'valueOf', '__proto__']));
  });

  it.each(PROTO_NAMES)('%s', (name) => {
    const sh = new Shell(createSimulator());
    const run = (line: string) => sh.run(line).output;
    // A namespace of that name does not exist until it is made, then it does, once.
    expect(run(`ip -n ${name} link`).stderr).toBe(`Cannot open network namespace "${name}": No such file or directory\n`);
    expect(run(`ip netns add ${name}`).stderr).toBe('');
    expect(run(`ip netns add ${name}`).stderr).toBe(`Cannot create namespace file "/run/netns/${name}": File exists\n`);
    expect(run('ip netns list').stdout).toBe(`${name}\n`);
    // A device of that name (when it is a valid ifname), its sysctls, a capture on it.
    const dev = name.length <= 15 ? name : name.slice(0, 15);
    expect(run(`ip -n ${name} link show ${dev}`).stderr).toBe(`Device "${dev}" does not exist.\n`);
    expect(run(`ip -n ${name} link add ${dev} type veth peer name p0`).stderr).toBe('');
    expect(run(`ip -n ${name} link show ${dev}`).stdout).toContain(`: ${dev}@p0: `);
    expect(run(`ip netns exec ${name} sysctl net.ipv4.conf.${dev}.proxy_arp`).stdout).toBe(`net.ipv4.conf.${dev}.proxy_arp = 0\n`);
    expect(run(`ip netns exec ${name} sysctl -w net.ipv4.conf.${dev}.proxy_arp=1`).stderr).toBe('');
    expect(run(`ip netns exec ${name} cat /proc/sys/net/ipv4/conf/${dev}/proxy_arp`).stdout).toBe('1\n');
    // A sysctl or /proc/sys file of that name is simply absent.
    expect(run(`sysctl net.ipv4.${name}`).stderr).toBe(`sysctl: cannot stat /proc/sys/net/ipv4/${name}: No such file or directory\n`);
    expect(run(`sysctl -w ${name}=1`).stderr).toBe(`sysctl: cannot stat /proc/sys/${name}: No such file or directory\n`);
    expect(run(`cat /proc/sys/${name}`).stderr).toBe(`cat: /proc/sys/${name}: No such file or directory\n`);
    expect(run(`capture ${name} ${dev}`).stderr).toBe('');
    expect(run('captures').stdout).toBe(`=== capture ${name} ${dev}\n`);
    expect(run(`ip netns del ${name}`).stderr).toBe('');
    expect(run('ip netns list').stdout).toBe('');
  });
});
