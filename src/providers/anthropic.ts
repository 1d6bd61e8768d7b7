import type Anthropic from '@anthropic-ai/sdk';
import type { ModelInfo } from '../models/types.js';
import { messageParams } from './anthropic-request.js';
import { endOf, eventsOf, MessageRead } from './anthropic-stream.js';
import type { CallContext } from './call-context.js';
import { lazy, servesModel, wireModelId } from './endpoint.js';
import { loadSdk } from './load-sdk.js';
import { endpointSecrets } from './redact.js';
import { stateOwner } from './provider-state.js';
import { guardedStream, missingKeyError, type CallContextBase, type StreamReader } from './stream-guard.js';
import type { EndpointOptions, Provider, ProviderCall } from './types.js';
import { anthropicAttachmentProblem } from './anthropic-parts.js';

type Event = Anthropic.Messages.RawMessageStreamEvent;

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

/**
 * Streams one call over the Messages API. The reply ends at `message_stop`: nothing sent after it is read (it
 * would otherwise join a finished reply). Thinking streams as `reasoning-delta`; its blocks leave as the turn's
 * provider state, to go back (with their signatures) on the next request to this endpoint.
 */
async function messageStream(client: () => Promise<Anthropic>, call: ProviderCall, ctx: CallContext, owner: string): Promise<StreamReader<Event>> {
  const maxTokens = call.request.maxOutputTokens ?? call.model.maxOutputTokens;
  const { params, outputTool } = messageParams(call.request, ctx.wireModel, maxTokens, owner);
  const stream = await (await client()).messages.create(params, { signal: ctx.signal });
  const read = new MessageRead(outputTool, ctx, owner);
  return {
    chunks: stream,
    read(event, out) {
      eventsOf(read, event, out);
      return read.stopped;
    },
    end: (out, chunks) => endOf(read, chunks, out),
  };
}

/**
 * An endpoint on the Anthropic Messages API (streaming), through the official `@anthropic-ai/sdk` (retries off).
 * Structured output is requested as a forced tool whose input streams back as JSON text; reasoning as extended
 * thinking.
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
  const secrets = endpointSecrets(apiKey, options.headers);
  const base = (model: ModelInfo): CallContextBase => ({
    provider: name,
    family: 'anthropic',
    model: model.id,
    wireModel: wireModelId(options.models, model),
    baseURL,
    envVar: 'ANTHROPIC_API_KEY',
    secrets,
  });
  return {
    name,
    family: 'anthropic',
    api: 'messages',
    ...(options.maxConcurrency === undefined ? {} : { maxConcurrency: options.maxConcurrency }),
    serves: (model) => servesModel('anthropic', options.models, model, name),
    warmUp: lazy(async () => {
      await client();
    }),
    attachmentProblem: anthropicAttachmentProblem,
    stream: (call) =>
      guardedStream(call, base(call.model), (ctx) => {
        if (!apiKey) throw missingKeyError(ctx);
        return messageStream(client, call, ctx, stateOwner(name, 'messages', ctx.wireModel));
      }),
  };
}
