import type { LanguageModelV4 } from '@ai-sdk/provider';
import { SwitchyardError } from '../errors/switchyard-error.js';
import type { ModelInfo } from '../models/types.js';
import { guardedStream, type CallContextBase } from '../providers/stream-guard.js';
import type { Provider } from '../providers/types.js';
import { aiSdkStream } from './ai-sdk-stream.js';

/** Options of `aiSdk()`. */
export interface AiSdkOptions {
  /**
   * The endpoint's name, unique within an instance. Catalog entries whose `provider` is this name are its own
   * models; routing, budgets and failover treat it as any endpoint.
   * @example 'mistral'
   */
  name: string;
  /**
   * The AI SDK language models it serves, by catalog id. Every id needs a catalog entry (prices, window,
   * capabilities): add your own with `createCatalog(defaultCatalog, { ... })`.
   * @example { 'mistral-large': mistral('mistral-large-latest') }
   */
  models: Readonly<Record<string, LanguageModelV4>>;
  /**
   * Most calls in flight at once on this endpoint.
   * @default unlimited
   */
  maxConcurrency?: number;
}

function invalid(message: string): SwitchyardError {
  return new SwitchyardError({ kind: 'invalid_config', message });
}

/** Every model must speak the LanguageModel specification v4 (the AI SDK 7 provider packages). */
function checkOptions(options: AiSdkOptions): void {
  if (typeof options?.name !== 'string' || options.name === '') throw invalid('aiSdk() needs a `name`: the endpoint name, e.g. "mistral".');
  if (typeof options.models !== 'object' || options.models === null || Object.keys(options.models).length === 0) {
    throw invalid(`aiSdk('${options.name}') needs \`models\`: AI SDK language models by catalog id, e.g. { 'mistral-large': mistral('mistral-large-latest') }.`);
  }
  for (const [id, model] of Object.entries(options.models)) {
    const version = (model as { specificationVersion?: unknown } | null)?.specificationVersion;
    if (version !== 'v4' || typeof model.doStream !== 'function') {
      throw invalid(
        `aiSdk('${options.name}'): the model for '${id}' is not an AI SDK language model of specification v4 ` +
          `(it has ${version === undefined ? 'none' : `'${String(version)}'`}). Use a provider package built on @ai-sdk/provider 4 (AI SDK 7).`,
      );
    }
  }
}

/**
 * An endpoint made of AI SDK language models (`@ai-sdk/*` provider packages: Mistral, Bedrock, Vertex, Groq,
 * Ollama, any OpenAI-compatible server…). Each call is one `doStream` — one HTTP request; the AI SDK's retry loop
 * (in `generateText`/`streamText`) is never involved, so switchyard's retries and failover are the only ones.
 * Text, tool calls, structured output, usage and finish reasons map to switchyard's events; errors to its kinds
 * (429 with Retry-After, 5xx, context length, auth); the call's abort signal reaches the request. Costs come from
 * the catalog, as for every endpoint.
 *
 * @example
 * const catalog = createCatalog(defaultCatalog, { 'mistral-large': { provider: 'mistral', ... } });
 * const sy = createSwitchyard({ catalog, providers: [aiSdk({ name: 'mistral', models: { 'mistral-large': mistral('mistral-large-latest') } })] });
 */
/** An AI SDK endpoint's key stays inside its provider: switchyard never sees it, so there is nothing to redact. */
const NO_SECRETS: readonly string[] = Object.freeze([]);

export function aiSdk(options: AiSdkOptions): Provider {
  checkOptions(options);
  const { name, models } = options;
  const modelFor = (model: ModelInfo) => models[model.id]!;
  const base = (model: ModelInfo): CallContextBase => ({
    provider: name,
    family: name,
    model: model.id,
    wireModel: modelFor(model).modelId,
    baseURL: `of the AI SDK provider '${modelFor(model).provider}'`,
    envVar: 'the API key setting of the AI SDK provider',
    secrets: NO_SECRETS,
  });
  return {
    name,
    family: name,
    ...(options.maxConcurrency === undefined ? {} : { maxConcurrency: options.maxConcurrency }),
    serves: (model) => Object.hasOwn(models, model.id),
    stream: (call) => guardedStream(call, base(call.model), (ctx) => aiSdkStream(modelFor(call.model), call, ctx)),
  };
}
