import { createCatalog } from './catalog.js';
import type { ModelInfo } from './types.js';

/*
 * The models switchyard knows out of the box. Prices are USD per million tokens. Each entry's `pricing.source`
 * says where its figures were read and which of them could not be confirmed; `asOf` is the day they were read.
 * Override any of it in code: createCatalog(defaultCatalog, { 'gpt-5.5': { pricing: { input: 4.5 } } }).
 */

const ASOF = '2026-11-25';
const OPENAI_PRICING = 'https://openai.com/api/pricing (as collected in switchyard CONTEXT.md, 2026)';
const ANTHROPIC_PRICING = 'https://www.anthropic.com/pricing#api';
const GOOGLE_PRICING = 'https://ai.google.dev/gemini-api/docs/pricing';

// Every model here reads images and PDFs (OpenAI: PDFs on vision models; Claude: PDF support; Gemini: documents).
const FULL = { tools: true, structuredOutput: true, vision: true, reasoning: true, documents: true } as const;

// Reasoning efforts each API accepts (OpenAI `reasoning.effort`; Anthropic maps efforts to thinking budgets;
// Gemini 3 `thinkingLevel`). GPT-5.x since 5.1 take 'none' in place of 'minimal' and 5.2+ add 'xhigh'; the -pro
// models think at medium or above only. Efforts of models newer than those documents are assumed to follow them.
const GPT5_EFFORTS = ['none', 'low', 'medium', 'high', 'xhigh'] as const;
const CLAUDE_EFFORTS = ['none', 'minimal', 'low', 'medium', 'high', 'xhigh'] as const;

const openaiModels: ModelInfo[] = [
  {
    id: 'gpt-5.5',
    provider: 'openai',
    contextWindow: 1_000_000,
    maxOutputTokens: 128_000,
    pricing: {
      input: 5,
      cachedInput: 0.5,
      output: 30,
      // Above 272K input tokens the WHOLE request bills at 2x input (and cached input) and 1.5x output.
      tiers: [{ aboveInputTokens: 272_000, input: 10, cachedInput: 1, output: 45 }],
      source: `${OPENAI_PRICING}; max output 128K assumed equal to gpt-5.4's (not confirmed)`,
      asOf: ASOF,
    },
    capabilities: { ...FULL },
    reasoningEfforts: [...GPT5_EFFORTS],
    tasks: ['agentic-coding', 'agent', 'computer-use', 'long-context', 'research', 'critical'],
  },
  {
    id: 'gpt-5.5-pro',
    provider: 'openai',
    contextWindow: 1_000_000,
    maxOutputTokens: 128_000,
    pricing: {
      input: 30,
      output: 180,
      tiers: [{ aboveInputTokens: 272_000, input: 60, output: 270 }],
      source:
        `${OPENAI_PRICING}; no cached-input discount published; the tier above 272K input is assumed to follow ` +
        `gpt-5.5's rule (2x input, 1.5x output; not confirmed, errs on the safe side for budgets)`,
      asOf: ASOF,
    },
    capabilities: { ...FULL },
    reasoningEfforts: ['medium', 'high', 'xhigh'],
    // Served by the Responses API only: a Chat Completions endpoint answers 404.
    apis: ['responses'],
    tasks: ['research', 'critical'],
  },
  {
    id: 'gpt-5.4',
    provider: 'openai',
    contextWindow: 1_050_000,
    // The 1M window is nominal: retrieval collapses past 256K, so routing never sends more.
    usableInputTokens: 256_000,
    maxOutputTokens: 128_000,
    pricing: {
      input: 2.5,
      cachedInput: 0.25,
      output: 15,
      tiers: [{ aboveInputTokens: 272_000, input: 5, cachedInput: 0.5, output: 22.5 }],
      source: OPENAI_PRICING,
      asOf: ASOF,
    },
    capabilities: { ...FULL },
    reasoningEfforts: [...GPT5_EFFORTS],
    tasks: ['agentic-coding', 'agent', 'computer-use', 'classification', 'summarization', 'extraction', 'chat'],
  },
  {
    id: 'gpt-5.4-mini',
    provider: 'openai',
    contextWindow: 400_000,
    maxOutputTokens: 128_000,
    pricing: {
      input: 0.75,
      cachedInput: 0.075,
      output: 4.5,
      source: `${OPENAI_PRICING}; 400K window and 128K max output from third-party model listings (not confirmed)`,
      asOf: ASOF,
    },
    capabilities: { ...FULL },
    reasoningEfforts: [...GPT5_EFFORTS],
    tasks: ['classification', 'summarization', 'extraction', 'chat'],
  },
  {
    id: 'gpt-5.4-nano',
    provider: 'openai',
    contextWindow: 400_000,
    maxOutputTokens: 128_000,
    pricing: {
      input: 0.2,
      cachedInput: 0.02,
      output: 1.25,
      source: `${OPENAI_PRICING}; 400K window and 128K max output assumed equal to gpt-5.4-mini's (not confirmed)`,
      asOf: ASOF,
    },
    capabilities: { ...FULL },
    reasoningEfforts: [...GPT5_EFFORTS],
    tasks: ['classification', 'extraction'],
  },
];

