/** Something with a deadline: `due()` says when (performance.now() ms), `expire()` is called once it has passed. */
export interface Deadline {
  /** When it expires now; may move later between checks (an idle watchdog moves it on every event). */
  due(): number;
  /** Called once, when `due()` has passed; it is removed first. */
  expire(): void;
}

/**
 * Deadlines watched by one timer for the whole process, armed for the earliest of them. An attempt has two (its
 * `attemptTimeoutMs` and its idle watchdog); adding and removing one is a Set operation, where a timer each
 * would be a timer-list insert and removal per attempt, which at thousands of calls a second is a visible share
 * of the engine's time. A deadline that moved later is found on the next check and waited for again, so each
 * fires when it really passed, as its own timer would.
 */
export class Deadlines {
  readonly #entries = new Set<Deadline>();
  #timer: ReturnType<typeof setTimeout> | undefined;
  /** When the timer fires (Infinity: not armed). */
  #armedFor = Infinity;

  add(entry: Deadline): void {
    this.#entries.add(entry);
    const due = entry.due();
    if (due < this.#armedFor) this.#arm(due);
    else this.#timer?.ref();
  }

  delete(entry: Deadline): void {
    this.#entries.delete(entry);
    // Nothing left to watch: the timer must not keep the process alive (it finds nothing when it fires).
    if (this.#entries.size === 0) this.#timer?.unref();
  }

  #arm(due: number): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#armedFor = due;
    this.#timer = setTimeout(() => this.#check(), Math.max(0, due - performance.now()));
  }

  #check(): void {
    this.#timer = undefined;
    this.#armedFor = Infinity;
    const now = performance.now();
    let next = Infinity;
    for (const entry of this.#entries) {
      const due = entry.due();
      if (due <= now) {
        this.#entries.delete(entry);
        entry.expire();
      } else if (due < next) {
        next = due;
      }
    }
    if (next < Infinity && this.#entries.size > 0) this.#arm(next);
  }
}

/** The process's deadlines (attempt timeouts and idle watchdogs). */
export const deadlines = new Deadlines();
