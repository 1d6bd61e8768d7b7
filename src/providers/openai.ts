import type OpenAI from 'openai';
import type { ModelInfo } from '../models/types.js';
import { lazy, servesModel, wireModelId } from './endpoint.js';
import { loadSdk } from './load-sdk.js';
import { endpointSecrets } from './redact.js';
import { chatAttachmentProblem } from './chat-parts.js';
import { chatStream } from './openai-chat.js';
import type { MaxTokensField } from './openai-request.js';
import { responsesStream } from './openai-responses.js';
import type { ReasoningSummary } from './openai-responses-request.js';
import { responsesAttachmentProblem } from './responses-parts.js';
import { stateOwner } from './provider-state.js';
import { guardedStream, missingKeyError, type CallContextBase } from './stream-guard.js';
import type { EndpointOptions, Provider } from './types.js';

/** The two OpenAI APIs an endpoint may speak. */
export type OpenAIApi = 'responses' | 'chat';

/** Options of `openai()`: OpenAI itself or any OpenAI-compatible endpoint (transit hub, vLLM, Ollama, LM Studio). */
export interface OpenAIProviderOptions extends EndpointOptions {
  /**
   * API key, sent as `Authorization: Bearer`.
   * @default process.env.OPENAI_API_KEY — read only when `baseURL` is not passed, so that your OpenAI key is never
   * sent to another host by accident
   */
  apiKey?: string;
  /**
   * Base URL of the API, up to and including `/v1`.
   * @default process.env.OPENAI_BASE_URL ?? 'https://api.openai.com/v1'
   */
  baseURL?: string;
  /** Extra headers sent with every request (e.g. a hub's attribution headers). */
  headers?: Record<string, string>;
  /**
   * Which API to speak: the Responses API (`POST /responses`: reasoning kept across tool turns, the only API of
   * gpt-5.5-pro) or Chat Completions (`POST /chat/completions`, which most OpenAI-compatible servers speak).
   * @default 'responses' for OpenAI's own endpoint (api.openai.com), 'chat' for any other baseURL
   * @example openai({ name: 'hub', baseURL: 'https://hub.example.com/v1', api: 'responses' })
   */
  api?: OpenAIApi;
  /**
   * The request field that carries `maxOutputTokens` on Chat Completions. Older OpenAI-compatible servers only
   * know `max_tokens`. (The Responses API always uses `max_output_tokens`.)
   * @default 'max_completion_tokens'
   */
  maxTokensField?: MaxTokensField;
  /**
   * Responses API: the reasoning summaries to ask for when a call sets a reasoning effort; they stream as
   * `reasoning-delta` events. `'off'` asks for none (an organization that is not verified for summaries needs it).
   * @default 'auto'
   */
  reasoningSummary?: ReasoningSummary;
}

const OPENAI_HOST = 'api.openai.com';

/** The API an endpoint speaks by default: Responses on OpenAI's own host, Chat Completions anywhere else. */
function defaultApi(baseURL: string): OpenAIApi {
  try {
    return new URL(baseURL).hostname === OPENAI_HOST ? 'responses' : 'chat';
  } catch {
    return 'chat';
  }
}

/**
 * An endpoint on an OpenAI API, through the official `openai` SDK (retries off: switchyard owns the retry loop):
 * the Responses API by default on OpenAI's own endpoint, Chat Completions on any other (`api` chooses).
 *
 * @example
 * const hub = openai({ name: 'hub', baseURL: 'https://hub.example.com/v1', apiKey: process.env.HUB_KEY,
 *                      models: { 'gpt-5.5': 'openai/gpt-5.5' } });
 */
export function openai(options: OpenAIProviderOptions = {}): Provider {
  const name = options.name ?? 'openai';
  const baseURL = options.baseURL ?? process.env['OPENAI_BASE_URL'] ?? 'https://api.openai.com/v1';
  const apiKey = options.apiKey ?? (options.baseURL === undefined ? process.env['OPENAI_API_KEY'] : undefined);
  const api = options.api ?? defaultApi(baseURL);
  const field = options.maxTokensField ?? 'max_completion_tokens';
  const reasoningSummary = options.reasoningSummary ?? 'auto';
  const client = lazy(async (): Promise<OpenAI> => {
    const sdk = await loadSdk('openai', () => import('openai'));
    return new sdk.OpenAI({
      apiKey,
      baseURL,
      maxRetries: 0,
      adminAPIKey: null,
      organization: null,
      project: null,
      webhookSecret: null,
      logLevel: 'off',
      ...(options.headers === undefined ? {} : { defaultHeaders: options.headers }),
    });
  });
  const secrets = endpointSecrets(apiKey, options.headers);
  const base = (model: ModelInfo): CallContextBase => ({
    provider: name,
    family: 'openai',
    model: model.id,
    wireModel: wireModelId(options.models, model),
    baseURL,
    envVar: 'OPENAI_API_KEY',
    secrets,
  });
  return {
    name,
    family: 'openai',
    api,
    ...(options.maxConcurrency === undefined ? {} : { maxConcurrency: options.maxConcurrency }),
    serves: (model) => servesModel('openai', options.models, model, name),
    warmUp: lazy(async () => {
      await client();
    }),
    attachmentProblem: api === 'chat' ? chatAttachmentProblem : responsesAttachmentProblem,
    stream: (call) =>
      guardedStream<unknown>(call, base(call.model), (ctx) => {
        if (!apiKey) throw missingKeyError(ctx);
        if (api === 'chat') return chatStream(client, call, ctx, field);
        const owner = stateOwner(name, api, ctx.wireModel);
        return responsesStream(client, call, ctx, { model: call.model, wireModel: ctx.wireModel, owner, reasoningSummary });
      }),
  };
}