// Anthropic: cache reads bill at 0.1x input, 5-minute cache writes at 1.25x input. Opus 4.6+/Sonnet 4.6 bill the
// whole 1M window at standard rates (no long-context tier since the 1M window became generally available).
const anthropicModels: ModelInfo[] = [
  {
    id: 'claude-opus-4-7',
    provider: 'anthropic',
    contextWindow: 1_000_000,
    maxOutputTokens: 128_000,
    // Opus 4.7's tokenizer yields up to ~1.35x the tokens of earlier Claude models (Anthropic), measured up to
    // ~1.47x on English and technical text; 1.5 x o200k keeps budget reservations on the safe side.
    tokenFactor: 1.5,
    pricing: {
      input: 5,
      cachedInput: 0.5,
      cacheWrite: 6.25,
      output: 25,
      source: `${ANTHROPIC_PRICING} (input, cached input, output in switchyard CONTEXT.md; cache write = 1.25x input)`,
      asOf: ASOF,
    },
    capabilities: { ...FULL },
    reasoningEfforts: [...CLAUDE_EFFORTS],
    tasks: ['agentic-coding', 'agent', 'computer-use', 'long-context', 'research', 'critical'],
  },
  {
    id: 'claude-sonnet-4-6',
    provider: 'anthropic',
    contextWindow: 1_000_000,
    maxOutputTokens: 64_000,
    pricing: {
      input: 3,
      cachedInput: 0.3,
      cacheWrite: 3.75,
      output: 15,
      source: ANTHROPIC_PRICING,
      asOf: ASOF,
    },
    capabilities: { ...FULL },
    reasoningEfforts: [...CLAUDE_EFFORTS],
    tasks: ['agentic-coding', 'agent', 'long-context', 'summarization', 'chat'],
  },
  {
    id: 'claude-haiku-4-5',
    provider: 'anthropic',
    contextWindow: 200_000,
    maxOutputTokens: 64_000,
    pricing: {
      input: 1,
      cachedInput: 0.1,
      cacheWrite: 1.25,
      output: 5,
      source: ANTHROPIC_PRICING,
      asOf: ASOF,
    },
    capabilities: { ...FULL },
    reasoningEfforts: [...CLAUDE_EFFORTS],
    tasks: ['classification', 'summarization', 'extraction', 'chat'],
  },
];

// Google: output prices include thinking tokens. Context-cache storage (per hour) is not modelled.
const googleModels: ModelInfo[] = [
  {
    id: 'gemini-3.1-pro',
    provider: 'google',
    apiModel: 'gemini-3.1-pro-preview',
    contextWindow: 1_048_576,
    maxOutputTokens: 65_536,
    pricing: {
      input: 2,
      cachedInput: 0.2,
      output: 12,
      // Prompts above 200K tokens bill the whole request at the higher rate.
      tiers: [{ aboveInputTokens: 200_000, input: 4, cachedInput: 0.4, output: 18 }],
      source:
        `${GOOGLE_PRICING} (figures confirmed only through third-party copies of that page; ` +
        `gemini-3-pro-preview was shut down in 2026 in favour of gemini-3.1-pro-preview)`,
      asOf: ASOF,
    },
    capabilities: { ...FULL },
    // Gemini 3 Pro cannot switch thinking off; 3.1 adds 'medium'.
    reasoningEfforts: ['low', 'medium', 'high'],
    tasks: ['agentic-coding', 'agent', 'long-context', 'research'],
  },
  {
    id: 'gemini-3-flash',
    provider: 'google',
    apiModel: 'gemini-3-flash-preview',
    contextWindow: 1_048_576,
    maxOutputTokens: 65_536,
    pricing: {
      input: 0.5,
      cachedInput: 0.05,
      output: 3,
      source: `${GOOGLE_PRICING} (text/image/video input rate; max output 64K not confirmed)`,
      asOf: ASOF,
    },
    capabilities: { ...FULL },
    reasoningEfforts: ['minimal', 'low', 'medium', 'high'],
    tasks: ['classification', 'summarization', 'extraction', 'chat'],
  },
];

/**
 * The built-in catalog: GPT-5.5 / 5.4 family, Claude Opus 4.7 / Sonnet 4.6 / Haiku 4.5, Gemini 3.1 Pro / 3 Flash,
 * with prices per million tokens, price tiers, windows, capabilities and the task kinds each suits.
 * @example
 * defaultCatalog.get('gpt-5.5').pricing.input // 5
 * const mine = defaultCatalog.extend({ 'gpt-5.5': { pricing: { input: 4.5 } } });
 */
export const defaultCatalog = /* @__PURE__ */ createCatalog([...openaiModels, ...anthropicModels, ...googleModels]);
