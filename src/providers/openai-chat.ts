import type OpenAI from 'openai';
import type { FinishReason, ModelEvent, ToolCall, Usage } from '../models/types.js';
import type { CallContext } from './call-context.js';
import { chatParams } from './openai-chat-request.js';
import type { MaxTokensField } from './openai-request.js';
import { chatUsage } from './openai-usage.js';
import { parseToolArgs, unwrappedOutput } from './reply-json.js';
import { finishedOrThrow } from './stream-guard.js';
import type { ProviderCall } from './types.js';

type Chunk = OpenAI.Chat.ChatCompletionChunk;
type Delta = Chunk['choices'][number]['delta'] & { reasoning_content?: unknown; reasoning?: unknown };

const FINISH: Readonly<Record<string, FinishReason>> = {
  stop: 'stop',
  length: 'length',
  tool_calls: 'tool-calls',
  function_call: 'tool-calls',
  content_filter: 'content-filter',
};

/** Tool calls stream by index: the first delta has id and name, later ones append argument text. */
function collectToolDeltas(delta: Delta, calls: Map<number, { id: string; name: string; args: string }>): void {
  for (const part of delta.tool_calls ?? []) {
    const call = calls.get(part.index) ?? { id: '', name: '', args: '' };
    if (part.id) call.id = part.id;
    if (part.function?.name) call.name += part.function.name;
    if (part.function?.arguments) call.args += part.function.arguments;
    calls.set(part.index, call);
  }
}

/** Reasoning text as OpenAI-compatible servers stream it (`reasoning_content`: vLLM, DeepSeek; `reasoning`: hubs). */
function reasoningText(delta: Delta): string {
  const text = delta.reasoning_content ?? delta.reasoning;
  return typeof text === 'string' ? text : '';
}

/**
 * Streams one call over Chat Completions. Usage comes from the final chunk (see `chatUsage` for the hubs' and
 * xAI's conventions); content that arrives after the finish reason is not part of the reply and is ignored.
 */
export async function* chatEvents(client: OpenAI, call: ProviderCall, ctx: CallContext, field: MaxTokensField) {
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
    if (chunk.usage) usage = chatUsage(chunk.usage);
    const choice = chunk.choices?.find((c) => c.index === 0);
    if (choice === undefined || finish !== undefined) continue;
    const delta = (choice.delta ?? {}) as Delta;
    const thought = reasoningText(delta);
    if (thought !== '') yield { type: 'reasoning-delta', text: thought } satisfies ModelEvent;
    const text = delta.content;
    if (text) {
      if (wrapped) buffered += text;
      else yield { type: 'text-delta', text } satisfies ModelEvent;
    }
    if (delta.refusal) refused = true;
    collectToolDeltas(delta, calls);
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
