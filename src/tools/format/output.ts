// The result of running one userspace command: what it wrote to each stream and its exit status.

/** CommandOutput is what a command writes and the status it exits with. */
export interface CommandOutput {
  readonly stdout: string;
  readonly stderr: string;
  readonly exitStatus: number;
}
