// The versions of the kernel and tools that the kernel transcripts come from (fixtures/labs/VERSIONS.md,
// docs/labs.md 14), and this machine's, read the way each tool reports itself: uname(1),
// os-release(5), `ip -V`, `tcpdump --version`, `ping -V`, `curl --version`, `sysctl -V`,
// `route -V`, `nsenter -V`, `node -v`, `python3 -V`. A kernel mismatch on a machine whose versions
// differ may be the versions, not a bug.

import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Component is one row of the versions table: what it is, and how this machine's version is read. */
export interface Component {
  /** name is the row's first cell, as the table writes it. */
  readonly name: string;
  /** read returns this machine's version in the table's words, or null when it cannot be read. */
  readonly read: () => string | null;
}

/** run returns a command's stdout and stderr together, or null when it cannot run. */
function run(argv: readonly string[]): string | null {
  try {
    return execFileSync(argv[0], argv.slice(1), {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin', LC_ALL: 'C' },
      timeout: 5000,
    });
  } catch (e) {
    const out = (e as { stdout?: string; stderr?: string }).stdout ?? '';
    return out === '' ? null : out;
  }
}

/** first returns the first group of `re` in a command's output, or null. */
function first(argv: readonly string[], re: RegExp): string | null {
  const out = run(argv);
  return out === null ? null : (re.exec(out)?.[1] ?? null);
}

/** debianVersion is the Debian package version of `pkg` (dpkg-query(1)), or null off Debian. */
function debianVersion(pkg: string): string | null {
  // `${Version}` is dpkg-query's own field syntax, not a template.
  return run(['dpkg-query', '-W', `-f=\${Version}`, pkg]);
}

/** COMPONENTS are the rows of docs/labs.md 14, in its order. */
export const COMPONENTS: readonly Component[] = [
  { name: 'Linux kernel', read: () => run(['uname', '-r'])?.trim() ?? null },
  {
    name: 'distribution',
    read: () => {
      try {
        return /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(readFileSync('/etc/os-release', 'utf8'))?.[1] ?? null;
      } catch {
        return null;
      }
    },
  },
  {
    name: 'iproute2 (`ip`, `bridge`)',
    read: () => {
      const out = run(['ip', '-V']);
      const m = out === null ? null : /iproute2-(?:ss)?([\w.]+)(?:, libbpf ([\d.]+))?/.exec(out);
      return m === null ? null : m[2] !== undefined ? `${m[1]} (libbpf ${m[2]})` : m[1];
    },
  },
  {
    name: 'tcpdump',
    read: () => {
      const out = run(['tcpdump', '--version']);
      const t = out === null ? null : /tcpdump version ([\w.]+)/.exec(out);
      const p = out === null ? null : /libpcap version ([\w.]+)/.exec(out);
      return t === null ? null : p !== null ? `${t[1]} (libpcap ${p[1]})` : t[1];
    },
  },
  { name: 'iputils (`ping`)', read: () => first(['ping', '-V'], /iputils[- ](?:s)?(\d+)/) },
  {
    name: 'curl',
    read: () => {
      const v = first(['curl', '--version'], /^curl ([\w.]+)/);
      const deb = debianVersion('curl');
      return v === null ? null : deb !== null && deb !== '' ? `${v} (Debian ${deb})` : v;
    },
  },
  // traceroute prints its version on stderr.
  { name: 'traceroute', read: () => first(['sh', '-c', 'traceroute -V 2>&1'], /version ([\w.]+)/) },
  { name: 'iputils (`tracepath`)', read: () => first(['tracepath', '-V'], /iputils[- ](?:s)?(\d+)/) },
  { name: 'procps-ng (`sysctl`)', read: () => first(['sysctl', '-V'], /procps-ng ([\w.]+)/) },
  { name: 'net-tools (`route`)', read: () => first(['route', '-V'], /net-tools ([\w.]+)/) },
  { name: 'util-linux (`nsenter`, `unshare`, `setpriv`)', read: () => first(['nsenter', '-V'], /util-linux ([\w.]+)/) },
  { name: 'Node.js (the `listen` server)', read: () => process.version.replace(/^v/, '') },
  { name: 'Python (the `listen … http` server)', read: () => first(['python3', '-V'], /Python ([\w.]+)/) },
];

/**
 * parseVersionsTable reads the first Markdown table whose header is `| component | version | … |`
 * and returns its component → version rows, in order.
 */
export function parseVersionsTable(markdown: string): Map<string, string> {
  const rows = new Map<string, string>();
  const lines = markdown.split('\n');
  const start = lines.findIndex((l) => /^\|\s*component\s*\|\s*version\s*\|/.test(l));
  if (start < 0) return rows;
  for (const l of lines.slice(start + 2)) {
    if (!l.startsWith('|')) break;
    const cells = l
      .split('|')
      .slice(1, -1)
      .map((c) => c.trim());
    if (cells.length >= 2) rows.set(cells[0], cells[1]);
  }
  return rows;
}

/** VersionDifference is a component whose version here is not the reference one. */
export interface VersionDifference {
  readonly name: string;
  readonly reference: string;
  /** here is this machine's version, or null when it cannot be read. */
  readonly here: string | null;
}

/** machineVersions reads this machine's version of every component. */
export function machineVersions(): Map<string, string | null> {
  return new Map(COMPONENTS.map((c) => [c.name, c.read()]));
}

/** compareVersions lists the components whose version here differs from `reference` (a parsed table). */
export function compareVersions(reference: ReadonlyMap<string, string>, here: ReadonlyMap<string, string | null>): VersionDifference[] {
  const out: VersionDifference[] = [];
  for (const [name, ref] of reference) {
    const v = here.get(name) ?? null;
    if (v !== ref) out.push({ name, reference: ref, here: v });
  }
  return out;
}

/** versionsReport is one line when this machine has the reference versions, else one line per difference. */
export function versionsReport(reference: ReadonlyMap<string, string>, here: ReadonlyMap<string, string | null>): string {
  const diffs = compareVersions(reference, here);
  if (diffs.length === 0) return 'versions: the same as fixtures/labs/VERSIONS.md\n';
  return `versions: ${diffs.length} differ from fixtures/labs/VERSIONS.md (mismatches may come from them)\n${diffs
    .map((d) => `  ${d.name}: ${d.here ?? '(cannot read)'} here, ${d.reference} there\n`)
    .join('')}`;
}
