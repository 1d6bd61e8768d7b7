import { SwitchyardError } from '../errors/switchyard-error.js';
import { emptyList } from '../data/empty-list.js';
import type { ModelEvent } from '../models/types.js';
import type { CallContext } from './call-context.js';
import type { AbortListening } from '../call/abort-scope.js';
import { callCancelled, watchCancel } from './call-cancel.js';
import { abortedError, toSwitchyardError } from './http-error.js';
import { MIN_CONTENT_SECRET_LENGTH, SecretRedactor, type TextStreamRedactor } from './redact.js';
import type { ProviderCall } from './types.js';

/** The call context minus the parts the guard creates (signal, abort state). */
export type CallContextBase = Omit<CallContext, 'signal' | 'callerAborted'>;

/**
 * How an adapter reads its SDK's stream: chunk by chunk, synchronously, into events. The guard pulls the chunks;
 * the adapter's code runs once per chunk with no async layer of its own (an async generator per adapter cost a few
 * allocations and microtask turns per chunk, on every streamed call: docs/benchmarks.md, section 7).
 */
export interface StreamReader<C> {
  /** The SDK's stream of chunks (the request is already sent). */
  readonly chunks: AsyncIterable<C>;
  /**
   * Adds the events of one chunk to `out`. Returns true once the reply is complete: nothing after this chunk is
   * read (the SDK's stream is closed). May throw (a malformed chunk): what it added to `out` first still streams.
   */
  read(chunk: C, out: ModelEvent[]): boolean;
  /**
   * The stream is over (ended, or `read` said complete) after `chunks` chunks: adds the closing events to `out`
   * (tool calls, state, usage, then exactly one `finish`), or throws the right error (see `finishedOrThrow`).
   */
  end(out: ModelEvent[], chunks: number): void;
  /** The error to raise for one the SDK's stream (or `read`) threw; the error itself when not given. */
  failure?(error: unknown): unknown;
}

/**
 * Runs one adapter stream under the contract every provider keeps:
 * - the HTTP request is aborted when the caller aborts (`call.signal` or `request.signal`) and when the consumer
 *   stops reading (the loop breaks, or an error is thrown), through an internal controller aborted when the stream
 *   ends in any way; a reply complete before the end of its body (the reader says so) is handed out at once, and the
 *   rest of the body is read in the background, so the connection is kept for the next call (see `drainRest`);
 * - every failure leaves as a `SwitchyardError` (SDK errors mapped);
 * - the endpoint's secrets (its configured key, in every form: see `secretForms`) are removed from every string
 *   that leaves: error messages, request ids, causes and codes, and — for keys of 16 characters or more, which
 *   every real API key is — streamed text (even split across deltas) and tool calls;
 * - the stream ends with exactly one `finish`, or throws.
 *
 * `open` sends the request and returns the reader of its stream; it may throw (a missing key, an HTTP error).
 */
export function guardedStream<C>(
  call: ProviderCall,
  base: CallContextBase,
  open: (ctx: CallContext) => Promise<StreamReader<C>>,
): AsyncIterableIterator<ModelEvent> {
  return new GuardedStream(call, base, open);
}

const DONE: IteratorReturnResult<undefined> = Object.freeze({ done: true, value: undefined });

/** The two redactors of an endpoint's secrets, made once per secrets array (an endpoint's, for its lifetime). */
interface Redactors {
  /** For errors: every secret of 4 characters or more. */
  errors: SecretRedactor;
  /** For the model's own output: secrets of 16 characters or more (see `MIN_CONTENT_SECRET_LENGTH`). */
  content: SecretRedactor;
}
const redactorsBySecrets = new WeakMap<readonly string[], Redactors>();

function redactorsFor(secrets: readonly string[]): Redactors {
  let redactors = redactorsBySecrets.get(secrets);
  if (redactors === undefined) {
    redactors = { errors: new SecretRedactor(secrets), content: new SecretRedactor(secrets, MIN_CONTENT_SECRET_LENGTH) };
    redactorsBySecrets.set(secrets, redactors);
  }
  return redactors;
}

