import { SwitchyardError } from '../errors/switchyard-error.js';
import { countTextTokens, countTokens } from '../models/tokens.js';
import type { FinishReason, ModelInfo, ModelRequest, ToolCall, Usage } from '../models/types.js';
import type { Provider } from '../providers/types.js';
import { ZERO_USAGE } from '../models/usage.js';
import { lastSharedNow, sharedNowReads } from './shared-now.js';

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
  signal: AbortSignal;
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
  const controller = new AbortController();
  let timedOut: string | undefined;
  const timeout = (reason: string) => () => {
    timedOut = reason;
    controller.abort();
  };
  const onAbort = () => controller.abort();
  input.signal.addEventListener('abort', onAbort, { once: true });
  const attemptTimer = limits?.attemptTimeoutMs
    ? setTimeout(timeout(`no result within ${limits.attemptTimeoutMs} ms (attemptTimeoutMs)`), limits.attemptTimeoutMs)
    : undefined;
  // One watchdog timer per attempt (not one per event): it re-arms itself for the time left since the last event.
  let lastEventAt = performance.now();
  let idleTimer: NodeJS.Timeout | undefined;
  const idleMs = limits?.idleTimeoutMs;
  const watchIdle = (delay: number) => {
    idleTimer = setTimeout(() => {
      const idle = performance.now() - lastEventAt;
      if (idle >= idleMs!) timeout(`the stream was idle for ${idleMs} ms (idleTimeoutMs)`)();
      else watchIdle(idleMs! - idle);
    }, delay);
  };
  try {
    input.signal.throwIfAborted();
    if (idleMs) watchIdle(idleMs);
    const parts = state instanceof StreamState ? state : undefined;
    for await (const event of provider.stream({ model, request: { ...request, signal: controller.signal }, signal: controller.signal })) {
      state.events++;
      if (event.type === 'text-delta') {
        const reads = sharedNowReads();
        state.firstTokenAt ??= performance.now();
        if (parts) parts.append(event.text);
        else state.text += event.text;
        input.onDelta(event);
        // The hub read the clock for the event's `t` just now: the same instant serves the idle watchdog.
        lastEventAt = sharedNowReads() !== reads ? lastSharedNow() : performance.now();
        continue;
      }
      lastEventAt = performance.now();
      if (event.type === 'tool-call') {
        state.firstTokenAt ??= performance.now();
        state.toolCalls.push(event.call);
        input.onDelta(event);
      } else if (event.type === 'usage') {
        state.reported = event.usage;
      } else {
        state.finishReason = event.reason;
      }
    }
    if (!state.finishReason) {
      throw new SwitchyardError({
        kind: 'network',
        provider: provider.name,
        model: model.id,
        message: `The stream from ${provider.name} ended before the model finished (no finish event).`,
      });
    }
  } catch (error) {
    throw normalizeAttemptError(error, { timedOut, signal: input.signal, provider: provider.name, model: model.id });
  } finally {
    clearTimeout(attemptTimer);
    clearTimeout(idleTimer);
    input.signal.removeEventListener('abort', onAbort);
  }
}

function normalizeAttemptError(
  error: unknown,
  ctx: { timedOut?: string; signal: AbortSignal; provider: string; model: string },
): SwitchyardError {
  const where = { provider: ctx.provider, model: ctx.model };
  if (ctx.timedOut) {
    return new SwitchyardError({ kind: 'timeout', ...where, message: `Attempt on ${ctx.provider}/${ctx.model} timed out: ${ctx.timedOut}.`, cause: error });
  }
  if (ctx.signal.aborted) {
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
