import { SwitchyardError, type ErrorKind } from '../errors/switchyard-error.js';
import type { CallContext } from '../providers/call-context.js';
import { providerHttpError, toSwitchyardError } from '../providers/http-error.js';
import { redact, sanitizedCause } from '../providers/redact.js';
import { streamEndedError } from '../providers/stream-guard.js';

/** The fields of the AI SDK's `APICallError` switchyard reads (duck-typed: no import of `@ai-sdk/provider`). */
interface ApiCallErrorLike {
  name: string;
  message: string;
  statusCode?: number;
  responseHeaders?: Record<string, string>;
  responseBody?: string;
  data?: unknown;
  cause?: unknown;
}

/** AI SDK errors that are not HTTP responses: the kind each means, and whether trying again may help. */
const KINDS: Readonly<Record<string, [ErrorKind, boolean]>> = {
  AI_LoadAPIKeyError: ['auth', false],
  AI_LoadSettingError: ['invalid_config', false],
  AI_InvalidPromptError: ['bad_request', false],
  AI_InvalidArgumentError: ['bad_request', false],
  AI_UnsupportedFunctionalityError: ['bad_request', false],
  AI_NoSuchModelError: ['bad_request', false],
  AI_TypeValidationError: ['server', true],
  AI_JSONParseError: ['server', true],
  AI_InvalidResponseDataError: ['server', true],
  AI_EmptyResponseBodyError: ['network', true],
};

const isApiCallError = (error: unknown): error is ApiCallErrorLike =>
  error instanceof Error && error.name === 'AI_APICallError';

function parseBody(text: string | undefined): unknown {
  if (text === undefined || text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/**
 * Turns anything an AI SDK model throws (or sends as a stream `error` part) into a `SwitchyardError`: HTTP errors
 * through the same status mapping as the native adapters (429 with Retry-After, 5xx, context length, auth), the
 * AI SDK's own error classes by name, and a provider's error payload inside a stream by its text.
 */
export function aiSdkError(error: unknown, ctx: CallContext): SwitchyardError {
  if (SwitchyardError.isInstance(error)) return error;
  // A 2xx APICallError is a stream that failed after the response began: its cause says how (cut, malformed).
  if (isApiCallError(error) && typeof error.statusCode === 'number' && error.statusCode >= 300) {
    const sdkError = { name: error.name, message: error.message, status: error.statusCode, error: parseBody(error.responseBody) ?? error.data };
    return providerHttpError(sdkError, ctx, error.responseHeaders, sanitizedCause(error, ctx.secrets));
  }
  if (error instanceof Error && /without a finish reason/i.test(error.message)) return streamEndedError(ctx, 1);
  const known = error instanceof Error ? KINDS[error.name] : undefined;
  if (known !== undefined && !ctx.callerAborted()) {
    const [kind, retryable] = known;
    const said = redact((error as Error).message, ctx.secrets).slice(0, 400);
    return new SwitchyardError({
      kind,
      retryable,
      provider: ctx.provider,
      model: ctx.model,
      cause: sanitizedCause(error, ctx.secrets),
      message: `The AI SDK model behind endpoint '${ctx.provider}' failed for ${ctx.model} (${(error as Error).name}): ${said}`,
    });
  }
  if (!(error instanceof Error) && typeof error === 'object' && error !== null) {
    // A provider's error payload sent inside a 200 stream.
    const payload = error as { message?: unknown; error?: { message?: unknown } };
    const message = typeof payload.message === 'string' ? payload.message : String(payload.error?.message ?? '');
    return providerHttpError({ error: payload, message }, ctx);
  }
  return toSwitchyardError(error, ctx);
}
