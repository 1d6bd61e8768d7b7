import { SwitchyardError } from '../errors/switchyard-error.js';
import { countTextTokens, countTokens } from '../models/tokens.js';
import type { FinishReason, ModelInfo, ModelRequest, ToolCall, Usage } from '../models/types.js';
import type { Provider, ProviderCall } from '../providers/types.js';
import { WithLazySignal, type AbortScope } from './abort-scope.js';
import { ZERO_USAGE } from '../models/usage.js';
import { lastSharedNow, sharedNowReads } from './shared-now.js';
import { Deadline, deadlines } from './deadlines.js';
import { tooDeepToolCall } from './tool-call-depth.js';

/** What one attempt streamed so far; filled as events arrive, so it is complete even when the attempt throws. */
export interface AttemptState {
  text: string;
  toolCalls: ToolCall[];
  /** Usage as the provider reported it. */
  reported?: Usage;
  finishReason?: FinishReason;
  /** Events received from the provider (any kind). */
  events: number;
  /** ms (performance.now) of the first text or tool event. */
  firstTokenAt?: number;
}

export interface AttemptLimits {
  /** Abort the attempt after this long. */
  attemptTimeoutMs?: number;
  /** Abort the attempt when no event arrives for this long. */
  idleTimeoutMs?: number;
}

export interface AttemptInput {
  provider: Provider;
  model: ModelInfo;
  request: ModelRequest;
  /** The call's scope; the attempt runs in a child of it. */
  abort: AbortScope;
  limits?: AttemptLimits;
  /** Called for every text-delta and tool-call, in order. */
  onDelta(event: { type: 'text-delta'; text: string } | { type: 'tool-call'; call: ToolCall }): void;
}

/**
 * The state of one attempt. Streamed text is kept as its parts and joined when read: a `+=` per delta would keep
 * one cons string per delta alive until the attempt ends, which on long replies is most of the GC's work.
 */
class StreamState implements AttemptState {
  toolCalls: ToolCall[] = [];
  events = 0;
  reported?: Usage;
  finishReason?: FinishReason;
  firstTokenAt?: number;
  #joined = '';
  #parts: string[] = [];

  get text(): string {
    if (this.#parts.length > 0) {
      this.#joined += this.#parts.join('');
      this.#parts = [];
    }
    return this.#joined;
  }

  set text(value: string) {
    this.#joined = value;
    this.#parts = [];
  }

  append(text: string): void {
    this.#parts.push(text);
  }
}

export function newAttemptState(): AttemptState {
  return new StreamState();
}

/**
 * Streams one attempt into `state`. Throws a SwitchyardError on any failure; a stream that ends without a
 * finish is a failure ('network'), never a silent success.
 */
export async function runAttempt(input: AttemptInput, state: AttemptState): Promise<void> {
  const { provider, model, request, limits } = input;
  // A child scope, not an AbortController: the provider's AbortSignal is made only if the provider reads it
  // (an HTTP adapter does; a provider that never waits need not).
  const scope = input.abort.child();
  const watch = new AttemptWatch(scope, limits, provider.name, model.id);
  // Tool arguments nested too deep: read on (the usage comes last), then fail the attempt.
  let refused: SwitchyardError | undefined;
  try {
    input.abort.throwIfAborted();
    if (watch.watching) deadlines.add(watch);
    const parts = state instanceof StreamState ? state : undefined;
    for await (const event of provider.stream(new AttemptCall(model, request, scope))) {
      // Cancelled (or timed out): stop reading even when the provider does not watch its signal; leaving the
      // loop closes its stream.
      if (scope.aborted) throw scope.reason;
      state.events++;
      if (event.type === 'text-delta') {
        const reads = sharedNowReads();
        state.firstTokenAt ??= performance.now();
        if (parts) parts.append(event.text);
        else state.text += event.text;
        input.onDelta(event);
        // The hub read the clock for the event's `t` just now: the same instant serves the idle watchdog.
        watch.lastEventAt = sharedNowReads() !== reads ? lastSharedNow() : performance.now();
        continue;
      }
      watch.lastEventAt = performance.now();
      if (event.type === 'tool-call') {
        state.firstTokenAt ??= performance.now();
        refused ??= tooDeepToolCall(event.call, { provider: provider.name, model: model.id });
        if (refused) continue;
        state.toolCalls.push(event.call);
        input.onDelta(event);
      } else if (event.type === 'usage') {
        state.reported = event.usage;
      } else {
        state.finishReason = event.reason;
      }
    }
    if (refused) throw refused;
    if (!state.finishReason) {
      throw new SwitchyardError({
        kind: 'network',
        provider: provider.name,
        model: model.id,
        message: `The stream from ${provider.name} ended before the model finished (no finish event).`,
      });
    }
  } catch (error) {
    throw normalizeAttemptError(error, { timedOut: watch.timedOut, aborted: input.abort.aborted, provider: provider.name, model: model.id });
  } finally {
    if (watch.watching) deadlines.delete(watch);
    scope.dispose();
  }
}

