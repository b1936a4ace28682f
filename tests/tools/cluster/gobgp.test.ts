// Tests for src/tools/cluster/gobgp.ts: the gobgp client next to seed 004's GoBGP route reflector
// (three kind nodes peering with it, no mesh). Age is the time since each path arrived, which varies
// (`<since>` in seed004.expect.md); it is blanked in the block and the output alike.

import { blankColumn, clusterLab, expectBlock, scenarioText } from './support.js';

describe('gobgp on seed 004', () => {
  const lab = clusterLab(scenarioText('seed004'));

  it('prints step 6: the reflector RIB, one path per node block', () => {
    const r = lab.run('gobgp', 'gobgp global rib');
    expect(r.status).toBe(0);
    expect(blankColumn(r.stdout, 'Age', '<since>')).toBe(blankColumn(expectBlock('seed004', 6), 'Age', '<since>'));
  });

  it('lists the three nodes as Established neighbours, one path received from each', () => {
    const lines = lab.run('gobgp', 'gobgp neighbor').stdout.split('\n');
    expect(lines[0]).toBe('Peer          AS  Up/Down State       |#Received  Accepted');
    expect(lines.slice(1, -1).map((l) => l.split(/ +/))).toEqual([
      ['172.18.0.3', '64496', expect.stringMatching(/^\d\d:\d\d:\d\d$/), 'Establ', '|', '1', '1'],
      ['172.18.0.4', '64496', expect.stringMatching(/^\d\d:\d\d:\d\d$/), 'Establ', '|', '1', '1'],
      ['172.18.0.5', '64496', expect.stringMatching(/^\d\d:\d\d:\d\d$/), 'Establ', '|', '1', '1'],
    ]);
  });

  it('answers an unknown command as cobra does', () => {
    expect(lab.run('gobgp', 'gobgp frob')).toEqual({
      stdout: '',
      stderr: 'Error: unknown command "frob" for "gobgp"\nRun \'gobgp --help\' for usage.\n',
      status: 0,
    });
  });

  it('exists only where GoBGP runs', () => {
    expect(lab.run('k8s-guide-worker', 'gobgp neighbor')).toEqual({ stdout: '', stderr: 'bash: gobgp: command not found\n', status: 127 });
  });
});
