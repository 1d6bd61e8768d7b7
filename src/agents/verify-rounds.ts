import { describeValue } from '../data/bounded-json.js';
import { SwitchyardError } from '../errors/switchyard-error.js';
import type { Message, Usage } from '../models/types.js';
import { bounded } from './bounded.js';
import type { Verdict, VerifyRound } from './node-detail.js';
import type { NodeIO } from './node-io.js';
import type { Verifier } from './verifier.js';

/** Longest feedback fed back to the model (head and tail kept). */
export const MAX_FEEDBACK_CHARS = 8_000;

/** What one round produced: the output to judge and the model that produced it. */
export interface Produced {
  output: unknown;
  model: string;
}

/** Produces one round's output, appending its turns (assistant replies, tool results) to `conversation`. */
export type Produce = (conversation: Message[], round: number) => Promise<Produced>;

/** How a tier's rounds ended. */
export type RoundsOutcome = { ok: true; output: unknown } | { ok: false; output: unknown; feedback: string };

export interface RoundsInput {
  io: NodeIO;
  verify: Verifier;
  maxRounds: number;
  /** The cascade tier (0 without a cascade). */
  tier: number;
  /** The node's context, handed to the verifier. */
  context: unknown;
  /** Every round of the node so far; this tier's rounds are appended. */
  rounds: VerifyRound[];
}

/** The user turn that hands a verifier's feedback back to the model. */
export function feedbackPrompt(feedback: string): string {
  return (
    'Your previous answer did not pass verification:\n\n' +
    `${bounded(feedback, MAX_FEEDBACK_CHARS)}\n\n` +
    'Revise it to fix this, and reply with the complete revised answer.'
  );
}

function usageDelta(after: Usage, before: Usage): Usage {
  return {
    inputTokens: after.inputTokens - before.inputTokens,
    cachedInputTokens: after.cachedInputTokens - before.cachedInputTokens,
    cacheWriteTokens: after.cacheWriteTokens - before.cacheWriteTokens,
    outputTokens: after.outputTokens - before.outputTokens,
    reasoningTokens: after.reasoningTokens - before.reasoningTokens,
    ...(after.estimated ? { estimated: true } : {}),
  };
}

/**
 * Calls the verifier and checks what it returned. With a step log, the verdict is committed (a resumed run
 * replays it rather than running the verifier again).
 */
async function judge(input: RoundsInput, output: unknown, round: number): Promise<Verdict> {
  const { io } = input;
  const op = `verdict:${round}`;
  const recalled = io.steps?.recall(op) as Verdict | undefined;
  if (recalled !== undefined) return recalled;
  const verdict = checkVerdict(
    io,
    await input.verify(output, {
      round,
      previous: [...input.rounds],
      context: input.context,
      signal: io.signal,
      runId: io.runId,
      nodeId: io.nodeId,
    }),
  );
  await io.steps?.commit(op, verdict);
  return verdict;
}

function checkVerdict(io: NodeIO, verdict: unknown): Verdict {
  const v = verdict as { ok?: unknown; feedback?: unknown } | null | undefined;
  if (v?.ok === true) return { ok: true };
  if (v?.ok === false && typeof v.feedback === 'string') return { ok: false, feedback: v.feedback };
  throw new SwitchyardError({
    kind: 'invalid_request',
    message:
      `Node '${io.nodeId}': verify returned ${describeValue(verdict)}; ` +
      "return { ok: true } or { ok: false, feedback: 'what to fix' }.",
  });
}

/**
 * Runs generate → verify rounds on one tier until the verifier accepts or `maxRounds` are spent. Each round is
 * recorded (output, verdict, model, usage and cost) and announced with a `node-round` event; a rejected round's
 * feedback is appended to the conversation for the next. Errors of the model calls (a budget refusal included)
 * propagate: they stop the loop.
 */
export async function runRounds(input: RoundsInput, conversation: Message[], produce: Produce): Promise<RoundsOutcome> {
  const { io } = input;
  for (let n = 1; ; n++) {
    const round = input.rounds.length + 1;
    const before = io.spent();
    const produced = await produce(conversation, round);
    const verdict = await judge(input, produced.output, round);
    const after = io.spent();
    const costUsd = after.costUsd - before.costUsd;
    input.rounds.push({
      round,
      tier: input.tier,
      output: produced.output,
      verdict,
      model: produced.model,
      usage: usageDelta(after.usage, before.usage),
      costUsd,
    });
    const feedback = verdict.ok ? undefined : verdict.feedback;
    const shown = feedback === undefined ? {} : { feedback: bounded(feedback, MAX_FEEDBACK_CHARS) };
    io.emit({ type: 'node-round', round, ok: verdict.ok, ...shown, costUsd }, { round });
    if (verdict.ok) return { ok: true, output: produced.output };
    if (n >= input.maxRounds) return { ok: false, output: produced.output, feedback: verdict.feedback };
    conversation.push({ role: 'user', content: feedbackPrompt(verdict.feedback) });
  }
}
