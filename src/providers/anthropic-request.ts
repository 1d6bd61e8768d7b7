import type Anthropic from '@anthropic-ai/sdk';
import { textOf } from '../models/content.js';
import type { Message, ModelRequest } from '../models/types.js';
import { EPHEMERAL, markLastAttachment, markLastBlock, planBreakpoints, type BreakpointPlan } from './anthropic-breakpoints.js';
import { anthropicBlocks } from './anthropic-parts.js';
import { thinkingConfig, type AnthropicTurnState } from './anthropic-thinking.js';
import { isObjectSchema, objectSchema, wireName } from './json-schema.js';
import { ownData } from './provider-state.js';

type Params = Anthropic.Messages.MessageCreateParamsStreaming;
type Block = Anthropic.Messages.ContentBlockParam;
type Turn = { role: 'user' | 'assistant'; content: Block[] };

/**
 * One message as an Anthropic turn. An assistant turn starts with its thinking blocks when this endpoint and
 * model made them (their signatures are valid nowhere else), then its text, then its tool calls.
 */
function turnOf(message: Message, owner: string): Turn {
  switch (message.role) {
    case 'user':
      return { role: 'user', content: typeof message.content === 'string' ? [{ type: 'text', text: message.content }] : anthropicBlocks(message.content) };
    case 'tool':
      return {
        role: 'user',
        content: [{ type: 'tool_result', tool_use_id: message.toolCallId, content: textOf(message.content) }],
      };
    case 'assistant': {
      const content: Block[] = [...(ownData<AnthropicTurnState>(message.providerState, owner)?.blocks ?? [])];
      content.push(...anthropicBlocks(message.content));
      for (const call of message.toolCalls ?? []) {
        content.push({ type: 'tool_use', id: call.id, name: call.name, input: call.args ?? {} });
      }
      return { role: 'assistant', content };
    }
  }
}

/**
 * Messages alternate roles: consecutive turns of one role (e.g. several tool results) merge into one. The message
 * the plan names gets a prompt-cache breakpoint on its last block (or on its last image or document).
 */
export function turnsOf(messages: readonly Message[], owner: string, breakpoints: BreakpointPlan): Turn[] {
  const turns: Turn[] = [];
  for (const [index, message] of messages.entries()) {
    const turn = turnOf(message, owner);
    if (index === breakpoints.message) markLastBlock(turn.content);
    if (index === breakpoints.attachment) markLastAttachment(turn.content);
    const last = turns[turns.length - 1];
    if (last !== undefined && last.role === turn.role) last.content.push(...turn.content);
    else turns.push(turn);
  }
  return turns;
}

/** How a structured-output request travels: as a forced tool whose input is the reply. */
export interface OutputTool {
  name: string;
  /** The schema was not an object and is wrapped as `{ value }`. */
  wrapped: boolean;
}

/**
 * The Messages body for one request. `max_tokens` is required by the API: the request's cap, else the model's.
 * Structured output forces a tool named after the output. Prompt-cache breakpoints go on the stable prefixes
 * (tools, system prompt, the conversation before the last message) unless `cache.breakpoints` is 'off'.
 * `temperature` is not sent: the Messages API version the SDK speaks (2026-10-21) no longer accepts it.
 * Reasoning becomes extended thinking (see `thinkingConfig`); thinking blocks of this endpoint (`owner`) go back
 * on their turns.
 */
export function messageParams(
  request: ModelRequest,
  wireModel: string,
  maxTokens: number,
  owner: string,
): { params: Params; outputTool?: OutputTool } {
  const breakpoints = planBreakpoints(request, wireModel);
  const messages = turnsOf(request.messages, owner, breakpoints);
  const params: Params = { model: wireModel, max_tokens: maxTokens, messages, stream: true };
  const thinking = thinkingConfig(request, maxTokens, owner);
  if (thinking !== undefined) params.thinking = thinking;
  if (request.system !== undefined && request.system !== '') {
    params.system = breakpoints.system ? [{ type: 'text', text: request.system, cache_control: EPHEMERAL }] : request.system;
  }
  const tools: Anthropic.Messages.Tool[] = (request.tools ?? []).map((tool) => ({
    name: tool.name,
    input_schema: tool.parameters as Anthropic.Messages.Tool.InputSchema,
    ...(tool.description === undefined ? {} : { description: tool.description }),
  }));
  let outputTool: OutputTool | undefined;
  if (request.output !== undefined) {
    outputTool = { name: wireName(request.output.name), wrapped: !isObjectSchema(request.output.schema) };
    tools.push({
      name: outputTool.name,
      description: 'Give your final answer by calling this tool; its input is the answer.',
      input_schema: objectSchema(request.output.schema) as Anthropic.Messages.Tool.InputSchema,
    });
    params.tool_choice = { type: 'tool', name: outputTool.name };
  }
  if (breakpoints.tools) markLastBlock(tools);
  if (tools.length > 0) params.tools = tools;
  return outputTool === undefined ? { params } : { params, outputTool };
}
