import { setMaxListeners } from 'node:events';
import { SwitchyardError } from '../errors/switchyard-error.js';

const NOOP = () => {};

/**
 * A tree of abort controllers: run → node → map item. Aborting a scope aborts its descendants. Children are
 * linked through a Set (O(1) to add and remove) rather than as listeners on the parent's AbortSignal, whose
 * add/remove cost grows with the listener count: with one signal per node, 10,000 concurrent nodes stay cheap.
 */
export class AbortScope {
  readonly #controller = new AbortController();
  readonly #parent: AbortScope | undefined;
  #children: Set<AbortScope> | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #timeoutError: SwitchyardError | undefined;

  constructor(parent?: AbortScope) {
    this.#parent = parent;
    setMaxListeners(0, this.#controller.signal);
  }

  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** A child scope, aborted with this one (at once if this one is already aborted). */
  child(): AbortScope {
    const child = new AbortScope(this);
    if (this.signal.aborted) child.abort(this.signal.reason);
    else (this.#children ??= new Set()).add(child);
    return child;
  }

  /** Aborts this scope and every descendant with `reason`. Idempotent. */
  abort(reason: unknown): void {
    if (this.signal.aborted) return;
    this.#controller.abort(reason);
    const children = this.#children;
    this.#children = undefined;
    if (children) for (const child of children) child.abort(reason);
  }

  /** Aborts this scope with a 'timeout' error after `ms` (cleared by `dispose`). */
  timeout(ms: number, what: string): void {
    this.#timer = setTimeout(() => {
      this.#timeoutError = new SwitchyardError({
        kind: 'timeout',
        retryable: false,
        message: `${what} timed out after ${ms} ms; raise its timeoutMs or make it faster.`,
      });
      this.abort(this.#timeoutError);
    }, ms);
  }

  /** The timeout error, once this scope's own timeout fired. */
  get timedOut(): SwitchyardError | undefined {
    return this.#timeoutError;
  }

  /** Unlinks from the parent and clears the timer. */
  dispose(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    const parent = this.#parent;
    if (parent !== undefined) parent.#children?.delete(this);
  }
}

/**
 * Settles with `work`, or rejects with the signal's reason as soon as the signal aborts, so callbacks that
 * ignore their signal cannot hold a cancelled run open.
 */
export function raceAbort<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    work.catch(NOOP);
    return Promise.reject(signal.reason);
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => {
      work.catch(NOOP);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/** Calls a user callback and turns a synchronous throw into a rejection. */
export function invoke<T>(fn: () => T | Promise<T>): Promise<T> {
  try {
    return Promise.resolve(fn());
  } catch (error) {
    return Promise.reject(error);
  }
}
