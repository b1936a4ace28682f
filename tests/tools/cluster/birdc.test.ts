// Tests for src/tools/cluster/birdc.ts and birdstate.ts: birdc / birdcl on a node, answered by the
// node's running BIRD. seed000 is the full mesh of six nodes (zlw-03 started, so 10-23-14-111 has
// claimed its block); RR_CLUSTER has a route reflector. The row and route formats are BIRD 1.6's
// (src/tools/birdc/bird1.ts); what is checked here is that they carry the cluster's state.

import { RR_CLUSTER } from './rr.js';
import { clusterLab, scenarioText, withCalicoSetting } from './support.js';

const BANNER = 'BIRD v0.3.3+birdv1.6.8 ready.';

describe('birdc on a mesh node (seed000)', () => {
  const lab = clusterLab(withCalicoSetting(scenarioText('seed000'), 'bird6', 'true'), { start: true });
  const run = (line: string) => lab.run('10-23-14-110', line);

  it('shows the protocols in configuration order, every mesh session Established', () => {
    const r = run('birdc show protocols');
    expect(r.status).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines.slice(0, 6)).toEqual([
      BANNER,
      'name     proto    table    state  since       info',
      'static1  Static   master   up     12:31:27    ',
      'kernel1  Kernel   master   up     12:31:27    ',
      'device1  Device   master   up     12:31:27    ',
      'direct1  Direct   master   up     12:31:27    ',
    ]);
    // The SINCE of each session is seed 000's (calicoctl node status prints the same cells).
    expect(lines.slice(6, 11)).toEqual([
      'Mesh_10_23_14_111 BGP      master   up     12:31:31    Established   ',
      'Mesh_10_23_14_112 BGP      master   up     12:31:30    Established   ',
      'Mesh_10_23_14_113 BGP      master   up     12:31:32    Established   ',
      'Mesh_10_23_14_114 BGP      master   up     12:31:31    Established   ',
      'Mesh_10_23_14_115 BGP      master   up     12:31:31    Established   ',
    ]);
    expect(lines.slice(11)).toEqual(['']);
  });

  it('answers birdcl -s /var/run/calico/bird.ctl as Calico users type it', () => {
    expect(run('birdcl -s /var/run/calico/bird.ctl show protocols')).toEqual(run('birdc show protocols'));
    expect(run('birdcl -s /var/run/calico/bird.ctl sh pro')).toEqual(run('birdc show protocols'));
  });

  it('shows the table: the static blackhole, the pods learnt from the kernel, the peer block over BGP', () => {
    const out = run('birdc show route').stdout.split('\n');
    expect(out[0]).toBe(BANNER);
    expect(out).toContain('10.233.133.0/24    blackhole [static1 12:31:27] * (200)');
    expect(out).toContain('10.233.133.2/32    dev calife4cf73bf2a [kernel1 12:31:27] * (10)');
    expect(out).toContain('10.233.133.3/32    dev cali957267df2c7 [kernel1 12:31:27] * (10)');
    expect(out).toContain('10.23.14.0/24      dev eth0 [direct1 12:31:27] * (240)');
    const bgp = out.filter((l) => l.startsWith('10.233.80.0/24 '));
    expect(bgp).toHaveLength(1);
    expect(bgp[0]).toMatch(/^10\.233\.80\.0\/24 {5}via 10\.23\.14\.111 on eth0 \[Mesh_10_23_14_111 12:31:\d\d\] \* \(100\/0\) \[i\]$/);
    // The table holds one network per line here: each prefix has a single route.
    expect(new Set(out.filter((l) => /^\d/.test(l)).map((l) => l.split(' ')[0])).size).toBe(out.filter((l) => /^\d/.test(l)).length);
  });

  it('shows a BGP route with its attributes, and a kernel route with the kernel protocol, source and preferred source', () => {
    const all = run('birdc show route all').stdout;
    const bgp = all.slice(all.indexOf('10.233.80.0/24 ')).split('\n').slice(1, 7);
    expect(bgp).toEqual([
      '\tType: BGP unicast univ',
      '\tBGP.origin: IGP',
      '\tBGP.as_path: ',
      '\tBGP.next_hop: 10.23.14.111',
      '\tBGP.local_pref: 100',
      expect.not.stringMatching(/^\t/),
    ]);
    // Felix's route: proto boot (3), no metric, `src 10.23.14.110` (FELIX_DEVICEROUTESOURCEADDRESS).
    const pod = all.slice(all.indexOf('10.233.133.2/32 ')).split('\n').slice(1, 5);
    expect(pod).toEqual(['\tType: inherit unicast univ', '\tKernel.source: 3', '\tKernel.metric: 0', '\tKernel.prefsrc: 10.23.14.110']);
  });

  it('shows a session in detail', () => {
    const lines = run('birdc show protocols all Mesh_10_23_14_111').stdout.split('\n');
    expect(lines.slice(0, 7)).toEqual([
      BANNER,
      'name     proto    table    state  since       info',
      'Mesh_10_23_14_111 BGP      master   up     12:31:31    Established   ',
      '  Description:    Connection to BGP peer',
      '  Preference:     100',
      '  Input filter:   ACCEPT',
      '  Output filter:  (unnamed)',
    ]);
    expect(lines).toContain('  Routes:         1 imported, 1 exported, 1 preferred');
    expect(lines).toContain('  BGP state:          Established');
    expect(lines).toContain('    Neighbor address: 10.23.14.111');
    expect(lines).toContain('    Neighbor AS:      64512');
    expect(lines).toContain('    Source address:   10.23.14.110');
    expect(lines.filter((l) => /^ {4}Hold timer: {7}\d+\/240$/.test(l))).toHaveLength(1);
    expect(run('birdc show protocols all nosuch').stdout).toBe(`${BANNER}\nnosuch is not a protocol\n`);
  });

  it('shows the core protocols in detail with their filters', () => {
    const lines = run('birdc show protocols all kernel1').stdout.split('\n');
    expect(lines.slice(2, 6)).toEqual([
      'kernel1  Kernel   master   up     12:31:27    ',
      '  Preference:     10',
      '  Input filter:   ACCEPT',
      '  Output filter:  calico_kernel_programming',
    ]);
  });

  it('answers on bird6 socket with the core protocols only', () => {
    const r = run('birdc -s /var/run/calico/bird6.ctl show protocols');
    expect(r.stdout.split('\n').map((l) => l.split(' ')[0])).toEqual([
      BANNER.split(' ')[0],
      'name',
      'static1',
      'kernel1',
      'device1',
      'direct1',
      '',
    ]);
    expect(run('birdc -s /var/run/calico/bird6.ctl show route').stdout).toBe(`${BANNER}\n`);
  });

  it.each([
    [
      'birdc -s /run/bird/bird.ctl show protocols',
      { stdout: '', stderr: 'Unable to connect to server control socket (/run/bird/bird.ctl): No such file or directory\n', status: 1 },
    ],
    ['birdc -x', { stdout: '', stderr: "birdc: invalid option -- 'x'\nUsage: birdc [-s <control-socket>] [-v] [-r] [-l]\n", status: 1 }],
    ['birdc', { stdout: `${BANNER}\n`, stderr: '', status: 0 }],
    ['birdc show frobs', { stdout: `${BANNER}\nNo such command. Press \`?' for help.\n`, stderr: '', status: 0 }],
  ])('%s answers as the client does', (line, want) => {
    expect(run(line)).toEqual(want);
  });

  it('is not installed in a pod', () => {
    expect(lab.run('zlw-01', 'birdc show protocols').status).toBe(127);
  });
});

