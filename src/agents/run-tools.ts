import { checkToolArgs } from '../call/tool-parameters.js';
import { errorToJSON, type SwitchyardErrorJSON } from '../errors/error-json.js';
import { SwitchyardError } from '../errors/switchyard-error.js';
import type { ToolCall } from '../models/types.js';
import type { AgentTool, ToolRunOptions } from './agent-tool.js';
import type { AgentToolRecord } from './node-detail.js';
import type { CallTags, NodeIO } from './node-io.js';
import { bounded } from './bounded.js';
import { approves, AwaitingApproval, decisionFor, needsApproval, rejectionText, type ToolDecision } from './tool-approval.js';

/** Longest error message a `tool-result` event carries. */
const MAX_EVENT_MESSAGE = 2_000;

/** What `runTools` needs besides the calls. */
export interface ToolRun {
  io: NodeIO;
  tools: Readonly<Record<string, AgentTool>>;
  /** Longest result text sent back to the model. */
  maxChars: number;
  /** The step's tags (`step` names the step in the node's step log). */
  tags: CallTags;
}

/** What a tool call produced, as the step log keeps it (with the failure's data for the event, when it threw). */
type ToolOutcome = Pick<AgentToolRecord, 'ok' | 'result' | 'durationMs' | 'approval'> & { error?: SwitchyardErrorJSON };

type Ran = { ok: boolean; text: string; error?: SwitchyardErrorJSON };

/** A tool's return value as the text the model receives. */
function resultText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === undefined) return '(the tool returned nothing)';
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

function errorText(error: unknown): string {
  if (SwitchyardError.isInstance(error)) return `Error: ${error.message}`;
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return `Error: ${String(error)}`;
}

/** The failure as event data, its message bounded (a tool's error text can be long; the model gets all of it). */
function errorData(error: unknown): SwitchyardErrorJSON {
  const data = errorToJSON(error);
  return { ...data, message: bounded(data.message, MAX_EVENT_MESSAGE) };
}

function toolOf(call: ToolCall, run: ToolRun): AgentTool | undefined {
  return Object.hasOwn(run.tools, call.name) ? run.tools[call.name] : undefined;
}

function optionsOf(call: ToolCall, io: NodeIO): ToolRunOptions {
  return { signal: io.signal, toolCallId: call.id, runId: io.runId, nodeId: io.nodeId };
}

/**
 * Runs one call: unknown tools and invalid arguments are answered with an error text, as are thrown errors (then
 * with the error's data for the event).
 */
async function runOne(call: ToolCall, run: ToolRun): Promise<Ran> {
  const tool = toolOf(call, run);
  if (tool === undefined) {
    return { ok: false, text: `Error: there is no tool named '${call.name}'. Available tools: ${Object.keys(run.tools).join(', ')}.` };
  }
  const parsed = checkToolArgs(tool.parameters, call.args ?? {});
  if (!parsed.success) {
    return { ok: false, text: `Error: invalid arguments for tool '${call.name}': ${parsed.issues.slice(0, 10).join('; ')}.` };
  }
  const { io } = run;
  try {
    const value = await tool.execute(parsed.data as never, optionsOf(call, io));
    return { ok: true, text: resultText(value) };
  } catch (error) {
    if (io.signal.aborted) throw io.signal.reason;
    return { ok: false, text: errorText(error), error: errorData(error) };
  }
}

/** Whether a call waits for a person (a known tool, valid arguments, and its `needsApproval` says so). */
async function waitsForPerson(call: ToolCall, run: ToolRun): Promise<boolean> {
  const tool = toolOf(call, run);
  if (tool?.needsApproval === undefined || tool.needsApproval === false) return false;
  const parsed = checkToolArgs(tool.parameters, call.args ?? {});
  return parsed.success && (await needsApproval(tool, parsed.data, optionsOf(call, run.io)));
}

/**
 * The decisions on the step's calls that need approval: committed ones (a replayed step), else the answer the
 * run was resumed with (committed now). Throws AwaitingApproval, before any tool runs, when one has none.
 */
async function decide(calls: readonly ToolCall[], run: ToolRun): Promise<Map<string, ToolDecision>> {
  const { io } = run;
  const step = run.tags.step ?? 0;
  const decisions = new Map<string, ToolDecision>();
  const waiting: ToolCall[] = [];
  for (const call of calls) {
    const op = `approval:${step}:${call.id}`;
    const recalled = io.steps?.recall(op) as ToolDecision | undefined;
    if (recalled !== undefined) decisions.set(call.id, recalled);
    else if (await waitsForPerson(call, run)) {
      const given = decisionFor(io.answer, step, call);
      if (given === undefined) waiting.push(call);
      else {
        await io.steps?.commit(op, given);
        decisions.set(call.id, given);
      }
    }
  }
  if (waiting.length > 0) throw new AwaitingApproval(step, waiting.map(({ id, name, args }) => ({ id, name, args })));
  return decisions;
}

/** Runs (or recalls from the step log, or answers with a rejection) one call; commits what it produced. */
async function settleOne(call: ToolCall, run: ToolRun, decision: ToolDecision | undefined): Promise<AgentToolRecord> {
  const { io } = run;
  const op = `tool:${run.tags.step ?? 0}:${call.id}`;
  const recalled = io.steps?.recall(op) as ToolOutcome | undefined;
  if (recalled !== undefined) return recordOf(call, recalled);
  const started = performance.now();
  const rejected = decision !== undefined && !approves(decision);
  const { ok, text, error } = rejected ? { ok: false, text: rejectionText(decision), error: undefined } : await runOne(call, run);
  const outcome: ToolOutcome = { ok, result: bounded(text, run.maxChars), durationMs: performance.now() - started };
  if (decision !== undefined) outcome.approval = rejected ? 'rejected' : 'approved';
  if (error !== undefined) outcome.error = error;
  const failure = error === undefined ? {} : { error };
  io.emit({ type: 'tool-result', call: { id: call.id, name: call.name }, ok, result: outcome.result, durationMs: outcome.durationMs, ...failure }, run.tags);
  await io.steps?.commit(op, outcome);
  return recordOf(call, outcome);
}

/** The node's record of a call (the event's error data stays in the step log). */
function recordOf(call: ToolCall, { error: _error, ...outcome }: ToolOutcome): AgentToolRecord {
  return { ...call, ...outcome };
}

/**
 * Runs the tool calls of one step concurrently and returns their records in call order. A tool that throws,
 * an unknown tool or arguments that fail the schema produce an error text for the model instead of an
 * exception; only the node's own abort propagates. Each result is bounded to `maxChars`, announced with a
 * `tool-result` event (with the error's data when the tool threw) and committed to the node's step log. Calls
 * that need approval wait for a person's decision first (see `decide`); a rejected call's result is the
 * rejection the model reads.
 */
export async function runTools(calls: readonly ToolCall[], run: ToolRun): Promise<AgentToolRecord[]> {
  const decisions = await decide(calls, run);
  return Promise.all(calls.map((call) => settleOne(call, run, decisions.get(call.id))));
}
