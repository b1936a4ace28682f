// calicoctl's command line (calicoctl/calicoctl.go and commands/{get,apply,patch,node_linux,ipam}.go,
// commands/node/status.go, commands/ipam/show.go, v3.26–v3.30), parsed the way docopt-go
// (ee0de3b) parses it: long options match by unique prefix, short options stack (`-owide`), an
// unknown option or a surplus argument fails the match. The top level is options-first and prints
// its usage on stderr plus `Invalid option: '...'` on stdout; subcommands print
// `<error>\n<Usage: section>` on stderr and exit 1.

import type { CalicoOutputFormat } from './get.js';
import type { CalicoKind, CalicoVersion } from './resources.js';
import type { CommandOutput } from '../format/output.js';

/** CalicoctlCommand is a command line calicoctl accepts. */
export type CalicoctlCommand =
  | {
      readonly command: 'get';
      /** kind is <KIND> as typed; resolvedKind is the resource it names, if calicoctl knows it. */
      readonly kind?: string;
      readonly resolvedKind?: CalicoKind | 'other';
      readonly names: readonly string[];
      readonly filename?: string;
      readonly output: CalicoOutputFormat;
      readonly namespace: string;
      readonly allNamespaces: boolean;
      readonly export: boolean;
    }
  | {
      readonly command: 'apply';
      readonly filename: string;
      readonly recursive: boolean;
      readonly skipEmpty: boolean;
      readonly namespace: string;
    }
  | {
      readonly command: 'patch';
      readonly kind: string;
      readonly resolvedKind?: CalicoKind | 'other';
      readonly name: string;
      readonly patch: string;
      readonly type?: string;
      readonly namespace: string;
    }
  | { readonly command: 'node-status' }
  | {
      readonly command: 'ipam-show';
      readonly ip?: string;
      readonly showBlocks: boolean;
      readonly showBorrowed: boolean;
      readonly showConfiguration: boolean;
    }
  /** help: `-h`/`--help` of a subcommand, whose help text is not reproduced here. */
  | { readonly command: 'help'; readonly topic: string }
  /** other: a command calicoctl has (create, delete, version, ...) that is not modelled here. */
  | { readonly command: 'other'; readonly name: string; readonly args: readonly string[] };

/** CalicoctlParse is a parsed command, or what calicoctl prints and exits with for bad usage. */
export type CalicoctlParse = { readonly ok: true; readonly cmd: CalicoctlCommand } | { readonly ok: false; readonly output: CommandOutput };

// ---- docopt-go's tokenizer ----

interface OptSpec {
  readonly short?: string;
  readonly long?: string;
  readonly arg: boolean;
}

interface Parsed {
  readonly options: Map<string, (string | true)[]>;
  readonly positional: string[];
  readonly unknown: boolean;
}

type TokenizeResult = { ok: true; parsed: Parsed } | { ok: false; error: string };

function optName(o: OptSpec): string {
  return (o.long ?? o.short)!;
}

/** tokenize is docopt parseArgv with parseLong / parseShorts against the known options. */
function tokenize(argv: readonly string[], specs: readonly OptSpec[], optionsFirst: boolean): TokenizeResult {
  const options = new Map<string, (string | true)[]>();
  const positional: string[] = [];
  let unknown = false;
  const record = (o: OptSpec, v: string | true): void => {
    const k = optName(o);
    options.set(k, [...(options.get(k) ?? []), v]);
  };
  let i = 0;
  while (i < argv.length) {
    const tok = argv[i];
    if (tok === '--') {
      positional.push(...argv.slice(i + 1));
      break;
    }
    if (tok.startsWith('--')) {
      i++;
      const eq = tok.indexOf('=');
      const long = eq < 0 ? tok : tok.slice(0, eq);
      let value: string | undefined = eq < 0 ? undefined : tok.slice(eq + 1);
      let similar = specs.filter((o) => o.long === long);
      if (similar.length === 0) similar = specs.filter((o) => o.long?.startsWith(long));
      if (similar.length > 1) return { ok: false, error: `${long} is not a unique prefix: ${similar.map((o) => o.long).join(', ')}?` };
      if (similar.length === 0) {
        unknown = true;
        continue;
      }
      const o = similar[0];
      if (!o.arg) {
        if (value !== undefined) return { ok: false, error: `${o.long} must not have an argument` };
        record(o, true);
      } else {
        if (value === undefined) {
          if (i >= argv.length || argv[i] === '--') return { ok: false, error: `${o.long} requires argument` };
          value = argv[i++];
        }
        record(o, value);
      }
      continue;
    }
    if (tok.startsWith('-') && tok !== '-') {
      i++;
      let left = tok.replace(/^-+/, '');
      while (left !== '') {
        const short = `-${left[0]}`;
        left = left.slice(1);
        const o = specs.find((s) => s.short === short);
        if (!o) {
          unknown = true;
          continue;
        }
        if (!o.arg) record(o, true);
        else {
          let value: string;
          if (left === '') {
            if (i >= argv.length || argv[i] === '--') return { ok: false, error: `${short} requires argument` };
            value = argv[i++];
          } else {
            value = left;
            left = '';
          }
          record(o, value);
        }
      }
      continue;
    }
    if (optionsFirst) {
      positional.push(...argv.slice(i));
      break;
    }
    positional.push(tok);
    i++;
  }
  return { ok: true, parsed: { options, positional, unknown } };
}

