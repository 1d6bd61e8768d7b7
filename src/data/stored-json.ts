import { SwitchyardError } from '../errors/switchyard-error.js';

/**
 * JSON text of a value that must come back exactly as it was (a checkpoint, a committed node result, a job's
 * data): `JSON.stringify`, but a value JSON cannot hold — a circular reference, a BigInt, nesting too deep for the
 * stack — is refused with kind 'invalid_output' naming `what`, instead of an untyped error (or a silently cut
 * copy that would later be restored as if it were real).
 * @example storedJson(output, "the output of node 'summary'")
 */
export function storedJson(value: unknown, what: string): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (error) {
    const reason = error instanceof RangeError ? 'it is nested too deeply' : error instanceof Error ? error.message : String(error);
    throw new SwitchyardError({
      kind: 'invalid_output',
      message: `Cannot store ${what} as JSON: ${reason}. Return plain data (objects, arrays, strings, numbers, booleans, null).`,
      cause: error,
    });
  }
  return text ?? 'null';
}
