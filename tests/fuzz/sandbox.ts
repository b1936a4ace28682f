// A child process that runs cli/main.ts once per request, in-process, as `calisim ARGS…` would run
// (commander, the lab checker, the simulator's thread, the shell, the exit status), so the fuzzer
// pays for one process start, not one per lab. Each request re-imports cli/main.ts under a new query
// (query-hooks.mjs) with process.argv set; what the CLI writes goes to this process's own stdout and
// stderr, as it would, and each run ends with a marker on both so that the parent can cut the
// streams into runs. The exit status comes back over the IPC channel. A lab that never ends makes
// the parent kill this process.
//
// cli/main.ts runs a lab in a worker thread of its own module (`new Worker(import.meta.url, {
// workerData: { calisimJob, flags } })`), and a fresh thread loads every module again, which would
// cost most of a second per lab. So this process keeps one thread and hands it each job instead:
// node:worker_threads' Worker is replaced (syncBuiltinESMExports) by ReusedWorker, which posts the
// module URL and workerData to that thread; there cli/main.ts is imported again under the URL with
// the job in workerData, runs it, and posts its status as it would, and the thread says when the
// module is done (the `exit` a finished worker would give).

import { EventEmitter } from 'node:events';
import { writeSync } from 'node:fs';
import { createRequire, syncBuiltinESMExports } from 'node:module';
import { isMainThread, parentPort, workerData } from 'node:worker_threads';

/** SandboxRequest asks for one run of `calisim ARGS…`; `marker` is the text that ends its output. */
export interface SandboxRequest {
  readonly id: number;
  readonly args: readonly string[];
  readonly marker: string;
}

/** SandboxReply is how that run ended (its output is on the streams, up to the marker). */
export interface SandboxReply {
  readonly id: number;
  readonly code: number;
  /** thrown is set when importing cli/main.ts itself threw (the CLI would have died with a stack trace). */
  readonly thrown?: string;
}

/** ThreadJob is what ReusedWorker posts to the kept thread: the module to import and its workerData. */
interface ThreadJob {
  readonly url: string;
  readonly data: Record<string, unknown>;
}

/** ThreadDone is the kept thread's word that the module has finished (or thrown). */
interface ThreadDone {
  readonly sandboxDone: true;
  readonly error?: string;
}

const MAIN = new URL('../../cli/main.ts', import.meta.url).href;

/** NAP is what writeAll sleeps on while the pipe is full. */
const NAP = new Int32Array(new SharedArrayBuffer(4));

/**
 * writeAll writes all of `text` to `fd`: the CLI's thread writes the same pipes with writeSync and
 * they are non-blocking, so a full pipe is EAGAIN, and then it waits for the parent to read.
 */
function writeAll(fd: 1 | 2, text: string): void {
  const buf = Buffer.from(text, 'utf8');
  for (let off = 0; off < buf.length; ) {
    try {
      off += writeSync(fd, buf, off);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') throw e;
      Atomics.wait(NAP, 0, 0, 1);
    }
  }
}

function isDone(m: unknown): m is ThreadDone {
  return typeof m === 'object' && m !== null && (m as ThreadDone).sandboxDone === true;
}

if (!isMainThread) {
  // The kept thread: each job is one import of cli/main.ts, with its workerData in place.
  parentPort!.on('message', async (job: ThreadJob) => {
    Object.assign(workerData as Record<string, unknown>, job.data);
    let error: string | undefined;
    try {
      await import(job.url);
    } catch (e) {
      error = e instanceof Error ? e.message : String(e);
    }
    parentPort!.postMessage({ sandboxDone: true, ...(error !== undefined ? { error } : {}) } satisfies ThreadDone);
  });
} else {
  const wt = createRequire(import.meta.url)('node:worker_threads') as { Worker: typeof import('node:worker_threads').Worker };
  // Taken before it is replaced below: the ESM bindings follow the replacement.
  const RealWorker = wt.Worker;
  let thread: InstanceType<typeof RealWorker> | null = null;
  let current: ReusedWorker | null = null;

  const keptThread = (): InstanceType<typeof RealWorker> => {
    if (thread !== null) return thread;
    const t = new RealWorker(new URL(import.meta.url), { workerData: {} });
    t.on('message', (m: unknown) => {
      const w = current;
      if (w === null) return;
      if (!isDone(m)) {
        w.emit('message', m);
        return;
      }
      current = null;
      if (m.error !== undefined) w.emit('error', new Error(m.error));
      w.emit('exit', 0);
    });
    t.on('error', (e) => current?.emit('error', e));
    thread = t;
    return t;
  };

  /** ReusedWorker stands in for the Worker cli/main.ts starts: it runs the job on the kept thread. */
  class ReusedWorker extends EventEmitter {
    constructor(url: URL | string, opts: { workerData?: Record<string, unknown> } = {}) {
      super();
      current = this;
      keptThread().postMessage({ url: String(url), data: opts.workerData ?? {} } satisfies ThreadJob);
    }

    /** terminate ends the kept thread, as terminating the job's own thread would end the job. */
    async terminate(): Promise<number> {
      const t = thread;
      thread = null;
      current = null;
      await t?.terminate();
      this.emit('exit', 1);
      return 1;
    }
  }

  wt.Worker = ReusedWorker as unknown as typeof RealWorker;
  syncBuiltinESMExports();

  /** runOnce runs the CLI with `args` and returns its exit status. */
  const runOnce = async (req: SandboxRequest): Promise<SandboxReply> => {
    const listeners = process.stdout.listeners('error');
    process.argv = [process.argv[0], 'calisim', ...req.args];
    process.exitCode = 0;
    let thrown: string | undefined;
    try {
      await import(`${MAIN}?run=${req.id}`);
    } catch (e) {
      thrown = e instanceof Error ? (e.stack ?? e.message) : String(e);
    } finally {
      // Each instance of cli/main.ts adds its EPIPE handler to stdout.
      for (const l of process.stdout.listeners('error')) if (!listeners.includes(l)) process.stdout.off('error', l as () => void);
    }
    const code = Number(process.exitCode ?? 0);
    process.exitCode = 0;
    writeAll(1, req.marker);
    writeAll(2, req.marker);
    return { id: req.id, code, ...(thrown !== undefined ? { thrown } : {}) };
  };

  // The parent gone (a test run killed), nothing is left to do.
  process.on('disconnect', () => process.exit(0));
  let queue = Promise.resolve();
  process.on('message', (req: SandboxRequest) => {
    queue = queue.then(async () => {
      process.send!(await runOnce(req));
    });
  });
  process.send!({ id: -1, code: 0 } satisfies SandboxReply);
}
