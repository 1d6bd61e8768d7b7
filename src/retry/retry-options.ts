import { SwitchyardError, type ErrorKind } from '../errors/switchyard-error.js';
import type { RetryDecider } from './retry-decision.js';

/**
 * What a failed attempt leads to, by error kind:
 * - `'retry'`: wait (backoff, or Retry-After) and try the same candidate again while it has attempts left and
 *   the retry budget allows; then fail over to the next candidate.
 * - `'next-endpoint'`: try the same model on another endpoint at once when one is in the candidate list;
 *   otherwise as `'retry'`.
 * - `'failover'`: move at once to the next candidate that can succeed where this one cannot (a larger window
 *   after `context_length`, another model vendor after `content_filter`, another endpoint after `auth`/`quota`);
 *   stop when there is none.
 * - `'stop'`: fail the call with this error.
 */
export type ErrorAction = 'retry' | 'next-endpoint' | 'failover' | 'stop';

/** The default decision table. Kinds not listed stop. */
export const defaultErrorActions: Readonly<Partial<Record<ErrorKind, ErrorAction>>> = Object.freeze({
  rate_limit: 'retry',
  server: 'retry',
  timeout: 'retry',
  network: 'retry',
  overloaded: 'next-endpoint',
  context_length: 'failover',
  content_filter: 'failover',
  auth: 'failover',
  quota: 'failover',
  bad_request: 'stop',
  aborted: 'stop',
  budget_exceeded: 'stop',
});

/** Retry and failover policy: an instance default, overridable per node. */
export interface RetryOptions {
  /**
   * Most attempts on one candidate (model × endpoint), the first included. Failover to the next candidate
   * starts a new count.
   * @default 3
   */
  maxAttempts?: number;
  /**
   * Backoff base: the n-th retry waits a random time in `[0, min(maxDelayMs, baseDelayMs * 2^n))`.
   * @default 500
   */
  baseDelayMs?: number;
  /**
   * Longest backoff delay.
   * @default 30_000
   */
  maxDelayMs?: number;
  /**
   * Longest Retry-After honoured. A provider asking for a longer wait makes the call fail over to another
   * endpoint at once (or stop when there is none) instead of waiting.
   * @default 60_000
   */
  retryAfterCapMs?: number;
  /**
   * Abort an attempt that has not finished after this long (it then counts as a `timeout`). The clock starts when
   * the request is about to be sent (after the provider's SDK is loaded).
   * @default 10 minutes plus 50 ms per output token the attempt may produce (its `maxOutputTokens` as sent): a
   * stream slower than 20 tokens a second after a 10-minute start is not a healthy one
   * @example 120_000
   */
  attemptTimeoutMs?: number;
  /**
   * Abort an attempt when its stream has not sent its first event (text, a tool call, usage or the finish) this
   * long after the request went out: connection setup, queueing at the provider and a reasoning model's thinking
   * before its first token all count here, not toward `idleTimeoutMs`.
   * @default 300_000 (reasoning models may think for minutes before their first token)
   * @example 60_000
   */
  firstTokenTimeoutMs?: number;
  /**
   * Abort an attempt whose stream, once it has started, sends nothing for this long (a hung connection): the
   * longest gap between two events. Time before the first event is `firstTokenTimeoutMs`'s; loading the SDK and
   * building its client count toward neither.
   * @default 120_000
   * @example 30_000
   */
  idleTimeoutMs?: number;
  /**
   * Overall limit for a call, all attempts, waits and failovers included. No retry is scheduled that would end
   * after it.
   * @default no limit
   */
  deadlineMs?: number;
  /**
   * Overrides of the decision table by error kind, merged over `defaultErrorActions`.
   * @example { content_filter: 'stop', server: 'next-endpoint' }
   */
  actions?: Partial<Record<ErrorKind, ErrorAction>>;
  /**
   * Your own decision: called with the error, the state and the decision the table made; return a decision to
   * replace it, or undefined to keep it.
   */
  decide?: RetryDecider;
  /**
   * Source of randomness for backoff jitter, in [0, 1).
   * @default Math.random
   */
  random?: () => number;
}

/** `RetryOptions` with every default applied. */
export interface ResolvedRetryOptions {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  retryAfterCapMs: number;
  attemptTimeoutMs?: number;
  firstTokenTimeoutMs: number;
  idleTimeoutMs: number;
  deadlineMs?: number;
  actions: Readonly<Partial<Record<ErrorKind, ErrorAction>>>;
  decide?: RetryDecider;
  random: () => number;
}

const DEFAULTS = { maxAttempts: 3, baseDelayMs: 500, maxDelayMs: 30_000, retryAfterCapMs: 60_000, firstTokenTimeoutMs: 300_000, idleTimeoutMs: 120_000 };

/**
 * Merges option layers (instance default first, node override last) over the defaults and checks them.
 * Throws `invalid_config` for a value that cannot work.
 */
export function resolveRetryOptions(...layers: Array<RetryOptions | undefined>): ResolvedRetryOptions {
  const merged: RetryOptions = {};
  let actions: Partial<Record<ErrorKind, ErrorAction>> = { ...defaultErrorActions };
  for (const layer of layers) {
    if (!layer) continue;
    for (const [key, value] of Object.entries(layer)) if (value !== undefined) (merged as Record<string, unknown>)[key] = value;
    if (layer.actions) actions = { ...actions, ...layer.actions };
  }
  const resolved: ResolvedRetryOptions = {
    maxAttempts: merged.maxAttempts ?? DEFAULTS.maxAttempts,
    baseDelayMs: merged.baseDelayMs ?? DEFAULTS.baseDelayMs,
    maxDelayMs: merged.maxDelayMs ?? DEFAULTS.maxDelayMs,
    retryAfterCapMs: merged.retryAfterCapMs ?? DEFAULTS.retryAfterCapMs,
    attemptTimeoutMs: merged.attemptTimeoutMs,
    firstTokenTimeoutMs: merged.firstTokenTimeoutMs ?? DEFAULTS.firstTokenTimeoutMs,
    idleTimeoutMs: merged.idleTimeoutMs ?? DEFAULTS.idleTimeoutMs,
    deadlineMs: merged.deadlineMs,
    actions: Object.freeze(actions),
    decide: merged.decide,
    random: merged.random ?? Math.random,
  };
  validate(resolved);
  return resolved;
}

function validate(options: ResolvedRetryOptions): void {
  if (!Number.isInteger(options.maxAttempts) || options.maxAttempts < 1) {
    invalid(`retry.maxAttempts must be an integer >= 1 (1 means no retry); got ${options.maxAttempts}.`);
  }
  const durations = ['baseDelayMs', 'maxDelayMs', 'retryAfterCapMs', 'attemptTimeoutMs', 'firstTokenTimeoutMs', 'idleTimeoutMs', 'deadlineMs'] as const;
  for (const key of durations) {
    const value = options[key];
    if (value !== undefined && (!Number.isFinite(value) || value < 0)) invalid(`retry.${key} must be a number of ms >= 0; got ${value}.`);
  }
  for (const [kind, action] of Object.entries(options.actions)) {
    if (!['retry', 'next-endpoint', 'failover', 'stop'].includes(action as string)) {
      invalid(`retry.actions.${kind} must be 'retry', 'next-endpoint', 'failover' or 'stop'; got ${String(action)}.`);
    }
  }
}

function invalid(message: string): never {
  throw new SwitchyardError({ kind: 'invalid_config', message });
}