// ---- usage sections (docopt prints the trimmed "Usage:" section on a bad match) ----

const MAIN_USAGE = 'Usage:\n  calicoctl [options] <command> [<args>...]';
const GET_USAGE =
  'Usage:\n' +
  '  calicoctl get ( (<KIND> [<NAME>...]) |\n' +
  '                --filename=<FILENAME> [--recursive] [--skip-empty] )\n' +
  '                [--output=<OUTPUT>] [--config=<CONFIG>] [--namespace=<NS>] [--all-namespaces] [--export] [--context=<context>] [--allow-version-mismatch]';
const APPLY_USAGE =
  'Usage:\n' +
  '  calicoctl apply --filename=<FILENAME> [--recursive] [--skip-empty]\n' +
  '                  [--config=<CONFIG>] [--namespace=<NS>] [--context=<context>] [--allow-version-mismatch]';
const PATCH_USAGE =
  'Usage:\n' +
  '  calicoctl patch <KIND> <NAME> --patch=<PATCH> [--type=<TYPE>] [--config=<CONFIG>] [--namespace=<NS>] [--context=<context>] [--allow-version-mismatch]';
const NODE_USAGE = 'Usage:\n  calicoctl node <command> [<args>...]';
const NODE_STATUS_USAGE = 'Usage:\n  calicoctl node status [--allow-version-mismatch]';
const IPAM_USAGE = 'Usage:\n  calicoctl ipam <command> [<args>...]';
const IPAM_SHOW_USAGE =
  'Usage:\n  calicoctl ipam show [--ip=<IP> | --show-blocks | --show-borrowed | --show-configuration] [--config=<CONFIG>] [--allow-version-mismatch]';

/** calicoctlMainDoc is calicoctl.go's docstring for the given release (its help and unknown-command text). */
export function calicoctlMainDoc(version: CalicoVersion = 'v3.30'): string {
  const pre = version === 'v3.26' || version === 'v3.27' ? 'pre-exisiting' : 'preexisting';
  return (
    'Usage:\n' +
    '  calicoctl [options] <command> [<args>...]\n' +
    '\n' +
    '    create       Create a resource by file, directory or stdin.\n' +
    '    replace      Replace a resource by file, directory or stdin.\n' +
    '    apply        Apply a resource by file, directory or stdin.  This creates a resource\n' +
    '                 if it does not exist, and replaces a resource if it does exists.\n' +
    `    patch        Patch a ${pre} resource in place.\n` +
    '    delete       Delete a resource identified by file, directory, stdin or resource type and\n' +
    '                 name.\n' +
    '    get          Get a resource identified by file, directory, stdin or resource type and\n' +
    '                 name.\n' +
    '    label        Add or update labels of resources.\n' +
    '    convert      Convert config files between different API versions.\n' +
    '    ipam         IP address management.\n' +
    '    node         Calico node management.\n' +
    '    version      Display the version of this binary.\n' +
    '    datastore    Calico datastore management.\n' +
    '\n' +
    'Options:\n' +
    '  -h --help                    Show this screen.\n' +
    '  -l --log-level=<level>       Set the log level (one of panic, fatal, error,\n' +
    '                               warn, info, debug) [default: panic]\n' +
    '     --context=<context>       The name of the kubeconfig context to use.\n' +
    '     --allow-version-mismatch  Allow client and cluster versions mismatch.\n' +
    '\n' +
    'Description:\n' +
    '  The calicoctl command line tool is used to manage Calico network and security\n' +
    '  policy, to view and manage endpoint configuration, and to manage a Calico\n' +
    '  node instance.\n' +
    '\n' +
    "  See 'calicoctl <command> --help' to read about a specific subcommand.\n"
  );
}

