import type { ToolArgsOf, ToolParameters } from '../call/tool-parameters.js';
import type { ToolSet } from './tool-set.js';

/** The second argument of a tool's `execute`. */
export interface ToolRunOptions {
  /** Aborted when the run is cancelled, fails fast, or the node times out. Pass it to any I/O the tool starts. */
  signal: AbortSignal;
  /** The id the model gave this call. */
  toolCallId: string;
  runId: string;
  nodeId: string;
}

/**
 * A tool an agent may call: a description for the model, a schema for its arguments — zod, or a JSON Schema made
 * with `jsonSchema()` — (sent to the model; the model's arguments are validated with it before `execute` runs),
 * and the function that runs it. Whatever `execute` returns is sent back to the model (strings as they are,
 * anything else as JSON); what it throws is sent back as the tool's result too, so the model can react — it
 * never fails the run.
 */
export interface AgentTool<S extends ToolParameters = ToolParameters> {
  /** What the tool does and when to use it; the model reads this. */
  description?: string;
  /** The arguments: a zod schema (usually a `z.object`), or `jsonSchema({ type: 'object', ... })`. */
  parameters: S;
  /** Runs the tool with validated arguments. May be async. */
  execute: (args: ToolArgsOf<S>, options: ToolRunOptions) => unknown;
  /**
   * Whether a person must approve a call before it runs: `true`, or a function of the validated arguments (approve
   * only the risky calls). The agent pauses before running the step's tools, the run ends with status 'waiting'
   * (`result.waiting` lists the calls), and `sy.resume(runId, wf, { answers: { [agentId]: true } })` runs them — or
   * `{ approved: false, message }` sends the model the rejection instead. See docs/human-in-the-loop.md.
   * @default false
   * @example needsApproval: ({ amount }) => amount > 100
   */
  needsApproval?: boolean | ((args: ToolArgsOf<S>, options: ToolRunOptions) => boolean | Promise<boolean>);
}

/** A record of tools by name; each `execute` sees its own schema's type. */
export type AgentTools<P extends Record<string, ToolParameters> = Record<string, ToolParameters>> = { [K in keyof P]: AgentTool<P[K]> };

/**
 * What an agent's `tools` accepts: a record of tools by name, or a tool set that holds a connection (such as
 * `mcpTools()`) as it is. Spread a tool set into a record to combine it with other tools:
 * `tools: { ...github, ...files, note }`.
 */
export type AgentToolsInput<P extends Record<string, ToolParameters> = Record<string, ToolParameters>> = AgentTools<P> | ToolSet;

/**
 * Types a tool defined outside a node spec (inside a spec, `tools: { name: { ... } }` is typed already).
 * @example
 * const readFile = tool({
 *   description: 'Read a file of the repository',
 *   parameters: z.object({ path: z.string() }),
 *   execute: async ({ path }, { signal }) => fs.readFile(path, { encoding: 'utf8', signal }),
 * });
 */
export function tool<S extends ToolParameters>(definition: AgentTool<S>): AgentTool<S> {
  return definition;
}
