import type { GenerateContentResponse, GenerateContentResponseUsageMetadata, GoogleGenAI, Part } from '@google/genai';
import type { FinishReason, ModelEvent, ModelInfo, ToolCall, Usage } from '../models/types.js';
import type { CallContext } from './call-context.js';
import { lazy, servesModel, wireModelId } from './endpoint.js';
import { headerCapturingFetch, type SeenResponse } from './google-fetch.js';
import { generateParams } from './google-request.js';
import type { GoogleCallState, GoogleTurnState } from './google-thinking.js';
import { toSwitchyardError } from './http-error.js';
import { loadSdk } from './load-sdk.js';
import { endpointSecrets } from './redact.js';
import { ownedState, stateOwner } from './provider-state.js';
import { figure, plus } from './usage-figures.js';
import { finishedOrThrow, guardedStream, missingKeyError, type CallContextBase, type StreamReader } from './stream-guard.js';
import type { EndpointOptions, Provider, ProviderCall } from './types.js';
import { googleAttachmentProblem } from './google-parts.js';

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

/**
 * Output = candidates + thoughts (Gemini reports thinking apart from the reply); input includes cached content.
 * Figures pass through as reported (missing ones as undefined).
 */
function usageOf(meta: GenerateContentResponseUsageMetadata): Usage {
  const thoughts = meta.thoughtsTokenCount;
  return {
    inputTokens: plus(meta.promptTokenCount, meta.toolUsePromptTokenCount),
    cachedInputTokens: figure(meta.cachedContentTokenCount ?? 0),
    cacheWriteTokens: 0,
    outputTokens: plus(meta.candidatesTokenCount, thoughts),
    reasoningTokens: figure(thoughts ?? 0),
  };
}

interface ChunkState {
  owner: string;
  toolCalls: number;
  finish?: FinishReason;
  usage?: Usage;
  /** The thought signature of the reply's non-function-call parts. */
  signature?: string;
}

function partEvents(part: Part, state: ChunkState, out: ModelEvent[]): void {
  if (part.functionCall) {
    const { id, name = '', args = {} } = part.functionCall;
    state.toolCalls += 1;
    const call: ToolCall = { id: id ?? `call_${state.toolCalls}_${name}`, name, args };
    if (part.thoughtSignature) call.providerState = ownedState(state.owner, { signature: part.thoughtSignature } satisfies GoogleCallState);
    out.push({ type: 'tool-call', call });
    return;
  }
  if (part.thoughtSignature) state.signature = part.thoughtSignature;
  if (typeof part.text !== 'string' || part.text === '') return;
  out.push(part.thought ? { type: 'reasoning-delta', text: part.text } : { type: 'text-delta', text: part.text });
}

/**
 * The events of one chunk, added to `out` (a function rather than a generator: it runs for every chunk of every
 * call). Thought parts stream as reasoning; signatures are kept for the next turn. Once a chunk has carried the
 * finish reason, later chunks add usage only: their content is not part of the reply.
 */
function chunkEvents(chunk: GenerateContentResponse, state: ChunkState, out: ModelEvent[]): void {
  if (chunk.usageMetadata) state.usage = usageOf(chunk.usageMetadata);
  if (state.finish !== undefined) return;
  const candidate = chunk.candidates?.[0];
  for (const part of candidate?.content?.parts ?? []) partEvents(part, state, out);
  if (candidate?.finishReason) state.finish = finishOf(candidate.finishReason, state.toolCalls > 0);
  else if (chunk.promptFeedback?.blockReason) state.finish = 'content-filter';
}

async function contentStream(client: () => Promise<GoogleGenAI>, call: ProviderCall, ctx: CallContext, owner: string): Promise<StreamReader<GenerateContentResponse>> {
  const seen: SeenResponse = {};
  const target = { wireModel: ctx.wireModel, owner };
  const params = generateParams(call.request, target, ctx.signal, { fetch: headerCapturingFetch(seen) });
  const failure = (error: unknown) => toSwitchyardError(error, ctx, seen.headers);
  let stream: AsyncIterable<GenerateContentResponse>;
  try {
    stream = await (await client()).models.generateContentStream(params);
  } catch (error) {
    throw failure(error);
  }
  const state: ChunkState = { owner, toolCalls: 0 };
  return {
    chunks: stream,
    read(chunk, out) {
      chunkEvents(chunk, state, out);
      return false;
    },
    end(out, chunks) {
      const reason = finishedOrThrow(ctx, state.finish, chunks);
      if (state.signature !== undefined) {
        out.push({ type: 'provider-state', state: ownedState(owner, { signature: state.signature } satisfies GoogleTurnState) });
      }
      if (state.usage !== undefined) out.push({ type: 'usage', usage: state.usage });
      out.push({ type: 'finish', reason });
    },
    failure,
  };
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
  const secrets = endpointSecrets(apiKey, options.headers);
  const base = (model: ModelInfo): CallContextBase => ({
    provider: name,
    family: 'google',
    model: model.id,
    wireModel: wireModelId(options.models, model),
    baseURL,
    envVar: 'GEMINI_API_KEY (or GOOGLE_API_KEY)',
    secrets,
  });
  return {
    name,
    family: 'google',
    api: 'generate-content',
    ...(options.maxConcurrency === undefined ? {} : { maxConcurrency: options.maxConcurrency }),
    serves: (model) => servesModel('google', options.models, model, name),
    warmUp: lazy(async () => {
      await client();
    }),
    attachmentProblem: googleAttachmentProblem,
    stream: (call) =>
      guardedStream(call, base(call.model), (ctx) => {
        if (!apiKey) throw missingKeyError(ctx);
        return contentStream(client, call, ctx, stateOwner(name, 'generate-content', ctx.wireModel));
      }),
  };
}
