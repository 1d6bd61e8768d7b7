import type { AgentTool } from '../agents/agent-tool.js';
import { ToolSet } from '../agents/tool-set.js';
import { jsonSchema, type JsonSchemaParameters, type ToolArgsCheck } from '../call/tool-parameters.js';
import { wireName } from '../providers/json-schema.js';
import type { ListedTool, McpConnection } from './mcp-connection.js';
import { mcpOptionsError } from './mcp-errors.js';
import type { McpToolInfo, McpToolOptions, McpToolSelector } from './mcp-options.js';

/** An MCP server's tool as an agent tool: the server's JSON Schema, validated before each call. */
export type McpTool = AgentTool<JsonSchemaParameters<Record<string, unknown>>>;

/** A JSON Schema validator factory, as the MCP SDK's Ajv validator provides. */
export interface SchemaValidators {
  getValidator<T>(schema: Record<string, unknown>): (input: unknown) => { valid: boolean; errorMessage?: string; data?: T };
}

/** The set of one server's tools, with `close()`; its own enumerable properties are the tools. */
class McpConnectionTools extends ToolSet {
  readonly #connection: McpConnection;

  constructor(connection: McpConnection, tools: ReadonlyMap<string, McpTool>) {
    super();
    this.#connection = connection;
    for (const [name, tool] of tools) {
      Object.defineProperty(this, name, { value: tool, enumerable: true, writable: false, configurable: false });
    }
  }

  /** Ends the session and stops the server (stdio); calls still running fail with kind 'aborted'. */
  close(): Promise<void> {
    return this.#connection.close();
  }
}

/**
 * The tools of one MCP server, by the names the model sees: pass it to `.agent({ tools })` as it is, or spread it
 * beside other tools (`{ ...github, note }`). `close()` ends the connection (and stops a stdio server).
 */
export type McpToolSet = McpConnectionTools & { readonly [name: string]: McpTool };

/** Names a selector lists that the server does not have: an error, so that a typo cannot go unnoticed. */
function checkNames(option: string, selector: McpToolSelector | undefined, tools: readonly ListedTool[]): void {
  if (!Array.isArray(selector)) return;
  const known = new Set(tools.map((t) => t.name));
  const unknown = (selector as readonly string[]).filter((name) => !known.has(name));
  if (unknown.length === 0) return;
  throw mcpOptionsError(
    `mcpTools() option \`${option}\` names ${unknown.map((n) => `'${n}'`).join(', ')}, which the server does not ` +
      `have. Its tools: ${[...known].join(', ') || '(none)'}.`,
  );
}

function selects(selector: McpToolSelector | undefined, tool: McpToolInfo, fallback: boolean): boolean {
  if (selector === undefined) return fallback;
  if (typeof selector === 'boolean') return selector;
  if (typeof selector === 'function') return selector(tool);
  return selector.includes(tool.name);
}

function infoOf(tool: ListedTool): McpToolInfo {
  return {
    name: tool.name,
    ...(tool.title === undefined ? {} : { title: tool.title }),
    ...(tool.description === undefined ? {} : { description: tool.description }),
    ...(tool.annotations === undefined ? {} : { annotations: tool.annotations }),
  };
}

/** Checks arguments with the SDK's validator; a schema it cannot compile leaves the check to the server. */
function validatorFor(schema: Record<string, unknown>, validators: SchemaValidators) {
  let check: ReturnType<SchemaValidators['getValidator']>;
  try {
    check = validators.getValidator<Record<string, unknown>>(schema);
  } catch {
    return undefined;
  }
  return (args: unknown): ToolArgsCheck<Record<string, unknown>> => {
    const result = check(args);
    return result.valid ? { success: true, data: args as Record<string, unknown> } : { success: false, issues: [result.errorMessage ?? 'invalid'] };
  };
}

function toolOf(listed: ListedTool, connection: McpConnection, validators: SchemaValidators, options: McpToolOptions, timeoutMs: number): McpTool {
  const schema = { type: 'object', ...listed.inputSchema };
  const validate = validatorFor(schema, validators);
  const tool: McpTool = {
    parameters: jsonSchema<Record<string, unknown>>(schema, validate === undefined ? {} : { validate }),
    execute: (args, { signal }) => connection.call(listed.name, args, signal, timeoutMs),
  };
  const description = listed.description ?? listed.title;
  if (description !== undefined) tool.description = description;
  if (selects(options.needsApproval, infoOf(listed), false)) tool.needsApproval = true;
  return tool;
}

/** The name the model sees: prefixed, and rewritten to what providers accept. */
function modelName(name: string, prefix: string, taken: Map<string, string>): string {
  const wire = wireName(`${prefix}${name}`);
  const clash = taken.get(wire);
  if (clash !== undefined || wire === 'close') {
    const other = clash === undefined ? 'the tool set\'s close() method' : `the tool '${clash}'`;
    throw mcpOptionsError(
      `The MCP tool '${name}' would be offered as '${wire}', which ${other} already uses. ` +
        'Pass a `prefix` (e.g. `prefix: "fs_"`), or leave one of them out with `include`.',
    );
  }
  taken.set(wire, name);
  return wire;
}

/**
 * Turns the server's tool list into the tool set: the tools `include` selects (those the server can only run as
 * tasks are left out), named as the model sees them, each validating its arguments with the SDK's validator and
 * calling the server through `connection`.
 */
export function mcpToolSet(
  listed: readonly ListedTool[],
  connection: McpConnection,
  validators: SchemaValidators,
  options: McpToolOptions,
  timeoutMs: number,
): McpToolSet {
  const callable = listed.filter((tool) => tool.execution?.taskSupport !== 'required');
  checkNames('include', options.include, callable);
  checkNames('needsApproval', options.needsApproval, callable);
  const tools = new Map<string, McpTool>();
  const taken = new Map<string, string>();
  for (const tool of callable) {
    if (!selects(options.include, infoOf(tool), true)) continue;
    tools.set(modelName(tool.name, options.prefix ?? '', taken), toolOf(tool, connection, validators, options, timeoutMs));
  }
  return new McpConnectionTools(connection, tools) as McpToolSet;
}
