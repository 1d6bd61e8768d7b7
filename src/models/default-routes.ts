import type { TaskKind } from './types.js';

/**
 * The default model preference per task kind: catalog ids, first choice first. The router tries them in order,
 * skipping models no configured endpoint serves or whose usable window the input does not fit.
 * Sources: switchyard CONTEXT.md (benchmarks as published by the model makers, 2026).
 */
export const defaultRoutes: Readonly<Record<TaskKind, readonly string[]>> = Object.freeze({
  // Terminal-Bench 2.0: gpt-5.5 82.7% (gpt-5.4 75.1%), Expert-SWE 73.1%; Opus 4.7 and Gemini 3.1 Pro as
  // cross-provider fallbacks; gpt-5.4 last as the cheaper same-provider fallback.
  'agentic-coding': ['gpt-5.5', 'claude-opus-4-7', 'gemini-3.1-pro', 'gpt-5.4'],
  // Automation pipelines and tool loops: the same strengths as agentic coding.
  agent: ['gpt-5.5', 'claude-opus-4-7', 'gpt-5.4', 'gemini-3.1-pro'],
  // OSWorld-Verified: gpt-5.5 78.7%, gpt-5.4 75.0%; Opus 4.7 between them as the cross-provider fallback.
  'computer-use': ['gpt-5.5', 'claude-opus-4-7', 'gpt-5.4'],
  // MRCR v2 8-needle at 512K–1M: gpt-5.5 74.0% (gpt-5.4 36.6%: never here, its usable window is 256K); then
  // models whose full 1M window is usable.
  'long-context': ['gpt-5.5', 'claude-opus-4-7', 'gemini-3.1-pro', 'claude-sonnet-4-6'],
  // Research and quantitative analysis: gpt-5.5 (use task 'critical' for gpt-5.5-pro on the hardest).
  research: ['gpt-5.5', 'claude-opus-4-7', 'gemini-3.1-pro'],
  // As good as gpt-5.5 for this work at half the price; smaller models as cheap fallbacks.
  classification: ['gpt-5.4', 'gpt-5.4-mini', 'claude-haiku-4-5', 'gemini-3-flash'],
  // High-throughput summarization: gpt-5.4, then the cheap fast tier of each provider.
  summarization: ['gpt-5.4', 'gpt-5.4-mini', 'gemini-3-flash', 'claude-haiku-4-5'],
  // Structured extraction is classification-like work: the same cheap, reliable structured-output models.
  extraction: ['gpt-5.4', 'gpt-5.4-mini', 'gemini-3-flash', 'claude-haiku-4-5'],
  // Tau2-bench Telecom: gpt-5.4 98.9% (gpt-5.5 98.0%); Sonnet 4.6 as a strong conversational fallback.
  chat: ['gpt-5.4', 'claude-sonnet-4-6', 'gpt-5.4-mini', 'gemini-3-flash'],
  // Zero-failure decisions: gpt-5.5-pro (about 6x the standard price), then gpt-5.5 and Opus 4.7.
  critical: ['gpt-5.5-pro', 'gpt-5.5', 'claude-opus-4-7'],
});
