/**
 * The outcomes of the calls made in the last `windowMs`, oldest first, with running counts: adding one, dropping
 * those that left the window and reading the failure rate are O(1) (amortized). A circuit sees every call of its
 * endpoint × model — thousands a second on a busy one — so the window keeps two numbers per call (its time and
 * whether it failed) in flat arrays, rather than an object per call that a filter copies on every prune.
 */
export class OutcomeWindow {
  #at: number[] = [];
  #failed: boolean[] = [];
  /** Index of the oldest outcome still in the window; those before it left and wait to be compacted away. */
  #head = 0;
  #failures = 0;

  constructor(private readonly windowMs: number) {}

  /** Outcomes in the window. */
  get calls(): number {
    return this.#at.length - this.#head;
  }

  /** Failed outcomes in the window. */
  get failures(): number {
    return this.#failures;
  }

  /** Adds an outcome at `now` (times never go backwards), then drops the outcomes at or before `now - windowMs`. */
  add(now: number, failed: boolean): void {
    this.#at.push(now);
    this.#failed.push(failed);
    if (failed) this.#failures++;
    this.#prune(now - this.windowMs);
  }

  /** Forgets every outcome. */
  clear(): void {
    this.#at = [];
    this.#failed = [];
    this.#head = 0;
    this.#failures = 0;
  }

  #prune(from: number): void {
    const at = this.#at;
    while (this.#head < at.length && at[this.#head]! <= from) {
      if (this.#failed[this.#head]) this.#failures--;
      this.#head++;
    }
    // Compact once the dropped part is the larger one: each outcome is moved O(1) times over its life.
    if (this.#head > 64 && this.#head * 2 > at.length) {
      at.splice(0, this.#head);
      this.#failed.splice(0, this.#head);
      this.#head = 0;
    }
  }
}
