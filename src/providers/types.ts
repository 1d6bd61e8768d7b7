import type { Attachment } from '../models/attachment.js';
import type { ModelEvent, ModelInfo, ModelRequest, ProviderFamily, WireApi } from '../models/types.js';

/** One call as the engine hands it to an endpoint. */
export interface ProviderCall {
  /** The catalog entry being called (the wire id is `model.apiModel ?? model.id`, unless the endpoint maps it). */
  model: ModelInfo;
  request: ModelRequest;
  /** Aborting it closes the HTTP request. */
  signal?: AbortSignal;
  /**
   * Whether the call was cancelled: `signal.aborted`, without reading `signal`. The engine makes a call's
   * AbortSignal on first read, so a provider that only needs to check (it never waits on I/O) may read this.
   */
  readonly aborted?: boolean;
}

/**
 * An endpoint that serves models: OpenAI itself, an OpenAI-compatible hub, Anthropic, Gemini, or the simulated
 * provider. Adapters know nothing of graphs, budgets or retries, and make exactly one HTTP request per `stream`.
 */
export interface Provider {
  /** Unique endpoint name within one switchyard instance (e.g. 'openai', 'hub'). */
  readonly name: string;
  /** The wire family it speaks (for an AI SDK endpoint, its own name). */
  readonly family: ProviderFamily | 'simulated';
  /**
   * The wire API it speaks, when its family has several (OpenAI: 'responses' or 'chat'). Routing never sends a
   * model whose catalog entry lists other `apis`. Unset: any.
   */
  readonly api?: WireApi;
  /** Whether this endpoint serves the given catalog model. */
  serves(model: ModelInfo): boolean;
  /**
   * Streams one call. Yields `text-delta` / `reasoning-delta` / `tool-call` events (and at most one
   * `provider-state`), then exactly one `usage` and one `finish`.
   * Throws a `SwitchyardError` on any failure, including a stream that ends without a finish.
   */
  stream(call: ProviderCall): AsyncIterable<ModelEvent>;
  /**
   * Gets ready for calls: loads the SDK and builds its client (once; later calls resolve at once). The engine
   * awaits it before an attempt's time limits start, so loading counts toward no timeout. Optional: a provider
   * with nothing to load leaves it out.
   */
  warmUp?(): Promise<void>;
  /** Most calls in flight at once on this endpoint (across runs of one instance). Unset: unlimited. */
  readonly maxConcurrency?: number;
  /**
   * Why this endpoint's wire cannot send an image or PDF (a media type, size, page count or source its API does
   * not take), or undefined when it can. The router skips the endpoint for such a request, saying why, so no
   * request is sent. Unset: every attachment is taken.
   */
  attachmentProblem?(attachment: Attachment, model: ModelInfo): string | undefined;
}

/** Options every provider factory accepts. */
export interface EndpointOptions {
  /**
   * Endpoint name, unique within an instance; two endpoints may serve the same model under different names.
   * @default the family name ('openai', 'anthropic', 'google')
   */
  name?: string;
  /**
   * Which catalog models this endpoint serves. An array of catalog ids, or a map from catalog id to the id the
   * endpoint expects on the wire (e.g. `{ 'gpt-5.5': 'openai/gpt-5.5' }` for a transit hub).
   * @default every catalog model of the endpoint's family, and every model whose catalog `provider` is this
   * endpoint's name (e.g. `{ provider: 'local' }` entries for an endpoint named 'local')
   */
  models?: readonly string[] | Readonly<Record<string, string>>;
  /**
   * Most calls in flight at once on this endpoint.
   * @default unlimited
   */
  maxConcurrency?: number;
}
