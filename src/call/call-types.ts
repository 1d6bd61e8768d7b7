import type { AbortScope } from './abort-scope.js';
import type { ZodType } from 'zod';
import type { RetryOptions } from '../retry/retry-options.js';
import type { RouteMode } from '../route/route-types.js';
import type { FinishReason, Message, ModelInfo, ProviderState, ReasoningOptions, TaskKind, ToolCall, Usage } from '../models/types.js';
import type { CallEventPayload } from './call-events.js';
import type { CallCacheOptions } from '../cache/cache-options.js';
import type { OutputCap } from './output-cap.js';

export type { OutputCap };
import type { JsonSchemaParameters } from './tool-parameters.js';

/** A tool the model may call. Tool calls are returned to the caller (agent nodes execute them). */
export interface ToolDefinition<Args = unknown> {
  description?: string;
  /**
   * Arguments schema: zod (sent to the model as JSON Schema), or `jsonSchema(...)` (sent as it is); agent nodes
   * validate the model's arguments with it.
   */
  parameters: ZodType<Args> | JsonSchemaParameters<Args>;
}

/** Budget limits at one level. Either or both units; unset means unlimited. */
export interface BudgetLimits {
  /** Most USD this level may spend (settled + reserved never exceeds it). */
  usd?: number;
  /** Most tokens (input + output) this level may spend. */
  tokens?: number;
}

/** What the route function sees. */
export interface RouteContext {
  task?: TaskKind;
  /**
   * Counted input tokens of the request: o200k_base in OpenAI's chat framing (exact for OpenAI models, an
   * estimate for others), images and PDFs at OpenAI's bound. Counted when first read: the tokenizer is loaded only
   * for a route function that reads it.
   */
  readonly inputTokens: number;
  /**
   * An upper bound on the input tokens for any model, without a tokenizer (UTF-8 bytes plus framing; images and
   * PDFs at the largest any provider's rules give).
   */
  inputTokenBound: number;
  maxOutputTokens?: number;
  /** Catalog entries that at least one configured endpoint serves. */
  models: readonly ModelInfo[];
}

/** A route function: returns catalog model ids in order of preference (the first is tried first). */
export type RouteFunction = (ctx: RouteContext) => string | readonly string[];

/** The options of one model call, shared by `sy.stream`, `sy.generate` and `.llm` nodes. */
export interface CallOptions<Output = unknown> {
  /** A catalog model id to pin. */
  model?: string;
  /** The work this call is for; routed by the instance's task table. */
  task?: TaskKind;
  /** Decide the model in code. */
  route?: RouteFunction;
  /** System prompt. */
  system?: string;
  /**
   * Most output tokens; sent to the provider, and the worst case a budget reserves for.
   * @default unset: the output cap is fitted to what the budget can still spare (at most half of what the
   *   tightest level has left, never more than the model's max output) and sent to the provider, which enforces
   *   it. With no budget, the model's max output. See docs/budgets.md.
   */
  maxOutputTokens?: number;
  /**
   * With no `maxOutputTokens`: the least output cap worth sending. When a budget cannot spare even this many
   * output tokens, the call waits for its siblings' settlements (when they would make room) or fails with
   * `BudgetExceededError`, rather than being sent with a cap that would cut most replies short.
   * @default 1024
   * @example { minOutputTokens: 4096 } // a reasoning model that thinks before it answers
   */
  minOutputTokens?: number;
  temperature?: number;
  /**
   * How hard a reasoning model thinks: OpenAI `reasoning.effort`, Anthropic extended thinking (a budget derived
   * from the effort, or `budgetTokens`), Gemini `thinkingConfig`. Each model gets the nearest effort it allows;
   * reasoning tokens count inside `maxOutputTokens` and bill as output. Reasoning text streams as
   * `reasoning-delta` events, never in the text output.
   * @default the task's default effort (see `defaultReasoning`: low for classification, high for agentic
   * coding), or the provider's own default for a call that names a model and no task
   * @example { effort: 'high' }
   */
  reasoning?: ReasoningOptions;
  /** A zod schema: the reply is requested as structured output, parsed and validated. */
  output?: ZodType<Output>;
  /** Tools the model may call; calls are returned in the result. */
  tools?: Record<string, ToolDefinition>;
  /** A node-level budget for this call (inside the run and instance budgets). */
  budget?: BudgetLimits;
  /**
   * How the router orders qualifying candidates: the preference list (`'quality'`), cheapest worst case first
   * (`'cost'`), or lowest observed time to first token (`'latency'`).
   * @default 'quality'
   */
  mode?: RouteMode;
  /**
   * When the preferred model's worst case does not fit the budget left, take the best candidate that does
   * (reported in the `node-route` event, or a `node-fallback` when the budget runs short mid-call).
   * @default false
   */
  downgrade?: boolean;
  /**
   * Endpoints or model vendors this call may use, e.g. `['openai', 'hub']` or `['anthropic']`.
   * @default every configured endpoint
   */
  providers?: readonly string[];
  /** Most a single attempt may cost in the worst case, in USD; pricier candidates are filtered out. */
  maxPriceUsd?: number;
  /** Retry and failover policy for this call, merged over the instance's. */
  retry?: RetryOptions;
  /**
   * Prompt-cache hints (`key`, `breakpoints`) and response caching (`response: true`) for this call.
   * @default Anthropic breakpoints 'auto', no response cache (unless the run turns it on)
   * @example { response: true }
   */
  cache?: CallCacheOptions;
}

/** One call resolved to plain data, as the call runner executes it. */
export interface CallSpec extends CallOptions {
  messages: Message[];
}

/** What a finished call returns. */
export interface CallResult<Output = unknown> {
  /** The streamed text of the attempt that succeeded. */
  text: string;
  /** The reasoning text (summaries or thinking) the successful attempt streamed, when there was any. */
  reasoning?: string;
  /**
   * The reply's opaque provider state (reasoning items, thinking blocks): put it on the assistant turn you send
   * back (`{ role: 'assistant', content: text, providerState }`) so the model keeps its reasoning.
   */
  providerState?: ProviderState;
  /** The validated structured output, when `output` was given. */
  object: Output;
  toolCalls: ToolCall[];
  /** Usage of the successful attempt plus every attempt before it. */
  usage: Usage;
  /** Cost in USD of every attempt, failed ones included. */
  costUsd: number;
  model: string;
  provider: string;
  attempts: number;
  finishReason: FinishReason;
  /**
   * The output cap the successful attempt sent, and how it was chosen (`fitted: true` when the call set no
   * `maxOutputTokens` and the cap was fitted to the budget). Absent for a reply from the response cache.
   */
  outputCap?: OutputCap;
  /** True when the reply was served from the response cache (no request sent, $0). */
  cached?: boolean;
}

export type { CallEventPayload };

/** What the engine gives the call runner for one call. */
export interface CallContext {
  runId: string;
  nodeId: string;
  /** For the sub-calls of a `.map` node: the index of the item. */
  item?: number;
  /** Cancels the call; its AbortSignal is only made when something reads `abort.signal` (an HTTP adapter does). */
  abort: AbortScope;
  /** Emits into the run's stream; a plain function (it may be called unbound). */
  emit: (payload: CallEventPayload) => void;
}
