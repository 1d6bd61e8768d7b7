import { SwitchyardError } from '../errors/switchyard-error.js';
import type { FinishReason, ModelEvent, ModelInfo, ModelRequest, ProviderState, ToolCall, Usage } from '../models/types.js';
import type { Provider, ProviderCall } from '../providers/types.js';
import { raceAbort, WithLazySignal, type AbortScope } from './abort-scope.js';
import { lastSharedNow, sharedNowReads } from './shared-now.js';
import { Deadline, deadlines as processDeadlines, type Deadlines } from './deadlines.js';
import { OutputMeter, overrunError, type MeterVerdict } from './output-meter.js';
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
  /** Abort the attempt after this long (0: no limit; unset: the default, see `defaultAttemptTimeoutMs`). */
  attemptTimeoutMs?: number;
  /** Abort the attempt when its first event has not arrived this long after the request went out (0: no limit). */
  firstTokenTimeoutMs?: number;
  /** Abort the attempt when, after its first event, no event arrives for this long (0: no limit). */
  idleTimeoutMs?: number;
}

export interface AttemptInput {
  provider: Provider;
  model: ModelInfo;
  request: ModelRequest;
  /** The call's scope; the attempt runs in a child of it. */
  abort: AbortScope;
  limits?: AttemptLimits;
  /** The watch list of the attempt's time limits (its clock). @default the process's */
  deadlines?: Deadlines;
  /** Counts the output against the cap sent; made by the caller so it can read the floor afterwards. */
  meter?: OutputMeter;
  /**
   * Called once when the whole cap the request was sent with has certainly streamed: resolve true to go on reading
   * (up to the overrun margin), false to cut the attempt now (the budget cannot hold more).
   */
  onCapReached?(floor: number): boolean | PromiseLike<boolean>;
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

/** The output cap a request is sent with (the adapters send the model's max output when it sets none). */
export function capOf(model: ModelInfo, request: ModelRequest): number {
  return request.maxOutputTokens ?? model.maxOutputTokens;
}

/**
 * Streams one attempt into `state`. Throws a SwitchyardError on any failure; a stream that ends without a
 * finish is a failure ('network'), never a silent success. The provider's SDK is loaded first (`warmUp`), so its
 * loading counts toward no time limit; then the attempt's time limits run (see `AttemptWatch`), and the output is
 * counted against the cap it was sent (see `OutputMeter`). One async frame for the whole attempt: it is what stays
 * suspended while the call waits on the network, thousands at once in a wide fan-out.
 */
export async function runAttempt(input: AttemptInput, state: AttemptState): Promise<void> {
  const { provider, model, request } = input;
  const warming = provider.warmUp?.();
  if (warming !== undefined) await warmUp(warming, input);
  // A child scope, not an AbortController: the provider's AbortSignal is made only if the provider reads it
  // (an HTTP adapter does; a provider that never waits need not).
  const scope = input.abort.child();
  const meter = input.meter ?? new OutputMeter(capOf(model, request));
  const deadlines = input.deadlines ?? processDeadlines;
  const watch = new AttemptWatch(scope, deadlines, attemptLimits(input.limits, meter.cap), provider.name, model.id);
  const reader = new EventReader(input, state, meter, watch);
  try {
    input.abort.throwIfAborted();
    if (watch.watching) deadlines.add(watch);
    for await (const event of provider.stream(new AttemptCall(model, request, scope))) {
      // Cancelled (or timed out): stop reading even when the provider does not watch its signal; leaving the
      // loop closes its stream.
      if (scope.aborted) throw scope.reason;
      const verdict = reader.take(event);
      if (verdict !== 'within') await judge(verdict, meter, input);
    }
    if (reader.refused) throw reader.refused;
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
 * Takes the provider's events into the attempt's state, one at a time, and says what the output meter makes of each
 * (the caller waits on the cap's verdict, so this stays synchronous and `runAttempt` the attempt's only async frame).
 * Tool arguments nested too deep are refused: the stream is read on (the usage comes last), then the attempt fails.
 */
class EventReader {
  /** A tool call refused for its depth: the attempt fails with it once the stream has ended. */
  refused: SwitchyardError | undefined;
  readonly #parts: StreamState | undefined;
  readonly #shared: boolean;

  constructor(
    private readonly input: AttemptInput,
    private readonly state: AttemptState,
    private readonly meter: OutputMeter,
    private readonly watch: AttemptWatch,
  ) {
    this.#parts = state instanceof StreamState ? state : undefined;
    this.#shared = watch.deadlines.onProcessClock;
  }

  take(event: ModelEvent): MeterVerdict {
    const { input, state, meter, watch } = this;
    state.events++;
    if (event.type === 'text-delta') {
      const reads = sharedNowReads();
      state.firstTokenAt ??= performance.now();
      meter.chars += event.text.length;
      // Counted before it joins the state, judged after it is passed on: a piece that crosses a limit was read, so
      // it is charged, and streamed like the others.
      const verdict = meter.counting ? meter.text(event.text, () => outputText(state)) : 'within';
      if (this.#parts) this.#parts.append(event.text);
      else state.text += event.text;
      input.onDelta(event);
      // The hub read the clock for the event's `t` just now: the same instant serves the idle watchdog.
      watch.seen(this.#shared ? (sharedNowReads() !== reads ? lastSharedNow() : performance.now()) : watch.deadlines.now());
      return verdict;
    }
    watch.seen(watch.deadlines.now());
    if (event.type === 'tool-call') return this.#toolCall(event);
    if (event.type === 'reasoning-delta') {
      // Reasoning is output (billed as output, inside the output cap): it counts toward the cap like the text.
      meter.chars += event.text.length;
      const verdict = meter.counting ? meter.text(event.text, () => outputText(state)) : 'within';
      state.reasoning += event.text;
      input.onDelta(event);
      return verdict;
    }
    if (event.type === 'provider-state') state.providerState = event.state;
    else if (event.type === 'usage') state.reported = event.usage;
    else state.finishReason = event.reason;
    return 'within';
  }

  #toolCall(event: Extract<ModelEvent, { type: 'tool-call' }>): MeterVerdict {
    const { input, state, meter } = this;
    const { call } = event;
    state.firstTokenAt ??= performance.now();
    this.refused ??= tooDeepToolCall(call, { provider: input.provider.name, model: input.model.id });
    // A refused call is read and billed, but never passed on: only its name counts toward the cap.
    if (this.refused) return meter.toolCall(call.name, () => outputText(state));
    const verdict = meter.toolCall(toolCallText(call), () => outputText(state));
    state.toolCalls.push(call);
    input.onDelta(event);
    return verdict;
  }
}

/** Waits for the provider's SDK and client (cancelled with the call), outside every time limit of the attempt. */
async function warmUp(warming: PromiseLike<void>, input: AttemptInput): Promise<void> {
  try {
    await raceAbort(Promise.resolve(warming), input.abort);
  } catch (error) {
    throw normalizeAttemptError(error, { aborted: input.abort.aborted, provider: input.provider.name, model: input.model.id });
  }
}

/** Acts on what the meter says: at the cap, ask whether to go on; past the margin, cut. */
async function judge(verdict: Exclude<MeterVerdict, 'within'>, meter: OutputMeter, input: AttemptInput): Promise<void> {
  const where = { provider: input.provider.name, model: input.model.id };
  const floor = meter.floor(() => '');
  if (verdict === 'overrun') throw overrunError(where, meter, floor, 'margin');
  const go = input.onCapReached?.(floor) ?? true;
  if (!(typeof go === 'boolean' ? go : await go)) throw overrunError(where, meter, floor, 'budget');
}

/** Everything an attempt streamed as output: its reasoning, its text, then each tool call's name and arguments. */
export function outputText(state: AttemptState): string {
  const text = state.reasoning + state.text;
  return state.toolCalls.length === 0 ? text : text + state.toolCalls.map(toolCallText).join('');
}

/** A tool call's name and arguments as text, for counting (arguments that cannot be serialized count as none). */
export function toolCallText(call: ToolCall): string {
  try {
    return call.name + (JSON.stringify(call.args) ?? '');
  } catch {
    return call.name;
  }
}

/** 10 minutes, plus 50 ms per output token the attempt may produce: no healthy stream is slower. */
export function defaultAttemptTimeoutMs(cap: number): number {
  return 600_000 + 50 * cap;
}

/** The limits an attempt runs under: an unset `attemptTimeoutMs` takes the default for its cap; 0 is no limit. */
function attemptLimits(limits: AttemptLimits | undefined, cap: number): Required<AttemptLimits> {
  return {
    attemptTimeoutMs: limits?.attemptTimeoutMs ?? defaultAttemptTimeoutMs(cap),
    firstTokenTimeoutMs: limits?.firstTokenTimeoutMs ?? 0,
    idleTimeoutMs: limits?.idleTimeoutMs ?? 0,
  };
}

/**
 * An attempt's time limits as one deadline (see `Deadlines`), from the moment its request is about to go out:
 * until the first event, the earlier of `attemptTimeoutMs` and `firstTokenTimeoutMs`; after it, the earlier of
 * `attemptTimeoutMs` and `idleTimeoutMs` after the last event. Expiring aborts the attempt's scope.
 */
class AttemptWatch extends Deadline {
  readonly #startedAt: number;
  #lastEventAt: number;
  #streaming = false;
  /** Why the attempt timed out, once it did. */
  timedOut: string | undefined;
  readonly #endAt: number;
  readonly #limits: Required<AttemptLimits>;

  constructor(
    private readonly scope: AbortScope,
    readonly deadlines: Deadlines,
    limits: Required<AttemptLimits>,
    private readonly provider: string,
    private readonly model: string,
  ) {
    super();
    this.#limits = limits;
    this.#startedAt = this.#lastEventAt = deadlines.now();
    this.#endAt = limits.attemptTimeoutMs > 0 ? this.#startedAt + limits.attemptTimeoutMs : Infinity;
  }

  get watching(): boolean {
    return this.#endAt < Infinity || this.#limits.firstTokenTimeoutMs > 0 || this.#limits.idleTimeoutMs > 0;
  }

  /** An event arrived at `now`. */
  seen(now: number): void {
    this.#lastEventAt = now;
    if (this.#streaming) return;
    // The first event: from now on the idle limit applies, which may end sooner than the first-token one.
    this.#streaming = true;
    this.deadlines.movedEarlier(this);
  }

  due(): number {
    const { firstTokenTimeoutMs, idleTimeoutMs } = this.#limits;
    const wait = this.#streaming ? idleTimeoutMs : firstTokenTimeoutMs;
    return Math.min(this.#endAt, wait > 0 ? this.#lastEventAt + wait : Infinity);
  }

  expire(): void {
    this.timedOut = this.#reason();
    this.scope.abort(new SwitchyardError({ kind: 'timeout', provider: this.provider, model: this.model, message: this.timedOut }));
  }

  #reason(): string {
    const { attemptTimeoutMs, firstTokenTimeoutMs, idleTimeoutMs } = this.#limits;
    if (this.deadlines.now() >= this.#endAt) return `no result within ${attemptTimeoutMs} ms (attemptTimeoutMs)`;
    if (this.#streaming) return `the stream was idle for ${idleTimeoutMs} ms (idleTimeoutMs)`;
    return `no first token within ${firstTokenTimeoutMs} ms of the request (firstTokenTimeoutMs)`;
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
