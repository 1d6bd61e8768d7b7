import { SwitchyardError, type ProviderErrorKind } from '../errors/switchyard-error.js';
import type { CallContext } from './call-context.js';
import { kindForStreamError } from './http-error.js';
import { redact } from './redact.js';

const KINDS: Readonly<Record<string, ProviderErrorKind>> = {
  server_error: 'server',
  rate_limit_exceeded: 'rate_limit',
  vector_store_timeout: 'timeout',
  insufficient_quota: 'quota',
  context_length_exceeded: 'context_length',
  bio_policy: 'content_filter',
  cyber_policy: 'content_filter',
  misalignment_policy_violation: 'content_filter',
  image_content_policy_violation: 'content_filter',
  content_filter: 'content_filter',
};

/**
 * The kind of a Responses failure from its error code (`response.failed`'s `response.error.code`, or an `error`
 * event's `code`): known codes by table; codes naming invalid input (`invalid_prompt`, `invalid_image`, image
 * size and format problems, `data_residency_mismatch`) are bad requests; anything else is read from the text.
 */
export function responsesErrorKind(code: unknown, message: string): ProviderErrorKind {
  const name = typeof code === 'string' ? code : '';
  const known = KINDS[name];
  if (known !== undefined) return known;
  if (/^invalid_|image|residency/.test(name)) return 'bad_request';
  return kindForStreamError(`${name} ${message}`);
}

/** The error for a Responses stream that failed: a `response.failed` status or an `error` event. */
export function responsesError(
  ctx: CallContext,
  failure: { code?: unknown; message?: unknown } | null | undefined,
  where: string,
): SwitchyardError {
  const said = redact(typeof failure?.message === 'string' ? failure.message : '', ctx.secrets).slice(0, 400);
  const code = typeof failure?.code === 'string' ? redact(failure.code, ctx.secrets) : undefined;
  const kind = responsesErrorKind(code, said);
  return new SwitchyardError({
    kind,
    provider: ctx.provider,
    model: ctx.model,
    message:
      `${ctx.provider} ${where} for model ${ctx.model}${code === undefined ? '' : ` (code ${code})`}.` +
      (said === '' ? '' : ` Provider said: ${said}`),
  });
}
