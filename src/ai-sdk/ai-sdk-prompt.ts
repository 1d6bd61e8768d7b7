import type { JSONSchema7, LanguageModelV4CallOptions, LanguageModelV4Message, LanguageModelV4Prompt } from '@ai-sdk/provider';
import type { Message, ModelRequest } from '../models/types.js';
import { isObjectSchema, objectSchema, wireName } from '../providers/json-schema.js';

function toMessage(message: Message): LanguageModelV4Message {
  switch (message.role) {
    case 'user':
      return { role: 'user', content: [{ type: 'text', text: message.content }] };
    case 'assistant': {
      const text = message.content === '' ? [] : [{ type: 'text' as const, text: message.content }];
      const calls = (message.toolCalls ?? []).map((call) => ({
        type: 'tool-call' as const,
        toolCallId: call.id,
        toolName: call.name,
        input: call.args,
      }));
      return { role: 'assistant', content: [...text, ...calls] };
    }
    case 'tool':
      return {
        role: 'tool',
        content: [{ type: 'tool-result', toolCallId: message.toolCallId, toolName: message.toolName, output: { type: 'text', value: message.content } }],
      };
  }
}

/** A switchyard request as the call options of the AI SDK's LanguageModel specification (v4). */
export function aiSdkCallOptions(request: ModelRequest, signal: AbortSignal): { options: LanguageModelV4CallOptions; wrapped: boolean } {
  const prompt: LanguageModelV4Prompt = [];
  if (request.system !== undefined && request.system !== '') prompt.push({ role: 'system', content: request.system });
  prompt.push(...request.messages.map(toMessage));
  const options: LanguageModelV4CallOptions = { prompt, abortSignal: signal };
  if (request.maxOutputTokens !== undefined) options.maxOutputTokens = request.maxOutputTokens;
  if (request.temperature !== undefined) options.temperature = request.temperature;
  if (request.tools !== undefined && request.tools.length > 0) {
    options.tools = request.tools.map((tool) => ({
      type: 'function' as const,
      name: tool.name,
      inputSchema: tool.parameters as JSONSchema7,
      ...(tool.description === undefined ? {} : { description: tool.description }),
    }));
  }
  const output = request.output;
  if (output === undefined) return { options, wrapped: false };
  options.responseFormat = { type: 'json', schema: objectSchema(output.schema) as JSONSchema7, name: wireName(output.name) };
  return { options, wrapped: !isObjectSchema(output.schema) };
}
