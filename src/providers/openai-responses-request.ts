import type OpenAI from 'openai';
import { textOf } from '../models/content.js';
import type { Message, ModelInfo, ModelRequest } from '../models/types.js';
import { functionFields, outputFormat } from './openai-request.js';
import { ownData } from './provider-state.js';
import { responsesUserContent } from './responses-parts.js';

type Params = OpenAI.Responses.ResponseCreateParamsStreaming;
type InputItem = OpenAI.Responses.ResponseInputItem;
type ReasoningItem = OpenAI.Responses.ResponseReasoningItem;

/** How reasoning summaries are asked for: `'off'` asks for none. */
export type ReasoningSummary = 'auto' | 'concise' | 'detailed' | 'off';

/** The state a Responses reply leaves on its assistant turn: its reasoning items, encrypted content included. */
export interface ResponsesTurnState {
  reasoning: ReasoningItem[];
}

/** The state a Responses reply leaves on a function call: the output item's id. */
export interface ResponsesCallState {
  itemId: string;
}

/**
 * One assistant turn as input items, in the order the model produced them: its reasoning items (only when this
 * endpoint and model made them: encrypted reasoning is valid nowhere else), its text, its function calls.
 */
function assistantItems(message: Extract<Message, { role: 'assistant' }>, owner: string): InputItem[] {
  const items: InputItem[] = [];
  const own = ownData<ResponsesTurnState>(message.providerState, owner);
  if (own !== undefined) items.push(...own.reasoning);
  const text = textOf(message.content);
  if (text !== '') items.push({ role: 'assistant', content: text });
  for (const call of message.toolCalls ?? []) {
    const itemId = own === undefined ? undefined : ownData<ResponsesCallState>(call.providerState, owner)?.itemId;
    items.push({
      type: 'function_call',
      call_id: call.id,
      name: call.name,
      arguments: JSON.stringify(call.args ?? {}),
      ...(itemId === undefined ? {} : { id: itemId }),
    });
  }
  return items;
}

/**
 * The conversation as Responses input items: user turns as messages (a string as it is; parts as `input_text`,
 * `input_image` and `input_file`, see `responsesUserContent`), assistant turns as their reasoning, text and
 * function calls, tool results as `function_call_output` items. The system prompt travels apart (as
 * `instructions`).
 * @throws SwitchyardError kind 'invalid_request' for a part this API cannot take
 */
export function responsesInput(messages: readonly Message[], owner: string): InputItem[] {
  const input: InputItem[] = [];
  for (const message of messages) {
    if (message.role === 'user') {
      const content = typeof message.content === 'string' ? message.content : responsesUserContent(message.content);
      input.push({ role: 'user', content });
    } else if (message.role === 'tool') {
      input.push({ type: 'function_call_output', call_id: message.toolCallId, output: textOf(message.content) });
    } else input.push(...assistantItems(message, owner));
  }
  return input;
}

/** What the Responses body needs beyond the request. */
export interface ResponsesTarget {
  model: ModelInfo;
  wireModel: string;
  /** The provider-state owner of this endpoint and model. */
  owner: string;
  reasoningSummary: ReasoningSummary;
}

/**
 * The Responses body for one request. Stateless: `store: false`, and for reasoning models the encrypted
 * reasoning content is included so the next turn can send the reasoning items back (failover to another
 * endpoint still works: nothing lives on the server). Tools and structured output are strict where their
 * schemas allow; non-object output schemas are wrapped as `{ value }` (`wrapped` tells the stream to unwrap).
 */
export function responsesParams(request: ModelRequest, target: ResponsesTarget): { params: Params; wrapped: boolean } {
  const params: Params = {
    model: target.wireModel,
    input: responsesInput(request.messages, target.owner),
    stream: true,
    store: false,
  };
  if (request.system !== undefined && request.system !== '') params.instructions = request.system;
  if (request.maxOutputTokens !== undefined) params.max_output_tokens = request.maxOutputTokens;
  if (request.temperature !== undefined) params.temperature = request.temperature;
  if (request.cache?.key !== undefined) params.prompt_cache_key = request.cache.key;
  if (target.model.capabilities.reasoning) params.include = ['reasoning.encrypted_content'];
  const reasoning = request.reasoning;
  if (reasoning !== undefined) {
    const summary = reasoning.effort === 'none' || target.reasoningSummary === 'off' ? undefined : target.reasoningSummary;
    params.reasoning = { effort: reasoning.effort, ...(summary === undefined ? {} : { summary }) };
  }
  if (request.tools !== undefined && request.tools.length > 0) {
    params.tools = request.tools.map((tool) => ({ type: 'function' as const, ...functionFields(tool) }));
  }
  if (request.output === undefined) return { params, wrapped: false };
  const format = outputFormat(request.output);
  params.text = { format: { type: 'json_schema', name: format.name, schema: format.schema, strict: format.strict } };
  return { params, wrapped: format.wrapped };
}
