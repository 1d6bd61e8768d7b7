import type { LanguageModelV4, LanguageModelV4FinishReason, LanguageModelV4StreamPart, LanguageModelV4Usage } from '@ai-sdk/provider';
import { SwitchyardError } from '../errors/switchyard-error.js';
import type { FinishReason, ModelEvent, Usage } from '../models/types.js';
import type { CallContext } from '../providers/call-context.js';
import { parseToolArgs, unwrappedOutput } from '../providers/reply-json.js';
import { finishedOrThrow, type StreamReader } from '../providers/stream-guard.js';
import type { ProviderCall } from '../providers/types.js';
import { aiSdkError } from './ai-sdk-error.js';
import { aiSdkCallOptions } from './ai-sdk-prompt.js';

/** Usage as switchyard counts it; none when the model did not report both totals (switchyard then estimates). */
export function usageOf(usage: LanguageModelV4Usage | undefined): Usage | undefined {
  const input = usage?.inputTokens.total;
  const output = usage?.outputTokens.total;
  if (input === undefined || output === undefined) return undefined;
  return {
    inputTokens: input,
    cachedInputTokens: usage!.inputTokens.cacheRead ?? 0,
    cacheWriteTokens: usage!.inputTokens.cacheWrite ?? 0,
    outputTokens: output,
    reasoningTokens: usage!.outputTokens.reasoning ?? 0,
  };
}

/**
 * The finish reason, or undefined for a stream that did not really finish: 'interrupted' (it ended without a
 * finish reason: a cut connection) becomes the stream-ended error; 'error' a server error.
 */
function finishOf(reason: LanguageModelV4FinishReason, ctx: CallContext): FinishReason | undefined {
  switch (reason.unified) {
    case 'interrupted':
      return undefined;
    case 'error':
      throw new SwitchyardError({
        kind: 'server',
        provider: ctx.provider,
        model: ctx.model,
        message: `The AI SDK model behind endpoint '${ctx.provider}' finished ${ctx.model} with an error (${reason.raw ?? 'no reason given'}).`,
      });
    default:
      return reason.unified;
  }
}

/** What one stream delivered, gathered as it goes. */
interface Gathered {
  finish?: FinishReason;
  usage?: Usage;
  buffered: string;
}

/** The switchyard event for one stream part, if it has one; `finish` and `error` parts update `gathered`. */
function eventOf(part: LanguageModelV4StreamPart, wrapped: boolean, gathered: Gathered, ctx: CallContext): ModelEvent | undefined {
  switch (part.type) {
    case 'text-delta':
      if (!wrapped) return { type: 'text-delta', text: part.delta };
      gathered.buffered += part.delta;
      return undefined;
    case 'reasoning-delta':
      return part.delta === '' ? undefined : { type: 'reasoning-delta', text: part.delta };
    case 'tool-call':
      if (part.providerExecuted === true) return undefined;
      return { type: 'tool-call', call: { id: part.toolCallId, name: part.toolName, args: parseToolArgs(part.input, part.toolName, ctx) } };
    case 'finish':
      gathered.finish = finishOf(part.finishReason, ctx);
      gathered.usage = usageOf(part.usage);
      return undefined;
    case 'error':
      throw aiSdkError(part.error, ctx);
    default:
      return undefined;
  }
}

/**
 * One call through an AI SDK language model's `doStream` — one HTTP request, with no retry loop of the AI SDK's
 * around it — read as switchyard events: text deltas, tool calls, then usage and the finish reason. Whatever the
 * model throws leaves as a `SwitchyardError` of the matching kind.
 */
export async function aiSdkStream(model: LanguageModelV4, call: ProviderCall, ctx: CallContext): Promise<StreamReader<LanguageModelV4StreamPart>> {
  const failure = (error: unknown) => aiSdkError(error, ctx);
  let wrapped: boolean;
  let stream: ReadableStream<LanguageModelV4StreamPart>;
  try {
    const prepared = aiSdkCallOptions(call.request, ctx.signal);
    wrapped = prepared.wrapped;
    stream = (await model.doStream(prepared.options)).stream;
  } catch (error) {
    throw failure(error);
  }
  const gathered: Gathered = { buffered: '' };
  return {
    chunks: stream,
    read(part, out) {
      const event = eventOf(part, wrapped, gathered, ctx);
      if (event !== undefined) out.push(event);
      return false;
    },
    end(out, parts) {
      const reason = finishedOrThrow(ctx, gathered.finish, parts);
      if (wrapped && gathered.buffered !== '') out.push({ type: 'text-delta', text: unwrappedOutput(gathered.buffered, ctx) });
      if (gathered.usage !== undefined) out.push({ type: 'usage', usage: gathered.usage });
      out.push({ type: 'finish', reason });
    },
    failure,
  };
}
