import type OpenAI from 'openai';
import type { FinishReason, ModelEvent, ToolCall, Usage } from '../models/types.js';
import type { CallContext } from './call-context.js';
import { chatParams } from './openai-chat-request.js';
import type { MaxTokensField } from './openai-request.js';
import { chatUsage } from './openai-usage.js';
import { parseToolArgs, unwrappedOutput } from './reply-json.js';
import { finishedOrThrow, type StreamReader } from './stream-guard.js';
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
  if (delta.tool_calls === undefined || delta.tool_calls === null) return;
  for (const part of delta.tool_calls) {
    const call = calls.get(part.index) ?? { id: '', name: '', args: '' };
    if (part.id) call.id = part.id;
    if (part.function?.name) call.name += part.function.name;
    if (part.function?.arguments) call.args += part.function.arguments;
    calls.set(part.index, call);
  }
}

/** The chunk's choice 0 (the only one we ask for), wherever it is in the array. */
function firstChoice(chunk: Chunk): Chunk['choices'][number] | undefined {
  const choices = chunk.choices;
  if (choices === undefined || choices === null) return undefined;
  for (const choice of choices) if (choice.index === 0) return choice;
  return undefined;
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
export async function chatStream(client: () => Promise<OpenAI>, call: ProviderCall, ctx: CallContext, field: MaxTokensField): Promise<StreamReader<Chunk>> {
  const { params, wrapped } = chatParams(call.request, ctx.wireModel, field);
  const stream = await (await client()).chat.completions.create(params, { signal: ctx.signal });
  return new ChatRead(stream, wrapped, ctx);
}

/** What one Chat Completions stream has read so far; its reader (see `StreamReader`). */
class ChatRead implements StreamReader<Chunk> {
  readonly #calls = new Map<number, { id: string; name: string; args: string }>();
  #finish: FinishReason | undefined;
  #usage: Usage | undefined;
  #refused = false;
  #buffered = '';

  constructor(
    readonly chunks: AsyncIterable<Chunk>,
    private readonly wrapped: boolean,
    private readonly ctx: CallContext,
  ) {}

  read(chunk: Chunk, out: ModelEvent[]): boolean {
    if (chunk.usage) this.#usage = chatUsage(chunk.usage);
    const choice = firstChoice(chunk);
    // Read on after the finish: the usage chunk comes after it.
    if (choice === undefined || this.#finish !== undefined) return false;
    const delta = (choice.delta ?? {}) as Delta;
    const thought = reasoningText(delta);
    if (thought !== '') out.push({ type: 'reasoning-delta', text: thought });
    const text = delta.content;
    if (text) {
      if (this.wrapped) this.#buffered += text;
      else out.push({ type: 'text-delta', text });
    }
    if (delta.refusal) this.#refused = true;
    collectToolDeltas(delta, this.#calls);
    if (choice.finish_reason) this.#finish = this.#refused ? 'content-filter' : (FINISH[choice.finish_reason] ?? 'other');
    return false;
  }

  end(out: ModelEvent[], chunks: number): void {
    const { ctx } = this;
    const reason = finishedOrThrow(ctx, this.#finish, chunks);
    if (this.wrapped && this.#buffered !== '') out.push({ type: 'text-delta', text: unwrappedOutput(this.#buffered, ctx) });
    for (const [, c] of [...this.#calls].sort(([a], [b]) => a - b)) {
      const toolCall: ToolCall = { id: c.id || `call_${c.name}`, name: c.name, args: parseToolArgs(c.args, c.name, ctx) };
      out.push({ type: 'tool-call', call: toolCall });
    }
    if (this.#usage !== undefined) out.push({ type: 'usage', usage: this.#usage });
    out.push({ type: 'finish', reason });
  }
}