const NODE_DOC =
  'Set the Calico datastore access information in the environment variables or\n' +
  'supply details in a config file.\n' +
  '\n' +
  'Usage:\n' +
  '  calicoctl node <command> [<args>...]\n' +
  '\n' +
  '    run          Run the Calico node container image.\n' +
  '    status       View the current status of a Calico node.\n' +
  '    diags        Gather a diagnostics bundle for a Calico node.\n' +
  '    checksystem  Verify the compute host is able to run a Calico node instance.\n' +
  '\n' +
  'Options:\n' +
  '  -h --help      Show this screen.\n' +
  '\n' +
  'Description:\n' +
  '  Node specific commands for calicoctl.  These commands must be run directly on\n' +
  '  the compute host running the Calico node instance.\n' +
  '\n' +
  "  See 'calicoctl node <command> --help' to read about a specific subcommand.\n";

const IPAM_DOC =
  'Set the Calico datastore access information in the environment variables or\n' +
  'supply details in a config file.\n' +
  '\n' +
  'Usage:\n' +
  '  calicoctl ipam <command> [<args>...]\n' +
  '\n' +
  '    check            Check the integrity of the IPAM datastructures.\n' +
  '    release          Release a Calico assigned IP address.\n' +
  '    show             Show details of a Calico configuration,\n' +
  '                     assigned IP address, or of overall IP usage.\n' +
  '    split            Split the IP pool specified by the CIDR into\n' +
  '                     the specified number of smaller IPPools.\n' +
  '    configure        Configure IPAM\n' +
  '\n' +
  'Options:\n' +
  '  -h --help      Show this screen.\n' +
  '\n' +
  'Description:\n' +
  '  IP address management commands for Calico.\n' +
  '\n' +
  "  See 'calicoctl ipam <command> --help' to read about a specific subcommand.\n";

// ---- resource names (resourcemgr registrations) ----

const KIND_NAMES: readonly (readonly [CalicoKind | 'other', readonly string[], CalicoVersion?])[] = [
  ['BGPConfiguration', ['bgpconfiguration', 'bgpconfigurations', 'bgpconfig', 'bgpconfigs']],
  ['other', ['bgpfilter', 'bgpfilters', 'bgpf', 'bgpfs', 'bf', 'bfs']],
  ['BGPPeer', ['bgppeer', 'bgppeers', 'bgpp', 'bgpps', 'bp', 'bps']],
  ['other', ['clusterinformation', 'clusterinformations', 'clusterinfo', 'clusterinfos']],
  ['other', ['felixconfiguration', 'felixconfigurations', 'felixconfig', 'felixconfigs']],
  ['other', ['globalnetworkpolicy', 'globalnetworkpolicies', 'gnp', 'gnps']],
  ['other', ['globalnetworkset', 'globalnetworksets', 'gnetsets']],
  ['other', ['hostendpoint', 'hostendpoints', 'hep', 'heps']],
  ['IPPool', ['ippool', 'ippools', 'ipp', 'ipps', 'pool', 'pools']],
  ['other', ['ipreservation', 'ipreservations', 'reservation', 'reservations']],
  ['other', ['kubecontrollersconfiguration', 'kubecontrollersconfigurations', 'kubecontrollersconfig', 'kubecontrollersconfigs']],
  ['other', ['networkpolicy', 'networkpolicies', 'policy', 'np', 'policies', 'pol', 'pols']],
  ['other', ['networkset', 'networksets', 'netsets']],
  ['Node', ['node', 'nodes', 'no', 'nos']],
  ['other', ['profile', 'profiles', 'pro', 'pros']],
  ['other', ['stagedglobalnetworkpolicy', 'stagedglobalnetworkpolicies', 'sgnp', 'sgnps'], 'v3.30'],
  [
    'other',
    [
      'stagedkubernetesnetworkpolicy',
      'stagedkubernetesnetworkpolicies',
      'stagedkubernetespolicy',
      'sknp',
      'stagedkubernetespolicies',
      'skpol',
      'skpols',
    ],
    'v3.30',
  ],
  ['other', ['stagednetworkpolicy', 'stagednetworkpolicies', 'stagedpolicy', 'snp', 'stagedpolicies', 'spol', 'spols'], 'v3.30'],
  ['other', ['tier', 'tiers'], 'v3.29'],
  ['WorkloadEndpoint', ['workloadendpoint', 'workloadendpoints', 'wep', 'weps']],
];

