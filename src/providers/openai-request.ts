import type OpenAI from 'openai';
import { textOf } from '../models/content.js';
import type { Message, ModelRequest } from '../models/types.js';
import { chatUserContent } from './chat-parts.js';
import { isObjectSchema, objectSchema, wireName } from './json-schema.js';

type ChatParams = OpenAI.Chat.ChatCompletionCreateParamsStreaming;
type ChatMessage = OpenAI.Chat.ChatCompletionMessageParam;

/** Which request field carries the output cap. */
export type MaxTokensField = 'max_completion_tokens' | 'max_tokens';

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
 * The Chat Completions body for one request. Output schemas that are not objects are wrapped as
 * `{ value: schema }` (response_format needs an object root); `wrapped` tells the stream to unwrap.
 */
export function chatParams(
  request: ModelRequest,
  wireModel: string,
  maxTokensField: MaxTokensField,
): { params: ChatParams; wrapped: boolean } {
  const messages: ChatMessage[] = [];
  if (request.system !== undefined && request.system !== '') messages.push({ role: 'system', content: request.system });
  messages.push(...request.messages.map(toChatMessage));
  const params: ChatParams = {
    model: wireModel,
    messages,
    stream: true,
    stream_options: { include_usage: true },
  };
  if (request.maxOutputTokens !== undefined) params[maxTokensField] = request.maxOutputTokens;
  if (request.temperature !== undefined) params.temperature = request.temperature;
  if (request.cache?.key !== undefined) params.prompt_cache_key = request.cache.key;
  if (request.tools !== undefined && request.tools.length > 0) {
    params.tools = request.tools.map((tool) => ({
      type: 'function' as const,
      function: {
        name: tool.name,
        parameters: tool.parameters,
        ...(tool.description === undefined ? {} : { description: tool.description }),
      },
    }));
  }
  const output = request.output;
  if (output === undefined) return { params, wrapped: false };
  params.response_format = {
    type: 'json_schema',
    json_schema: { name: wireName(output.name), schema: objectSchema(output.schema), strict: false },
  };
  return { params, wrapped: !isObjectSchema(output.schema) };
}
