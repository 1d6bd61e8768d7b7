import type OpenAI from 'openai';
import type { FinishReason, ModelEvent, ToolCall, Usage } from '../models/types.js';
import type { CallContext } from './call-context.js';
import { responsesError } from './openai-responses-errors.js';
import { responsesParams, type ResponsesCallState, type ResponsesTarget, type ResponsesTurnState } from './openai-responses-request.js';
import { responsesUsage } from './openai-usage.js';
import { ownedState } from './provider-state.js';
import { parseToolArgs, unwrappedOutput } from './reply-json.js';
import { finishedOrThrow, type StreamReader } from './stream-guard.js';
import type { ProviderCall } from './types.js';

type StreamEvent = OpenAI.Responses.ResponseStreamEvent;
type Response = OpenAI.Responses.Response;
type ReasoningItem = OpenAI.Responses.ResponseReasoningItem;

/** What one Responses stream has read so far. */
interface ReadState {
  wrapped: boolean;
  /** Structured output under a `{ value }` wrapper, held until the end to unwrap. */
  buffered: string;
  refused: boolean;
  toolCalls: number;
  /** Ids of the output items already read (a final response repeats them). */
  seen: Set<string>;
  reasoning: ReasoningItem[];
  finish?: FinishReason;
  usage?: Usage;
}

const INCOMPLETE: Readonly<Record<string, FinishReason>> = {
  max_output_tokens: 'length',
  content_filter: 'content-filter',
};

/** A reasoning item as it goes back in the next request's input (the status is output-only). */
function keptReasoning(item: ReasoningItem): ReasoningItem {
  const { status: _status, ...kept } = item;
  return kept;
}

/**
 * One finished output item: a reasoning item is kept (for the next turn), a function call becomes a tool call.
 * Each item is read once, whether it came in `response.output_item.done` or only in the final response (as some
 * OpenAI-compatible servers send it).
 */
function itemEvents(item: OpenAI.Responses.ResponseOutputItem, state: ReadState, ctx: CallContext, owner: string, out: ModelEvent[]): void {
  const key = item.id ?? (item.type === 'function_call' ? item.call_id : undefined);
  if (key !== undefined) {
    if (state.seen.has(key)) return;
    state.seen.add(key);
  }
  if (item.type === 'reasoning') state.reasoning.push(keptReasoning(item));
  else if (item.type === 'function_call') {
    state.toolCalls += 1;
    out.push({ type: 'tool-call', call: toolCallOf(item, ctx, owner) });
  }
}

/** The finish of a `response.completed` or `response.incomplete` event, with its usage. */
function ended(response: Response, state: ReadState): void {
  if (response.usage !== undefined && response.usage !== null) state.usage = responsesUsage(response.usage);
  if (response.status === 'incomplete') {
    state.finish = INCOMPLETE[response.incomplete_details?.reason ?? ''] ?? 'other';
  } else if (state.refused) state.finish = 'content-filter';
  else state.finish = state.toolCalls > 0 ? 'tool-calls' : 'stop';
}

/** A finished function-call item as a tool call carrying its item id (sent back with it to this endpoint). */
function toolCallOf(item: OpenAI.Responses.ResponseFunctionToolCall, ctx: CallContext, owner: string): ToolCall {
  const call: ToolCall = { id: item.call_id, name: item.name, args: parseToolArgs(item.arguments ?? '', item.name, ctx) };
  if (item.id) call.providerState = ownedState(owner, { itemId: item.id } satisfies ResponsesCallState);
  return call;
}

/**
 * The events of one stream event, added to `out`. Function calls are taken whole from `response.output_item.done`
 * (its `arguments` are the streamed deltas joined), reasoning items likewise (with their encrypted content).
 * A function rather than a generator: it runs for every chunk of every call.
 */
function eventsOf(event: StreamEvent, state: ReadState, ctx: CallContext, owner: string, out: ModelEvent[]): void {
  switch (event.type) {
    case 'response.output_text.delta':
      if (state.wrapped) state.buffered += event.delta;
      else if (event.delta !== '') out.push({ type: 'text-delta', text: event.delta });
      return;
    case 'response.refusal.delta':
      state.refused = true;
      return;
    case 'response.reasoning_summary_text.delta':
    case 'response.reasoning_text.delta':
      if (event.delta !== '') out.push({ type: 'reasoning-delta', text: event.delta });
      return;
    case 'response.reasoning_summary_part.added':
      // Summary parts are paragraphs: keep them apart in the reasoning text.
      if (event.summary_index > 0) out.push({ type: 'reasoning-delta', text: '\n\n' });
      return;
    case 'response.output_item.done':
      return itemEvents(event.item, state, ctx, owner, out);
    case 'response.completed':
    case 'response.incomplete':
      for (const item of event.response.output ?? []) itemEvents(item, state, ctx, owner, out);
      return ended(event.response, state);
    case 'response.failed':
      throw responsesError(ctx, event.response.error, 'reported the response failed');
    case 'error':
      throw responsesError(ctx, event, 'sent an error in the stream');
  }
}

/**
 * The SDK throws an `error` event as an API error without a status, its body the event: read its code as the
 * Responses API names it (undefined for anything else).
 */
function streamEventError(error: unknown, ctx: CallContext) {
  const sdk = error as { status?: unknown; error?: { code?: unknown; message?: unknown } } | null;
  if (typeof sdk !== 'object' || sdk === null || typeof sdk.status === 'number' || typeof sdk.error?.code !== 'string') return undefined;
  return responsesError(ctx, sdk.error, 'sent an error in the stream');
}

/**
 * Streams one call over the Responses API (`POST /responses`, `stream: true`). The stream must reach
 * `response.completed` (or `response.incomplete`: finish 'length' or 'content-filter'); one cut before that is a
 * failure, and anything sent after it is not read. `response.failed` and `error` events fail the attempt with
 * the kind their code names. The reply's reasoning items leave as its provider state, for the next turn.
 */
export async function responsesStream(client: () => Promise<OpenAI>, call: ProviderCall, ctx: CallContext, target: ResponsesTarget): Promise<StreamReader<StreamEvent>> {
  const { params, wrapped } = responsesParams(call.request, target);
  const stream = await (await client()).responses.create(params, { signal: ctx.signal });
  const state: ReadState = { wrapped, buffered: '', refused: false, toolCalls: 0, seen: new Set(), reasoning: [] };
  return {
    chunks: stream,
    read(event, out) {
      eventsOf(event, state, ctx, target.owner, out);
      return state.finish !== undefined;
    },
    end(out, chunks) {
      const reason = finishedOrThrow(ctx, state.finish, chunks);
      if (wrapped && state.buffered !== '') out.push({ type: 'text-delta', text: unwrappedOutput(state.buffered, ctx) });
      if (state.reasoning.length > 0) {
        const data: ResponsesTurnState = { reasoning: state.reasoning };
        out.push({ type: 'provider-state', state: ownedState(target.owner, data) });
      }
      if (state.usage !== undefined) out.push({ type: 'usage', usage: state.usage });
      out.push({ type: 'finish', reason });
    },
    failure: (error) => streamEventError(error, ctx) ?? error,
  };
}