const VERSION_ORDER: readonly CalicoVersion[] = ['v3.26', 'v3.27', 'v3.28', 'v3.29', 'v3.30'];

/** resolveKind maps a <KIND> (case-insensitive, plural or short) to its resource, or undefined. */
export function resolveKind(kind: string, version: CalicoVersion = 'v3.30'): CalicoKind | 'other' | undefined {
  const k = kind.toLowerCase();
  for (const [res, names, since] of KIND_NAMES) {
    if (since && VERSION_ORDER.indexOf(version) < VERSION_ORDER.indexOf(since)) continue;
    if (names.includes(k)) return res;
  }
  return undefined;
}

// ---- commands ----

const usageError = (error: string, usage: string): CalicoctlParse => ({
  ok: false,
  output: { stdout: '', stderr: `${`${error}\n${usage}`.trim()}\n`, exitStatus: 1 },
});

const one = (p: Parsed, name: string): string | undefined => {
  const v = p.options.get(name);
  return v && typeof v[0] === 'string' ? v[0] : undefined;
};
const flag = (p: Parsed, name: string): boolean => p.options.has(name);
const repeated = (p: Parsed): boolean => [...p.options.values()].some((v) => v.length > 1);
const wantsHelp = (p: Parsed): boolean => flag(p, '--help');

const HELP: OptSpec = { short: '-h', long: '--help', arg: false };
const CONFIG: OptSpec = { short: '-c', long: '--config', arg: true };
const NAMESPACE: OptSpec = { short: '-n', long: '--namespace', arg: true };
const CONTEXT: OptSpec = { long: '--context', arg: true };
const MISMATCH: OptSpec = { long: '--allow-version-mismatch', arg: false };
const FILENAME: OptSpec = { short: '-f', long: '--filename', arg: true };
const RECURSIVE: OptSpec = { short: '-R', long: '--recursive', arg: false };
const SKIP_EMPTY: OptSpec = { long: '--skip-empty', arg: false };

function parseGet(args: readonly string[], version: CalicoVersion): CalicoctlParse {
  // get.go turns every `-a` into `-A` before docopt sees it.
  const argv = args.map((a) => (a === '-a' ? '-A' : a));
  const specs: OptSpec[] = [
    HELP,
    FILENAME,
    RECURSIVE,
    SKIP_EMPTY,
    { short: '-o', long: '--output', arg: true },
    CONFIG,
    NAMESPACE,
    { short: '-A', long: '--all-namespaces', arg: false },
    { long: '--export', arg: false },
    CONTEXT,
    MISMATCH,
  ];
  const t = tokenize(argv, specs, false);
  if (!t.ok) return usageError(t.error, GET_USAGE);
  const p = t.parsed;
  if (wantsHelp(p)) return { ok: true, cmd: { command: 'help', topic: 'get' } };
  const pos = p.positional.slice(1);
  const filename = one(p, '--filename');
  const bad =
    p.unknown ||
    repeated(p) ||
    (filename !== undefined ? pos.length > 0 : pos.length === 0) ||
    (filename === undefined && (flag(p, '--recursive') || flag(p, '--skip-empty')));
  if (bad) return usageError('', GET_USAGE);
  const output = one(p, '--output') ?? 'ps';
  let fmt: CalicoOutputFormat;
  if (output === 'yaml' || output === 'yml') fmt = 'yaml';
  else if (output === 'json' || output === 'ps' || output === 'wide') fmt = output;
  else {
    const [key, value] = output.split(/=(.*)/s);
    let err: string;
    if (key === 'go-template' && !value) err = 'need to specify a template';
    else if (key === 'go-template-file' && !value) err = 'need to specify a template file';
    else if (key === 'custom-columns' && !value) err = 'need to specify at least one column';
    else if (key === 'go-template' || key === 'go-template-file' || key === 'custom-columns') {
      return { ok: true, cmd: { command: 'other', name: 'get', args } };
    } else err = `unrecognized output format '${output}'`;
    return { ok: false, output: { stdout: '', stderr: `${err}\n`, exitStatus: 1 } };
  }
  const kind = filename === undefined ? pos[0] : undefined;
  return {
    ok: true,
    cmd: {
      command: 'get',
      kind,
      resolvedKind: kind === undefined ? undefined : resolveKind(kind, version),
      names: pos.slice(1),
      filename,
      output: fmt,
      namespace: one(p, '--namespace') ?? '',
      allNamespaces: flag(p, '--all-namespaces'),
      export: flag(p, '--export'),
    },
  };
}

