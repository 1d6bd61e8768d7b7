import { emptyList } from '../data/empty-list.js';
import type { RunEvent } from './events.js';

const DONE: IteratorReturnResult<undefined> = Object.freeze({ done: true, value: undefined });
/** Events per buffer chunk. */
const CHUNK = 1024;

/** A piece of the buffer: events in arrival order, then the chunk after it. */
interface Chunk {
  events: RunEvent[];
  next: Chunk | undefined;
}

const newChunk = (): Chunk => ({ events: [], next: undefined });

/**
 * One async-iterating consumer of a run's events. Events are buffered until read; a consumer waiting for
 * events is woken once per batch (the first event resolves its pending `next()`, the rest of the batch is
 * read from the buffer without waiting). The buffer is a list of small chunks, let go of as they are read: one
 * array of every unread event would be copied as it grows, and on a fast stream it holds hundreds of thousands.
 */
export class EventConsumer implements AsyncIterableIterator<RunEvent> {
  /** The chunk being read, from `#read` on; the chunks after it; the last one, being written. */
  #first: Chunk = newChunk();
  #last: Chunk = this.#first;
  #read = 0;
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
      let last = this.#last;
      if (last.events.length === CHUNK) last = this.#last = last.next = newChunk();
      last.events.push(event);
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
    let first = this.#first;
    if (this.#read === first.events.length && first.next !== undefined) {
      first = this.#first = first.next;
      this.#read = 0;
    }
    if (this.#read < first.events.length) {
      const value = first.events[this.#read++]!;
      if (this.#read === first.events.length && first.next === undefined) {
        emptyList(first.events);
        this.#read = 0;
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
    this.#first = this.#last = newChunk();
    this.#read = 0;
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
