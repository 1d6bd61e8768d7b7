import { setMaxListeners } from 'node:events';
import { SwitchyardError } from '../errors/switchyard-error.js';

const NOOP = () => {};

/**
 * A tree of abort scopes: run → node → map item. Aborting a scope aborts its descendants. Children and
 * listeners are linked through Sets (O(1) to add and remove) rather than as listeners on an AbortSignal, whose
 * add/remove cost grows with the listener count; and a scope's AbortController is only created when someone
 * reads its `signal`, so a step that never looks at its signal costs no controller. 10,000 concurrent nodes
 * stay cheap.
 */
export class AbortScope {
  readonly #parent: AbortScope | undefined;
  #controller: AbortController | undefined;
  #aborted = false;
  #reason: unknown;
  #children: Set<AbortScope> | undefined;
  #listeners: Set<(reason: unknown) => void> | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #timeoutError: SwitchyardError | undefined;

  constructor(parent?: AbortScope) {
    this.#parent = parent;
  }

  get aborted(): boolean {
    return this.#aborted;
  }

  /** Why the scope was aborted. */
  get reason(): unknown {
    return this.#reason;
  }

  /** An AbortSignal that follows this scope (created on first read). */
  get signal(): AbortSignal {
    if (this.#controller === undefined) {
      this.#controller = new AbortController();
      // The run's signal is shared by the call runner's per-run machinery; it may gather many listeners.
      if (this.#parent === undefined) setMaxListeners(0, this.#controller.signal);
      if (this.#aborted) this.#controller.abort(this.#reason);
    }
    return this.#controller.signal;
  }

  /** A child scope, aborted with this one (at once if this one is already aborted). */
  child(): AbortScope {
    const child = new AbortScope(this);
    if (this.#aborted) child.abort(this.#reason);
    else (this.#children ??= new Set()).add(child);
    return child;
  }

  /** Calls `listener` once when the scope aborts; returns the function that removes it. */
  onAbort(listener: (reason: unknown) => void): () => void {
    const listeners = (this.#listeners ??= new Set());
    listeners.add(listener);
    return () => listeners.delete(listener);
  }

  /** Aborts this scope and every descendant with `reason`. Idempotent. */
  abort(reason: unknown): void {
    if (this.#aborted) return;
    this.#aborted = true;
    this.#reason = reason;
    this.#controller?.abort(reason);
    const children = this.#children;
    const listeners = this.#listeners;
    this.#children = this.#listeners = undefined;
    if (children) for (const child of children) child.abort(reason);
    if (listeners) for (const listener of listeners) listener(reason);
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
 * Settles with `work`, or rejects with the scope's reason as soon as it aborts, so callbacks that ignore their
 * signal cannot hold a cancelled run open.
 */
export function raceAbort<T>(work: Promise<T>, scope: AbortScope): Promise<T> {
  if (scope.aborted) {
    work.catch(NOOP);
    return Promise.reject(scope.reason);
  }
  return new Promise<T>((resolve, reject) => {
    const off = scope.onAbort((reason) => {
      work.catch(NOOP);
      reject(reason);
    });
    work.then(
      (value) => {
        off();
        resolve(value);
      },
      (error) => {
        off();
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
