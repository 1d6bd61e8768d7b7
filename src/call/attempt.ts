import { SwitchyardError } from '../errors/switchyard-error.js';
import { countTextTokens, countTokens } from '../models/tokens.js';
import type { FinishReason, ModelInfo, ModelRequest, ProviderState, ToolCall, Usage } from '../models/types.js';
import type { Provider, ProviderCall } from '../providers/types.js';
import { WithLazySignal, type AbortScope } from './abort-scope.js';
import { ZERO_USAGE } from '../models/usage.js';
import { lastSharedNow, sharedNowReads } from './shared-now.js';
import { Deadline, deadlines } from './deadlines.js';
import { tooDeepToolCall } from './tool-call-depth.js';

/** What one attempt streamed so far; filled as events arrive, so it is complete even when the attempt throws. */
export interface AttemptState {
  text: string;
  /** Reasoning text (summaries, thinking) streamed apart from the reply. */
  reasoning: string;
  toolCalls: ToolCall[];
  /** The turn's opaque provider state, to go back with the assistant turn. */
  providerState?: ProviderState;
  /** Usage as the provider reported it. */
  reported?: Usage;
  finishReason?: FinishReason;
  /** Events received from the provider (any kind). */
  events: number;
  /** ms (performance.now) of the first text or tool event. */
  firstTokenAt?: number;
}

/** What an attempt passes on as it streams. */
export type AttemptDelta =
  | { type: 'text-delta'; text: string }
  | { type: 'reasoning-delta'; text: string }
  | { type: 'tool-call'; call: ToolCall };

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
  /** Called for every text-delta, reasoning-delta and tool-call, in order. */
  onDelta(event: AttemptDelta): void;
}

/**
 * The state of one attempt. Streamed text is kept as its parts and joined when read: a `+=` per delta would keep
 * one cons string per delta alive until the attempt ends, which on long replies is most of the GC's work.
 */
class StreamState implements AttemptState {
  toolCalls: ToolCall[] = [];
  reasoning = '';
  providerState?: ProviderState;
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
      } else if (event.type === 'reasoning-delta') {
        state.reasoning += event.text;
        input.onDelta(event);
      } else if (event.type === 'provider-state') {
        state.providerState = event.state;
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
  if (state.reported) return missingEstimated(state.reported, () => estimatedUsage(model, request, state));
  if (state.events === 0) return { ...ZERO_USAGE };
  return estimatedUsage(model, request, state);
}

const USAGE_FIELDS = ['inputTokens', 'cachedInputTokens', 'cacheWriteTokens', 'outputTokens', 'reasoningTokens'] as const;

/**
 * Reported usage with the figures the wire left out (adapters pass `undefined` through, never a made-up 0) taken
 * from the estimate: a missing cache or reasoning breakdown is none, a missing total is counted from what
 * streamed. Only absence is handled here; figures that are present are the settlement validator's to judge.
 */
function missingEstimated(reported: Usage, estimate: () => Usage): Usage {
  const present = (value: unknown) => value !== undefined && value !== null;
  if (USAGE_FIELDS.every((field) => present(reported[field]))) return reported;
  const estimated = estimate();
  const usage: Usage = { ...reported };
  for (const field of USAGE_FIELDS) {
    if (present(usage[field])) continue;
    // No cache figure: nothing was cached. No total: the estimate. No reasoning figure: what streamed as
    // reasoning, never more than the output.
    if (field === 'cachedInputTokens' || field === 'cacheWriteTokens') usage[field] = 0;
    else if (field === 'reasoningTokens') usage[field] = Math.min(estimated.reasoningTokens, usage.outputTokens ?? estimated.outputTokens);
    else {
      usage[field] = estimated[field];
      usage.estimated = true;
    }
  }
  return usage;
}

/** Usage estimated from the request and what streamed (reasoning text counts as output, and as reasoning). */
function estimatedUsage(model: ModelInfo, request: ModelRequest, state: AttemptState): Usage {
  const streamed = state.text + state.toolCalls.map((call) => call.name + JSON.stringify(call.args)).join('');
  const cap = request.maxOutputTokens ?? Infinity;
  const reasoning = state.reasoning ? Math.min(countTextTokens(model, state.reasoning), cap) : 0;
  const output = streamed ? countTextTokens(model, streamed) : 0;
  return {
    inputTokens: countTokens(model, request),
    cachedInputTokens: 0,
    cacheWriteTokens: 0,
    outputTokens: Math.min(output + reasoning, cap),
    reasoningTokens: reasoning,
    estimated: true,
  };
}
