import type Anthropic from '@anthropic-ai/sdk';
import { SwitchyardError } from '../errors/switchyard-error.js';
import type { FinishReason, ModelEvent } from '../models/types.js';
import type { OutputTool } from './anthropic-request.js';
import type { AnthropicTurnState } from './anthropic-thinking.js';
import { anthropicUsage, mergeUsage, type RawUsage } from './anthropic-usage.js';
import type { CallContext } from './call-context.js';
import { ownedState } from './provider-state.js';
import { parseToolArgs, unwrappedOutput } from './reply-json.js';
import { finishedOrThrow } from './stream-guard.js';

type Event = Anthropic.Messages.RawMessageStreamEvent;
type ContentBlock = Anthropic.Messages.ContentBlock;

/** A content block as it streams. Tool input arrives as JSON deltas, or whole in the start event. */
interface Block {
  kind: 'text' | 'tool' | 'output' | 'thinking' | 'redacted' | 'other';
  id: string;
  name: string;
  json: string;
  /** The input the start event carried (some servers send it whole there, with no deltas). */
  startInput?: unknown;
  thinking: string;
  signature: string;
  data: string;
}

const STOP: Readonly<Record<string, FinishReason>> = {
  end_turn: 'stop',
  stop_sequence: 'stop',
  max_tokens: 'length',
  model_context_window_exceeded: 'length',
  tool_use: 'tool-calls',
  refusal: 'content-filter',
};

/** What one stream has read so far. */
export class MessageRead {
  readonly blocks = new Map<number, Block>();
  readonly thinking: AnthropicTurnState['blocks'] = [];
  usage?: RawUsage;
  stopReason?: string;
  started = false;
  stopped = false;

  constructor(
    readonly output: OutputTool | undefined,
    readonly ctx: CallContext,
    readonly owner: string,
  ) {}
}

function blockOf(block: ContentBlock, output: OutputTool | undefined): Block {
  const base: Block = { kind: 'other', id: '', name: '', json: '', thinking: '', signature: '', data: '' };
  switch (block.type) {
    case 'tool_use':
      return { ...base, kind: block.name === output?.name ? 'output' : 'tool', id: block.id, name: block.name, startInput: block.input };
    // With structured output, stray text would corrupt the JSON reply: only the output tool's input counts.
    case 'text':
      return output === undefined ? { ...base, kind: 'text' } : base;
    case 'thinking':
      return { ...base, kind: 'thinking', signature: block.signature ?? '' };
    case 'redacted_thinking':
      return { ...base, kind: 'redacted', data: block.data };
    default:
      return base;
  }
}

/** A start event's input, when it carried a non-empty one. */
function wholeInput(block: Block): string {
  const input = block.startInput;
  if (typeof input !== 'object' || input === null || Object.keys(input).length === 0) return '';
  return JSON.stringify(input);
}

function startBlock(read: MessageRead, index: number, content: ContentBlock, out: ModelEvent[]): void {
  const block = blockOf(content, read.output);
  read.blocks.set(index, block);
  if (block.kind === 'text' && content.type === 'text' && content.text !== '') out.push({ type: 'text-delta', text: content.text });
  if (block.kind === 'thinking' && content.type === 'thinking' && content.thinking !== '') {
    block.thinking = content.thinking;
    out.push({ type: 'reasoning-delta', text: content.thinking });
  }
}

function deltaBlock(read: MessageRead, event: Extract<Event, { type: 'content_block_delta' }>, out: ModelEvent[]): void {
  const block = read.blocks.get(event.index);
  const delta = event.delta;
  if (block === undefined) return;
  if (block.kind === 'text' && delta.type === 'text_delta' && delta.text !== '') out.push({ type: 'text-delta', text: delta.text });
  else if (delta.type === 'input_json_delta') {
    block.json += delta.partial_json;
    if (block.kind === 'output' && !read.output?.wrapped && delta.partial_json !== '') out.push({ type: 'text-delta', text: delta.partial_json });
  } else if (block.kind === 'thinking' && delta.type === 'thinking_delta') {
    block.thinking += delta.thinking;
    if (delta.thinking !== '') out.push({ type: 'reasoning-delta', text: delta.thinking });
  } else if (block.kind === 'thinking' && delta.type === 'signature_delta') block.signature += delta.signature;
}

