import type Anthropic from '@anthropic-ai/sdk';
import type { FinishReason, ModelEvent, ModelInfo, Usage } from '../models/types.js';
import { messageParams, type OutputTool } from './anthropic-request.js';
import type { CallContext } from './call-context.js';
import { lazy, servesModel, wireModelId } from './endpoint.js';
import { loadSdk } from './load-sdk.js';
import { parseToolArgs, unwrappedOutput } from './reply-json.js';
import { finishedOrThrow, guardedStream, missingKeyError, type CallContextBase } from './stream-guard.js';
import type { EndpointOptions, Provider, ProviderCall } from './types.js';

/** Options of `anthropic()`: the Anthropic Messages API. */
export interface AnthropicProviderOptions extends EndpointOptions {
  /**
   * API key, sent as `x-api-key`.
   * @default process.env.ANTHROPIC_API_KEY — read only when `baseURL` is not passed
   */
  apiKey?: string;
  /**
   * Base URL of the API, without `/v1`.
   * @default 'https://api.anthropic.com'
   */
  baseURL?: string;
  /** Extra headers sent with every request (e.g. `anthropic-beta`). */
  headers?: Record<string, string>;
}

type Event = Anthropic.Messages.RawMessageStreamEvent;
type UsageField = 'input_tokens' | 'cache_read_input_tokens' | 'cache_creation_input_tokens' | 'output_tokens';
type RawUsage = Partial<Record<UsageField, number | null>> & {
  output_tokens_details?: { thinking_tokens?: number } | null;
};
type Block = { kind: 'text' | 'tool' | 'output' | 'other'; id: string; name: string; json: string };

const STOP: Readonly<Record<string, FinishReason>> = {
  end_turn: 'stop',
  stop_sequence: 'stop',
  max_tokens: 'length',
  model_context_window_exceeded: 'length',
  tool_use: 'tool-calls',
  refusal: 'content-filter',
};

/** Our Usage.inputTokens is ALL input: Anthropic's input_tokens excludes cache reads and writes. */
function usageOf(raw: RawUsage): Usage {
  const read = raw.cache_read_input_tokens ?? 0;
  const write = raw.cache_creation_input_tokens ?? 0;
  return {
    inputTokens: (raw.input_tokens ?? 0) + read + write,
    cachedInputTokens: read,
    cacheWriteTokens: write,
    outputTokens: raw.output_tokens ?? 0,
    reasoningTokens: raw.output_tokens_details?.thinking_tokens ?? 0,
  };
}

/** message_delta carries cumulative figures; null or missing ones keep the message_start value. */
function mergeUsage(into: RawUsage, from: RawUsage | null | undefined): RawUsage {
  const out: RawUsage = { ...into };
  for (const [key, value] of Object.entries(from ?? {})) {
    if (value !== null && value !== undefined) (out as Record<string, unknown>)[key] = value;
  }
  return out;
}

function blockOf(event: Extract<Event, { type: 'content_block_start' }>, output: OutputTool | undefined): Block {
  const block = event.content_block;
  if (block.type === 'tool_use') {
    return { kind: block.name === output?.name ? 'output' : 'tool', id: block.id, name: block.name, json: '' };
  }
  // With structured output, stray text would corrupt the JSON reply: only the output tool's input counts.
  if (block.type === 'text' && output === undefined) return { kind: 'text', id: '', name: '', json: '' };
  return { kind: 'other', id: '', name: '', json: '' };
}

