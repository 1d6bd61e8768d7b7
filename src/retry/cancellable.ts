/**
 * What a wait needs of a cancellation: a cheap check, and an AbortSignal to listen on. An AbortScope fits, and
 * makes its signal only when a wait reads it, so a call that never waits makes none.
 */
export interface Cancellable {
  readonly aborted: boolean;
  readonly signal: AbortSignal;
}