function stopBlock(read: MessageRead, index: number, out: ModelEvent[]): void {
  const block = read.blocks.get(index);
  if (block === undefined) return;
  const { ctx, output } = read;
  const json = block.json === '' ? wholeInput(block) : block.json;
  if (block.kind === 'tool') {
    out.push({ type: 'tool-call', call: { id: block.id, name: block.name, args: parseToolArgs(json, block.name, ctx) } });
  } else if (block.kind === 'output' && output?.wrapped) {
    out.push({ type: 'text-delta', text: unwrappedOutput(json, ctx) });
  } else if (block.kind === 'output' && block.json === '' && json !== '') {
    out.push({ type: 'text-delta', text: json }); // the whole input came in the start event: no delta streamed it
  } else if (block.kind === 'thinking') {
    read.thinking.push({ type: 'thinking', thinking: block.thinking, signature: block.signature });
  } else if (block.kind === 'redacted') {
    read.thinking.push({ type: 'redacted_thinking', data: block.data });
  }
}

function secondStart(ctx: CallContext): SwitchyardError {
  return new SwitchyardError({
    kind: 'server',
    retryable: true,
    provider: ctx.provider,
    model: ctx.model,
    message: `${ctx.provider} sent a second message_start in one stream for model ${ctx.model} (a spliced or corrupted stream); the reply cannot be trusted, so the attempt failed.`,
  });
}

/**
 * The events of one stream event, added to `out` (a function rather than a generator: it runs for every chunk of
 * every call). A `message_start` may already carry content and a stop reason (a reply
 * replayed whole): its blocks are read like streamed ones. A second `message_start` fails the attempt.
 */
export function eventsOf(read: MessageRead, event: Event, out: ModelEvent[]): void {
  switch (event.type) {
    case 'message_start': {
      if (read.started) throw secondStart(read.ctx);
      read.started = true;
      read.usage = mergeUsage({}, event.message.usage);
      read.stopReason = event.message.stop_reason ?? undefined;
      const content = event.message.content ?? [];
      for (const [index, block] of content.entries()) {
        startBlock(read, index, block, out);
        stopBlock(read, index, out);
      }
      return;
    }
    case 'message_delta':
      read.stopReason = event.delta.stop_reason ?? read.stopReason;
      read.usage = mergeUsage(read.usage ?? {}, event.usage);
      return;
    case 'message_stop':
      read.stopped = true;
      return;
    case 'content_block_start':
      return startBlock(read, event.index, event.content_block, out);
    case 'content_block_delta':
      return deltaBlock(read, event, out);
    case 'content_block_stop':
      return stopBlock(read, event.index, out);
  }
}

/** The end of a stream: the finish (or the error of a stream that never stopped), state, usage. */
export function endOf(read: MessageRead, chunks: number, out: ModelEvent[]): void {
  const onlyOutput = read.output !== undefined && ![...read.blocks.values()].some((b) => b.kind === 'tool');
  const mapped = read.stopReason === 'tool_use' && onlyOutput ? 'stop' : (STOP[read.stopReason ?? ''] ?? 'other');
  const reason = finishedOrThrow(read.ctx, read.stopped && read.stopReason !== undefined ? mapped : undefined, chunks);
  if (read.thinking.length > 0) {
    out.push({ type: 'provider-state', state: ownedState(read.owner, { blocks: read.thinking } satisfies AnthropicTurnState) });
  }
  if (read.usage !== undefined) out.push({ type: 'usage', usage: anthropicUsage(read.usage) });
  out.push({ type: 'finish', reason });
}
