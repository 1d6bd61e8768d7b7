import type { ZodType } from 'zod';
import { SwitchyardError } from '../errors/switchyard-error.js';
import type { Message, ToolCall } from '../models/types.js';
import type { CallOptions, CallResult } from '../call/call-types.js';
import { parseOutput } from '../call/output-parser.js';
import { planOutput } from '../call/request-builder.js';
import type { AgentTool } from './agent-tool.js';
import type { AgentStep, AgentToolRecord } from './node-detail.js';
import type { CallTags, NodeIO } from './node-io.js';
import { runTools } from './run-tools.js';
import type { Produced } from './verify-rounds.js';

/** The defaults of an agent node. */
export const DEFAULT_MAX_STEPS = 10;
export const DEFAULT_MAX_TOOL_RESULT_CHARS = 20_000;

/** The user turn that asks an agent for its final answer as JSON, when its last reply did not parse. */
export const FINAL_ANSWER_PROMPT = 'Give your final answer now, as JSON that matches the requested schema.';

/** One agent as its loop runs it. */
export interface AgentLoop {
  io: NodeIO;
  /** Options of every step's call (routing, system, limits); `output` and `tools` are set by the loop. */
  call: CallOptions;
  tools: Readonly<Record<string, AgentTool>>;
  /** The agent's structured output, if any. */
  output?: ZodType;
  maxSteps: number;
  maxToolResultChars: number;
  /** Every step of the node; this loop's steps are appended. */
  steps: AgentStep[];
  /** Whether events carry the round (the node has `verify`). */
  tagRound: boolean;
}

function tagsOf(loop: AgentLoop, step: number, round: number): CallTags {
  return loop.tagRound ? { step, round } : { step };
}

function record(loop: AgentLoop, result: CallResult, round: number, tools: AgentToolRecord[]): AgentStep {
  const step: AgentStep = {
    step: loop.steps.length + 1,
    round,
    text: result.text,
    toolCalls: tools,
    model: result.model,
    provider: result.provider,
    usage: result.usage,
    costUsd: result.costUsd,
    finishReason: result.finishReason,
  };
  loop.steps.push(step);
  const { usage, costUsd, finishReason } = result;
  loop.io.emit({ type: 'agent-step', step: step.step, toolCalls: tools.length, finishReason, usage, costUsd }, tagsOf(loop, step.step, round));
  return step;
}

/**
 * The assistant turn a reply adds to the conversation: its text, its tool calls, and the provider state that
 * goes back with them (reasoning items, thinking blocks, thought signatures: the adapter that made it sends it
 * to the same endpoint on the next step, and leaves it out if the agent has failed over elsewhere).
 */
export function assistantTurn(result: CallResult, calls: readonly ToolCall[] = []): Message {
  const turn: Extract<Message, { role: 'assistant' }> = { role: 'assistant', content: result.text };
  if (calls.length > 0) turn.toolCalls = [...calls];
  if (result.providerState !== undefined) turn.providerState = result.providerState;
  return turn;
}

/** One model call of the loop; its reply (and tool calls) join the conversation. */
async function step(loop: AgentLoop, conversation: Message[], round: number, output?: ZodType): Promise<CallResult> {
  const tags = tagsOf(loop, loop.steps.length + 1, round);
  const result = await loop.io.call({ ...loop.call, tools: loop.tools, output }, [...conversation], { tags });
  conversation.push(assistantTurn(result, output === undefined ? result.toolCalls : []));
  return result;
}

/**
 * The final answer: the last reply's text; with `output`, that text parsed and validated — or, when it does not
 * validate, one more call that asks for the answer as structured output (with the usual one repair).
 */
async function finish(loop: AgentLoop, conversation: Message[], round: number, last: CallResult): Promise<Produced> {
  if (loop.output === undefined) return { output: last.text, model: last.model };
  const plan = planOutput(loop.output)!;
  try {
    return { output: parseOutput(last.text, plan, last), model: last.model };
  } catch (error) {
    if (!SwitchyardError.isInstance(error) || error.kind !== 'invalid_output') throw error;
  }
  conversation.push({ role: 'user', content: FINAL_ANSWER_PROMPT });
  const answer = await step(loop, conversation, round, loop.output);
  record(loop, answer, round, []);
  return { output: answer.object, model: answer.model };
}

/**
 * Runs the tool loop once: model → tool calls → results → model, until a reply calls no tool (its text, or its
 * structured output, is the answer) or `maxSteps` calls were made (kind 'max_steps'). Tool calls of one reply
 * run concurrently. Every call goes through the run scope (budget, retries, routing); every step is recorded and
 * announced (`tool-call`, `tool-result`, `agent-step`).
 */
export async function runAgentLoop(loop: AgentLoop, conversation: Message[], round: number): Promise<Produced> {
  for (let n = 0; n < loop.maxSteps; n++) {
    const result = await step(loop, conversation, round);
    if (result.toolCalls.length === 0) {
      record(loop, result, round, []);
      return finish(loop, conversation, round, result);
    }
    const tags = tagsOf(loop, loop.steps.length + 1, round);
    const tools = await runTools(result.toolCalls, { io: loop.io, tools: loop.tools, maxChars: loop.maxToolResultChars, tags });
    for (const done of tools) conversation.push({ role: 'tool', toolCallId: done.id, toolName: done.name, content: done.result });
    record(loop, result, round, tools);
  }
  throw new SwitchyardError({
    kind: 'max_steps',
    retryable: false,
    message:
      `Agent '${loop.io.nodeId}' made ${loop.maxSteps} model calls (maxSteps) and the model was still calling tools. ` +
      'Raise maxSteps, or tell the agent in its prompt when to stop.',
  });
}
