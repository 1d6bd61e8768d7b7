import type { RunEvent } from './events.js';

const DONE: IteratorReturnResult<undefined> = Object.freeze({ done: true, value: undefined });
const COMPACT_AT = 4096;

/**
 * One async-iterating consumer of a run's events. Events are buffered until read; a consumer waiting for
 * events is woken once per batch (the first event resolves its pending `next()`, the rest of the batch is
 * read from the buffer without waiting).
 */
export class EventConsumer implements AsyncIterableIterator<RunEvent> {
  #buffer: RunEvent[] = [];
  #head = 0;
  #wake: ((result: IteratorResult<RunEvent>) => void) | undefined;
  #fail: ((error: unknown) => void) | undefined;
  #ended = false;
  #error: unknown;
  readonly #detach: (consumer: EventConsumer) => void;

  constructor(detach: (consumer: EventConsumer) => void) {
    this.#detach = detach;
  }

  /** Hands one event to the consumer (called by the hub). */
  push(event: RunEvent): void {
    const wake = this.#wake;
    if (wake) {
      this.#wake = this.#fail = undefined;
      wake({ done: false, value: event });
    } else {
      this.#buffer.push(event);
    }
  }

  /** No more events: the consumer drains its buffer, then ends (or throws `error`). */
  end(error?: unknown): void {
    this.#ended = true;
    this.#error = error;
    const wake = this.#wake;
    const fail = this.#fail;
    this.#wake = this.#fail = undefined;
    if (error !== undefined) fail?.(error);
    else wake?.(DONE);
  }

  next(): Promise<IteratorResult<RunEvent>> {
    const buffer = this.#buffer;
    if (this.#head < buffer.length) {
      const value = buffer[this.#head++]!;
      if (this.#head === buffer.length) {
        buffer.length = 0;
        this.#head = 0;
      } else if (this.#head >= COMPACT_AT && this.#head * 2 >= buffer.length) {
        buffer.splice(0, this.#head);
        this.#head = 0;
      }
      return Promise.resolve({ done: false, value });
    }
    if (this.#ended) return this.#error === undefined ? Promise.resolve(DONE) : Promise.reject(this.#error);
    return new Promise((resolve, reject) => {
      this.#wake = resolve;
      this.#fail = reject;
    });
  }

  /** Called by `break`/`return` in a for-await loop: detaches this consumer only; the run goes on. */
  return(): Promise<IteratorResult<RunEvent>> {
    this.#ended = true;
    this.#buffer = [];
    this.#head = 0;
    this.#detach(this);
    const wake = this.#wake;
    this.#wake = this.#fail = undefined;
    wake?.(DONE);
    return Promise.resolve(DONE);
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}
