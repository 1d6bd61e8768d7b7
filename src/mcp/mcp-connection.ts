import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { loadSdk } from '../providers/load-sdk.js';
import { redact } from '../providers/redact.js';
import { mcpCallError, mcpClosedError, mcpConnectError, toolReportedError, type McpSite } from './mcp-errors.js';
import type { McpServerOptions } from './mcp-options.js';
import { mcpResultText, type McpCallResult } from './mcp-result.js';

/** A tool as the server lists it (the fields switchyard reads). */
export interface ListedTool {
  name: string;
  title?: string;
  description?: string;
  inputSchema: Record<string, unknown>;
  annotations?: Record<string, unknown>;
  execution?: { taskSupport?: string };
}

/** How much of a server's stderr is kept for error messages. */
const STDERR_TAIL = 2_000;
/** How long `close()` waits for an HTTP server to end the session. */
const END_SESSION_MS = 2_000;
/** The SDK gives up reconnecting a lost Streamable HTTP stream with this message (it has no error code for it). */
const GAVE_UP = /maximum reconnection attempts/i;

const SDK = '@modelcontextprotocol/sdk';
const USER = 'mcpTools()';

async function loadClient() {
  return loadSdk(SDK, () => import('@modelcontextprotocol/sdk/client/index.js'), USER);
}

/** The SDK's JSON Schema validator (Ajv), the one it checks structured tool results with. */
export async function loadValidator() {
  const { AjvJsonSchemaValidator } = await loadSdk(SDK, () => import('@modelcontextprotocol/sdk/validation/ajv'), USER);
  return new AjvJsonSchemaValidator();
}

/** Shorter values are not redacted: too likely to be ordinary words (a tool name, 'true', a port). */
const MIN_SECRET_LENGTH = 8;

/**
 * The strings that must never show: every env and header value given, and each word of them (the token of an
 * `Authorization: Bearer <token>` header), longest first so that a whole value is redacted before its parts.
 */
export function secretsOf(options: McpServerOptions): string[] {
  const values = [...Object.values(options.env ?? {}), ...Object.values(options.headers ?? {})];
  const words = values.flatMap((value) => [value, ...value.split(/\s+/)]);
  return [...new Set(words)].filter((word) => word.length >= MIN_SECRET_LENGTH).sort((a, b) => b.length - a.length);
}

/** Where an HTTP server is, for messages: origin and path, never credentials or query strings. */
export function displayUrl(url: string | URL): string {
  const parsed = new URL(url);
  return `${parsed.origin}${parsed.pathname}`;
}

/**
 * One connection to an MCP server through the official SDK: the client, a bounded tail of the server's stderr
 * (stdio), and what became of the connection. Tool calls go through `call`, which never hangs: a per-call
 * timeout, the caller's signal, and the loss of the connection each end it.
 */
export class McpConnection {
  readonly site: McpSite;
  readonly #client: Client;
  readonly #transport: Transport & { terminateSession?: () => Promise<void> };
  #stderr = '';
  /** Why the connection is gone for good (stdio process exited, or `close()`), once it is. */
  #gone: string | undefined;
  readonly #onLost = new Set<(why: string) => void>();
  #closing: Promise<void> | undefined;