type Step = IteratorResult<ModelEvent> | Promise<IteratorResult<ModelEvent>>;

/**
 * Once a stream is over before the end of its body (closed early, or failed), its request is let go: the SDK's
 * stream is closed and the guard's own signal aborted (a body read to its end needs neither). The SDK's request
 * objects (fetch's among them) outlive the call until a full GC, and they keep that signal, its reason, and an
 * AbortError the SDK makes on the way. An AbortError's stack trace keeps the frames it names; made inside the
 * promise chain the engine awaits, it would name the engine's frames, and every call's whole run would outlive it
 * too, promoted to the old generation. So the guard aborts with one reason made at load, and lets go from a
 * microtask of its own (see `detached`), where a stack trace names the SDK's frames only.
 */
const STREAM_OVER = new DOMException('The reply stream is over; its request is no longer needed.', 'AbortError');

/**
 * Runs `release` in a microtask of its own and settles as it does. The caller's promise is settled from plain
 * callbacks: an async stack trace follows a promise's own resolve function into the promise it settles, but not a
 * plain callback, so nothing made during the release names the caller's frames.
 */
function detached(release: () => Promise<void>): Promise<void> {
  return new Promise((resolve, reject) => {
    queueMicrotask(() => {
      release().then(
        () => resolve(),
        (error: unknown) => reject(error),
      );
    });
  });
}

/** How long, and for how many more chunks, the rest of a complete reply's stream is read (see `drainRest`). */
const DRAIN_MS = 2_000;
const DRAIN_CHUNKS = 16;

/**
 * Reads the rest of an SDK stream whose reply is complete (its final event came before the end of the HTTP body),
 * dropping what it reads, until the body ends; then lets the request go. Cutting the request instead would close
 * its connection (fetch cannot return a socket to its pool with a body half read), and the next call to the endpoint
 * would pay a new TCP and TLS handshake. A server that sends more than `DRAIN_CHUNKS` chunks after the reply, or
 * holds the body open for `DRAIN_MS`, is cut. Runs detached (see `STREAM_OVER`): a plain function of its two
 * arguments, so an error made on the way names nothing of the call.
 */
function drainRest<C>(chunks: AsyncIterator<C>, internal: AbortController): void {
  const cut = setTimeout(() => internal.abort(STREAM_OVER), DRAIN_MS);
  cut.unref();
  const read = async (): Promise<void> => {
    let ended = false;
    try {
      for (let i = 0; i < DRAIN_CHUNKS && !ended; i++) ended = (await chunks.next()).done === true;
    } catch {
      // What follows a complete reply is not part of it: a failure there (the cut above among them) changes nothing.
    } finally {
      clearTimeout(cut);
      // A body read to its end has let its request go already (see `GuardedStream.#close`).
      if (!ended) internal.abort(STREAM_OVER);
    }
  };
  detached(read).catch(() => undefined);
}

