import { z } from 'zod';
import type { ToolCall } from '../models/types.js';
import type { AgentTool, ToolRunOptions } from './agent-tool.js';

/**
 * A person's decision on a tool call an agent wants to make: `true` (or `{ approved: true }`) runs it; `false`
 * (or `{ approved: false, message }`) does not, and the model receives the rejection, with the message, as the
 * tool's result.
 */
export type ToolDecision = boolean | { approved: boolean; message?: string };

/**
 * The answer to an agent that waits for tool approvals (`sy.resume(runId, wf, { answers: { agentId: ... } })`):
 * one decision for every call it waits for, or one per tool call id (`result.waiting[].toolCalls[].id`).
 */
export type ToolApprovalAnswer = ToolDecision | Record<string, ToolDecision>;

const decision = z.union([z.boolean(), z.object({ approved: z.boolean(), message: z.string().optional() })]);

/** The schema a tool-approval answer is validated with. */
export const toolApprovalAnswer: z.ZodType<ToolApprovalAnswer> = z.union([decision, z.record(z.string(), decision)]);

/** The decisions of one paused step, by tool call id (what `NodeIO.answer` holds for an agent). */
export interface StepDecisions {
  /** The agent step the decisions belong to. */
  step: number;
  decisions: Record<string, ToolDecision>;
}

/** The calls of a step that wait for a person: the agent pauses before running any tool of the step. */
export class AwaitingApproval extends Error {
  constructor(
    readonly step: number,
    readonly toolCalls: ReadonlyArray<{ id: string; name: string; args: unknown }>,
  ) {
    super(`The agent waits for a decision on ${toolCalls.map((c) => `'${c.name}'`).join(', ')}`);
  }

  /** What the person is asked. */
  get prompt(): string {
    const calls = this.toolCalls.map((c) => `${c.name}(${preview(c.args)})`);
    return `Allow the agent to call ${calls.join(', ')}?`;
  }
}

function preview(args: unknown): string {
  const text = JSON.stringify(args) ?? '';
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

/** Whether a tool call waits for a person's decision before it runs. */
export async function needsApproval(tool: AgentTool, args: unknown, options: ToolRunOptions): Promise<boolean> {
  const rule = tool.needsApproval;
  if (typeof rule === 'function') return (await rule(args as never, options)) === true;
  return rule === true;
}

/** Whether a decision lets the call run. */
export function approves(decision: ToolDecision): boolean {
  return decision === true || (typeof decision === 'object' && decision.approved === true);
}

/** What the model receives when a person rejected a tool call. */
export function rejectionText(decision: ToolDecision): string {
  const message = typeof decision === 'object' ? decision.message?.trim() : undefined;
  return message ? `The user rejected this tool call: ${message}` : 'The user rejected this tool call.';
}

/** The decision a resumed run's answer holds for call `call` of step `step`, if any. */
export function decisionFor(answer: unknown, step: number, call: ToolCall): ToolDecision | undefined {
  const given = answer as StepDecisions | undefined;
  if (given?.step !== step || !Object.hasOwn(given.decisions, call.id)) return undefined;
  return given.decisions[call.id];
}

/**
 * Spreads a validated answer over the calls a paused step waits for: one decision for all, or one per call id
 * (a call the answer does not name keeps waiting).
 */
export function stepDecisions(answer: ToolApprovalAnswer, step: number, callIds: readonly string[]): StepDecisions {
  const decisions: Record<string, ToolDecision> = Object.create(null);
  const single = typeof answer === 'boolean' || typeof (answer as { approved?: unknown }).approved === 'boolean';
  for (const id of callIds) {
    if (single) decisions[id] = answer as ToolDecision;
    else if (Object.hasOwn(answer, id)) decisions[id] = (answer as Record<string, ToolDecision>)[id]!;
  }
  return { step, decisions };
}
