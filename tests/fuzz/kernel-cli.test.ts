// Tests for the differential fuzzer's own logic (tests/fuzz/kernel-cli.ts): how a mismatch is
// classed, and that the labs it generates are the same for a seed.

import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { commandClass, firstDifference, generateLabs } from './kernel-cli.js';

const HERE = dirname(fileURLToPath(import.meta.url));

describe('commandClass', () => {
  it.each([
    ['ping -c 1 -W 4 10.0.0.1', 'ping'],
    ['ip netns exec pod1 curl -sS -m 4 http://10.0.0.1:80/', 'curl'],
    ['ip -n h2 -s link show dev v1b', 'ip -s link'],
    ['ip netns exec a ip neigh show dev br0', 'ip neigh show'],
    ['ip -j route get 10.2.0.2', 'ip -j route'],
    ['bridge -n h fdb show br br0', 'bridge fdb show'],
    ['sysctl -w net.ipv4.ip_forward=1', 'sysctl'],
    ['capture - br0 arp', 'capture'],
    ['captures', 'captures'],
    ['cat /proc/sys/net/ipv4/conf/v0b/rp_filter', 'cat'],
  ])('%s is %s', (command, cls) => {
    expect(commandClass(command)).toBe(cls);
  });
});

describe('firstDifference', () => {
  const arp = '02:00:00:00:00:01 > ff:ff:ff:ff:ff:ff, ethertype ARP (0x0806), length 42: Request who-has 10.0.0.9 tell 10.0.0.1, length 28';
  const kernel = `$ ip link add v0 type veth peer name v1\n$ ip -s link show dev lo\n    RX: 168\n$ captures\n=== capture - v0\n${arp}\n`;

  it('names the command whose output differs first', () => {
    expect(firstDifference(kernel, kernel.replace('168', '196'))).toBe('ip -s link');
  });

  it('names the kind of the first frame that differs in a capture, on either side', () => {
    expect(firstDifference(kernel, kernel.replace(`${arp}\n`, ''))).toBe('captures (arp)');
    expect(firstDifference(kernel.replace(`${arp}\n`, ''), kernel)).toBe('captures (arp)');
  });

  it('says (none) for equal transcripts', () => {
    expect(firstDifference(kernel, kernel)).toBe('(none)');
  });
});

describe('generateLabs', () => {
  it('gives the same labs for the same seed, numbered in seed order', () => {
    const a = generateLabs(3, 42);
    expect(a).toHaveLength(3);
    expect(generateLabs(3, 42)).toEqual(a);
    expect(a.map((l) => l.index)).toEqual([...a.map((l) => l.index)].sort((x, y) => x - y));
  });
});

describe('npm run fuzz:kernel without root', () => {
  it('says so in one line and exits 2', () => {
    // As root, drop to nobody (as tests/cli/lab/netns-unprivileged.test.ts does), keeping only the
    // capability that lets node read the checkout.
    const drop =
      process.getuid?.() === 0
        ? [
            'setpriv',
            '--reuid=65534',
            '--regid=65534',
            '--clear-groups',
            '--securebits=+no_setuid_fixup',
            '--inh-caps=+dac_read_search',
            '--ambient-caps=+dac_read_search',
          ]
        : [];
    const argv = [
      ...drop,
      process.execPath,
      '--import',
      join(HERE, '..', 'cli', 'lab', 'swc-register.mjs'),
      '--no-warnings',
      join(HERE, 'kernel-cli.ts'),
      '--count',
      '1',
    ];
    const r = spawnSync(argv[0], argv.slice(1), { encoding: 'utf8', cwd: join(HERE, '..', '..'), timeout: 60000 });
    expect(r.stderr).toBe('fuzz:kernel: cannot run kernel labs here: not root (network namespaces need CAP_SYS_ADMIN)\n');
    expect(r.stdout).toBe('');
    expect(r.status).toBe(2);
  });
});