/** Maps one block delta or stop to the events it produces. */
function* blockEvents(event: Event, blocks: Map<number, Block>, output: OutputTool | undefined, ctx: CallContext) {
  if (event.type === 'content_block_start') {
    const block = blockOf(event, output);
    blocks.set(event.index, block);
    const text = event.content_block.type === 'text' ? event.content_block.text : '';
    if (block.kind === 'text' && text !== '') yield { type: 'text-delta', text } satisfies ModelEvent;
  } else if (event.type === 'content_block_delta') {
    const block = blocks.get(event.index);
    const delta = event.delta;
    if (block?.kind === 'text' && delta.type === 'text_delta' && delta.text !== '') {
      yield { type: 'text-delta', text: delta.text } satisfies ModelEvent;
    } else if (block !== undefined && delta.type === 'input_json_delta') {
      block.json += delta.partial_json;
      if (block.kind === 'output' && !output?.wrapped && delta.partial_json !== '') {
        yield { type: 'text-delta', text: delta.partial_json } satisfies ModelEvent;
      }
    }
  } else if (event.type === 'content_block_stop') {
    const block = blocks.get(event.index);
    if (block?.kind === 'tool') {
      const call = { id: block.id, name: block.name, args: parseToolArgs(block.json, block.name, ctx) };
      yield { type: 'tool-call', call } satisfies ModelEvent;
    } else if (block?.kind === 'output' && output?.wrapped) {
      yield { type: 'text-delta', text: unwrappedOutput(block.json, ctx) } satisfies ModelEvent;
    }
  }
}

async function* messageEvents(client: Anthropic, call: ProviderCall, ctx: CallContext) {
  const maxTokens = call.request.maxOutputTokens ?? call.model.maxOutputTokens;
  const { params, outputTool } = messageParams(call.request, ctx.wireModel, maxTokens);
  const stream = await client.messages.create(params, { signal: ctx.signal });
  const blocks = new Map<number, Block>();
  let usage: RawUsage | undefined;
  let stopReason: string | undefined;
  let stopped = false;
  let chunks = 0;
  for await (const event of stream) {
    chunks += 1;
    if (event.type === 'message_start') usage = mergeUsage({}, event.message.usage as RawUsage);
    else if (event.type === 'message_delta') {
      stopReason = event.delta.stop_reason ?? stopReason;
      if (usage !== undefined) usage = mergeUsage(usage, event.usage as RawUsage);
    } else if (event.type === 'message_stop') stopped = true;
    else yield* blockEvents(event, blocks, outputTool, ctx);
  }
  const onlyOutput = outputTool !== undefined && ![...blocks.values()].some((b) => b.kind === 'tool');
  const mapped = stopReason === 'tool_use' && onlyOutput ? 'stop' : (STOP[stopReason ?? ''] ?? 'other');
  const reason = finishedOrThrow(ctx, stopped && stopReason !== undefined ? mapped : undefined, chunks);
  if (usage !== undefined) yield { type: 'usage', usage: usageOf(usage) } satisfies ModelEvent;
  yield { type: 'finish', reason } satisfies ModelEvent;
}

/**
 * An endpoint on the Anthropic Messages API (streaming), through the official `@anthropic-ai/sdk` (retries off).
 * Structured output is requested as a forced tool whose input streams back as JSON text.
 */
export function anthropic(options: AnthropicProviderOptions = {}): Provider {
  const name = options.name ?? 'anthropic';
  const baseURL = options.baseURL ?? 'https://api.anthropic.com';
  const apiKey = options.apiKey ?? (options.baseURL === undefined ? process.env['ANTHROPIC_API_KEY'] : undefined);
  const client = lazy(async (): Promise<Anthropic> => {
    const sdk = await loadSdk('@anthropic-ai/sdk', () => import('@anthropic-ai/sdk'));
    return new sdk.Anthropic({
      apiKey,
      baseURL,
      maxRetries: 0,
      logLevel: 'off',
      ...(options.headers === undefined ? {} : { defaultHeaders: options.headers }),
    });
  });
  const base = (model: ModelInfo): CallContextBase => ({
    provider: name,
    family: 'anthropic',
    model: model.id,
    wireModel: wireModelId(options.models, model),
    baseURL,
    envVar: 'ANTHROPIC_API_KEY',
    secrets: apiKey ? [apiKey] : [],
  });
  return {
    name,
    family: 'anthropic',
    ...(options.maxConcurrency === undefined ? {} : { maxConcurrency: options.maxConcurrency }),
    serves: (model) => servesModel('anthropic', options.models, model, name),
    stream: (call) =>
      guardedStream(call, base(call.model), async function* (ctx) {
        if (!apiKey) throw missingKeyError(ctx);
        yield* messageEvents(await client(), call, ctx);
      }),
  };
}
