// Tests for src/tools/calicoctl/args.ts: the command lines of the seeds, docopt-go's option
// handling (unique long prefixes, stacked short options, -a turned into -A) and what calicoctl
// prints for bad usage: the subcommand's Usage section on stderr, or at the top level the main
// usage on stderr plus `Invalid option: '...'` on stdout.

import { calicoctlMainDoc, parseCalicoctlArgs, resolveKind } from '../../../src/tools/calicoctl/args.js';

const GET_USAGE =
  'Usage:\n' +
  '  calicoctl get ( (<KIND> [<NAME>...]) |\n' +
  '                --filename=<FILENAME> [--recursive] [--skip-empty] )\n' +
  '                [--output=<OUTPUT>] [--config=<CONFIG>] [--namespace=<NS>] [--all-namespaces] [--export] [--context=<context>] [--allow-version-mismatch]\n';

describe('calicoctl argv', () => {
  it.each([
    [
      ['get', 'ippool', 'default-ipv4-ippool', '-o', 'yaml'],
      { kind: 'ippool', resolvedKind: 'IPPool', names: ['default-ipv4-ippool'], output: 'yaml' },
    ],
    [['get', 'workloadendpoints'], { resolvedKind: 'WorkloadEndpoint', names: [], output: 'ps', allNamespaces: false }],
    [['get', 'wep', '-owide', '-a'], { resolvedKind: 'WorkloadEndpoint', output: 'wide', allNamespaces: true }],
    [['get', 'nodes', '--out=json'], { resolvedKind: 'Node', output: 'json' }],
    [['get', '-n', 'kube-system', 'weps'], { namespace: 'kube-system', resolvedKind: 'WorkloadEndpoint' }],
    [['get', 'BGPConfig'], { resolvedKind: 'BGPConfiguration' }],
    [['get', 'felixconfig'], { resolvedKind: 'other' }],
    [['get', 'foo'], { kind: 'foo', resolvedKind: undefined }],
    [['get', '-o', 'yml', 'bgpp'], { output: 'yaml', resolvedKind: 'BGPPeer' }],
  ])('parses %j', (argv, want) => {
    const r = parseCalicoctlArgs(argv);
    if (!r.ok) throw new Error(r.output.stderr + r.output.stdout);
    expect(r.cmd).toMatchObject({ command: 'get', ...want });
  });

  it.each([
    [['apply', '-f', 'ippool.yaml'], { command: 'apply', filename: 'ippool.yaml' }],
    [['node', 'status'], { command: 'node-status' }],
    [['ipam', 'show', '--show-blocks'], { command: 'ipam-show', showBlocks: true }],
    [['ipam', 'show', '--ip=10.233.133.2'], { command: 'ipam-show', ip: '10.233.133.2' }],
    [['patch', 'node', 'node-0', '-p', '{"spec":{}}'], { command: 'patch', resolvedKind: 'Node', name: 'node-0', patch: '{"spec":{}}' }],
    [['--allow-version-mismatch', 'version'], { command: 'other', name: 'version', args: ['version', '--allow-version-mismatch'] }],
  ])('parses %j', (argv, want) => {
    const r = parseCalicoctlArgs(argv);
    if (!r.ok) throw new Error(r.output.stderr + r.output.stdout);
    expect(r.cmd).toMatchObject(want);
  });

  it('prints the Usage section for a bad get, with docopt error text when there is one', () => {
    expect(parseCalicoctlArgs(['get'])).toEqual({ ok: false, output: { stdout: '', stderr: GET_USAGE, exitStatus: 1 } });
    expect(parseCalicoctlArgs(['get', 'ippool', '--bogus'])).toEqual({
      ok: false,
      output: { stdout: '', stderr: GET_USAGE, exitStatus: 1 },
    });
    expect(parseCalicoctlArgs(['get', 'ippool', '-o'])).toEqual({
      ok: false,
      output: { stdout: '', stderr: `-o requires argument\n${GET_USAGE}`, exitStatus: 1 },
    });
    expect(parseCalicoctlArgs(['get', 'ippool', '--output'])).toEqual({
      ok: false,
      output: { stdout: '', stderr: `--output requires argument\n${GET_USAGE}`, exitStatus: 1 },
    });
    expect(parseCalicoctlArgs(['get', 'ippool', '--a']).ok).toBe(false);
    expect(!parseCalicoctlArgs(['get', 'ippool', '--a']).ok && parseCalicoctlArgs(['get', 'ippool', '--a'])).toMatchObject({
      output: { stderr: `--a is not a unique prefix: --all-namespaces, --allow-version-mismatch?\n${GET_USAGE}` },
    });
    expect(parseCalicoctlArgs(['get', 'ippool', '-o', 'yaml', '-o', 'json']).ok).toBe(false);
  });

  it('rejects an unknown output format after parsing, as get.go does', () => {
    expect(parseCalicoctlArgs(['get', 'ippool', '-o', 'xml'])).toEqual({
      ok: false,
      output: { stdout: '', stderr: "unrecognized output format 'xml'\n", exitStatus: 1 },
    });
    expect(parseCalicoctlArgs(['get', 'ippool', '-o', 'go-template='])).toEqual({
      ok: false,
      output: { stdout: '', stderr: 'need to specify a template\n', exitStatus: 1 },
    });
  });

  it('prints the main usage and Invalid option for bad top-level usage', () => {
    expect(parseCalicoctlArgs([])).toEqual({
      ok: false,
      output: {
        stdout: "Invalid option: ''. Use flag '--help' to read about a specific subcommand.\n",
        stderr: 'Usage:\n  calicoctl [options] <command> [<args>...]\n',
        exitStatus: 1,
      },
    });
    expect(parseCalicoctlArgs(['--foo', 'get'])).toMatchObject({
      ok: false,
      output: { stdout: "Invalid option: '--foo get'. Use flag '--help' to read about a specific subcommand.\n" },
    });
  });

  it('prints the whole docstring for an unknown command, on stderr', () => {
    const r = parseCalicoctlArgs(['frobnicate']);
    expect(r).toEqual({
      ok: false,
      output: { stdout: '', stderr: `Unknown command: "frobnicate"\n${calicoctlMainDoc()}\n`, exitStatus: 1 },
    });
    expect(calicoctlMainDoc('v3.26')).toContain('Patch a pre-exisiting resource in place.');
    expect(calicoctlMainDoc('v3.28')).toContain('Patch a preexisting resource in place.');
  });

  it('prints the node usage or the node docstring', () => {
    expect(parseCalicoctlArgs(['node'])).toEqual({
      ok: false,
      output: { stdout: '', stderr: 'Usage:\n  calicoctl node <command> [<args>...]\n', exitStatus: 1 },
    });
    const unknown = parseCalicoctlArgs(['node', 'frob']);
    expect(!unknown.ok && unknown.output.exitStatus).toBe(0);
    expect(!unknown.ok && unknown.output.stdout.startsWith('Set the Calico datastore access information')).toBe(true);
    expect(parseCalicoctlArgs(['node', 'status', 'extra'])).toEqual({
      ok: false,
      output: { stdout: '', stderr: 'Usage:\n  calicoctl node status [--allow-version-mismatch]\n', exitStatus: 1 },
    });
  });

  it('rejects two of the exclusive ipam show options', () => {
    expect(parseCalicoctlArgs(['ipam', 'show', '--show-blocks', '--show-borrowed']).ok).toBe(false);
  });

  it('knows the resource names of each release', () => {
    expect(resolveKind('tier', 'v3.28')).toBeUndefined();
    expect(resolveKind('tier', 'v3.29')).toBe('other');
    expect(resolveKind('Pools')).toBe('IPPool');
  });
});
