import type { ReasoningEffort, TaskKind } from './types.js';

/**
 * The reasoning effort a call gets from its task kind when it sets none itself. Thinking costs output tokens
 * and time, so it goes where it pays: deep for agentic coding, agents, research and critical decisions; little
 * for high-throughput work (classification, extraction, summarization) and conversational latency (chat).
 * A model that does not allow an effort gets the nearest one it does (see `ModelInfo.reasoningEfforts`).
 */
export const defaultReasoning: Readonly<Record<TaskKind, ReasoningEffort>> = Object.freeze({
  // Multi-step code changes gain the most from thinking before each tool call.
  'agentic-coding': 'high',
  agent: 'high',
  // Computer use loops through many short steps where each one's latency adds up.
  'computer-use': 'medium',
  // Retrieval over long input needs care more than deep deliberation.
  'long-context': 'medium',
  research: 'high',
  // As good at low effort for this work, at a fraction of the output tokens.
  classification: 'low',
  summarization: 'low',
  extraction: 'low',
  // Replies a person waits for.
  chat: 'low',
  // Zero-failure decisions: the most the models allow short of xhigh's cost.
  critical: 'high',
});
