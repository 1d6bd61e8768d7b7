import type { BudgetScope } from '../budget/budget-ledger.js';
import { ResponseCacheScope } from '../cache/response-cache.js';
import { budgetLeft } from '../budget/budget-left.js';
import { releaseSignalOf } from '../budget/release-signal.js';
import { BudgetExceededError } from '../errors/budget-exceeded-error.js';
import { SwitchyardError } from '../errors/switchyard-error.js';
import { messageAttachments } from '../models/attachment.js';
import { RequestTokens } from '../models/request-tokens.js';
import type { Catalog } from '../models/catalog.js';
import { ZERO_USAGE } from '../models/usage.js';
import type { Message, ModelInfo, ModelRequest } from '../models/types.js';
import type { Provider } from '../providers/types.js';
import { decide } from '../retry/decide.js';
import type { RetryDecision } from '../retry/retry-decision.js';
import { resolveRetryOptions, type ResolvedRetryOptions } from '../retry/retry-options.js';
import { sleep } from '../retry/sleep.js';
import { routeEventOf } from '../route/route-event.js';
import type { RoutedCandidate, RoutePlan, RouteState } from '../route/route-types.js';
import { runCandidateAttempt, withCircuitEvents, type Tally } from './candidate-attempt.js';
import { newAttemptState, type AttemptState } from './attempt.js';
import type { CallContext, CallResult, CallSpec, RouteContext } from './call-types.js';
import { exactCountReason } from './exact-count.js';
import { DEFAULT_MIN_OUTPUT_TOKENS } from './output-cap.js';
import type { SwitchyardEnv } from './call-env.js';
import { errorToJSON } from '../errors/error-json.js';
import type { BudgetFigures } from '../budget/budget-figures.js';
import { parseOutput, repairPrompt } from './output-parser.js';
import { buildModelRequest, planOutput, type OutputPlan } from './request-builder.js';
import type { RunScope, RunScopeOptions } from './run-scope.js';
import type { HoldJournal } from './hold-journal.js';

const NO_BUDGET_LEFT: { usd?: number; tokens?: number } = {};

/** A successful model exchange (one or more attempts) before output parsing. */
interface Exchange {
  state: AttemptState;
  model: string;
  provider: string;
}

/** What one call carries through its attempts. */
interface CallFrame {
  spec: CallSpec;
  ctx: CallContext;
  scope: BudgetScope;
  retry: ResolvedRetryOptions;
  tally: Tally;
}

/** Where a call's retry loop stands: the route plan, the candidate on, and the attempts made on it. */
interface AttemptLoop<T> {
  frame: CallFrame;
  plan: RoutePlan<Provider>;
  tokens: RequestTokens<ModelRequest>;
  request: ModelRequest;
  /** performance.now() when the first attempt began (the retry policy's elapsed time). */
  started: number;
  current: number;
  onCandidate: number;
  /** What the call makes of the exchange once an attempt streamed to a finish. */
  done: (exchange: Exchange) => T;
}

const same = <T>(value: T): T => value;

/** The instance's retry options, resolved once per instance (not per run: `sy.stream` is a run per call). */
const defaultRetries = new WeakMap<SwitchyardEnv, ResolvedRetryOptions>();

function defaultRetryOf(env: SwitchyardEnv): ResolvedRetryOptions {
  let retry = defaultRetries.get(env);
  if (retry === undefined) defaultRetries.set(env, (retry = resolveRetryOptions(env.retry)));
  return retry;
}

/**
 * Runs the model calls of one run: routing, budget reservation and settlement, retries and failover, output
 * validation with one repair. The only retry loop in switchyard (the SDKs' own retries are off).
 */
export class CallRunner implements RunScope {
  private readonly runScope: BudgetScope;
  private readonly responses: ResponseCacheScope;
  /** What routing reads of the live state (circuits, latencies); the budget left is added for a downgrade. */
  private readonly routeState: RouteState;
  private readonly holds: HoldJournal | undefined;

  constructor(
    private readonly env: SwitchyardEnv,
    options: RunScopeOptions,
  ) {
    this.runScope = env.ledger.scope(env.ledger.root, 'run', options.budget ?? {}, options.runId);
    this.responses = new ResponseCacheScope(env.responseCache, options.cache);
    this.holds = options.holds;
    this.routeState = {
      isOpen: (endpoint, model) => env.breakers.isOpen(endpoint, model),
      latencyMs: (endpoint, model) => env.latency.get(endpoint, model),
    };
  }

