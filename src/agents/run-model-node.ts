import { SwitchyardError } from '../errors/switchyard-error.js';
import type { Message } from '../models/types.js';
import type { CallOptions } from '../call/call-types.js';
import { assistantTurn, DEFAULT_MAX_STEPS, DEFAULT_MAX_TOOL_RESULT_CHARS, runAgentLoop } from './agent-loop.js';
import type { AgentTool } from './agent-tool.js';
import { cascadeReport, tierRecord } from './cascade-report.js';
import { tierCall, tierName, type CascadeTier } from './cascade-tier.js';
import type { CascadeTierRecord, NodeDetail } from './node-detail.js';
import type { CallMeter, NodeIO } from './node-io.js';
import { recordingIO } from './recording-io.js';
import type { Verifier } from './verifier.js';
import { runRounds, type Produce, type RoundsOutcome } from './verify-rounds.js';

/** An `.llm` or `.agent` node reduced to what its runner needs. */
export interface ModelNodePlan {
  kind: 'llm' | 'agent';
  /** The call options (routing, system, limits, `output`); a cascade tier replaces the routing. */
  call: CallOptions;
  tools?: Readonly<Record<string, AgentTool>>;
  maxSteps?: number;
  maxToolResultChars?: number;
  verify?: Verifier;
  maxRounds?: number;
  acceptLast?: boolean;
  cascade?: readonly CascadeTier[];
  /** The node's context, for the verifier. */
  context: unknown;
}

/** Errors after which a cascade tries its next tier: output that does not validate, an agent out of steps. */
const ESCALATE_ON = new Set(['invalid_output', 'max_steps']);

type TierOutcome = RoundsOutcome | { ok: false; error: SwitchyardError; output?: undefined; feedback: string };

function producer(plan: ModelNodePlan, io: NodeIO, call: CallOptions, detail: NodeDetail): Produce {
  const tagRound = plan.verify !== undefined;
  if (plan.kind === 'agent') {
    const { output, ...stepCall } = call;
    const loop = {
      io,
      call: stepCall,
      tools: plan.tools ?? {},
      output,
      maxSteps: plan.maxSteps ?? DEFAULT_MAX_STEPS,
      maxToolResultChars: plan.maxToolResultChars ?? DEFAULT_MAX_TOOL_RESULT_CHARS,
      steps: (detail.steps ??= []),
      tagRound,
    };
    return (conversation, round) => runAgentLoop(loop, conversation, round);
  }
  return async (conversation, round) => {
    const result = await io.call(call, [...conversation], tagRound ? { tags: { round } } : {});
    conversation.push(assistantTurn(result));
    return { output: call.output ? result.object : result.text, model: result.model };
  };
}

/** One tier (or the node itself, without a cascade): rounds with a verifier, else one production. */
async function runTier(plan: ModelNodePlan, io: NodeIO, tier: number, messages: Message[], detail: NodeDetail): Promise<TierOutcome> {
  const call = tierCall(plan.call, plan.cascade?.[tier]);
  const produce = producer(plan, io, call, detail);
  const conversation = [...messages];
  try {
    if (plan.verify === undefined) return { ok: true, output: (await produce(conversation, 1)).output };
    const maxRounds = plan.maxRounds ?? (plan.cascade ? 1 : 3);
    const rounds = (detail.rounds ??= []);
    return await runRounds({ io, verify: plan.verify, maxRounds, tier, context: plan.context, rounds }, conversation, produce);
  } catch (error) {
    if (plan.cascade === undefined || !SwitchyardError.isInstance(error) || !ESCALATE_ON.has(error.kind)) throw error;
    return { ok: false, error, feedback: error.message };
  }
}

function verificationFailed(io: NodeIO, plan: ModelNodePlan, feedback: string): SwitchyardError {
  const tiers = plan.cascade ? ` on every cascade tier (${plan.cascade.map(tierName).join(' → ')})` : '';
  return new SwitchyardError({
    kind: 'verification_failed',
    retryable: false,
    message:
      `Node '${io.nodeId}': the output did not pass verification${tiers} within maxRounds. Last feedback: ${feedback}` +
      ' Raise maxRounds, add a stronger cascade tier, or set acceptLast to take the last output unverified.',
  });
}

/**
 * Runs an `.llm` or `.agent` node with its verifier and cascade: each tier (cheapest first) gets up to
 * `maxRounds` generate → verify rounds; a tier whose output is still rejected, or whose structured output does
 * not validate, or whose agent runs out of steps, escalates to the next. Every round, step and tier is recorded
 * in `detail` (kept in the node result, success or failure). When nothing passes, the node fails with the last
 * feedback (kind 'verification_failed') — or, with `acceptLast`, returns the last output marked unverified.
 */
export async function runModelNode(io: NodeIO, plan: ModelNodePlan, messages: Message[], detail: NodeDetail): Promise<unknown> {
  const last = plan.cascade ? await runCascade(io, plan, plan.cascade, messages, detail) : await runTier(plan, io, 0, messages, detail);
  if (last.ok) {
    if (plan.verify) detail.verified = true;
    return last.output;
  }
  if ('error' in last && last.error) throw last.error;
  if (plan.acceptLast) {
    detail.verified = false;
    return last.output;
  }
  throw verificationFailed(io, plan, last.feedback);
}

function escalationReason(outcome: TierOutcome): string | undefined {
  if (outcome.ok) return undefined;
  if (!('error' in outcome) || !outcome.error) return `the verifier rejected the output: ${outcome.feedback}`;
  const why = outcome.error.kind === 'max_steps' ? 'the agent ran out of steps' : 'the output did not validate';
  return `${why}: ${outcome.feedback}`;
}

/** The tiers in order until one passes; every tier is recorded (a tier that throws too), then the saving. */
async function runCascade(io: NodeIO, plan: ModelNodePlan, tiers: readonly CascadeTier[], messages: Message[], detail: NodeDetail) {
  const logs: CallMeter[][] = [];
  const records = (detail.cascade = { tiers: [] as CascadeTierRecord[] }).tiers;
  let last!: TierOutcome;
  try {
    for (let t = 0; t < tiers.length; t++) {
      const log: CallMeter[] = [];
      logs.push(log);
      try {
        last = await runTier(plan, recordingIO(io, log), t, messages, detail);
      } catch (error) {
        records.push(tierRecord(tiers[t]!, log, false, error instanceof Error ? error.message : String(error)));
        throw error;
      }
      const reason = escalationReason(last);
      records.push(tierRecord(tiers[t]!, log, last.ok, reason));
      if (last.ok) break;
      if (t + 1 < tiers.length) io.emit({ type: 'node-escalate', from: tierName(tiers[t]!), to: tierName(tiers[t + 1]!), reason: reason! });
    }
  } finally {
    Object.assign(detail.cascade, cascadeReport(tiers, records, logs, io.catalog));
  }
  return last;
}
