import type { SwitchyardError } from '../errors/switchyard-error.js';
import { SwitchyardError as SyError } from '../errors/switchyard-error.js';
import { costOf } from '../models/cost.js';
import { addUsage, ZERO_USAGE } from '../models/usage.js';
import type { Message, ModelRequest, Usage } from '../models/types.js';
import { consumedUsage, newAttemptState, runAttempt, type AttemptState } from './attempt.js';
import type { CallContext, CallResult, CallSpec } from './call-types.js';
import type { SwitchyardEnv } from './env.js';
import type { BudgetFigures } from './events.js';
import { parseOutput, repairPrompt } from './output-parser.js';
import { buildModelRequest, planOutput, type OutputPlan } from './request-builder.js';
import type { RunScope, RunScopeOptions } from './run-scope.js';

/** Totals a call accumulates over all its attempts. */
interface Tally {
  usage: Usage;
  costUsd: number;
  attempts: number;
}

/** A successful model exchange (one or more attempts) before output parsing. */
interface Exchange {
  state: AttemptState;
  model: string;
  provider: string;
}

/** Runs model calls for one run: routing, budget, retries and failover, output validation and repair. */
export class CallRunner implements RunScope {
  constructor(
    private readonly env: SwitchyardEnv,
    private readonly options: RunScopeOptions,
  ) {}

  async call(spec: CallSpec, ctx: CallContext): Promise<CallResult> {
    const plan = planOutput(spec.output);
    const request = buildModelRequest(spec, plan);
    const tally: Tally = { usage: { ...ZERO_USAGE }, costUsd: 0, attempts: 0 };
    const first = await this.exchange(spec, request, ctx, tally);
    if (!plan) return this.result(first, undefined, tally);
    try {
      return this.result(first, parseOutput(first.state.text, plan, first), tally);
    } catch (error) {
      if (!SyError.isInstance(error) || error.kind !== 'invalid_output') throw error;
      return this.repair(spec, request, plan, first, error, ctx, tally);
    }
  }

  /** One bounded repair: the validation error is fed back, and the reply to that must validate. */
  private async repair(
    spec: CallSpec,
    request: ModelRequest,
    plan: OutputPlan,
    first: Exchange,
    error: SwitchyardError,
    ctx: CallContext,
    tally: Tally,
  ): Promise<CallResult> {
    ctx.emit({ type: 'node-retry', discard: true, error: error.toJSON() as never, delayMs: 0, model: first.model, provider: first.provider });
    const messages: Message[] = [
      ...request.messages,
      { role: 'assistant', content: first.state.text },
      { role: 'user', content: repairPrompt(error) },
    ];
    const second = await this.exchange({ ...spec, model: first.model, task: undefined, route: undefined }, { ...request, messages }, ctx, tally);
    return this.result(second, parseOutput(second.state.text, plan, second), tally);
  }

  private result(exchange: Exchange, object: unknown, tally: Tally): CallResult {
    return {
      text: exchange.state.text,
      object,
      toolCalls: exchange.state.toolCalls,
      usage: tally.usage,
      costUsd: tally.costUsd,
      model: exchange.model,
      provider: exchange.provider,
      attempts: tally.attempts,
      finishReason: exchange.state.finishReason ?? 'stop',
    };
  }

  /** Routes, then attempts candidates under the retry policy until one streams to a finish. */
  private async exchange(spec: CallSpec, request: ModelRequest, ctx: CallContext, tally: Tally): Promise<Exchange> {
    const candidates = this.env.candidatesFor(spec);
    const chosen = candidates[0];
    if (!chosen) throw new SyError({ kind: 'no_provider', message: 'No endpoint serves any candidate model.' });
    ctx.emit({ type: 'node-route', reason: chosen.reason, candidates: candidates.slice(1).map((c) => ({ model: c.model.id, provider: c.provider.name, reason: c.reason })), model: chosen.model.id, provider: chosen.provider.name });
    const attempt = ++tally.attempts;
    const stamp = { attempt, model: chosen.model.id, provider: chosen.provider.name };
    const state = newAttemptState();
    try {
      await runAttempt(
        {
          provider: chosen.provider,
          model: chosen.model,
          request,
          signal: ctx.signal,
          onDelta: (event) => ctx.emit({ ...event, ...stamp }),
        },
        state,
      );
      return { state, model: chosen.model.id, provider: chosen.provider.name };
    } finally {
      const used = consumedUsage(chosen.model, request, state);
      tally.usage = addUsage(tally.usage, used);
      tally.costUsd += costOf(chosen.model, used);
    }
  }

  budget(): BudgetFigures[] {
    return [];
  }

  close(): void {}
}
