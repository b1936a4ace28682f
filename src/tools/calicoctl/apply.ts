// What `calicoctl apply -f FILE` and `calicoctl patch KIND NAME -p PATCH` print once the datastore
// has answered (calicoctl/commands/apply.go and patch.go, v3.26–v3.30). Errors go to stderr with
// exit status 1, as calicoctl.go's main prints every returned error.

import type { CommandOutput } from '../format/output.js';

/** ApplyResults is common.CommandResults as apply.go reads it. */
export interface ApplyResults {
  /** fileError is set when the file could not be read or parsed (results.FileInvalid). */
  readonly fileError?: string;
  /** error is results.Err when no resource was read (e.g. `No resources specified in file F`). */
  readonly error?: string;
  readonly numResources: number;
  readonly numHandled: number;
  /** singleKind is the kind when all resources share one (`IPPool`), else empty. */
  readonly singleKind: string;
  /** resErrs are the per-resource errors, in order. */
  readonly resErrs: readonly string[];
}

const fail = (stdout: string, message: string): CommandOutput => ({ stdout, stderr: `${message}\n`, exitStatus: 1 });

/** goErrorSlice is `%v` of an []error: `[e1 e2]`. */
function goErrorSlice(errs: readonly string[]): string {
  return `[${errs.join(' ')}]`;
}

/** formatApply is apply.go's reporting of the results. */
export function formatApply(r: ApplyResults): CommandOutput {
  if (r.fileError !== undefined) return fail('', `Failed to execute command: ${r.fileError}`);
  if (r.numResources === 0) {
    if (r.error !== undefined) return fail('', r.error);
    return { stdout: 'No resources specified\n', stderr: '', exitStatus: 0 };
  }
  if (r.numHandled === 0) {
    if (r.numResources === 1) return fail('', `Failed to apply '${r.singleKind}' resource: ${goErrorSlice(r.resErrs)}`);
    if (r.singleKind !== '') return fail('', `Failed to apply any '${r.singleKind}' resources: ${goErrorSlice(r.resErrs)}`);
    return fail('', `Failed to apply any resources: ${goErrorSlice(r.resErrs)}`);
  }
  if (r.resErrs.length === 0) {
    const line =
      r.singleKind !== ''
        ? `Successfully applied ${r.numHandled} '${r.singleKind}' resource(s)\n`
        : `Successfully applied ${r.numHandled} resource(s)\n`;
    return { stdout: line, stderr: '', exitStatus: 0 };
  }
  let stdout = '';
  if (r.numHandled - r.resErrs.length > 0) {
    stdout += 'Partial success: ';
    stdout +=
      r.singleKind !== ''
        ? `applied the first ${r.numHandled} out of ${r.numResources} '${r.singleKind}' resources:\n`
        : `applied the first ${r.numHandled} out of ${r.numResources} resources:\n`;
  }
  return fail(stdout, `Hit error(s): ${goErrorSlice(r.resErrs)}`);
}

/** PatchResults is common.CommandResults as patch.go reads it. */
export interface PatchResults {
  readonly error?: string;
  readonly numResources: number;
  readonly numHandled: number;
  readonly singleKind: string;
  readonly resErrs: readonly string[];
}

/** formatPatch is patch.go's reporting of the results. */
export function formatPatch(r: PatchResults): CommandOutput {
  if (r.numResources === 0) return fail('', r.error ?? 'No resources specified');
  let stdout = '';
  if (r.error === undefined && r.numHandled > 0) stdout = `Successfully patched ${r.numHandled} '${r.singleKind}' resource\n`;
  else if (r.error !== undefined) return fail('', `Hit error: ${r.error}`);
  if (r.resErrs.length > 0) {
    const msg = r.resErrs.map((e) => `Failed to patch '${r.singleKind}' resource: ${e}\n`).join('');
    return { stdout, stderr: `${msg}\n`, exitStatus: 1 };
  }
  return { stdout, stderr: '', exitStatus: 0 };
}

/** unsupportedKindError is the error a get/delete/patch of an unknown resource type returns. */
export function unsupportedKindError(kind: string): string {
  return `resource type '${kind}' is not supported`;
}
