import { describe, expect, it } from 'vitest';
import { kindForStatus, toSwitchyardError } from '../../src/providers/http-error.js';
import type { CallContext } from '../../src/providers/call-context.js';
import { redact } from '../../src/providers/redact.js';
import { parseRetryAfter, retryDelayFromBody } from '../../src/providers/retry-after.js';
import { SwitchyardError } from '../../src/errors/index.js';

const ctx: CallContext = {
  provider: 'hub', family: 'openai', model: 'gpt-5.5', wireModel: 'openai/gpt-5.5', baseURL: 'http://hub/v1',
  envVar: 'OPENAI_API_KEY', secrets: ['sk-secret-abcdef'], signal: new AbortController().signal, callerAborted: () => false,
};

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-03-01T12:00:00Z');
  it('prefers retry-after-ms', () => {
    expect(parseRetryAfter(new Headers({ 'retry-after-ms': '250', 'retry-after': '9' }), now)).toBe(250);
  });
  it('reads seconds and HTTP dates', () => {
    expect(parseRetryAfter({ 'Retry-After': '2.5' }, now)).toBe(2500);
    expect(parseRetryAfter(new Headers({ 'retry-after': 'Sun, 01 Mar 2026 12:00:30 GMT' }), now)).toBe(30_000);
    expect(parseRetryAfter(new Headers({ 'retry-after': 'Sun, 01 Mar 2026 11:00:00 GMT' }), now)).toBe(0);
  });
  it('ignores missing or garbage values', () => {
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter(new Headers({ 'retry-after': 'soon' }), now)).toBeUndefined();
  });
  it("reads Google's RetryInfo from an error body", () => {
    const body = { error: { details: [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '37s' }] } };
    expect(retryDelayFromBody(body)).toBe(37_000);
  });
});

describe('kindForStatus', () => {
  it.each([
    [400, 'Invalid', 'bad_request'],
    [400, 'prompt is too long: 250000 tokens > 200000 maximum', 'context_length'],
    [413, 'Request too large', 'context_length'],
    [429, '{"code":"insufficient_quota"}', 'quota'],
    [429, 'Rate limit reached', 'rate_limit'],
    [402, 'credit', 'quota'],
    [504, 'gateway timeout', 'server'],
    [529, 'Overloaded', 'overloaded'],
  ] as const)('%i %s → %s', (status, text, kind) => {
    expect(kindForStatus(status, text)).toBe(kind);
  });
  it('a 429 that mentions billing but asks to retry later is a rate limit', () => {
    expect(kindForStatus(429, 'You exceeded your current quota, check plan and billing', 1000)).toBe('rate_limit');
    expect(kindForStatus(429, 'You exceeded your current quota, check plan and billing')).toBe('quota');
  });
});

describe('toSwitchyardError', () => {
  it('maps an error event inside a stream (no status) by its type', () => {
    const error = toSwitchyardError({ error: { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } } }, ctx);
    expect(error.kind).toBe('overloaded');
    expect(error.retryable).toBe(true);
  });
  it('redacts the key from messages and the exposed cause chain', () => {
    const sdkError = Object.assign(new Error('401 bad key sk-secret-abcdef', { cause: new Error('inner sk-secret-abcdef') }), {
      status: 401,
      error: { message: 'Incorrect API key provided: sk-secret-abcdef' },
    });
    const error = toSwitchyardError(sdkError, ctx);
    expect(error.kind).toBe('auth');
    const cause = error.cause as Error;
    const texts = [error.message, cause.message, (cause.cause as Error).message, cause.stack ?? ''];
    for (const text of texts) expect(text).not.toContain('sk-secret-abcdef');
    expect(error.message).toContain('[redacted]');
  });
  it('passes SwitchyardErrors through and maps connection failures to network', () => {
    const own = new SwitchyardError({ kind: 'invalid_output', message: 'x' });
    expect(toSwitchyardError(own, ctx)).toBe(own);
    const refused = Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) });
    expect(toSwitchyardError(refused, ctx).kind).toBe('network');
  });
  it('says the model or URL was not found on a 404', () => {
    const error = toSwitchyardError({ status: 404, message: '404 not found' }, ctx);
    expect(error.message).toContain("'openai/gpt-5.5'");
    expect(error.message).toContain('http://hub/v1');
  });
  it('redact leaves short secrets alone and replaces every occurrence', () => {
    expect(redact('a key abc and abc', ['abc'])).toBe('a key abc and abc');
    expect(redact('k=sk-1234, again sk-1234', ['sk-1234'])).toBe('k=[redacted], again [redacted]');
  });
});

describe('toSwitchyardError precedence', () => {
  it('an HTTP status wins over words in the body that look like a local failure', () => {
    const gemini = { status: 400, message: '{"error":{"code":400,"message":"Invalid JSON payload: Unexpected token"}}' };
    expect(toSwitchyardError(gemini, ctx).kind).toBe('bad_request');
  });
});