  private constructor(client: Client, transport: Transport, site: Omit<McpSite, 'stderr'>, stdio: boolean) {
    this.#client = client;
    this.#transport = transport;
    this.site = { ...site, stderr: () => redact(this.#stderr, site.secrets) };
    client.onclose = () => this.#lose(stdio ? 'exited (its process ended)' : 'closed the session');
    client.onerror = (error) => {
      if (!stdio && GAVE_UP.test(error.message)) this.#lost('became unreachable (the stream was lost and reconnecting failed)');
    };
  }

  /** Starts (stdio) or reaches (HTTP) the server and runs the initialize handshake. */
  static async open(options: McpServerOptions, secrets: readonly string[], connectTimeoutMs: number): Promise<McpConnection> {
    const { Client } = await loadClient();
    const client = new Client({ name: 'switchyard-ai', version: '1' }, { capabilities: {} });
    const stdio = options.command !== undefined;
    const transport = stdio ? await stdioTransport(options) : await httpTransport(options);
    const label = options.name ?? (stdio ? options.command! : displayUrl(options.url!));
    const connection = new McpConnection(client, transport, { server: label, secrets }, stdio);
    if (stdio) connection.#tapStderr(transport as Transport & { stderr: NodeJS.ReadableStream | null });
    const hint = stdio ? 'Check `command`, `args` and `cwd`.' : `Check the url (${displayUrl(options.url!)}).`;
    try {
      await client.connect(transport, { timeout: connectTimeoutMs, ...(options.signal ? { signal: options.signal } : {}) });
    } catch (error) {
      await connection.close();
      if (options.signal?.aborted) throw options.signal.reason;
      throw mcpConnectError(error, connection.site, connectTimeoutMs, hint);
    }
    if (options.name === undefined) connection.site.server = client.getServerVersion()?.name ?? label;
    return connection;
  }

  /** Every tool the server lists (all pages). */
  async listTools(timeoutMs: number, signal?: AbortSignal): Promise<ListedTool[]> {
    const tools: ListedTool[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.#client.listTools(cursor === undefined ? {} : { cursor }, { timeout: timeoutMs, ...(signal ? { signal } : {}) });
      tools.push(...(page.tools as ListedTool[]));
      cursor = page.nextCursor;
    } while (cursor !== undefined);
    return tools;
  }

  /**
   * Calls one tool: its result as the text the model reads. Throws a `SwitchyardError` when the tool reports an
   * error (kind 'tool_error'), the call times out ('timeout'), the server dies or cannot be reached ('network'),
   * or the tool set was closed ('aborted'); the caller's abort propagates as the signal's reason.
   */
  async call(tool: string, args: unknown, signal: AbortSignal, timeoutMs: number): Promise<string> {
    if (this.#gone !== undefined) throw mcpClosedError(this.site, tool, this.#gone);
    const lost = new AbortController();
    const onLost = (why: string) => lost.abort(why);
    this.#onLost.add(onLost);
    let result: McpCallResult;
    try {
      const params = { name: tool, arguments: args as Record<string, unknown> };
      const options = { signal: AbortSignal.any([signal, lost.signal]), timeout: timeoutMs };
      result = (await this.#client.callTool(params, undefined, options)) as McpCallResult;
    } catch (error) {
      if (signal.aborted) throw signal.reason;
      const gone = this.#goneWhy();
      if (gone?.startsWith('was closed')) throw mcpClosedError(this.site, tool, gone);
      throw mcpCallError(error, this.site, tool, timeoutMs, gone ?? (lost.signal.aborted ? String(lost.signal.reason) : undefined));
    } finally {
      this.#onLost.delete(onLost);
    }
    const text = redact(mcpResultText(result), this.site.secrets);
    if (result.isError === true) throw toolReportedError(this.site, tool, text);
    return text;
  }

  /** Ends the session and stops the server process (stdio). Safe to call more than once. */
  close(): Promise<void> {
    this.#closing ??= this.#shutDown();
    return this.#closing;
  }

  async #shutDown(): Promise<void> {
    this.#lose('was closed (close() was called)');
    const end = this.#transport.terminateSession?.bind(this.#transport);
    if (end !== undefined) await withinMs(end().catch(() => undefined), END_SESSION_MS);
    await this.#client.close().catch(() => undefined);
  }

  /** Why the connection is gone for good, if it is (read after an await: it may have changed meanwhile). */
  #goneWhy(): string | undefined {
    return this.#gone;
  }

  /** The connection is gone for good: calls in flight fail now, later calls fail at once. */
  #lose(why: string): void {
    this.#gone ??= why;
    this.#lost(this.#gone);
  }

  /** Calls in flight fail now (an HTTP server may answer again later). */
  #lost(why: string): void {
    for (const listener of [...this.#onLost]) listener(why);
  }

  #tapStderr(transport: { stderr: NodeJS.ReadableStream | null }): void {
    transport.stderr?.on('data', (chunk: Buffer | string) => {
      this.#stderr = `${this.#stderr}${String(chunk)}`.slice(-STDERR_TAIL);
    });
  }
}

async function stdioTransport(options: McpServerOptions): Promise<Transport> {
  const { StdioClientTransport } = await loadSdk(SDK, () => import('@modelcontextprotocol/sdk/client/stdio.js'), USER);
  return new StdioClientTransport({
    command: options.command!,
    args: [...(options.args ?? [])],
    ...(options.env === undefined ? {} : { env: { ...options.env } }),
    ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
    stderr: 'pipe',
  });
}

async function httpTransport(options: McpServerOptions): Promise<Transport> {
  const { StreamableHTTPClientTransport } = await loadSdk(SDK, () => import('@modelcontextprotocol/sdk/client/streamableHttp.js'), USER);
  const requestInit = options.headers === undefined ? {} : { requestInit: { headers: { ...options.headers } } };
  return new StreamableHTTPClientTransport(new URL(options.url!), requestInit);
}

function withinMs<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
    timer.unref();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
