import type { SwitchyardError } from '../errors/index.js';
import type { ModelEvent } from '../models/types.js';

/**
 * Text chunks that stream one after another with nothing in between (no pacing, no fault): the simulated reply's
 * generator yields one `TextRun` and `ReplyStream` hands the chunks out itself.
 */
export class TextRun {
  constructor(
    readonly chunks: readonly string[],
    /** Chunks `0 .. end - 1` are served. */
    readonly end: number,
    /** Called before chunk `i` is served: an error ends the stream with it (a cancelled call), else the chunk counts as sent. */
    readonly sending: (i: number) => SwitchyardError | undefined,
  ) {}
}

/**
 * A simulated reply's stream: the events of an async generator, except the chunks of a `TextRun`, which are served
 * from here as already-resolved promises. An async generator's `yield` costs two microtask turns and about five
 * allocations per event; a benchmark's stream is almost all such chunks. Failing (`throw`) or leaving early
 * (`return`) goes to the generator, which is suspended at the run's `yield`, so its `catch` and `finally` see them.
 */
export class ReplyStream implements AsyncIterableIterator<ModelEvent> {
  readonly #source: AsyncGenerator<ModelEvent | TextRun, void>;
  #run: TextRun | undefined;
  #next = 0;

  constructor(source: AsyncGenerator<ModelEvent | TextRun, void>) {
    this.#source = source;
  }

  next(): Promise<IteratorResult<ModelEvent>> {
    const run = this.#run;
    if (run !== undefined && this.#next < run.end) {
      const i = this.#next++;
      const error = run.sending(i);
      if (error !== undefined) return this.throw(error);
      return Promise.resolve({ done: false, value: { type: 'text-delta', text: run.chunks[i]! } });
    }
    this.#run = undefined;
    return this.#step(this.#source.next());
  }

  /** The consumer stopped reading. */
  return(): Promise<IteratorResult<ModelEvent>> {
    this.#run = undefined;
    return this.#step(this.#source.return(undefined));
  }

  throw(error: unknown): Promise<IteratorResult<ModelEvent>> {
    this.#run = undefined;
    return this.#step(this.#source.throw(error));
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  /** The generator's next event; a `TextRun` starts serving its chunks. */
  #step(step: Promise<IteratorResult<ModelEvent | TextRun, void>>): Promise<IteratorResult<ModelEvent>> {
    return step.then((result) => {
      if (result.done || !(result.value instanceof TextRun)) return result as IteratorResult<ModelEvent>;
      this.#run = result.value;
      this.#next = 0;
      return this.next();
    });
  }
}