function parseApply(args: readonly string[]): CalicoctlParse {
  const t = tokenize(args, [HELP, FILENAME, RECURSIVE, SKIP_EMPTY, CONFIG, NAMESPACE, CONTEXT, MISMATCH], false);
  if (!t.ok) return usageError(t.error, APPLY_USAGE);
  const p = t.parsed;
  if (wantsHelp(p)) return { ok: true, cmd: { command: 'help', topic: 'apply' } };
  const filename = one(p, '--filename');
  if (p.unknown || repeated(p) || p.positional.length > 1 || filename === undefined) return usageError('', APPLY_USAGE);
  return {
    ok: true,
    cmd: {
      command: 'apply',
      filename,
      recursive: flag(p, '--recursive'),
      skipEmpty: flag(p, '--skip-empty'),
      namespace: one(p, '--namespace') ?? '',
    },
  };
}

function parsePatch(args: readonly string[], version: CalicoVersion): CalicoctlParse {
  const specs: OptSpec[] = [
    HELP,
    { short: '-p', long: '--patch', arg: true },
    { short: '-t', long: '--type', arg: true },
    CONFIG,
    NAMESPACE,
    CONTEXT,
    MISMATCH,
  ];
  const t = tokenize(args, specs, false);
  if (!t.ok) return usageError(t.error, PATCH_USAGE);
  const p = t.parsed;
  if (wantsHelp(p)) return { ok: true, cmd: { command: 'help', topic: 'patch' } };
  const patch = one(p, '--patch');
  if (p.unknown || repeated(p) || p.positional.length !== 3 || patch === undefined) return usageError('', PATCH_USAGE);
  const [, kind, name] = p.positional;
  return {
    ok: true,
    cmd: {
      command: 'patch',
      kind,
      resolvedKind: resolveKind(kind, version),
      name,
      patch,
      type: one(p, '--type'),
      namespace: one(p, '--namespace') ?? '',
    },
  };
}

function parseNode(args: readonly string[]): CalicoctlParse {
  const t = tokenize(args, [HELP], true);
  if (!t.ok) return usageError(t.error, NODE_USAGE);
  const p = t.parsed;
  if (wantsHelp(p)) return { ok: false, output: { stdout: `${NODE_DOC.replace(/^\n+|\n+$/g, '')}\n`, stderr: '', exitStatus: 0 } };
  if (p.unknown || p.positional.length < 2) return usageError('', NODE_USAGE);
  const sub = p.positional[1];
  if (sub === 'status') {
    const s = tokenize(['node', ...p.positional.slice(1)], [HELP, MISMATCH], false);
    if (!s.ok) return usageError(s.error, NODE_STATUS_USAGE);
    if (wantsHelp(s.parsed)) return { ok: true, cmd: { command: 'help', topic: 'node status' } };
    if (s.parsed.unknown || repeated(s.parsed) || s.parsed.positional.length !== 2) return usageError('', NODE_STATUS_USAGE);
    return { ok: true, cmd: { command: 'node-status' } };
  }
  if (sub === 'run' || sub === 'diags' || sub === 'checksystem') return { ok: true, cmd: { command: 'other', name: `node ${sub}`, args } };
  // node_linux.go prints its whole docstring for an unknown subcommand, and succeeds.
  return { ok: false, output: { stdout: `${NODE_DOC}\n`, stderr: '', exitStatus: 0 } };
}

