import type {
  JSONSchema7,
  LanguageModelV4CallOptions,
  LanguageModelV4FilePart,
  LanguageModelV4Message,
  LanguageModelV4Prompt,
  LanguageModelV4TextPart,
} from '@ai-sdk/provider';
import type { Attachment } from '../models/attachment.js';
import { textOf } from '../models/content.js';
import type { Message, MessageContent, ModelRequest } from '../models/types.js';
import { isObjectSchema, objectSchema, wireName } from '../providers/json-schema.js';
import { wirePartsOf } from '../providers/wire-parts.js';

/** One image or PDF as an AI SDK file part: bytes as data, a URL as a URL, a provider's file as a reference. */
function filePart(attachment: Attachment): LanguageModelV4FilePart {
  const mediaType = attachment.mediaType ?? 'image';
  const named = attachment.filename === undefined ? {} : { filename: attachment.filename };
  if (attachment.source === 'url') return { type: 'file', mediaType, data: { type: 'url', url: new URL(attachment.url!) }, ...named };
  if (attachment.source === 'file-id') {
    return { type: 'file', mediaType, data: { type: 'reference', reference: { [attachment.provider!]: attachment.fileId! } }, ...named };
  }
  return { type: 'file', mediaType, data: { type: 'data', data: attachment.bytes! }, ...named };
}

/** A user message's content as AI SDK parts: text parts, and images and PDFs as file parts (text files as text). */
function userParts(content: MessageContent): Array<LanguageModelV4TextPart | LanguageModelV4FilePart> {
  return wirePartsOf(content, 'AI SDK endpoint', () => undefined).map((part) =>
    part.type === 'text' ? { type: 'text', text: part.text } : filePart(part.attachment),
  );
}

function toMessage(message: Message): LanguageModelV4Message {
  switch (message.role) {
    case 'user':
      return { role: 'user', content: userParts(message.content) };
    case 'assistant': {
      const said = textOf(message.content);
      const text = said === '' ? [] : [{ type: 'text' as const, text: said }];
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
        content: [{ type: 'tool-result', toolCallId: message.toolCallId, toolName: message.toolName, output: { type: 'text', value: textOf(message.content) } }],
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
  if (request.reasoning !== undefined) options.reasoning = request.reasoning.effort;
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
