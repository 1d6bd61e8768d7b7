/**
 * Types that describe one model call. Nothing here knows a provider's wire format, a graph, a budget or a
 * retry: adapters implement these, the engine consumes them.
 */

/** The work a request is for; the default routes map each kind to a model (see `defaultRoutes`). */
export type TaskKind =
  | 'agentic-coding'
  | 'agent'
  | 'computer-use'
  | 'long-context'
  | 'research'
  | 'classification'
  | 'summarization'
  | 'extraction'
  | 'chat'
  | 'critical';

/**
 * The family a model is served on: one of the built-in wire families, or any other name — a catalog entry with
 * `provider: 'local'` is served by the endpoint named 'local' (an `aiSdk({ name: 'local' })` endpoint, or an
 * `openai({ name: 'local', baseURL })` one). The built-in names still autocomplete.
 */
export type ProviderFamily = 'openai' | 'anthropic' | 'google' | (string & {});

/** Tokens one call consumed, as the provider reported them (or as estimated, when `estimated` is set). */
export interface Usage {
  /** All input tokens, cached ones included. */
  inputTokens: number;
  /** Input tokens served from the provider's prompt cache (a subset of `inputTokens`). */
  cachedInputTokens: number;
  /** Input tokens written to the provider's prompt cache (a subset of `inputTokens`; Anthropic bills them above input). */
  cacheWriteTokens: number;
  /** All output tokens, reasoning tokens included. */
  outputTokens: number;
  /** Output tokens spent on hidden reasoning (a subset of `outputTokens`; billed as output). */
  reasoningTokens: number;
  /** True when some figure was estimated by switchyard rather than reported by the provider. */
  estimated?: boolean;
}

/** One conversational turn. System prompts travel in `ModelRequest.system`, never as a message. */
export type Message =
  | { role: 'user'; content: string }
  | { role: 'assistant'; content: string; toolCalls?: ToolCall[] }
  | { role: 'tool'; toolCallId: string; toolName: string; content: string };

/** A tool call the model asked for. `args` is the parsed JSON arguments. */
export interface ToolCall {
  id: string;
  name: string;
  args: unknown;
}

/** A tool as an adapter sees it: name, description and a JSON Schema for its arguments. */
export interface ToolSpec {
  name: string;
  description?: string;
  /** JSON Schema (draft 2020-12 subset) of the arguments object. */
  parameters: Record<string, unknown>;
}

/** A structured-output request as an adapter sees it. */
export interface OutputSpec {
  /** A short identifier for the schema (providers require one). */
  name: string;
  /** JSON Schema of the expected reply. */
  schema: Record<string, unknown>;
}

/**
 * A provider-neutral request, already resolved to plain data (zod schemas converted to JSON Schema).
 * This is what an adapter receives.
 */
export interface ModelRequest {
  messages: Message[];
  system?: string;
  tools?: ToolSpec[];
  output?: OutputSpec;
  /** Upper bound on output tokens for this call. */
  maxOutputTokens?: number;
  temperature?: number;
  /**
   * Hints for providers' prompt caches; adapters that cannot use them ignore them. `key` groups requests that
   * share a prefix (OpenAI `prompt_cache_key`); `breakpoints` controls Anthropic `cache_control` marks
   * (`'auto'`, the default: on stable prefixes long enough to cache; `'off'`: none).
   */
  cache?: { key?: string; breakpoints?: 'auto' | 'off' };
  signal?: AbortSignal;
}

/** Why a call stopped. */
export type FinishReason = 'stop' | 'length' | 'tool-calls' | 'content-filter' | 'other';

/** What a model call streams. Every successful stream ends with one `usage` then one `finish`. */
export type ModelEvent =
  | { type: 'text-delta'; text: string }
  | { type: 'tool-call'; call: ToolCall }
  | { type: 'usage'; usage: Usage }
  | { type: 'finish'; reason: FinishReason };

/** Price per million tokens for one tier. */
export interface PriceTier {
  input: number;
  /** Cached input; defaults to `input` when the provider has no cache discount. */
  cachedInput?: number;
  /** Cache writes; defaults to `input`. */
  cacheWrite?: number;
  output: number;
}

/** Prices in USD per million tokens, with optional tiers by input size. */
export interface Pricing extends PriceTier {
  /**
   * Tiers for large inputs: when a request's input tokens exceed `aboveInputTokens`, the WHOLE request bills at
   * the tier's prices (as OpenAI and Google bill long context). Sorted or not; the highest matching tier applies.
   */
  tiers?: Array<PriceTier & { aboveInputTokens: number }>;
  /** Where the prices were read. */
  source: string;
  /** When they were read (YYYY-MM-DD). */
  asOf: string;
}

/** What a model can do. */
export interface Capabilities {
  tools: boolean;
  structuredOutput: boolean;
  vision: boolean;
  reasoning: boolean;
}

/** One catalog entry. */
export interface ModelInfo {
  /** The id users name, e.g. 'gpt-5.5'. */
  id: string;
  /**
   * The family that serves it natively: 'openai', 'anthropic', 'google', or the name of the endpoint that serves it
   * (e.g. 'local' for a self-hosted model behind an endpoint named 'local').
   */
  provider: ProviderFamily;
  /** The id sent on the wire, when it differs from `id`. */
  apiModel?: string;
  /** Nominal context window in tokens (input + output). */
  contextWindow: number;
  /**
   * Input size up to which the model still retrieves reliably; routing never sends larger input.
   * @default contextWindow
   */
  usableInputTokens?: number;
  /** Largest output the model may produce in one call. */
  maxOutputTokens: number;
  pricing: Pricing;
  capabilities: Capabilities;
  /** Task kinds this model suits. */
  tasks: TaskKind[];
  /**
   * For models whose tokenizer is not public: how many of the model's tokens one o200k_base token is worth.
   * Token counts for budgets and routing are the o200k count times this, rounded up (see `countTokens`).
   * @default 1 for the 'openai' family (counted exactly), 1.15 for the others
   */
  tokenFactor?: number;
}