  call(spec: CallSpec, ctx: CallContext): Promise<CallResult> {
    try {
      return this.start(spec, ctx);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  private start(spec: CallSpec, ctx: CallContext): Promise<CallResult> {
    const plan = planOutput(spec.output);
    const request = buildModelRequest(spec, plan);
    const retry = spec.retry ? resolveRetryOptions(this.env.retry, spec.retry) : defaultRetryOf(this.env);
    const scope = spec.budget ? this.env.ledger.scope(this.runScope, 'node', spec.budget) : this.runScope;
    const frame: CallFrame = { spec, ctx, scope, retry, tally: { usage: { ...ZERO_USAGE }, costUsd: 0, attempts: 0 } };
    // A plain text call (no output to validate, no node scope to close): nothing to do after the exchange but
    // the result, so no async frame stays suspended for it while the call streams.
    if (!plan && scope === this.runScope) return this.exchange(frame, request, (first) => this.result(first, undefined, frame));
    return this.callAndParse(frame, request, plan);
  }

  private async callAndParse(frame: CallFrame, request: ModelRequest, plan: OutputPlan | undefined): Promise<CallResult> {
    const { scope } = frame;
    try {
      const first = await this.exchange(frame, request, same);
      if (!plan) return this.result(first, undefined, frame);
      try {
        return this.result(first, parseOutput(first.state.text, plan, first), frame);
      } catch (error) {
        if (!SwitchyardError.isInstance(error) || error.kind !== 'invalid_output') throw error;
        return await this.repair(frame, request, plan, first, error);
      }
    } finally {
      if (scope !== this.runScope) await scope.close();
    }
  }

  /** One bounded repair: the validation error is fed back, and the reply to that must validate. */
  private async repair(frame: CallFrame, request: ModelRequest, plan: OutputPlan, first: Exchange, error: SwitchyardError): Promise<CallResult> {
    frame.ctx.emit({ type: 'node-retry', discard: true, error: errorToJSON(error), delayMs: 0, model: first.model, provider: first.provider });
    const { providerState } = first.state;
    const messages: Message[] = [
      ...request.messages,
      { role: 'assistant', content: first.state.text, ...(providerState ? { providerState } : {}) },
      { role: 'user', content: repairPrompt(error) },
    ];
    const pinned = { ...frame, spec: { ...frame.spec, model: first.model, task: undefined, route: undefined } };
    const second = await this.exchange(pinned, { ...request, messages }, same);
    return this.result(second, parseOutput(second.state.text, plan, second), frame);
  }

  /** The call's result; a reply from the model is stored in the response cache when the call opted in. */
  private result(exchange: Exchange, object: unknown, frame: CallFrame): CallResult {
    const result: CallResult = {
      text: exchange.state.text,
      object,
      toolCalls: exchange.state.toolCalls,
      usage: frame.tally.usage,
      costUsd: frame.tally.costUsd,
      model: exchange.model,
      provider: exchange.provider,
      attempts: frame.tally.attempts,
      finishReason: exchange.state.finishReason ?? 'stop',
    };
    if (frame.tally.outputCap) result.outputCap = frame.tally.outputCap;
    const { reasoning, providerState } = exchange.state;
    if (reasoning) result.reasoning = reasoning;
    if (providerState) result.providerState = providerState;
    if (this.responses.settle(frame.ctx, result).cached) result.cached = true;
    return result;
  }

  /**
   * Routes the call on its input's byte bound; when an exact count could change a decision (a window, a price
   * cliff, a budget: see `exactCountReason`), counts the input exactly and routes again.
   */
  private plan(frame: CallFrame, tokens: RequestTokens<ModelRequest>): RoutePlan<Provider> {
    const { spec } = frame;
    const prefer = spec.route?.(routeContext(spec, tokens, this.servedModels()));
    let plan: RoutePlan<Provider> | undefined;
    let failure: unknown;
    try {
      plan = this.routeOnce(frame, tokens, prefer);
    } catch (error) {
      if (tokens.refined || !SwitchyardError.isInstance(error) || error.kind !== 'no_provider') throw error;
      failure = error;
    }
    if (tokens.refined) return plan!;
    const reason = exactCountReason({
      bound: tokens.textBound,
      attachments: messageAttachments(tokens.request.messages).length === 0 ? undefined : (model) => tokens.attachments(model),
      models: plan ? this.consideredModels(plan) : this.servedModels(),
      maxOutputTokens: spec.maxOutputTokens,
      budgetLeft: () => budgetLeft(this.env.ledger.snapshot(frame.scope)),
    });
    if (reason === undefined) {
      if (plan) return plan;
      throw failure;
    }
    tokens.refine();
    return this.routeOnce(frame, tokens, prefer);
  }

  private routeOnce(frame: CallFrame, tokens: RequestTokens<ModelRequest>, prefer: string | readonly string[] | undefined): RoutePlan<Provider> {
    const { spec } = frame;
    const { request } = tokens;
    const attachments = messageAttachments(request.messages);
    // Only a downgrade reads the budget left (a snapshot of every level costs more than the rest of routing).
    const left = spec.downgrade ? budgetLeft(this.env.ledger.snapshot(frame.scope)) : NO_BUDGET_LEFT;
    return this.env.route(
      {
        task: spec.task,
        model: spec.model,
        prefer,
        reasoning: request.reasoning,
        requires: {
          tools: Boolean(request.tools?.length),
          structuredOutput: Boolean(request.output),
          vision: attachments.some((a) => a.type === 'image'),
          documents: attachments.some((a) => a.type === 'file'),
        },
        attachments,
        inputTokens: (model) => tokens.forBudget(model),
        windowTokens: (model) => tokens.forWindow(model),
        maxOutputTokens: spec.maxOutputTokens,
        minOutputTokens: spec.maxOutputTokens === undefined ? (spec.minOutputTokens ?? DEFAULT_MIN_OUTPUT_TOKENS) : undefined,
        providers: spec.providers,
        maxPriceUsd: spec.maxPriceUsd,
        mode: spec.mode,
        downgrade: spec.downgrade,
      },
      left === NO_BUDGET_LEFT ? this.routeState : { ...this.routeState, budgetLeftUsd: left.usd, budgetLeftTokens: left.tokens },
    );
  }

  /** Catalog entries that at least one configured endpoint serves. */
  private servedModels(): ModelInfo[] {
    return this.env.catalog.list().filter((m) => this.env.providers.some((p) => p.serves(m)));
  }

  /** The models a plan considered: its candidates' and those it rejected (when in the catalog). */
  private consideredModels(plan: RoutePlan<Provider>): ModelInfo[] {
    // A handful at most: an array and `includes` cost less than a Set on every call.
    const models: ModelInfo[] = [];
    for (const candidate of plan.candidates) if (!models.includes(candidate.model)) models.push(candidate.model);
    for (const rejected of plan.rejected) {
      const model = this.env.catalog.find(rejected.model);
      if (model && !models.includes(model)) models.push(model);
    }
    return models;
  }

  /** Routes, then attempts candidates under the retry policy until one streams to a finish; then `done`. */
  private exchange<T>(frame: CallFrame, request: ModelRequest, done: (exchange: Exchange) => T): Promise<T> {
    try {
      const { ctx } = frame;
      const tokens = new RequestTokens(request);
      const plan = withCircuitEvents(this.env, ctx, () => this.plan(frame, tokens));
      const first = plan.candidates[0]!;
      ctx.emit(routeEventOf(plan, messageAttachments(request.messages)));
      const lookup = this.responses.lookup(ctx, frame.spec.cache, request, first.model.id);
      const attempts = (): Promise<T> => {
        this.env.retryBudget.recordCall();
        return this.attempt({ frame, plan, tokens, request, started: performance.now(), current: 0, onCandidate: 0, done });
      };
      return lookup ? lookup.then((cached) => (cached ? done(cached) : attempts())) : attempts();
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /**
   * The next attempt of the call's retry loop, on its current candidate. Promise callbacks rather than a loop in an
   * async function: nothing of the call runner stays suspended while the attempt streams.
   */
  private attempt<T>(loop: AttemptLoop<T>): Promise<T> {
    const { frame, plan } = loop;
    const candidate = plan.candidates[loop.current]!;
    loop.onCandidate++;
    const state = newAttemptState();
    let attempted: Promise<void>;
    try {
      const { ctx, scope, retry, tally } = frame;
      const input = { candidate, request: loop.request, inputEstimate: loop.tokens.estimate(candidate.model), ctx, scope, retry, tally, holds: this.holds };
      attempted = runCandidateAttempt(this.env, input, state);
    } catch (error) {
      attempted = Promise.reject(error);
    }
    return attempted.then(
      () => loop.done({ state, model: candidate.model.id, provider: candidate.endpoint }),
      (error: unknown) => this.afterFailure(loop, candidate, state, error),
    );
  }

  /** Waits, retries, fails over or stops after a failed attempt, as the retry policy decides. */
  private afterFailure<T>(loop: AttemptLoop<T>, candidate: RoutedCandidate<Provider>, state: AttemptState, error: unknown): Promise<T> {
    const { frame, plan } = loop;
    const { ctx } = frame;
    const decision = withCircuitEvents(this.env, ctx, () => this.decideAfter(error, plan, loop.current, loop.onCandidate, loop.started, frame));
    const discard = state.text.length > 0 || state.toolCalls.length > 0 || state.reasoning.length > 0;
    const stamp = { attempt: frame.tally.attempts, model: candidate.model.id, provider: candidate.endpoint };
    if (decision.action === 'stop') return Promise.reject(error);
    if (decision.action === 'wait-budget') {
      loop.onCandidate--; // the refused reservation was not an attempt
      return releaseSignalOf(this.env.ledger)
        .wait(ctx.abort.signal)
        .then(() => this.attempt(loop));
    }
    if (decision.action === 'retry') {
      this.env.retryBudget.recordRetry();
      ctx.emit({ type: 'node-retry', discard, error: errorToJSON(error), delayMs: decision.delayMs, ...stamp });
      return sleep(decision.delayMs, ctx.abort.signal, this.env.clock).then(() => this.attempt(loop));
    }
    const next = plan.candidates[decision.next]!;
    ctx.emit({ type: 'node-fallback', from: where(candidate), to: where(next), reason: decision.reason, discard, error: errorToJSON(error), ...stamp });
    loop.current = decision.next;
    loop.onCandidate = 0;
    return this.attempt(loop);
  }

  /**
   * What follows a failed attempt. A budget refusal is decided here: with `downgrade`, a cheaper candidate; else,
   * when the refusing level could hold the reservation once the attempts in flight have settled, wait for them
   * (the budget is held, not spent); else stop with the BudgetExceededError. Every other error goes to `decide`.
   */
  private decideAfter(
    error: unknown,
    plan: RoutePlan<Provider>,
    current: number,
    attempt: number,
    started: number,
    frame: CallFrame,
  ): RetryDecision | { action: 'wait-budget' } {
    const { breakers, gate } = this.env;
    const candidates = plan.candidates;
    if (BudgetExceededError.isInstance(error)) {
      const next = frame.spec.downgrade ? cheaperCandidate(candidates, current) : -1;
      if (next >= 0) return { action: 'failover', next, reason: `${error.message} Downgrading to ${candidates[next]!.model.id}.` };
      if (fitsOnceSettled(error)) return { action: 'wait-budget' };
      return { action: 'stop', reason: error.message };
    }
    return decide(
      error,
      {
        candidates,
        current,
        attempt,
        elapsedMs: performance.now() - started,
        retryBudgetOk: this.env.retryBudget.canRetry(),
        available: (c) => !breakers.isOpen(c.endpoint, c.model.id) && gate.pausedFor(c.endpoint) <= frame.retry.retryAfterCapMs,
      },
      frame.retry,
    );
  }

  budget(): BudgetFigures[] {
    return this.env.ledger.snapshot(this.runScope);
  }

  get catalog(): Catalog {
    return this.env.catalog;
  }

  /**
   * Charges earlier spend (a resumed run's) at every level of the run's chain: a zero hold, settled to it. A
   * persistent ledger already holds that spend, so nothing is charged twice.
   */
  async charge(amount: { usd: number; tokens: number }): Promise<void> {
    if (this.env.ledger.persistent) return;
    const hold = await this.env.ledger.reserve({ scope: this.runScope, usd: 0, tokens: 0 });
    if (hold.ok) await this.env.ledger.settle(hold.reservation.id, amount);
  }

  close(): void {
    void Promise.resolve(this.runScope.close()).then(() => releaseSignalOf(this.env.ledger).notify());
  }
}

/** What a route function sees; `inputTokens` is counted (with the tokenizer) only when read. */
function routeContext(spec: CallSpec, tokens: RequestTokens, models: readonly ModelInfo[]): RouteContext {
  return {
    task: spec.task,
    get inputTokens() {
      return tokens.counted();
    },
    inputTokenBound: tokens.bound,
    maxOutputTokens: spec.maxOutputTokens,
    models,
  };
}

function where(candidate: RoutedCandidate<Provider>): { model: string; provider: string } {
  return { model: candidate.model.id, provider: candidate.endpoint };
}

/** Whether the refusing level would hold the reservation if nothing were in flight there. */
function fitsOnceSettled(error: BudgetExceededError): boolean {
  return error.reserved > 0 && error.spent + error.requested <= error.limit;
}

/** The next candidate after `current` whose worst case is lower than the current one's. */
function cheaperCandidate(candidates: readonly RoutedCandidate<Provider>[], current: number): number {
  const limit = candidates[current]!.worstCaseUsd;
  return candidates.findIndex((c, index) => index > current && c.worstCaseUsd < limit);
}
