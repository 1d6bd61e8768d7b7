import type { GenerateContentResponse, GenerateContentResponseUsageMetadata, GoogleGenAI } from '@google/genai';
import type { FinishReason, ModelEvent, ModelInfo, Usage } from '../models/types.js';
import type { CallContext } from './call-context.js';
import { lazy, servesModel, wireModelId } from './endpoint.js';
import { headerCapturingFetch, type SeenResponse } from './google-fetch.js';
import { generateParams } from './google-request.js';
import { toSwitchyardError } from './http-error.js';
import { loadSdk } from './load-sdk.js';
import { finishedOrThrow, guardedStream, missingKeyError, type CallContextBase } from './stream-guard.js';
import type { EndpointOptions, Provider, ProviderCall } from './types.js';

/** Options of `google()`: the Gemini API. */
export interface GoogleProviderOptions extends EndpointOptions {
  /**
   * API key, sent as `x-goog-api-key`.
   * @default process.env.GEMINI_API_KEY ?? process.env.GOOGLE_API_KEY — read only when `baseURL` is not passed
   */
  apiKey?: string;
  /**
   * Base URL of the API, without the version.
   * @default 'https://generativelanguage.googleapis.com'
   */
  baseURL?: string;
  /** Extra headers sent with every request. */
  headers?: Record<string, string>;
}

const FILTERED = new Set(['SAFETY', 'RECITATION', 'BLOCKLIST', 'PROHIBITED_CONTENT', 'SPII', 'IMAGE_SAFETY',
  'IMAGE_PROHIBITED_CONTENT', 'IMAGE_RECITATION']);

function finishOf(reason: string, sawToolCall: boolean): FinishReason {
  if (reason === 'STOP') return sawToolCall ? 'tool-calls' : 'stop';
  if (reason === 'MAX_TOKENS') return 'length';
  return FILTERED.has(reason) ? 'content-filter' : 'other';
}

/** Output = candidates + thoughts (Gemini reports thinking apart from the reply); input includes cached content. */
function usageOf(meta: GenerateContentResponseUsageMetadata): Usage {
  const thoughts = meta.thoughtsTokenCount ?? 0;
  return {
    inputTokens: (meta.promptTokenCount ?? 0) + (meta.toolUsePromptTokenCount ?? 0),
    cachedInputTokens: meta.cachedContentTokenCount ?? 0,
    cacheWriteTokens: 0,
    outputTokens: (meta.candidatesTokenCount ?? 0) + thoughts,
    reasoningTokens: thoughts,
  };
}

interface ChunkState {
  toolCalls: number;
  finish?: FinishReason;
  usage?: Usage;
}

function* chunkEvents(chunk: GenerateContentResponse, state: ChunkState) {
  if (chunk.usageMetadata) state.usage = usageOf(chunk.usageMetadata);
  const candidate = chunk.candidates?.[0];
  for (const part of candidate?.content?.parts ?? []) {
    if (part.thought) continue;
    if (typeof part.text === 'string' && part.text !== '') yield { type: 'text-delta', text: part.text } satisfies ModelEvent;
    if (part.functionCall) {
      const { id, name = '', args = {} } = part.functionCall;
      state.toolCalls += 1;
      yield { type: 'tool-call', call: { id: id ?? `call_${state.toolCalls}_${name}`, name, args } } satisfies ModelEvent;
    }
  }
  if (candidate?.finishReason) state.finish = finishOf(candidate.finishReason, state.toolCalls > 0);
  else if (chunk.promptFeedback?.blockReason) state.finish = 'content-filter';
}

async function* contentEvents(client: GoogleGenAI, call: ProviderCall, ctx: CallContext) {
  const seen: SeenResponse = {};
  const params = generateParams(call.request, ctx.wireModel, ctx.signal, { fetch: headerCapturingFetch(seen) });
  const state: ChunkState = { toolCalls: 0 };
  let chunks = 0;
  try {
    for await (const chunk of await client.models.generateContentStream(params)) {
      chunks += 1;
      yield* chunkEvents(chunk, state);
    }
  } catch (error) {
    throw toSwitchyardError(error, ctx, seen.headers);
  }
  const reason = finishedOrThrow(ctx, state.finish, chunks);
  if (state.usage !== undefined) yield { type: 'usage', usage: state.usage } satisfies ModelEvent;
  yield { type: 'finish', reason } satisfies ModelEvent;
}

/**
 * An endpoint on the Gemini API (`models.generateContentStream`), through the official `@google/genai` SDK with no
 * HTTP retries, no automatic function calling and no automatic continuation: exactly one request per call.
 */
export function google(options: GoogleProviderOptions = {}): Provider {
  const name = options.name ?? 'google';
  const baseURL = options.baseURL ?? 'https://generativelanguage.googleapis.com';
  const apiKey =
    options.apiKey ??
    (options.baseURL === undefined ? (process.env['GEMINI_API_KEY'] ?? process.env['GOOGLE_API_KEY']) : undefined);
  const client = lazy(async (): Promise<GoogleGenAI> => {
    const sdk = await loadSdk('@google/genai', () => import('@google/genai'));
    return new sdk.GoogleGenAI({
      apiKey,
      vertexai: false,
      httpOptions: { baseUrl: baseURL, apiVersion: 'v1beta', ...(options.headers ? { headers: options.headers } : {}) },
    });
  });
  const base = (model: ModelInfo): CallContextBase => ({
    provider: name,
    family: 'google',
    model: model.id,
    wireModel: wireModelId(options.models, model),
    baseURL,
    envVar: 'GEMINI_API_KEY (or GOOGLE_API_KEY)',
    secrets: apiKey ? [apiKey] : [],
  });
  return {
    name,
    family: 'google',
    ...(options.maxConcurrency === undefined ? {} : { maxConcurrency: options.maxConcurrency }),
    serves: (model) => servesModel('google', options.models, model, name),
    stream: (call) =>
      guardedStream(call, base(call.model), async function* (ctx) {
        if (!apiKey) throw missingKeyError(ctx);
        yield* contentEvents(await client(), call, ctx);
      }),
  };
}
