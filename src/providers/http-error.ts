import type { ProviderErrorKind } from '../errors/switchyard-error.js';
import { SwitchyardError } from '../errors/switchyard-error.js';
import type { CallContext } from './call-context.js';
import { redact, sanitizedCause } from './redact.js';
import { headerValue, parseRetryAfter, retryDelayFromBody, type HeaderSource } from './retry-after.js';

/** The fields the three SDKs put on their errors (any may be missing). */
interface SdkErrorLike {
  name?: string;
  message?: string;
  status?: unknown;
  headers?: HeaderSource;
  error?: unknown;
  requestID?: unknown;
  code?: unknown;
  cause?: unknown;
}

const CONTEXT_LENGTH = new RegExp(
  [
    'context[_ ]length', 'context window', 'too many tokens', 'maximum context', 'prompt is too long',
    'input is too long', 'input token count', 'exceeds the maximum number of tokens', 'request_too_large',
  ].join('|'),
  'i',
);
const QUOTA_ALWAYS = /insufficient_quota|billing_error|credit balance/i;
const QUOTA_UNLESS_RETRY = /billing|exceeded your current quota/i;

/** Maps an HTTP status (and the error body's text) to a kind. */
export function kindForStatus(status: number, text: string, retryAfterMs?: number): ProviderErrorKind {
  if (status === 400 || status === 422) return CONTEXT_LENGTH.test(text) ? 'context_length' : 'bad_request';
  if (status === 401 || status === 403) return 'auth';
  if (status === 402) return 'quota';
  if (status === 408) return 'timeout';
  if (status === 413) return 'context_length';
  if (status === 429) {
    if (QUOTA_ALWAYS.test(text)) return 'quota';
    return QUOTA_UNLESS_RETRY.test(text) && retryAfterMs === undefined ? 'quota' : 'rate_limit';
  }
  if (status === 503 || status === 529) return 'overloaded';
  if (status >= 500 || status === 409) return 'server';
  return 'bad_request';
}

/** Kind of an error that arrived inside a 200 stream (no status): read the provider's error type. */
export function kindForStreamError(text: string): ProviderErrorKind {
  if (/overloaded/i.test(text)) return 'overloaded';
  if (/insufficient_quota|billing/i.test(text)) return 'quota';
  if (/rate_limit|resource_exhausted/i.test(text)) return 'rate_limit';
  if (/authentication|permission/i.test(text)) return 'auth';
  if (/timeout|deadline/i.test(text)) return 'timeout';
  if (/invalid_request|invalid_argument/i.test(text)) {
    return CONTEXT_LENGTH.test(text) ? 'context_length' : 'bad_request';
  }
  return 'server';
}

function hint(kind: ProviderErrorKind, status: number | undefined, ctx: CallContext): string {
  switch (kind) {
    case 'auth':
      return `The API key was refused: check the apiKey option of endpoint '${ctx.provider}' (default ${ctx.envVar}).`;
    case 'quota':
      return 'The account is out of quota or credit: check its plan and billing.';
    case 'rate_limit':
      return 'Rate limited: slow down or wait before retrying.';
    case 'context_length':
      return 'The request is too long for the model: shorten the input or use a model with a larger window.';
    case 'overloaded':
      return 'The provider is overloaded: retry later or fail over to another endpoint.';
    case 'timeout':
      return 'The request timed out.';
    case 'server':
      return 'The provider had a server error.';
    default:
      return status === 404
        ? `Not found: check the model id '${ctx.wireModel}' and the baseURL ${ctx.baseURL}.`
        : 'The provider rejected the request as invalid.';
  }
}

function messageIn(value: unknown, depth = 0): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value !== 'object' || value === null || depth > 3) return undefined;
  const record = value as Record<string, unknown>;
  if (typeof record['message'] === 'string') return record['message'];
  return messageIn(record['error'], depth + 1);
}

/** The error body as an object: the SDK's parsed body, else the message when it is JSON (Gemini). */
function bodyOf(error: SdkErrorLike): unknown {
  if (error.error !== undefined && error.error !== null) return error.error;
  try {
    return JSON.parse(error.message ?? '');
  } catch {
    return undefined;
  }
}

function clip(text: string, max = 400): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

function requestIdOf(error: SdkErrorLike, headers: HeaderSource, body: unknown): string | undefined {
  if (typeof error.requestID === 'string' && error.requestID !== '') return error.requestID;
  const fromBody = (body as { request_id?: unknown } | null)?.request_id;
  return (
    headerValue(headers, 'x-request-id') ??
    headerValue(headers, 'request-id') ??
    (typeof fromBody === 'string' ? fromBody : undefined)
  );
}

