/**
 * Something with a deadline, watched by `Deadlines`: `due()` says when (performance.now() ms), `expire()` is called
 * once it has passed. Entries link into the watch list themselves (no allocation to add or remove one).
 */
export abstract class Deadline {
  /** @internal The watch list's links. */
  previous: Deadline | undefined;
  /** @internal */
  next: Deadline | undefined;
  /** @internal Whether the entry is in a watch list. */
  watched = false;

  /**
   * When it expires now. It may move later between checks (an idle watchdog moves it on every event); when it moves
   * earlier, `movedEarlier` must be told.
   */
  abstract due(): number;
  /** Called once, when `due()` has passed; the entry is removed first. */
  abstract expire(): void;
}

/** Where `Deadlines` reads the time and sets its timer: a `Clock` (a `ManualClock` in tests), or the process's own. */
interface DeadlineClock {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** performance.now() and the global timers, which need not keep the process alive when nothing is watched. */
const PROCESS_CLOCK: DeadlineClock = {
  now: () => performance.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/**
 * Deadlines watched by one timer for the whole process, armed for the earliest of them. An attempt has one (its
 * `attemptTimeoutMs` and its idle watchdog together); adding and removing it is a list link, where a timer per
 * attempt would be a timer-list insert and removal, which at thousands of calls a second is a visible share of
 * the engine's time. A deadline that moved later is found on the next check and waited for again, so each fires
 * when it really passed, as its own timer would.
 */
export class Deadlines {
  #first: Deadline | undefined;
  #timer: unknown;
  /** When the timer fires (Infinity: not armed). */
  #armedFor = Infinity;
  readonly #clock: DeadlineClock;

  /** @param clock where time is read and the timer set; the process's `performance.now()` and timers by default */
  constructor(clock: DeadlineClock = PROCESS_CLOCK) {
    this.#clock = clock;
  }

  /** The time as this watch list reads it (`due()` values are on this scale). */
  now(): number {
    return this.#clock.now();
  }

  /** Whether times are `performance.now()` values (so a reading shared with other code may stand in for one). */
  get onProcessClock(): boolean {
    return this.#clock === PROCESS_CLOCK;
  }

  add(entry: Deadline): void {
    if (entry.watched) return;
    entry.watched = true;
    entry.previous = undefined;
    entry.next = this.#first;
    if (this.#first !== undefined) this.#first.previous = entry;
    this.#first = entry;
    const due = entry.due();
    if (due < this.#armedFor) this.#arm(due);
    else this.#ref(true);
  }

  /** The entry's deadline moved earlier (a later one is found by the next check on its own). */
  movedEarlier(entry: Deadline): void {
    if (!entry.watched) return;
    const due = entry.due();
    if (due < this.#armedFor) this.#arm(due);
  }

  delete(entry: Deadline): void {
    if (!entry.watched) return;
    entry.watched = false;
    const { previous, next } = entry;
    if (previous === undefined) this.#first = next;
    else previous.next = next;
    if (next !== undefined) next.previous = previous;
    entry.previous = entry.next = undefined;
    // Nothing left to watch: the timer must not keep the process alive (it finds nothing when it fires).
    if (this.#first === undefined) this.#ref(false);
  }

  /** Whether the armed timer keeps the process alive (only the process clock's timers can say). */
  #ref(keep: boolean): void {
    const timer = this.#timer as { ref?(): void; unref?(): void } | undefined;
    if (keep) timer?.ref?.();
    else timer?.unref?.();
  }

  #arm(due: number): void {
    if (this.#timer !== undefined) this.#clock.clearTimeout(this.#timer);
    this.#armedFor = due;
    this.#timer = this.#clock.setTimeout(() => this.#check(), Math.max(0, due - this.#clock.now()));
  }

  #check(): void {
    this.#timer = undefined;
    this.#armedFor = Infinity;
    const now = this.#clock.now();
    const expired: Deadline[] = [];
    let next = Infinity;
    for (let entry = this.#first; entry !== undefined; entry = entry.next) {
      const due = entry.due();
      if (due <= now) expired.push(entry);
      else if (due < next) next = due;
    }
    if (next < Infinity) this.#arm(next);
    for (const entry of expired) {
      this.delete(entry);
      entry.expire();
    }
  }
}

/** The process's deadlines (attempt time limits and watchdogs), on `performance.now()`. */
export const deadlines = new Deadlines();
