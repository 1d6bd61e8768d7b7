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

/**
 * How much a reasoning model thinks before it answers, from `'none'` (no reasoning) to `'xhigh'`. Each model
 * allows some of these (see `ModelInfo.reasoningEfforts`); a request for another is moved to the nearest allowed.
 */
export type ReasoningEffort = 'none' | 'minimal' | 'low' | 'medium' | 'high' | 'xhigh';

/**
 * Reasoning controls of one call: OpenAI `reasoning.effort`, Anthropic extended thinking (a token budget derived
 * from the effort, or `budgetTokens`), Gemini `thinkingConfig`. Reasoning tokens count inside the output cap and
 * bill as output.
 * @example { effort: 'high' }
 * @example { effort: 'medium', budgetTokens: 8_000 }
 */
export interface ReasoningOptions {
  /** How hard the model thinks. */
  effort: ReasoningEffort;
  /**
   * A token budget for the thinking itself, where the wire has one (Anthropic `budget_tokens`, Gemini
   * `thinkingBudget`); OpenAI takes only the effort. Always kept inside the call's output cap.
   * @default derived from `effort`
   */
  budgetTokens?: number;
}

/**
 * State a provider attaches to a reply that must go back with that turn on the next request: Gemini thought
 * signatures, Anthropic thinking blocks with their signatures, OpenAI encrypted reasoning items. Opaque to
 * everything above the adapter: the adapter that made it sends it back when the next request goes to the same
 * endpoint, API and model (`owner`), and leaves it out anywhere else.
 */
export interface ProviderState {
  /** Who can read `data`: the endpoint, wire API and model that produced it. */
  readonly owner: string;
  /** The provider's data, as the adapter keeps it. */
  readonly data: unknown;
}

/**
 * A file a provider already holds (uploaded with its Files API), named by its id and the endpoint it was uploaded
 * to. Routing sends a request that holds one only to that endpoint.
 * @example { fileId: 'file-6F2ksmvXxt4VdoqmHRw6kL', provider: 'openai' }
 */
export interface ProviderFileRef {
  /** The provider's id for the file (OpenAI `file-…`, Anthropic `file_…`, the Gemini file's `uri`). */
  fileId: string;
  /** The endpoint name the file was uploaded to (e.g. 'openai', 'anthropic', 'google', or your hub's name). */
  provider: string;
}

/**
 * The content of an image or a file: bytes (`Uint8Array` or `Buffer`), base64 text, a `data:` URL, an `https:` URL
 * (a string or a `URL`; the provider fetches it) or a file the provider already holds.
 */
export type AttachmentData = Uint8Array | string | URL | ProviderFileRef;

/** Text in a message. */
export interface TextPart {
  type: 'text';
  text: string;
}

/**
 * An image: PNG, JPEG, GIF or WebP (which ones a provider takes: see docs/messages.md).
 * @example { type: 'image', image: await readFile('chart.png') }
 */
export interface ImagePart {
  type: 'image';
  image: AttachmentData;
  /**
   * The image's media type, e.g. 'image/png'.
   * @default read from the bytes (or the data: URL); unknown for an `https:` URL
   */
  mediaType?: string;
}

/**
 * A file: a PDF (`application/pdf`, read by models with the `documents` capability), or text (`text/*`,
 * `application/json`, sent as text to every model).
 * @example { type: 'file', data: pdfBytes, mediaType: 'application/pdf', filename: 'contract.pdf' }
 */
export interface FilePart {
  type: 'file';
  data: AttachmentData;
  /** The file's media type, e.g. 'application/pdf' or 'text/plain'. */
  mediaType: string;
  /** A name shown to the model (OpenAI and Anthropic pass it on). */
  filename?: string;
  /**
   * For a PDF given by URL or file id (whose bytes switchyard cannot read): its page count, which budgets reserve
   * for. Ignored when the bytes are in the request (their pages are counted).
   * @default the provider's page limit, capped by what the model's window holds
   */
  pages?: number;
}

/** One part of a message's content. */
export type ContentPart = TextPart | ImagePart | FilePart;

/** A message's content: text, or parts (text, images, files) in order. */
export type MessageContent = string | ContentPart[];

/**
 * One conversational turn. System prompts travel in `ModelRequest.system`, never as a message. Images and files go
 * in user messages; assistant and tool messages carry text (a string or text parts).
 */
export type Message =
  | { role: 'user'; content: MessageContent }
  | {
      role: 'assistant';
      content: string | TextPart[];
      toolCalls?: ToolCall[];
      /** Provider state of the whole turn (reasoning items, thinking blocks), sent back to the same endpoint. */
      providerState?: ProviderState;
    }
  | { role: 'tool'; toolCallId: string; toolName: string; content: string | TextPart[] };

/** A tool call the model asked for. `args` is the parsed JSON arguments. */
export interface ToolCall {
  id: string;
  name: string;
  args: unknown;
  /** Provider state of this call (a Gemini thought signature), sent back with it to the same endpoint. */
  providerState?: ProviderState;
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
  /**
   * Reasoning controls, already fitted to the model (an effort it allows). Unset: the provider's default.
   * Adapters map it to their wire and keep any thinking budget inside `maxOutputTokens`.
   */
  reasoning?: ReasoningOptions;
  signal?: AbortSignal;
}

/** Why a call stopped. */
export type FinishReason = 'stop' | 'length' | 'tool-calls' | 'content-filter' | 'other';

/**
 * What a model call streams. Every successful stream ends with one `usage` then one `finish`. Reasoning text
 * (summaries, thinking) streams as `reasoning-delta`, never inside the text; `provider-state` carries the turn's
 * opaque state (at most one, before `usage`).
 */
export type ModelEvent =
  | { type: 'text-delta'; text: string }
  | { type: 'reasoning-delta'; text: string }
  | { type: 'tool-call'; call: ToolCall }
  | { type: 'provider-state'; state: ProviderState }
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
  /** Reads images: a request with an image part is routed only to models with `vision`. */
  vision: boolean;
  reasoning: boolean;
  /**
   * Reads PDF documents: a request with a PDF file part is routed only to models with `documents`.
   * @default false
   */
  documents?: boolean;
}

/**
 * A wire API an endpoint speaks: OpenAI Chat Completions (`'chat'`) or Responses (`'responses'`), Anthropic
 * Messages (`'messages'`), Gemini (`'generate-content'`).
 */
export type WireApi = 'chat' | 'responses' | 'messages' | 'generate-content';

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
  /**
   * The reasoning efforts the model accepts, lowest first; a call asking for another gets the nearest of these.
   * Ignored when `capabilities.reasoning` is false.
   * @default every effort
   * @example ['medium', 'high', 'xhigh']
   */
  reasoningEfforts?: ReasoningEffort[];
  /**
   * The wire APIs that serve the model; routing never sends it to an endpoint that speaks another.
   * @default any API of its family
   * @example ['responses'] // gpt-5.5-pro: the Responses API only
   */
  apis?: WireApi[];
  /** Task kinds this model suits. */
  tasks: TaskKind[];
  /**
   * For models whose tokenizer is not public: how many of the model's tokens one o200k_base token is worth.
   * Token counts for budgets and routing are the o200k count times this, rounded up (see `countTokens`).
   * @default 1 for the 'openai' family (counted exactly), 1.15 for the others
   */
  tokenFactor?: number;
}
