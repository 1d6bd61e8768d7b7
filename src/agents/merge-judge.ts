import { z } from 'zod';
import { ZERO_USAGE } from '../models/usage.js';
import { textOf } from '../models/content.js';
import type { ContentPart, Message } from '../models/types.js';
import type { CallOptions } from '../call/call-types.js';
import type { JudgeOptions } from './ensemble-types.js';
import type { EnsembleCandidate, EnsembleMergeRecord } from './node-detail.js';
import type { CallMeter, NodeIO } from './node-io.js';
import { bounded } from './bounded.js';

/** Longest candidate output shown to the judge. */
const MAX_CANDIDATE_CHARS = 12_000;

const render = (output: unknown) => bounded(typeof output === 'string' ? output : JSON.stringify(output, null, 2), MAX_CANDIDATE_CHARS);

function requestText(messages: readonly Message[]): string {
  return messages
    .filter((m) => m.role === 'user' || m.role === 'assistant')
    .map((m) => (messages.length === 1 ? textOf(m.content) : `${m.role}: ${textOf(m.content)}`))
    .join('\n\n');
}

/** The images and files of the request: the judge sees them too, after its prompt. */
function attachmentsOf(messages: readonly Message[]): ContentPart[] {
  return messages.flatMap((m) => (m.role === 'user' && typeof m.content !== 'string' ? m.content.filter((p) => p.type !== 'text') : []));
}

/** The judge's prompt: the request, the numbered candidates, and what to do with them. */
export function judgePrompt(messages: readonly Message[], succeeded: readonly EnsembleCandidate[], options: JudgeOptions): string {
  const answers = succeeded.map((c, i) => `### Candidate ${i + 1}\n${render(c.output)}`).join('\n\n');
  const task =
    options.mode === 'synthesize'
      ? 'Write the best possible final answer to the request, keeping what the candidates got right and fixing what they got wrong.'
      : 'Pick the best candidate answer to the request. Reply with its number as `choice` and a short `reason`.';
  const criteria = options.criteria ? `\nValue above all: ${options.criteria}` : '';
  const request = bounded(requestText(messages), MAX_CANDIDATE_CHARS);
  return `## Request\n${request}\n\n## Candidate answers\n${answers}\n\n## Your task\n${task}${criteria}`;
}

/** What a judge decided. */
export interface JudgeOutcome {
  output: unknown;
  chosen: number[];
  judge: NonNullable<EnsembleMergeRecord['judge']>;
}

/**
 * Asks a judge model (routed by `task`, or pinned by `model`) to pick the best candidate — its output becomes
 * the node's — or to synthesize a final answer from all of them. The judge's call goes through the run scope
 * like every other call (its events carry no `candidate`).
 */
export async function judgeMerge(
  io: NodeIO,
  options: JudgeOptions,
  base: CallOptions,
  messages: readonly Message[],
  succeeded: readonly EnsembleCandidate[],
): Promise<JudgeOutcome> {
  const pick = options.mode !== 'synthesize';
  const choice = z.object({ choice: z.number().int().min(1).max(succeeded.length), reason: z.string() });
  const call: CallOptions = {
    ...(options.model !== undefined ? { model: options.model } : { task: options.task ?? 'research' }),
    system: 'You judge candidate answers to a request, carefully and impartially.',
    output: pick ? choice : base.output,
    ...(options.maxOutputTokens !== undefined && { maxOutputTokens: options.maxOutputTokens }),
    ...(base.budget !== undefined && { budget: base.budget }),
    ...(base.retry !== undefined && { retry: base.retry }),
    ...(base.providers !== undefined && { providers: base.providers }),
  };
  const meter: CallMeter = { usage: { ...ZERO_USAGE }, costUsd: 0 };
  const prompt = judgePrompt(messages, succeeded, options);
  const attachments = attachmentsOf(messages);
  const content = attachments.length === 0 ? prompt : [{ type: 'text' as const, text: prompt }, ...attachments];
  const result = await io.call(call, [{ role: 'user', content }], { meter });
  const judge = { model: result.model, costUsd: meter.costUsd };
  if (!pick) return { output: base.output ? result.object : result.text, chosen: succeeded.map((c) => c.index), judge };
  const verdict = result.object as z.infer<typeof choice>;
  const winner = succeeded[verdict.choice - 1]!;
  return { output: winner.output, chosen: [winner.index], judge: { ...judge, reason: verdict.reason } };
}
