import { checkToolArgs } from '../call/tool-parameters.js';
import { errorToJSON, type SwitchyardErrorJSON } from '../errors/error-json.js';
import { SwitchyardError } from '../errors/switchyard-error.js';
import type { ToolCall } from '../models/types.js';
import type { AgentTool } from './agent-tool.js';
import type { AgentToolRecord } from './node-detail.js';
import type { CallTags, NodeIO } from './node-io.js';
import { bounded } from './bounded.js';

/** Longest error message a `tool-result` event carries. */
const MAX_EVENT_MESSAGE = 2_000;

/** What `runTools` needs besides the calls. */
export interface ToolRun {
  io: NodeIO;
  tools: Readonly<Record<string, AgentTool>>;
  /** Longest result text sent back to the model. */
  maxChars: number;
  tags: CallTags;
}

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

/** The text a model receives for a call to a tool that needs a person's approval. */
function refusedText(name: string): string {
  return `Error: tool '${name}' needs a person's approval before it runs, and no approval was given; the call was not made.`;
}

type Outcome = { ok: boolean; text: string; error?: SwitchyardErrorJSON };

/**
 * Runs one call: unknown tools and invalid arguments are answered with an error text, as are thrown errors (then
 * with the error's data for the event). A tool that needs approval is never run here.
 */
async function runOne(call: ToolCall, run: ToolRun): Promise<Outcome> {
  const tool = Object.hasOwn(run.tools, call.name) ? run.tools[call.name] : undefined;
  if (tool === undefined) {
    return { ok: false, text: `Error: there is no tool named '${call.name}'. Available tools: ${Object.keys(run.tools).join(', ')}.` };
  }
  const parsed = checkToolArgs(tool.parameters, call.args ?? {});
  if (!parsed.success) {
    return { ok: false, text: `Error: invalid arguments for tool '${call.name}': ${parsed.issues.slice(0, 10).join('; ')}.` };
  }
  if (tool.needsApproval === true) return { ok: false, text: refusedText(call.name) };
  const { io } = run;
  try {
    const value = await tool.execute(parsed.data, { signal: io.signal, toolCallId: call.id, runId: io.runId, nodeId: io.nodeId });
    return { ok: true, text: resultText(value) };
  } catch (error) {
    if (io.signal.aborted) throw io.signal.reason;
    return { ok: false, text: errorText(error), error: errorData(error) };
  }
}

/**
 * Runs the tool calls of one step concurrently and returns their records in call order. A tool that throws,
 * an unknown tool or arguments that fail the schema produce an error text for the model instead of an
 * exception; only the node's own abort propagates. Each result is bounded to `maxChars` and announced with a
 * `tool-result` event.
 */
export function runTools(calls: readonly ToolCall[], run: ToolRun): Promise<AgentToolRecord[]> {
  return Promise.all(
    calls.map(async (call) => {
      const started = performance.now();
      const { ok, text, error } = await runOne(call, run);
      const result = bounded(text, run.maxChars);
      const durationMs = performance.now() - started;
      const failure = error === undefined ? {} : { error };
      run.io.emit({ type: 'tool-result', call: { id: call.id, name: call.name }, ok, result, durationMs, ...failure }, run.tags);
      return { ...call, ok, result, durationMs };
    }),
  );
}