describe('birdc with a route reflector', () => {
  const lab = clusterLab(RR_CLUSTER);

  it('shows the reflected route on a client: from the reflector, next hop the originating node', () => {
    const all = lab.run('node-1', 'birdc show route all').stdout.split('\n');
    const at = all.findIndex((l) => l.startsWith('10.200.') && l.includes('[Node_10_0_0_10 '));
    expect(at).toBeGreaterThan(0);
    expect(all[at]).toMatch(/ via 10\.0\.0\.12 on eth0 \[Node_10_0_0_10 12:00:\d\d from 10\.0\.0\.10\] \* \(100\/0\) \[i\]$/);
    expect(all.slice(at + 1, at + 8)).toEqual([
      '\tType: BGP unicast univ',
      '\tBGP.origin: IGP',
      '\tBGP.as_path: ',
      '\tBGP.next_hop: 10.0.0.12',
      '\tBGP.local_pref: 100',
      '\tBGP.originator_id: 10.0.0.12',
      '\tBGP.cluster_list: 244.0.0.1',
    ]);
  });

  it('marks the reflector side of a client session', () => {
    const lines = lab.run('rr-0', 'birdc show protocols all Node_10_0_0_11').stdout.split('\n');
    expect(lines).toContain('  BGP state:          Established');
    expect(lines.find((l) => l.startsWith('    Session:'))).toMatch(/^ {4}Session: {10}internal multihop route-reflector AS4/);
    expect(lines).toContain('  Input filter:   (unnamed)');
  });
});
