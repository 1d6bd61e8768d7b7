import { setMaxListeners } from 'node:events';
import { SwitchyardError } from '../errors/switchyard-error.js';

const NOOP = () => {};

/**
 * A tree of abort scopes: run → node → call → attempt. Aborting a scope aborts its descendants. Children are
 * linked in a list through the scopes themselves, and listeners in a list of their own (O(1) to add and remove,
 * one small object per listener), rather than as listeners on an AbortSignal, whose add/remove cost grows with the
 * listener count; and a scope's AbortController is only created when someone reads its `signal`, so a node or
 * attempt that never looks at its signal costs no controller. 10,000 concurrent nodes stay cheap.
 */
export class AbortScope {
  readonly #parent: AbortScope | undefined;
  #controller: AbortController | undefined;
  #aborted = false;
  #reason: unknown;
  /** The first and last children, in the order they were made; siblings link through `#previous` / `#next`. */
  #firstChild: AbortScope | undefined;
  #lastChild: AbortScope | undefined;
  #previous: AbortScope | undefined;
  #next: AbortScope | undefined;
  #linked = false;
  #listeners: Listeners | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #timeoutError: SwitchyardError | undefined;
  /** For a scope made by `fromSignal`: the signal it follows, and the listener to remove on `dispose`. */
  #source: { signal: AbortSignal; listener: () => void } | undefined;

  constructor(parent?: AbortScope) {
    this.#parent = parent;
  }

  /**
   * A root scope that follows an AbortSignal someone else owns (an ensemble candidate's, a caller's): aborted
   * when it aborts, and `signal` is that signal itself. `dispose` stops following it.
   */
  static fromSignal(signal: AbortSignal): AbortScope {
    const scope = new AbortScope();
    if (signal.aborted) {
      scope.abort(signal.reason);
      return scope;
    }
    const listener = () => scope.abort(signal.reason);
    scope.#source = { signal, listener };
    signal.addEventListener('abort', listener, { once: true });
    return scope;
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
    if (this.#source !== undefined) return this.#source.signal;
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
    if (this.#aborted) {
      child.abort(this.#reason);
      return child;
    }
    const last = this.#lastChild;
    if (last === undefined) this.#firstChild = child;
    else last.#next = child;
    child.#previous = last;
    child.#linked = true;
    this.#lastChild = child;
    return child;
  }

  /** Calls `listener` once when the scope aborts (never, when it already has); returns the function that removes it. */
  onAbort(listener: (reason: unknown) => void): () => void {
    const listening = this.watchAbort(listener);
    return () => listening.off();
  }

  /** @internal `onAbort` without a remover closure: `off()` on the result removes the listener. */
  watchAbort(listener: (reason: unknown) => void): AbortListening {
    return new Listening(listener, (this.#listeners ??= new Listeners()));
  }

  /** Aborts this scope and every descendant with `reason`. Idempotent. */
  abort(reason: unknown): void {
    if (this.#aborted) return;
    this.#aborted = true;
    this.#reason = reason;
    this.#controller?.abort(reason);
    const listeners = this.#listeners;
    this.#listeners = undefined;
    // Each child unlinks itself as it aborts (its dispose may run later, or never, from a cancelled await).
    for (let child = this.#firstChild; child !== undefined; child = this.#firstChild) {
      this.#unlink(child);
      child.abort(reason);
    }
    // Each is taken off before it is called; one that another removes first is not called.
    if (listeners) for (let listener = listeners.first; listener !== undefined; listener = listeners.first) {
      listener.off();
      listener.listener(reason);
    }
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

  /** Throws the reason when aborted (as `AbortSignal.throwIfAborted` does). */
  throwIfAborted(): void {
    if (this.#aborted) throw this.#reason;
  }

  /** Unlinks from the parent (or the followed signal) and clears the timer. */
  dispose(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    const source = this.#source;
    if (source !== undefined) source.signal.removeEventListener('abort', source.listener);
    if (this.#linked) this.#parent!.#unlink(this);
  }

  #unlink(child: AbortScope): void {
    const previous = child.#previous;
    const next = child.#next;
    if (previous === undefined) this.#firstChild = next;
    else previous.#next = next;
    if (next === undefined) this.#lastChild = previous;
    else next.#previous = previous;
    child.#previous = child.#next = undefined;
    child.#linked = false;
  }
}

/** A `watchAbort` registration: `off()` removes it (idempotent). */
export interface AbortListening {
  off(): void;
}

/** A scope's listeners, in the order they were added. */
class Listeners {
  first: Listening | undefined;
  last: Listening | undefined;
}

/** One listener, linked into its scope's list (removed in O(1), nothing else allocated). */
class Listening implements AbortListening {
  #previous: Listening | undefined;
  #next: Listening | undefined;
  /** The list it is in; undefined once removed. */
  #list: Listeners | undefined;

  constructor(
    readonly listener: (reason: unknown) => void,
    list: Listeners,
  ) {
    this.#list = list;
    const last = list.last;
    if (last === undefined) list.first = this;
    else last.#next = this;
    this.#previous = last;
    list.last = this;
  }

  off(): void {
    const list = this.#list;
    if (list === undefined) return;
    this.#list = undefined;
    const previous = this.#previous;
    const next = this.#next;
    if (previous === undefined) list.first = next;
    else previous.#next = next;
    if (next === undefined) list.last = previous;
    else next.#previous = previous;
    this.#previous = this.#next = undefined;
  }
}

/**
 * What the engine hands out with a `signal` (a node's options, a map item's, a provider call): the scope's
 * AbortSignal, made only when `signal` is read.
 */
export class WithLazySignal {
  readonly #scope: AbortScope;

  constructor(scope: AbortScope) {
    this.#scope = scope;
  }

  get signal(): AbortSignal {
    return this.#scope.signal;
  }

  /** Whether the scope was aborted, without making its signal. */
  get aborted(): boolean {
    return this.#scope.aborted;
  }

  /**
   * @internal Calls `listener` with the reason once when the scope aborts, without making its signal: for code of
   * this package that watches a call for cancellation (simulated()'s waits, the adapters' stream guard: see
   * `watchCancel`), where an AbortSignal and its listener would be a large share of what the call holds and costs.
   */
  watchAbort(listener: (reason: unknown) => void): AbortListening {
    return this.#scope.watchAbort(listener);
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
    const listening = scope.watchAbort((reason) => {
      work.catch(NOOP);
      reject(reason);
    });
    work.then(
      (value) => {
        listening.off();
        resolve(value);
      },
      (error) => {
        listening.off();
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
