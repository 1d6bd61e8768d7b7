import type { Attachment } from '../models/attachment.js';
import type { Catalog } from '../models/catalog.js';
import type { ModelInfo, ReasoningEffort, ReasoningOptions, TaskKind } from '../models/types.js';

/** An endpoint as the router sees it (a `Provider` fits this shape). */
export interface RouteEndpoint {
  /** Unique endpoint name, e.g. 'openai', 'hub'. */
  readonly name: string;
  /** The wire family it speaks. */
  readonly family: string;
  /** The wire API it speaks ('chat', 'responses', ...); a model whose `apis` excludes it is not sent here. */
  readonly api?: string;
  serves(model: ModelInfo): boolean;
  /**
   * Why this endpoint cannot send an image or file on its wire (a media type, size or source its API does not
   * take), or undefined when it can. Unset: it takes every attachment.
   */
  attachmentProblem?(attachment: Attachment, model: ModelInfo): string | undefined;
}

/**
 * How to order the candidates that pass the filters:
 * - `'quality'`: the preference list's order (the task table, the route function, or the pinned model).
 * - `'cost'`: cheapest worst case first (ties keep preference order).
 * - `'latency'`: lowest observed latency first; models never observed come after, in preference order.
 */
export type RouteMode = 'quality' | 'cost' | 'latency';

/** What a call asks of the router. */
export interface RouteInput {
  /** The work the call is for; its preference list comes from the task table. */
  task?: TaskKind;
  /** A pinned catalog id: tried first, on every endpoint that serves it. */
  model?: string;
  /** The result of the call's route function: catalog ids, first choice first. Takes precedence over `task`. */
  prefer?: string | readonly string[];
  /**
   * The call's reasoning controls. Unset: the task's default effort (see `RouterConfig.reasoning`), or nothing
   * for a call routed by model or route function alone. Each candidate gets the nearest effort its model allows.
   */
  reasoning?: ReasoningOptions;
  /**
   * Capabilities every candidate must have: tools when the call has tools, structuredOutput when it has output,
   * vision when it has an image, documents when it has a PDF.
   */
  requires?: { tools?: boolean; structuredOutput?: boolean; vision?: boolean; documents?: boolean };
  /**
   * The request's images and files: each endpoint must be able to send them (`attachmentProblem`), and a file
   * held by a provider (`source: 'file-id'`) is read only on the endpoint it was uploaded to.
   */
  attachments?: readonly Attachment[];
  /**
   * Counted input tokens of the request: a number, or a function of the model (token counts differ by
   * tokenizer; see `countTokens`).
   */
  inputTokens: number | ((model: ModelInfo) => number);
  /**
   * Input tokens as compared with each model's window, when that count differs from `inputTokens` (an estimate
   * for a model whose tokenizer is not public, where `inputTokens` is an upper bound).
   * @default inputTokens
   */
  windowTokens?: number | ((model: ModelInfo) => number);
  /**
   * Most output tokens. Unset: each model's max output (or what its window leaves after the input, if less),
   * which is also what the budget reserves — unless `minOutputTokens` is set.
   */
  maxOutputTokens?: number;
  /**
   * With no `maxOutputTokens`: the output cap is fitted to the budget when the attempt reserves, between this
   * and the model's max (see `RoutedCandidate.minOutputTokens`). A candidate qualifies when this many output
   * tokens fit its window and `maxPriceUsd`; with `maxPriceUsd`, the most it may be fitted to stays within it.
   * @default unset: no fitting
   */
  minOutputTokens?: number;
  /** Allowed providers: each entry matches an endpoint name or a model vendor ('openai', 'anthropic', 'google'). */
  providers?: readonly string[];
  /** Most a single attempt may cost in the worst case, in USD. */
  maxPriceUsd?: number;
  /** @default 'quality' */
  mode?: RouteMode;
  /**
   * When the first candidate's worst case does not fit the budget left, put the candidates that fit first.
   * @default false
   */
  downgrade?: boolean;
}

