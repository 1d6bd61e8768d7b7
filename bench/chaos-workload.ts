/**
 * The chaos benchmark's workloads: a 1,000-node workflow over two simulated endpoints with injected faults, and
 * a workload mix over the task kinds of the default routing table for the cost comparison.
 */
import { z } from 'zod';
import { workflow, type ModelRequest, type TaskKind, type Workflow } from '../src/index.js';
import { simulated, type Fault, type ScriptedReply, type ScriptRequestInfo, type SimulatedProvider } from '../src/testing/index.js';
import type { NodeDefinition } from '../src/workflow/index.js';

/** The chaos workflow's shape: `chains` independent chains of `stages` nodes (node k of a chain waits for k-1). */
export interface ChaosShape {
  chains: number;
  stages: number;
}

/**
 * The faults injected, drawn uniformly: rate limits with a Retry-After, server errors, overload, cut and hung
 * streams, streams that never end (a token every 2 ms, ignoring the output cap), and usage reports no one should
 * trust (negative, null, Infinity, text).
 */
export const CHAOS_FAULTS: ReadonlyArray<Fault> = [
  { type: 'http', status: 429, retryAfterMs: 100 },
  { type: 'http', status: 500 },
  { type: 'http', status: 503 },
  { type: 'cut', afterTokens: 3 },
  { type: 'hang', afterTokens: 2 },
  { type: 'endless', chunkDelayMs: 2 },
  { type: 'bad-usage', usage: { outputTokens: '-5', inputTokens: 'null', cachedInputTokens: '1e999', reasoningTokens: '"7"' } },
];

/** The reply every chaos node gets (14 words). */
export const CHAOS_REPLY = 'Done: the step is complete and the result is recorded for the next stage.';

/** Task kinds the chaos nodes cycle through (each routed by the default table). */
const CHAOS_TASKS: readonly TaskKind[] = ['classification', 'summarization', 'chat', 'extraction', 'agentic-coding', 'research'];

/** The chaos workflow: chains × stages `.llm` nodes, each routed by task, each with a 200-token output limit. */
export function chaosWorkflow(shape: ChaosShape): Workflow<undefined> {
  const nodes: NodeDefinition[] = [];
  for (let stage = 0; stage < shape.stages; stage++) {
    for (let chain = 0; chain < shape.chains; chain++) {
      const id = `s${stage}c${chain}`;
      nodes.push({
        kind: 'llm',
        id,
        after: stage === 0 ? [] : [`s${stage - 1}c${chain}`],
        task: CHAOS_TASKS[(stage * shape.chains + chain) % CHAOS_TASKS.length]!,
        prompt: `Step ${stage} of chain ${chain}: continue the work and report in one line.`,
        maxOutputTokens: 200,
      } as NodeDefinition);
    }
  }
  return workflow({ name: 'chaos', input: z.undefined(), nodes });
}

/** Pacing of the simulated endpoints: 10 ms to the first token, then 1,000 tokens/s (a 12-word reply ≈ 21 ms). */
export const PACING = { firstTokenMs: 10, tokensPerSecond: 1000 };

/** Two endpoints serving every catalog model, with `rate` of their requests failing (seeded), drawn from `kinds`. */
export function chaosEndpoints(rate: number, seed: number, kinds: readonly Fault[] = CHAOS_FAULTS): SimulatedProvider[] {
  return ['primary', 'secondary'].map((name, k) =>
    simulated({
      name,
      ...PACING,
      reply: { text: CHAOS_REPLY },
      ...(rate > 0 ? { faults: { rate, kinds, seed: seed * 31 + k } } : {}),
    }),
  );
}

/** One row of the workload mix: how many calls of a task kind, and their typical size. */
export interface MixRow {
  task: TaskKind;
  calls: number;
  inputTokens: number;
  outputTokens: number;
}

/**
 * The workload mix over the task kinds of CONTEXT.md's routing table: mostly high-volume light work
 * (classification, summarization, chat), some agentic and research work, a little long-context and critical work.
 */
export const WORKLOAD_MIX: readonly MixRow[] = [
  { task: 'classification', calls: 300, inputTokens: 600, outputTokens: 20 },
  { task: 'summarization', calls: 150, inputTokens: 4_000, outputTokens: 300 },
  { task: 'extraction', calls: 100, inputTokens: 2_000, outputTokens: 200 },
  { task: 'chat', calls: 200, inputTokens: 1_500, outputTokens: 250 },
  { task: 'agentic-coding', calls: 100, inputTokens: 12_000, outputTokens: 3_000 },
  { task: 'computer-use', calls: 40, inputTokens: 6_000, outputTokens: 800 },
  { task: 'research', calls: 60, inputTokens: 8_000, outputTokens: 2_500 },
  { task: 'long-context', calls: 10, inputTokens: 300_000, outputTokens: 2_000 },
  { task: 'critical', calls: 10, inputTokens: 5_000, outputTokens: 1_500 },
];

const TAG = /^\[mix:([a-z-]+)\]/;

/** A prompt of about `tokens` tokens (one token per ' word'), tagged with its task kind. */
function mixPrompt(task: TaskKind, tokens: number): string {
  return `[mix:${task}] ${'word '.repeat(Math.max(0, tokens - 20))}`;
}

/** The number of calls of a row at `scale` (at least one). */
export function callsAt(row: MixRow, scale: number): number {
  return Math.max(1, Math.round(row.calls * scale));
}

/** The mix as one workflow (`scale` × its calls): every call routed by its task, or every call pinned to `model`. */
export function mixWorkflow(pinned?: string, scale = 1): Workflow<undefined> {
  const nodes: NodeDefinition[] = [];
  for (const row of WORKLOAD_MIX) {
    const prompt = mixPrompt(row.task, row.inputTokens);
    for (let i = 0; i < callsAt(row, scale); i++) {
      const where = pinned ? { model: pinned } : { task: row.task };
      nodes.push({ kind: 'llm', id: `${row.task}-${i}`, ...where, prompt, maxOutputTokens: row.outputTokens } as NodeDefinition);
    }
  }
  return workflow({ name: pinned ? `mix-on-${pinned}` : 'mix-routed', input: z.undefined(), nodes });
}

/**
 * Reports the mix row's sizes as the call's usage. (The prompts have about that many tokens, so routing sees the
 * real size; the usage is the row's figure rather than the token counter's estimate, which rounds huge texts up.)
 */
export function mixEndpoint(): SimulatedProvider {
  return simulated({
    name: 'openai-compatible',
    reply: (info: ScriptRequestInfo): ScriptedReply => {
      const task = TAG.exec(info.text)?.[1];
      const row = WORKLOAD_MIX.find((r) => r.task === task);
      const max = (info.body as ModelRequest).maxOutputTokens ?? 0;
      return { text: 'ok', usage: { inputTokens: row?.inputTokens ?? 1, outputTokens: Math.min(row?.outputTokens ?? 1, max) } };
    },
  });
}

/** The task kind of a mix node id ('chat-17' → 'chat'). */
export function taskOfMixNode(id: string): TaskKind {
  return id.slice(0, id.lastIndexOf('-')) as TaskKind;
}