/** See `guardedStream`. One consumer, one `next()` at a time (a for-await loop). */
class GuardedStream<C> implements AsyncIterableIterator<ModelEvent> {
  /** The request's signal (the SDK's): aborted when the caller cancels, and once the stream is over. */
  readonly #internal = new AbortController();
  readonly #call: ProviderCall;
  /** The caller's cancellation, watched from the request's opening until the stream is over. */
  #watching: AbortListening | undefined;
  readonly #ctx: CallContext;
  readonly #redactors: Redactors;
  /** Holds back streamed text that could be the start of a secret; undefined when there is no secret to find. */
  readonly #text: TextStreamRedactor | undefined;
  #open: ((ctx: CallContext) => Promise<StreamReader<C>>) | undefined;
  #reader: StreamReader<C> | undefined;
  /** The SDK stream's iterator while it is being read; undefined before, and once it ended or was closed. */
  #chunks: AsyncIterator<C> | undefined;
  /** Events the reader made, before redaction (reused for every chunk). */
  readonly #made: ModelEvent[] = [];
  /** Redacted events ready to hand out, from `#head` on. */
  readonly #ready: ModelEvent[] = [];
  #head = 0;
  /** Chunks read so far. */
  #chunkCount = 0;
  /** The stream is over: only what is ready is left, then the end (or `#error`). */
  #over = false;
  #finished = false;
  /**
   * Nothing is left for `#close` to let go: the SDK's stream ended by itself (its body was read to the end, so fetch
   * has let the request and its connection go; aborting would only run fetch's abort listeners, on every call), or
   * the reply is complete and the rest of the body is being read (see `drainRest`), which lets the request go.
   */
  #letGo = false;
  /** The failure to raise once the events made before it are handed out. */
  #error: SwitchyardError | undefined;
  readonly #onChunk = (result: IteratorResult<C>): Step => this.#take(result);
  readonly #onError = (error: unknown): Step => this.#failed(error);
  readonly #onOpen = (reader: StreamReader<C>): Step => {
    this.#reader = reader;
    this.#chunks = reader.chunks[Symbol.asyncIterator]();
    return this.#step();
  };

  constructor(call: ProviderCall, base: CallContextBase, open: (ctx: CallContext) => Promise<StreamReader<C>>) {
    this.#call = call;
    this.#ctx = { ...base, signal: this.#internal.signal, callerAborted: () => callCancelled(call) };
    this.#redactors = redactorsFor(base.secrets);
    this.#text = this.#redactors.content.active ? this.#redactors.content.textStream() : undefined;
    this.#open = open;
  }

  next(): Promise<IteratorResult<ModelEvent>> {
    try {
      const step = this.#step();
      return step instanceof Promise ? step : Promise.resolve(step);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** The consumer stopped reading: the SDK's stream is closed and the request aborted. */
  async return(): Promise<IteratorResult<ModelEvent>> {
    emptyList(this.#ready);
    this.#head = 0;
    this.#error = undefined;
    await this.#close();
    return DONE;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  /** The next event if one is ready, the error or the end if that is all that is left, else a read of the stream. */
  #step(): Step {
    const ready = this.#ready;
    if (this.#head < ready.length) {
      const value = ready[this.#head++]!;
      if (this.#head === ready.length) {
        emptyList(ready);
        this.#head = 0;
      }
      return { done: false, value };
    }
    const error = this.#error;
    if (error !== undefined) {
      this.#error = undefined;
      throw error;
    }
    if (this.#over) return DONE;
    const chunks = this.#chunks;
    if (chunks !== undefined) return chunks.next().then(this.#onChunk, this.#onError);
    const open = this.#open;
    if (open === undefined) return DONE; // opening: one next() at a time
    this.#open = undefined;
    if (this.#ctx.callerAborted()) return this.#failed(abortedError(this.#ctx));
    const internal = this.#internal;
    this.#watching = watchCancel(this.#call, (reason) => internal.abort(reason));
    let opening: Promise<StreamReader<C>>;
    try {
      opening = open(this.#ctx);
    } catch (error) {
      return this.#failed(error);
    }
    return opening.then(this.#onOpen, this.#onError);
  }

  #take(result: IteratorResult<C>): Step {
    try {
      if (result.done === true) {
        this.#chunks = undefined;
        this.#letGo = true;
        this.#end(this.#reader!);
      } else {
        this.#chunkCount++;
        if (this.#reader!.read(result.value, this.#made)) {
          // The reply is complete: nothing after this chunk is part of it. The rest of the SDK's stream is read to the
          // end of the body in the background, so the connection is kept for the next call (see `drainRest`).
          this.#release();
          this.#letGo = true;
          drainRest(this.#chunks!, this.#internal);
          this.#chunks = undefined;
          this.#end(this.#reader!);
        }
      }
    } catch (error) {
      return this.#failed(error);
    }
    this.#release();
    return this.#step();
  }

  /** Adds the closing events (or throws the error); the stream is over. */
  #end(reader: StreamReader<C>): void {
    this.#over = true;
    reader.end(this.#made, this.#chunkCount);
    if (!this.#finished && !this.#made.some((e) => e.type === 'finish')) throw streamEndedError(this.#ctx, this.#chunkCount);
    void this.#close(); // the SDK's stream is over already: this only lets the request go (it cannot fail)
  }

  /** Moves what the reader made to the ready events, redacting streamed text and every other event's strings. */
  #release(): void {
    const made = this.#made;
    for (let i = 0; i < made.length; i++) {
      const event = made[i]!;
      if (this.#finished) break; // nothing after the finish is part of the reply
      if (event.type === 'finish') this.#finished = true;
      const text = this.#text;
      if (text === undefined) this.#ready.push(event);
      else if (event.type === 'text-delta') {
        const released = text.push(event.text);
        // All of it held back (it could be the start of a secret) until the next piece shows whether it is one.
        if (released !== '') this.#ready.push(released === event.text ? event : { ...event, text: released });
      } else {
        const held = text.flush();
        if (held !== '') this.#ready.push({ type: 'text-delta', text: held });
        this.#ready.push(this.#redactors.content.value(event));
      }
    }
    emptyList(made);
  }

  /**
   * Ends the stream with `error`, mapped and redacted, after the events made before it (the SDK's stream closed,
   * the request aborted).
   */
  #failed(error: unknown): Step {
    this.#release();
    const mapped = this.#reader?.failure?.(error) ?? error;
    this.#error = this.#redactors.errors.error(toSwitchyardError(mapped, this.#ctx));
    this.#over = true;
    const after = (): Step => this.#step();
    return this.#close().then(after, after);
  }

  /**
   * Closes the SDK's stream (when it is still open), then aborts the request; see `STREAM_OVER`. While the rest of a
   * complete reply's stream is being read, that read lets the request go instead (see `drainRest`); a stream that
   * ended by itself has nothing left to let go.
   */
  #close(): Promise<void> {
    const chunks = this.#chunks;
    this.#chunks = undefined;
    this.#over = true;
    this.#watching?.off();
    if (this.#letGo) return Promise.resolve();
    const internal = this.#internal;
    return detached(async () => {
      try {
        await chunks?.return?.();
      } finally {
        internal.abort(STREAM_OVER);
      }
    });
  }
}

/**
 * The error for a stream that ended without a finish reason: an empty 200, or a connection that closed cleanly
 * part-way. Never a silent success. `chunks` is how many stream chunks arrived before the end.
 */
export function streamEndedError(ctx: CallContext, chunks: number): SwitchyardError {
  if (ctx.callerAborted()) return abortedError(ctx);
  const what =
    chunks === 0
      ? `returned an empty stream (HTTP 200 with no events)`
      : `ended the stream after ${chunks} chunk(s) without a finish reason (connection cut?)`;
  return new SwitchyardError({
    kind: 'network',
    retryable: true,
    provider: ctx.provider,
    model: ctx.model,
    message: `${ctx.provider} ${what} for model ${ctx.model}; the reply is incomplete, so the call failed.`,
  });
}

/** The error for an endpoint with no API key, raised at call time (never at factory time). */
export function missingKeyError(ctx: CallContextBase): SwitchyardError {
  return new SwitchyardError({
    kind: 'auth',
    retryable: false,
    provider: ctx.provider,
    model: ctx.model,
    message:
      `No API key for endpoint '${ctx.provider}': set ${ctx.envVar} or pass apiKey to the provider factory. ` +
      `An endpoint given an explicit baseURL does not read the environment, so your key never goes to another ` +
      `host by accident (a local server that needs no key accepts any placeholder).`,
  });
}

/**
 * Called by an adapter when the SDK stream is done: the finish reason it saw, or the right error (aborted by the
 * caller, or ended without a finish).
 */
export function finishedOrThrow<R>(ctx: CallContext, finish: R | undefined, chunks: number): R {
  if (ctx.callerAborted()) throw abortedError(ctx);
  if (finish === undefined) throw streamEndedError(ctx, chunks);
  return finish;
}
