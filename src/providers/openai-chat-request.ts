import type OpenAI from 'openai';
import { textOf } from '../models/content.js';
import type { Message, ModelRequest } from '../models/types.js';
import { chatUserContent } from './chat-parts.js';
import { functionFields, outputFormat, type MaxTokensField } from './openai-request.js';

type ChatParams = OpenAI.Chat.ChatCompletionCreateParamsStreaming;
type ChatMessage = OpenAI.Chat.ChatCompletionMessageParam;

/** One message as Chat Completions takes it: a user's parts as content parts, other turns as their text. */
function toChatMessage(message: Message): ChatMessage {
  switch (message.role) {
    case 'user':
      return { role: 'user', content: chatUserContent(message.content) };
    case 'tool':
      return { role: 'tool', tool_call_id: message.toolCallId, content: textOf(message.content) };
    case 'assistant': {
      const calls = message.toolCalls ?? [];
      const text = textOf(message.content);
      if (calls.length === 0) return { role: 'assistant', content: text };
      return {
        role: 'assistant',
        content: text === '' ? null : text,
        tool_calls: calls.map((call) => ({
          id: call.id,
          type: 'function' as const,
          function: { name: call.name, arguments: JSON.stringify(call.args ?? {}) },
        })),
      };
    }
  }
}

/**
 * The conversation as Chat Completions messages: the system prompt first, then each message. Chat Completions
 * carries no opaque provider state, so any on the messages is left out.
 */
export function chatMessages(request: ModelRequest): ChatMessage[] {
  const messages: ChatMessage[] = [];
  if (request.system !== undefined && request.system !== '') messages.push({ role: 'system', content: request.system });
  for (const message of request.messages) messages.push(toChatMessage(message));
  return messages;
}

/**
 * The Chat Completions body for one request. Output schemas that are not objects are wrapped as
 * `{ value: schema }` (response_format needs an object root); `wrapped` tells the stream to unwrap. Reasoning
 * travels as `reasoning_effort`.
 */
export function chatParams(
  request: ModelRequest,
  wireModel: string,
  maxTokensField: MaxTokensField,
): { params: ChatParams; wrapped: boolean } {
  const params: ChatParams = {
    model: wireModel,
    messages: chatMessages(request),
    stream: true,
    stream_options: { include_usage: true },
  };
  if (request.maxOutputTokens !== undefined) params[maxTokensField] = request.maxOutputTokens;
  if (request.temperature !== undefined) params.temperature = request.temperature;
  if (request.cache?.key !== undefined) params.prompt_cache_key = request.cache.key;
  if (request.reasoning !== undefined) params.reasoning_effort = request.reasoning.effort;
  if (request.tools !== undefined && request.tools.length > 0) {
    params.tools = request.tools.map((tool) => {
      // Chat Completions tools are not strict unless asked: say so only when the schema allows it.
      const { strict, ...fields } = functionFields(tool);
      return { type: 'function' as const, function: strict ? { ...fields, strict } : fields };
    });
  }
  if (request.output === undefined) return { params, wrapped: false };
  const format = outputFormat(request.output);
  params.response_format = {
    type: 'json_schema',
    json_schema: { name: format.name, schema: format.schema, strict: format.strict },
  };
  return { params, wrapped: format.wrapped };
}
