import type { Content, GenerateContentParameters, HttpOptions, Part } from '@google/genai';
import { textOf } from '../models/content.js';
import type { Message, ModelRequest, ToolCall } from '../models/types.js';
import { googleParts } from './google-parts.js';
import { checksSignatures, SKIP_SIGNATURE, thinkingConfigOf, type GoogleCallState, type GoogleTurnState } from './google-thinking.js';
import { ownData } from './provider-state.js';

/** Where a request goes, for the provider state it may send back. */
export interface GoogleTarget {
  wireModel: string;
  /** The provider-state owner of this endpoint and model. */
  owner: string;
}

/**
 * A function call as a part: with its thought signature when this endpoint and model made it. Gemini signs the
 * first call of a step (parallel calls after it carry none) and checks that one: a first call without a signature
 * of its own (made elsewhere, e.g. before a failover) gets the documented placeholder, for models that check.
 */
function functionCallPart(call: ToolCall, first: boolean, target: GoogleTarget): Part {
  const part: Part = { functionCall: { id: call.id, name: call.name, args: (call.args ?? {}) as Record<string, unknown> } };
  const own = ownData<GoogleCallState>(call.providerState, target.owner)?.signature;
  if (own !== undefined) part.thoughtSignature = own;
  else if (first && checksSignatures(target.wireModel)) part.thoughtSignature = SKIP_SIGNATURE;
  return part;
}

/** One message as Gemini content: a model turn carries its own thought signatures back, on the parts they came on. */
function contentOf(message: Message, target: GoogleTarget): Content {
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
      const signature = ownData<GoogleTurnState>(message.providerState, target.owner)?.signature;
      // The turn's signature goes back on its text (the last text part, where Gemini put it).
      if (signature !== undefined && parts.length > 0) parts[parts.length - 1]!.thoughtSignature = signature;
      for (const [i, call] of (message.toolCalls ?? []).entries()) parts.push(functionCallPart(call, i === 0, target));
      return { role: 'model', parts };
    }
  }
}

/** Consecutive turns of one role merge (several tool results answer one model turn). */
export function contentsOf(messages: readonly Message[], target: GoogleTarget): Content[] {
  const contents: Content[] = [];
  for (const message of messages) {
    const content = contentOf(message, target);
    const last = contents[contents.length - 1];
    if (last !== undefined && last.role === content.role) (last.parts ??= []).push(...(content.parts ?? []));
    else contents.push(content);
  }
  return contents;
}

/**
 * The `generateContentStream` parameters for one request: no automatic function calling or continuation (one
 * request per call), the abort signal in the config, per-call `httpOptions` (the header-capturing fetch), and
 * reasoning as `thinkingConfig`.
 */
export function generateParams(
  request: ModelRequest,
  target: GoogleTarget,
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
  const thinking = thinkingConfigOf(request, target.wireModel);
  if (thinking !== undefined) config.thinkingConfig = thinking;
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
  return { model: target.wireModel, contents: contentsOf(request.messages, target), config };
}