function parseIpam(args: readonly string[]): CalicoctlParse {
  const t = tokenize(args, [HELP], true);
  if (!t.ok) return usageError(t.error, IPAM_USAGE);
  const p = t.parsed;
  if (wantsHelp(p)) return { ok: false, output: { stdout: `${IPAM_DOC.replace(/^\n+|\n+$/g, '')}\n`, stderr: '', exitStatus: 0 } };
  if (p.unknown || p.positional.length < 2) return usageError('', IPAM_USAGE);
  const sub = p.positional[1];
  if (sub === 'show') {
    const specs: OptSpec[] = [
      HELP,
      { long: '--ip', arg: true },
      { long: '--show-blocks', arg: false },
      { long: '--show-borrowed', arg: false },
      { long: '--show-configuration', arg: false },
      CONFIG,
      MISMATCH,
    ];
    const s = tokenize(['ipam', ...p.positional.slice(1)], specs, false);
    if (!s.ok) return usageError(s.error, IPAM_SHOW_USAGE);
    const q = s.parsed;
    if (wantsHelp(q)) return { ok: true, cmd: { command: 'help', topic: 'ipam show' } };
    const exclusive = ['--ip', '--show-blocks', '--show-borrowed', '--show-configuration'].filter((o) => flag(q, o)).length;
    if (q.unknown || repeated(q) || q.positional.length !== 2 || exclusive > 1) return usageError('', IPAM_SHOW_USAGE);
    return {
      ok: true,
      cmd: {
        command: 'ipam-show',
        ip: one(q, '--ip'),
        showBlocks: flag(q, '--show-blocks'),
        showBorrowed: flag(q, '--show-borrowed'),
        showConfiguration: flag(q, '--show-configuration'),
      },
    };
  }
  if (['check', 'release', 'configure', 'split'].includes(sub)) return { ok: true, cmd: { command: 'other', name: `ipam ${sub}`, args } };
  return { ok: false, output: { stdout: `${IPAM_DOC}\n`, stderr: '', exitStatus: 0 } };
}

const LOG_LEVELS = new Set(['panic', 'fatal', 'error', 'warn', 'warning', 'info', 'debug', 'trace']);

/** goQuote is strconv.Quote for the printable ASCII calicoctl's `%q` sees in practice. */
function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\r') out += '\\r';
    else if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

/** parseCalicoctlArgs parses `calicoctl ARGV...` (argv without the program name). */
export function parseCalicoctlArgs(argv: readonly string[], version: CalicoVersion = 'v3.30'): CalicoctlParse {
  const doc = calicoctlMainDoc(version);
  const specs: OptSpec[] = [HELP, { short: '-l', long: '--log-level', arg: true }, CONTEXT, MISMATCH];
  const invalid = (stderr: string): CalicoctlParse => ({
    ok: false,
    output: {
      stdout: `Invalid option: '${argv.join(' ')}'. Use flag '--help' to read about a specific subcommand.\n`,
      stderr,
      exitStatus: 1,
    },
  });
  const t = tokenize(argv, specs, true);
  if (!t.ok) return invalid(`${`${t.error}\n${MAIN_USAGE}`.trim()}\n`);
  const p = t.parsed;
  if (wantsHelp(p)) return { ok: false, output: { stdout: `${doc.replace(/^\n+|\n+$/g, '')}\n`, stderr: '', exitStatus: 0 } };
  if (p.unknown || repeated(p) || p.positional.length === 0) return invalid(`${MAIN_USAGE}\n`);
  const level = one(p, '--log-level');
  if (level !== undefined && !LOG_LEVELS.has(level.toLowerCase())) {
    return {
      ok: false,
      output: {
        stdout: `Unknown log level: ${level}, expected one of: \npanic, fatal, error, warn, info, debug.\n`,
        stderr: '',
        exitStatus: 1,
      },
    };
  }
  const [command, ...rest] = p.positional;
  const args = [command, ...rest, ...(flag(p, '--allow-version-mismatch') ? ['--allow-version-mismatch'] : [])];
  switch (command) {
    case 'get':
      return parseGet(args, version);
    case 'apply':
      return parseApply(args);
    case 'patch':
      return parsePatch(args, version);
    case 'node':
      return parseNode(args);
    case 'ipam':
      return parseIpam(args);
    case 'create':
    case 'replace':
    case 'delete':
    case 'label':
    case 'convert':
    case 'version':
    case 'datastore':
      return { ok: true, cmd: { command: 'other', name: command, args } };
    default:
      return { ok: false, output: { stdout: '', stderr: `Unknown command: ${goQuote(command)}\n${doc}\n`, exitStatus: 1 } };
  }
}
