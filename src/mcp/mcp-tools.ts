import { McpConnection, loadValidator, secretsOf } from './mcp-connection.js';
import { mcpOptionsError } from './mcp-errors.js';
import {
  DEFAULT_MCP_CONNECT_TIMEOUT_MS,
  DEFAULT_MCP_TIMEOUT_MS,
  type McpServerOptions,
  type McpToolSelector,
} from './mcp-options.js';
import { mcpToolSet, type McpToolSet } from './mcp-tool-set.js';

const isPositive = (value: unknown) => typeof value === 'number' && Number.isFinite(value) && value > 0;

function selectorProblem(option: string, value: McpToolSelector | undefined, booleanOk: boolean): string | undefined {
  if (value === undefined || typeof value === 'function') return undefined;
  if (typeof value === 'boolean' && booleanOk) return undefined;
  if (Array.isArray(value) && value.every((name) => typeof name === 'string')) return undefined;
  return `\`${option}\` must be a list of tool names or a function of the tool${booleanOk ? ', or a boolean' : ''}`;
}

/** What is wrong with the options, in one message; nothing is started when they cannot work. */
function checkOptions(options: McpServerOptions): void {
  const problems: string[] = [];
  const stdio = typeof options.command === 'string' && options.command !== '';
  const http = options.url !== undefined;
  if (stdio === http) problems.push('give either `command` (a stdio server) or `url` (a Streamable HTTP server)');
  if (http && !/^https?:$/.test(URL.parse(String(options.url))?.protocol ?? '')) problems.push('`url` must be an http(s) URL');
  for (const key of ['timeoutMs', 'connectTimeoutMs'] as const) {
    if (options[key] !== undefined && !isPositive(options[key])) problems.push(`\`${key}\` must be a number of milliseconds > 0`);
  }
  if (options.prefix !== undefined && !/^[A-Za-z0-9_-]*$/.test(options.prefix)) {
    problems.push("`prefix` may hold only letters, digits, '_' and '-'");
  }
  problems.push(
    ...[selectorProblem('include', options.include, false), selectorProblem('needsApproval', options.needsApproval, true)].filter(
      (p): p is string => p !== undefined,
    ),
  );
  if (problems.length > 0) throw mcpOptionsError(`mcpTools(): ${problems.join('; ')}.`);
}

/**
 * Connects to an MCP server — started as a child process (`command`, `args`, `env`, `cwd`) or reached over
 * Streamable HTTP (`url`, `headers`) — through the official `@modelcontextprotocol/sdk`, and returns its tools
 * as a tool set for `.agent({ tools })`. Each tool keeps the server's JSON Schema; the model's arguments are
 * validated before the call; results (text, structured content, errors; images as a described placeholder) go
 * back to the model; a call is cancelled with its node, and ends after `timeoutMs` or when the server dies — the
 * model then gets an error result and the run a `tool-result` event with the error. Close the set when done.
 *
 * @throws SwitchyardError kind 'invalid_config' (options, a command that cannot start, a name in `include` the
 * server lacks), 'network', 'timeout' or 'auth' (the server could not be reached or refused), or
 * 'missing_dependency' (`@modelcontextprotocol/sdk` is not installed).
 *
 * @example
 * const files = await mcpTools({ command: 'npx', args: ['-y', '@modelcontextprotocol/server-filesystem', dir] });
 * try {
 *   const wf = workflow({ name: 'notes', input }).agent('read', { task: 'agent', prompt, tools: files });
 *   await sy.run(wf, {}).result;
 * } finally {
 *   await files.close();
 * }
 */
export async function mcpTools(options: McpServerOptions): Promise<McpToolSet> {
  checkOptions(options);
  const connectTimeoutMs = options.connectTimeoutMs ?? DEFAULT_MCP_CONNECT_TIMEOUT_MS;
  const connection = await McpConnection.open(options, secretsOf(options), connectTimeoutMs);
  try {
    const [listed, validators] = await Promise.all([connection.listTools(connectTimeoutMs, options.signal), loadValidator()]);
    return mcpToolSet(listed, connection, validators, options, options.timeoutMs ?? DEFAULT_MCP_TIMEOUT_MS);
  } catch (error) {
    await connection.close();
    throw error;
  }
}
