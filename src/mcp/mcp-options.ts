/** What `include` and `needsApproval` functions see of each tool the server lists. */
export interface McpToolInfo {
  /** The tool's name on the server (before `prefix`). */
  name: string;
  title?: string;
  description?: string;
  /** The server's hints: `readOnlyHint`, `destructiveHint`, `idempotentHint`, `openWorldHint`. */
  annotations?: Readonly<Record<string, unknown>>;
}

/** Which tools an option applies to: every tool (`true`), tools named by the server's names, or a predicate. */
export type McpToolSelector = boolean | readonly string[] | ((tool: McpToolInfo) => boolean);

/** Options of `mcpTools()` for either transport. */
export interface McpToolOptions {
  /**
   * The server's name in messages and events.
   * @default the name the server gives in its initialize reply
   */
  name?: string;
  /**
   * The tools to offer the model: names (the server's), or a predicate. A name the server does not have is an
   * error, so a typo cannot hide a tool.
   * @default every tool the server lists
   * @example ['read_text_file', 'list_directory']
   */
  include?: readonly string[] | ((tool: McpToolInfo) => boolean);
  /**
   * Prepended to every tool name the model sees, to keep the tools of two servers apart (names the providers do
   * not accept — other characters than letters, digits, `_` and `-` — are rewritten with `_` in any case).
   * @default ''
   * @example 'fs_'
   */
  prefix?: string;
  /**
   * Tools that must not run without a person's approval, by the server's names, or a predicate on their info
   * (e.g. `(tool) => !tool.annotations?.readOnlyHint`); `true` for every tool. Each becomes a tool with
   * `needsApproval: true`: the agent pauses for a person's decision before it runs (see docs/human-in-the-loop.md).
   * A name the server does not have is an error.
   * @default no tool
   */
  needsApproval?: McpToolSelector;
  /**
   * Longest one tool call may take. Past it the call is cancelled on the server (`notifications/cancelled`) and
   * the model receives an error result; the run sees a `tool-result` event with error kind 'timeout'.
   * @default 60_000
   */
  timeoutMs?: number;
  /**
   * Longest connecting may take: starting the server, the initialize handshake and listing the tools.
   * @default 30_000
   */
  connectTimeoutMs?: number;
  /** Aborts connecting (the server process is stopped). */
  signal?: AbortSignal;
}

/** An MCP server started as a child process, spoken to over its stdin and stdout. */
export interface McpStdioServer extends McpToolOptions {
  /** The program to run, e.g. `'npx'` or `process.execPath`. */
  command: string;
  /** Its arguments. Never shown in messages or events. */
  args?: readonly string[];
  /**
   * Environment variables for the server. The server does not inherit your whole environment: it gets HOME,
   * LOGNAME, PATH, SHELL, TERM and USER, plus these. Their values never appear in events or errors.
   */
  env?: Readonly<Record<string, string>>;
  /**
   * Working directory of the server process.
   * @default the current directory
   */
  cwd?: string;
  url?: never;
  headers?: never;
}

/** An MCP server reached over Streamable HTTP. */
export interface McpHttpServer extends McpToolOptions {
  /** The server's MCP endpoint, e.g. `'https://mcp.example.com/mcp'`. */
  url: string | URL;
  /** Headers sent with every request (e.g. `Authorization`). Their values never appear in events or errors. */
  headers?: Readonly<Record<string, string>>;
  command?: never;
  args?: never;
  env?: never;
  cwd?: never;
}

/** Where an MCP server is and how to treat its tools. */
export type McpServerOptions = McpStdioServer | McpHttpServer;

/** The defaults of `mcpTools()`. */
export const DEFAULT_MCP_TIMEOUT_MS = 60_000;
export const DEFAULT_MCP_CONNECT_TIMEOUT_MS = 30_000;
