import type { ErrorKind } from '../errors/switchyard-error.js';
import { SwitchyardError } from '../errors/switchyard-error.js';
import { kindForStatus } from '../providers/http-error.js';
import { redact, sanitizedCause } from '../providers/redact.js';

/** The JSON-RPC codes the MCP SDK uses for its own failures. */
const CONNECTION_CLOSED = -32000;
const REQUEST_TIMEOUT = -32001;

/** Where a failure happened, for its message: the server, and what must never show (env and header values). */
export interface McpSite {
  server: string;
  secrets: readonly string[];
  /** The server's last stderr lines (stdio), already bounded. */
  stderr?: () => string;
}

interface Classified {
  kind: ErrorKind;
  /** What went wrong, in words that follow "MCP server 'x' …". */
  what: string;
}

const NETWORK = /ECONNREFUSED|ECONNRESET|EPIPE|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|UND_ERR|fetch failed|terminated|not connected|socket hang up/i;

function chainText(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    const code = (current as { code?: unknown }).code;
    parts.push(`${current.message}${typeof code === 'string' ? ` ${code}` : ''}`);
    current = current.cause;
  }
  return parts.join(' ');
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** Sorts anything the MCP SDK throws into a kind, and says what happened. */
function classify(error: unknown, timeoutMs: number): Classified {
  const code = (error as { code?: unknown } | null)?.code;
  const name = error instanceof Error ? error.name : '';
  const message = messageOf(error);
  if (name === 'McpError' && code === REQUEST_TIMEOUT) {
    return { kind: 'timeout', what: `did not answer within ${timeoutMs} ms; the request was cancelled on the server` };
  }
  if (name === 'McpError' && code === CONNECTION_CLOSED) return { kind: 'network', what: 'closed the connection' };
  if (name === 'McpError') {
    const kind = /structured content/i.test(message) ? 'invalid_output' : 'tool_error';
    return { kind, what: `answered with an error: ${message}` };
  }
  if (name === 'StreamableHTTPError' && typeof code === 'number') {
    return { kind: kindForStatus(code, message), what: `answered HTTP ${code}: ${message}` };
  }
  if (NETWORK.test(chainText(error))) return { kind: 'network', what: `could not be reached (${chainText(error)})` };
  return { kind: 'tool_error', what: `failed: ${message}` };
}

/** The stderr tail as a sentence, when there is one. */
function stderrNote(site: McpSite): string {
  const tail = site.stderr?.().trim() ?? '';
  return tail === '' ? '' : ` Its last stderr output: ${tail}`;
}

function build(site: McpSite, kind: ErrorKind, message: string, error?: unknown): SwitchyardError {
  return new SwitchyardError({
    kind,
    provider: site.server,
    message: redact(message, site.secrets),
    cause: error === undefined ? undefined : sanitizedCause(error, site.secrets),
  });
}

/** The error for a tool call that failed (not one the tool reported: see `toolReportedError`). */
export function mcpCallError(error: unknown, site: McpSite, tool: string, timeoutMs: number, lost?: string): SwitchyardError {
  const where = `MCP server '${site.server}'`;
  if (lost !== undefined) {
    return build(site, 'network', `${where} ${lost} while tool '${tool}' ran.${stderrNote(site)}`, error);
  }
  const { kind, what } = classify(error, timeoutMs);
  const note = kind === 'network' ? stderrNote(site) : '';
  return build(site, kind, `${where} ${what} (tool '${tool}').${note}`, error);
}

/** The error for a tool whose result says it failed (`isError`): the model reads the tool's own text. */
export function toolReportedError(site: McpSite, tool: string, text: string): SwitchyardError {
  return build(site, 'tool_error', `MCP tool '${tool}' on server '${site.server}' reported an error: ${text}`);
}

/** The error for a call made after the tool set was closed, or the server went away for good. */
export function mcpClosedError(site: McpSite, tool: string, why: string): SwitchyardError {
  const kind = why.startsWith('was closed') ? 'aborted' : 'network';
  return build(site, kind, `MCP server '${site.server}' ${why}; tool '${tool}' cannot run.${kind === 'network' ? stderrNote(site) : ''}`);
}

/** The error for a server that could not be started or reached, or did not finish connecting in time. */
export function mcpConnectError(error: unknown, site: McpSite, connectTimeoutMs: number, hint: string): SwitchyardError {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'ENOENT' || code === 'EACCES') {
    return build(site, 'invalid_config', `Could not start MCP server '${site.server}' (${messageOf(error)}). ${hint}`, error);
  }
  const { kind, what } = classify(error, connectTimeoutMs);
  const note = kind === 'network' ? stderrNote(site) : '';
  const fix = kind === 'auth' ? ' Check the `headers` option.' : kind === 'network' || kind === 'bad_request' ? ` ${hint}` : '';
  return build(site, kind, `MCP server '${site.server}' ${what} while connecting.${fix}${note}`, error);
}

/** The error for `mcpTools()` options that cannot work. */
export function mcpOptionsError(message: string): SwitchyardError {
  return new SwitchyardError({ kind: 'invalid_config', message });
}
