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

  /** When it expires now; may move later between checks (an idle watchdog moves it on every event). */
  abstract due(): number;
  /** Called once, when `due()` has passed; the entry is removed first. */
  abstract expire(): void;
}

/**
 * Deadlines watched by one timer for the whole process, armed for the earliest of them. An attempt has one (its
 * `attemptTimeoutMs` and its idle watchdog together); adding and removing it is a list link, where a timer per
 * attempt would be a timer-list insert and removal, which at thousands of calls a second is a visible share of
 * the engine's time. A deadline that moved later is found on the next check and waited for again, so each fires
 * when it really passed, as its own timer would.
 */
export class Deadlines {
  #first: Deadline | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  /** When the timer fires (Infinity: not armed). */
  #armedFor = Infinity;

  add(entry: Deadline): void {
    if (entry.watched) return;
    entry.watched = true;
    entry.previous = undefined;
    entry.next = this.#first;
    if (this.#first !== undefined) this.#first.previous = entry;
    this.#first = entry;
    const due = entry.due();
    if (due < this.#armedFor) this.#arm(due);
    else this.#timer?.ref();
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
    if (this.#first === undefined) this.#timer?.unref();
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

/** The process's deadlines (attempt timeouts and idle watchdogs). */
export const deadlines = new Deadlines();