/**
 * An attempt's `attemptTimeoutMs` and idle watchdog as one deadline (see `Deadlines`): due at the earlier of the
 * attempt's end of time and `idleTimeoutMs` after its last event; expiring aborts the attempt's scope.
 */
class AttemptWatch extends Deadline {
  lastEventAt = performance.now();
  /** Why the attempt timed out, once it did. */
  timedOut: string | undefined;
  readonly #endAt: number;
  readonly #limitMs: number | undefined;
  readonly #idleMs: number;

  constructor(
    private readonly scope: AbortScope,
    limits: AttemptLimits | undefined,
    private readonly provider: string,
    private readonly model: string,
  ) {
    super();
    this.#limitMs = limits?.attemptTimeoutMs || undefined;
    this.#endAt = this.#limitMs ? this.lastEventAt + this.#limitMs : Infinity;
    this.#idleMs = limits?.idleTimeoutMs || Infinity;
  }

  get watching(): boolean {
    return this.#endAt < Infinity || this.#idleMs < Infinity;
  }

  due(): number {
    return Math.min(this.#endAt, this.lastEventAt + this.#idleMs);
  }

  expire(): void {
    this.timedOut =
      performance.now() >= this.#endAt
        ? `no result within ${this.#limitMs} ms (attemptTimeoutMs)`
        : `the stream was idle for ${this.#idleMs} ms (idleTimeoutMs)`;
    this.scope.abort(new SwitchyardError({ kind: 'timeout', provider: this.provider, model: this.model, message: this.timedOut }));
  }
}

/** The call as the provider sees it; its `signal` is made on first read. */
class AttemptCall extends WithLazySignal implements ProviderCall {
  constructor(
    readonly model: ModelInfo,
    readonly request: ModelRequest,
    scope: AbortScope,
  ) {
    super(scope);
  }
}

function normalizeAttemptError(
  error: unknown,
  ctx: { timedOut?: string; aborted: boolean; provider: string; model: string },
): SwitchyardError {
  const where = { provider: ctx.provider, model: ctx.model };
  if (ctx.timedOut) {
    return new SwitchyardError({ kind: 'timeout', ...where, message: `Attempt on ${ctx.provider}/${ctx.model} timed out: ${ctx.timedOut}.`, cause: error });
  }
  if (ctx.aborted) {
    return new SwitchyardError({ kind: 'aborted', ...where, message: `The call to ${ctx.provider}/${ctx.model} was cancelled.`, cause: error });
  }
  if (SwitchyardError.isInstance(error)) return error;
  return new SwitchyardError({
    kind: 'network',
    ...where,
    message: `The call to ${ctx.provider}/${ctx.model} failed: ${error instanceof Error ? error.message : String(error)}`,
    cause: error,
  });
}

/**
 * What an attempt consumed: the provider's reported usage when there is one; otherwise an estimate from the
 * request and what streamed (input counted once anything streamed; output counted with the model's tokenizer
 * estimate, never more than the request's `maxOutputTokens`, which no provider exceeds). An attempt that failed
 * before any event consumed nothing.
 */
export function consumedUsage(model: ModelInfo, request: ModelRequest, state: AttemptState): Usage {
  if (state.reported) return state.reported;
  if (state.events === 0) return { ...ZERO_USAGE };
  const streamed = state.text + state.toolCalls.map((call) => call.name + JSON.stringify(call.args)).join('');
  return {
    inputTokens: countTokens(model, request),
    cachedInputTokens: 0,
    cacheWriteTokens: 0,
    outputTokens: streamed ? Math.min(countTextTokens(model, streamed), request.maxOutputTokens ?? Infinity) : 0,
    reasoningTokens: 0,
    estimated: true,
  };
}
