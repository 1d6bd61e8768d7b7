import type OpenAI from 'openai';
import type { FinishReason, ModelEvent, ModelInfo, ToolCall, Usage } from '../models/types.js';
import type { CallContext } from './call-context.js';
import { lazy, servesModel, wireModelId } from './endpoint.js';
import { loadSdk } from './load-sdk.js';
import { chatParams, type MaxTokensField } from './openai-request.js';
import { parseToolArgs, unwrappedOutput } from './reply-json.js';
import { finishedOrThrow, guardedStream, missingKeyError, type CallContextBase } from './stream-guard.js';
import type { EndpointOptions, Provider, ProviderCall } from './types.js';

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
   * The request field that carries `maxOutputTokens`. Older OpenAI-compatible servers only know `max_tokens`.
   * @default 'max_completion_tokens'
   */
  maxTokensField?: MaxTokensField;
}

type Client = OpenAI;
type Chunk = OpenAI.Chat.ChatCompletionChunk;

const FINISH: Readonly<Record<string, FinishReason>> = {
  stop: 'stop',
  length: 'length',
  tool_calls: 'tool-calls',
  function_call: 'tool-calls',
  content_filter: 'content-filter',
};

function usageOf(usage: OpenAI.CompletionUsage): Usage {
  return {
    inputTokens: usage.prompt_tokens ?? 0,
    cachedInputTokens: usage.prompt_tokens_details?.cached_tokens ?? 0,
    cacheWriteTokens: 0,
    outputTokens: usage.completion_tokens ?? 0,
    reasoningTokens: usage.completion_tokens_details?.reasoning_tokens ?? 0,
  };
}

/** Tool calls stream by index: the first delta has id and name, later ones append argument text. */
function collectToolDeltas(chunk: Chunk, calls: Map<number, { id: string; name: string; args: string }>): void {
  for (const delta of chunk.choices[0]?.delta?.tool_calls ?? []) {
    const call = calls.get(delta.index) ?? { id: '', name: '', args: '' };
    if (delta.id) call.id = delta.id;
    if (delta.function?.name) call.name += delta.function.name;
    if (delta.function?.arguments) call.args += delta.function.arguments;
    calls.set(delta.index, call);
  }
}

async function* chatEvents(client: Client, call: ProviderCall, ctx: CallContext, field: MaxTokensField) {
  const { params, wrapped } = chatParams(call.request, ctx.wireModel, field);
  const stream = await client.chat.completions.create(params, { signal: ctx.signal });
  const calls = new Map<number, { id: string; name: string; args: string }>();
  let finish: FinishReason | undefined;
  let usage: Usage | undefined;
  let refused = false;
  let buffered = '';
  let chunks = 0;
  for await (const chunk of stream) {
    chunks += 1;
    if (chunk.usage) usage = usageOf(chunk.usage);
    const choice = chunk.choices?.find((c) => c.index === 0);
    if (choice === undefined) continue;
    const text = choice.delta?.content;
    if (text) {
      if (wrapped) buffered += text;
      else yield { type: 'text-delta', text } satisfies ModelEvent;
    }
    if (choice.delta?.refusal) refused = true;
    collectToolDeltas(chunk, calls);
    if (choice.finish_reason) finish = refused ? 'content-filter' : (FINISH[choice.finish_reason] ?? 'other');
  }
  const reason = finishedOrThrow(ctx, finish, chunks);
  if (wrapped && buffered !== '') yield { type: 'text-delta', text: unwrappedOutput(buffered, ctx) } satisfies ModelEvent;
  for (const [, c] of [...calls].sort(([a], [b]) => a - b)) {
    const toolCall: ToolCall = { id: c.id || `call_${c.name}`, name: c.name, args: parseToolArgs(c.args, c.name, ctx) };
    yield { type: 'tool-call', call: toolCall } satisfies ModelEvent;
  }
  if (usage !== undefined) yield { type: 'usage', usage } satisfies ModelEvent;
  yield { type: 'finish', reason } satisfies ModelEvent;
}

/**
 * An endpoint on the OpenAI Chat Completions API, through the official `openai` SDK (retries off: switchyard owns
 * the retry loop). Works with every OpenAI-compatible server.
 *
 * @example
 * const hub = openai({ name: 'hub', baseURL: 'https://hub.example.com/v1', apiKey: process.env.HUB_KEY,
 *                      models: { 'gpt-5.5': 'openai/gpt-5.5' } });
 */
export function openai(options: OpenAIProviderOptions = {}): Provider {
  const name = options.name ?? 'openai';
  const baseURL = options.baseURL ?? process.env['OPENAI_BASE_URL'] ?? 'https://api.openai.com/v1';
  const apiKey = options.apiKey ?? (options.baseURL === undefined ? process.env['OPENAI_API_KEY'] : undefined);
  const field = options.maxTokensField ?? 'max_completion_tokens';
  const client = lazy(async (): Promise<Client> => {
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
  const base = (model: ModelInfo): CallContextBase => ({
    provider: name,
    family: 'openai',
    model: model.id,
    wireModel: wireModelId(options.models, model),
    baseURL,
    envVar: 'OPENAI_API_KEY',
    secrets: apiKey ? [apiKey] : [],
  });
  return {
    name,
    family: 'openai',
    ...(options.maxConcurrency === undefined ? {} : { maxConcurrency: options.maxConcurrency }),
    serves: (model) => servesModel('openai', options.models, model, name),
    stream: (call) =>
      guardedStream(call, base(call.model), async function* (ctx) {
        if (!apiKey) throw missingKeyError(ctx);
        yield* chatEvents(await client(), call, ctx, field);
      }),
  };
}
