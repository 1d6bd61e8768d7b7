import type { ToolCall } from '../models/types.js';
import type { AgentTool } from './agent-tool.js';
import type { AgentToolRecord } from './node-detail.js';
import type { CallTags, NodeIO } from './node-io.js';
import { bounded } from './bounded.js';

/** What `runTools` needs besides the calls. */
export interface ToolRun {
  io: NodeIO;
  tools: Readonly<Record<string, AgentTool>>;
  /** Longest result text sent back to the model. */
  maxChars: number;
  tags: CallTags;
}

function describeIssues(issues: ReadonlyArray<{ path: PropertyKey[]; message: string }>): string {
  return issues
    .slice(0, 10)
    .map((issue) => `${issue.path.length ? issue.path.map(String).join('.') : '(root)'}: ${issue.message}`)
    .join('; ');
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
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return `Error: ${String(error)}`;
}

/** Runs one call: unknown tools and invalid arguments are answered with an error text, as are thrown errors. */
async function runOne(call: ToolCall, run: ToolRun): Promise<{ ok: boolean; text: string }> {
  const tool = Object.hasOwn(run.tools, call.name) ? run.tools[call.name] : undefined;
  if (tool === undefined) {
    return { ok: false, text: `Error: there is no tool named '${call.name}'. Available tools: ${Object.keys(run.tools).join(', ')}.` };
  }
  const parsed = tool.parameters.safeParse(call.args ?? {});
  if (!parsed.success) {
    return { ok: false, text: `Error: invalid arguments for tool '${call.name}': ${describeIssues(parsed.error.issues)}.` };
  }
  const { io } = run;
  try {
    const value = await tool.execute(parsed.data, { signal: io.signal, toolCallId: call.id, runId: io.runId, nodeId: io.nodeId });
    return { ok: true, text: resultText(value) };
  } catch (error) {
    if (io.signal.aborted) throw io.signal.reason;
    return { ok: false, text: errorText(error) };
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
      const { ok, text } = await runOne(call, run);
      const result = bounded(text, run.maxChars);
      const durationMs = performance.now() - started;
      run.io.emit({ type: 'tool-result', call: { id: call.id, name: call.name }, ok, result, durationMs }, run.tags);
      return { ...call, ok, result, durationMs };
    }),
  );
}