/** Builds the error for a provider's HTTP error response (or an error event inside a stream). */
export function providerHttpError(
  error: SdkErrorLike,
  ctx: CallContext,
  headers?: HeaderSource,
  cause?: Error,
): SwitchyardError {
  const allHeaders = error.headers ?? headers;
  const status = typeof error.status === 'number' ? error.status : undefined;
  const body = bodyOf(error);
  const text = `${JSON.stringify(body) ?? ''} ${error.message ?? ''}`;
  const retryAfterMs = parseRetryAfter(allHeaders) ?? retryDelayFromBody(body);
  const kind = status === undefined ? kindForStreamError(text) : kindForStatus(status, text, retryAfterMs);
  const said = clip(redact(messageIn(body) ?? error.message ?? '', ctx.secrets));
  const where = status === undefined ? 'sent an error in the stream' : `returned HTTP ${status}`;
  return new SwitchyardError({
    kind,
    status,
    retryAfterMs,
    requestId: requestIdOf(error, allHeaders, body),
    provider: ctx.provider,
    model: ctx.model,
    cause,
    message:
      `${ctx.provider} ${where} for model ${ctx.model}. ${hint(kind, status, ctx)}` +
      (said === '' ? '' : ` Provider said: ${said}`),
  });
}

function chain(error: unknown): SdkErrorLike[] {
  const out: SdkErrorLike[] = [];
  let current: unknown = error;
  while (typeof current === 'object' && current !== null && out.length < 6) {
    out.push(current as SdkErrorLike);
    current = (current as SdkErrorLike).cause;
  }
  return out;
}

const TIMEOUT_CODES = /UND_ERR_(CONNECT|HEADERS|BODY)_TIMEOUT|ETIMEDOUT/;
const NETWORK_CODES =
  /ECONNRESET|ECONNREFUSED|EPIPE|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|UND_ERR_SOCKET|UND_ERR_CLOSED|ERR_STREAM_PREMATURE_CLOSE/;
const NETWORK_TEXT = /terminated|fetch failed|other side closed|socket hang up|connection error|response body is empty/i;
const MALFORMED_TEXT =
  /incomplete json segment|exception parsing stream chunk|could not parse|unexpected token|in json at position|is not valid json/i;

type LocalKind = 'timeout' | 'network' | 'malformed' | 'aborted';

const LOCAL_TESTS: ReadonlyArray<[LocalKind, (link: SdkErrorLike) => boolean]> = [
  ['aborted', (l) => l.name === 'AbortError' || l.name === 'APIUserAbortError'],
  ['timeout', (l) => l.name === 'APIConnectionTimeoutError' || l.name === 'TimeoutError' || TIMEOUT_CODES.test(String(l.code))],
  ['malformed', (l) => l.name === 'SyntaxError' || MALFORMED_TEXT.test(l.message ?? '')],
  ['network', (l) => l.name === 'APIConnectionError' || NETWORK_CODES.test(String(l.code)) || NETWORK_TEXT.test(l.message ?? '')],
];

/** Failures on our side of the wire (connection, timeout, unparseable data, abort), found anywhere in the chain. */
function localKind(error: unknown): LocalKind | undefined {
  const links = chain(error);
  return LOCAL_TESTS.find(([, test]) => links.some(test))?.[0];
}

/** The error for a call the caller aborted. */
export function abortedError(ctx: CallContext): SwitchyardError {
  return new SwitchyardError({
    kind: 'aborted',
    retryable: false,
    provider: ctx.provider,
    model: ctx.model,
    message: `The call to ${ctx.model} on endpoint '${ctx.provider}' was aborted.`,
  });
}

/**
 * Turns anything an SDK throws into a `SwitchyardError` with the right kind, never carrying the API key (the cause
 * exposed is a redacted copy of the SDK error chain).
 */
export function toSwitchyardError(error: unknown, ctx: CallContext, headers?: HeaderSource): SwitchyardError {
  if (SwitchyardError.isInstance(error)) return error;
  if (ctx.callerAborted()) return abortedError(ctx);
  const sdkError = (typeof error === 'object' && error !== null ? error : {}) as SdkErrorLike;
  const cause = sanitizedCause(error, ctx.secrets);
  // An HTTP status decides, whatever the body says; an error event in a stream (no status) carries a body.
  if (typeof sdkError.status === 'number') return providerHttpError(sdkError, ctx, headers, cause);
  const local = localKind(error);
  if (local === undefined && sdkError.error !== undefined && sdkError.error !== null) {
    return providerHttpError(sdkError, ctx, headers, cause);
  }
  const detail = clip(redact(error instanceof Error ? error.message : String(error), ctx.secrets), 200);
  const base = { provider: ctx.provider, model: ctx.model, cause };
  const on = `${ctx.provider} for model ${ctx.model}`;
  switch (local) {
    case 'aborted':
      return abortedError(ctx);
    case 'malformed':
      return new SwitchyardError({ ...base, kind: 'server', retryable: true,
        message: `${ctx.provider} sent malformed stream data for model ${ctx.model} (${detail}).` });
    case 'timeout':
      return new SwitchyardError({ ...base, kind: 'timeout', message: `The request to ${on} timed out (${detail}).` });
    case 'network':
      return new SwitchyardError({ ...base, kind: 'network',
        message: `The request to ${on} lost the connection (${detail}).` });
    default:
      return new SwitchyardError({ ...base, kind: 'server', retryable: false,
        message: `Unexpected error from the ${ctx.family} SDK calling ${ctx.model} on '${ctx.provider}': ${detail}` });
  }
}
