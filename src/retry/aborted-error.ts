import { SwitchyardError } from '../errors/switchyard-error.js';

/**
 * The error a wait rejects with when its signal aborts: the signal's reason when that is already a
 * SwitchyardError (a deadline, say, aborting with kind 'timeout'), else a SwitchyardError of kind 'aborted'.
 */
export function abortedError(signal: AbortSignal | undefined, waitingFor: string): SwitchyardError {
  const reason: unknown = signal?.reason;
  if (SwitchyardError.isInstance(reason)) return reason;
  return new SwitchyardError({ kind: 'aborted', message: `Cancelled while waiting for ${waitingFor}.`, cause: reason });
}
