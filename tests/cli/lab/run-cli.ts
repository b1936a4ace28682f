// Runs cli/main.ts as a real process, straight from its TypeScript sources (see swc-hooks.mjs).

import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
/** ROOT is the repository's top directory. */
export const ROOT = join(HERE, '..', '..', '..');

/** CliResult is how a calisim process ended and what it printed. */
export interface CliResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** startCli starts `calisim ARGS…`; `wrap` runs it under another command (e.g. setpriv). */
export function startCli(args: readonly string[], wrap: readonly string[] = []): ChildProcess {
  const argv = [process.execPath, '--import', join(HERE, 'swc-register.mjs'), join(ROOT, 'cli', 'main.ts'), ...args];
  const [cmd, ...rest] = [...wrap, ...argv];
  return spawn(cmd, rest, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** collect waits for a started process and returns its result. */
export function collect(child: ChildProcess): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

/** runCli runs `calisim ARGS…` to completion. */
export function runCli(args: readonly string[], wrap: readonly string[] = []): Promise<CliResult> {
  return collect(startCli(args, wrap));
}