/** Live state the router reads. Every field is optional. */
export interface RouteState {
  /** USD left in the tightest budget of the call's chain. */
  budgetLeftUsd?: number;
  /** Tokens left in the tightest budget of the call's chain. */
  budgetLeftTokens?: number;
  /** True when a call to this endpoint × model would be refused now (open circuit); such candidates are skipped. */
  isOpen?(endpoint: string, model: string): boolean;
  /** Observed latency (e.g. a moving average of time to first token) of an endpoint × model, if known. */
  latencyMs?(endpoint: string, model: string): number | undefined;
}

/** What the router is configured with, once per instance. */
export interface RouterConfig<E extends RouteEndpoint = RouteEndpoint> {
  /** Where ids are looked up (`defaultCatalog` or your own). */
  catalog: Pick<Catalog, 'find'> & Partial<Pick<Catalog, 'nearMatches'>>;
  /** Endpoints in order: the same model on a later endpoint is tried right after the earlier one. */
  endpoints: readonly E[];
  /**
   * Preference lists per task kind, merged over `defaultRoutes`.
   * @default defaultRoutes
   */
  routes?: Partial<Record<TaskKind, readonly string[]>>;
  /**
   * The task assumed when a call names no model, route function or task.
   * @default 'chat'
   */
  defaultTask?: TaskKind;
  /**
   * Reasoning effort per task kind, merged over `defaultReasoning`, for calls that set no `reasoning`.
   * @default defaultReasoning
   */
  reasoning?: Partial<Record<TaskKind, ReasoningEffort>>;
}

/** One model on one endpoint, ready to try. */
export interface RoutedCandidate<E extends RouteEndpoint = RouteEndpoint> {
  model: ModelInfo;
  /** Endpoint name. */
  endpoint: string;
  /** The endpoint object itself. */
  provider: E;
  /** Why it is here, in words (for `node-route` and `node-fallback` events). */
  reason: string;
  /** Worst-case cost of one attempt: what the budget reserves. */
  worstCaseUsd: number;
  /** Worst-case tokens of one attempt: input + maxOutputTokens. */
  worstCaseTokens: number;
  /** The input tokens reserved for (an upper bound on what the model counts). */
  inputTokens: number;
  /**
   * The output limit to send to this model (and reserve for); reasoning tokens count inside it. With
   * `minOutputTokens`, the most it is fitted to.
   */
  maxOutputTokens: number;
  /**
   * Set when the output cap is fitted to the budget at reservation (the call set no `maxOutputTokens`): the
   * least output cap worth sending. The reservation holds between this and `maxOutputTokens`.
   */
  minOutputTokens?: number;
  /** The reasoning controls to send to this model (an effort it allows); unset: none. */
  reasoning?: ReasoningOptions;
  /** Observed latency, when known. */
  latencyMs?: number;
}

/** A model (or model × endpoint) that was not kept, and why. */
export interface RouteRejection {
  model: string;
  endpoint?: string;
  reason: string;
}

/** The router's answer. */
export interface RoutePlan<E extends RouteEndpoint = RouteEndpoint> {
  /** In the order to try them; never empty (the router throws `no_provider` instead). */
  candidates: RoutedCandidate<E>[];
  rejected: RouteRejection[];
  /** True when cheaper candidates were moved ahead because the preferred one did not fit the budget left. */
  downgraded: boolean;
  /** Why the first candidate was chosen (includes the downgrade, if any). */
  reason: string;
}

/** A candidate the router considered, with why it was or was not chosen. */
export interface RouteCandidate {
  model: string;
  provider: string;
  reason: string;
}

/**
 * A model (or a model on one endpoint) the router left out, and why, as the `node-route` event lists it: e.g. "it
 * cannot read images …", "gpt-5.5-pro is served by the Responses API only …". A `RouteRejection` in the words of
 * events (the endpoint is the `provider`, as in `RouteCandidate`).
 */
export interface RouteSkip {
  model: string;
  /** The endpoint, when only this endpoint was skipped for the model. */
  provider?: string;
  reason: string;
}
