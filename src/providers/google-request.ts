import type { Content, GenerateContentParameters, HttpOptions, Part } from '@google/genai';
import { textOf } from '../models/content.js';
import type { Message, ModelRequest } from '../models/types.js';
import { googleParts } from './google-parts.js';

function contentOf(message: Message): Content {
  switch (message.role) {
    case 'user':
      return { role: 'user', parts: typeof message.content === 'string' ? [{ text: message.content }] : googleParts(message.content) };
    case 'tool':
      return {
        role: 'user',
        parts: [
          {
            functionResponse: { id: message.toolCallId, name: message.toolName, response: { output: textOf(message.content) } },
          },
        ],
      };
    case 'assistant': {
      const parts: Part[] = googleParts(message.content);
      for (const call of message.toolCalls ?? []) {
        parts.push({ functionCall: { id: call.id, name: call.name, args: (call.args ?? {}) as Record<string, unknown> } });
      }
      return { role: 'model', parts };
    }
  }
}

/** Consecutive turns of one role merge (several tool results answer one model turn). */
function contentsOf(messages: readonly Message[]): Content[] {
  const contents: Content[] = [];
  for (const message of messages) {
    const content = contentOf(message);
    const last = contents[contents.length - 1];
    if (last !== undefined && last.role === content.role) (last.parts ??= []).push(...(content.parts ?? []));
    else contents.push(content);
  }
  return contents;
}

/**
 * The `generateContentStream` parameters for one request: no automatic function calling or continuation (one
 * request per call), the abort signal in the config, and per-call `httpOptions` (the header-capturing fetch).
 */
export function generateParams(
  request: ModelRequest,
  wireModel: string,
  abortSignal: AbortSignal,
  httpOptions: HttpOptions,
): GenerateContentParameters {
  const config: NonNullable<GenerateContentParameters['config']> = {
    abortSignal,
    httpOptions,
    automaticFunctionCalling: { disable: true },
    automaticContinuation: false,
  };
  if (request.system !== undefined && request.system !== '') config.systemInstruction = request.system;
  if (request.maxOutputTokens !== undefined) config.maxOutputTokens = request.maxOutputTokens;
  if (request.temperature !== undefined) config.temperature = request.temperature;
  if (request.tools !== undefined && request.tools.length > 0) {
    config.tools = [
      {
        functionDeclarations: request.tools.map((tool) => ({
          name: tool.name,
          parametersJsonSchema: tool.parameters,
          ...(tool.description === undefined ? {} : { description: tool.description }),
        })),
      },
    ];
  }
  if (request.output !== undefined) {
    config.responseMimeType = 'application/json';
    config.responseJsonSchema = request.output.schema;
  }
  return { model: wireModel, contents: contentsOf(request.messages), config };
}
