import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SwitchyardError } from '../../src/errors/index.js';
import type { Fault } from '../../src/testing/script.js';
import { startMockServer, type MockServer } from '../../src/testing/mock-server/index.js';
import { drain, FAMILIES, SECRET_KEY, textOf, userRequest } from './families.js';

let server: MockServer;
beforeAll(async () => {
  server = await startMockServer();
});
afterAll(() => server.close());

const STATUS_CASES: Array<{ fault: Extract<Fault, { type: 'http' }>; kind: string; retryable: boolean }> = [
  { fault: { type: 'http', status: 400 }, kind: 'bad_request', retryable: false },
  { fault: { type: 'http', status: 400, message: "This model's maximum context length is 128000 tokens." }, kind: 'context_length', retryable: false },
  { fault: { type: 'http', status: 401 }, kind: 'auth', retryable: false },
  { fault: { type: 'http', status: 403 }, kind: 'auth', retryable: false },
  { fault: { type: 'http', status: 404 }, kind: 'bad_request', retryable: false },
  { fault: { type: 'http', status: 408 }, kind: 'timeout', retryable: true },
  { fault: { type: 'http', status: 413 }, kind: 'context_length', retryable: false },
  { fault: { type: 'http', status: 429 }, kind: 'rate_limit', retryable: true },
  { fault: { type: 'http', status: 429, code: 'insufficient_quota', message: 'You exceeded your current quota.' }, kind: 'quota', retryable: false },
  { fault: { type: 'http', status: 500 }, kind: 'server', retryable: true },
  { fault: { type: 'http', status: 502 }, kind: 'server', retryable: true },
  { fault: { type: 'http', status: 503 }, kind: 'overloaded', retryable: true },
  { fault: { type: 'http', status: 529 }, kind: 'overloaded', retryable: true },
];

describe.each(FAMILIES)('$family adapter failures', ({ family, model, make }) => {
  it.each(STATUS_CASES)('HTTP $fault.status ($kind)', async ({ fault, kind, retryable }) => {
    server.setScript({ fault });
    const { events, error } = await drain(make(server).stream({ model, request: userRequest('x') }));
    expect(events).toEqual([]);
    expect(SwitchyardError.isInstance(error)).toBe(true);
    const e = error as SwitchyardError;
    expect({ kind: e.kind, status: e.status, retryable: e.retryable }).toEqual({ kind, status: fault.status, retryable });
    expect(e.provider).toBe(family);
    expect(e.model).toBe(model.id);
    expect(e.requestId).toMatch(/^req_mock_\d+$/);
    if (fault.status === 404) expect(e.message).toContain(model.id);
    if (kind === 'auth') expect(e.message).toMatch(/_API_KEY/);
  });

  it.each([
    { name: 'retry-after in seconds', fault: { retryAfter: '7' }, min: 7000, max: 7000 },
    { name: 'retry-after as an HTTP date', fault: { retryAfter: 'date+30s' }, min: 20_000, max: 31_000 },
    { name: 'retry-after-ms', fault: { retryAfterMs: 1500 }, min: 1500, max: 1500 },
  ])('429 with $name sets retryAfterMs', async ({ fault, min, max }) => {
    const retryAfter = fault.retryAfter === 'date+30s' ? new Date(Date.now() + 30_000).toUTCString() : fault.retryAfter;
    server.setScript({ fault: { type: 'http', status: 429, ...fault, ...(retryAfter ? { retryAfter } : {}) } });
    const { error } = await drain(make(server).stream({ model, request: userRequest('x') }));
    const e = error as SwitchyardError;
    expect(e.kind).toBe('rate_limit');
    expect(e.retryAfterMs).toBeGreaterThanOrEqual(min);
    expect(e.retryAfterMs).toBeLessThanOrEqual(max);
  });

  it('a stream cut halfway throws a retryable network error after the first deltas', async () => {
    server.setScript({ text: 'one two three four five six seven eight', chunkDelayMs: 20, fault: { type: 'cut', afterTokens: 4 } });
    const before = server.requests.length;
    const { events, error } = await drain(make(server).stream({ model, request: userRequest('x') }));
    expect(textOf(events).length).toBeGreaterThan(0);
    expect('one two three four').toContain(textOf(events));
    expect(events.some((e) => e.type === 'finish')).toBe(false);
    expect({ kind: (error as SwitchyardError).kind, retryable: (error as SwitchyardError).retryable }).toEqual({
      kind: 'network',
      retryable: true,
    });
    expect(server.requests.length - before).toBe(1);
  });

  it('an empty 200 stream is a network error, not a success', async () => {
    server.setScript({ fault: { type: 'empty' } });
    const { events, error } = await drain(make(server).stream({ model, request: userRequest('x') }));
    expect(events).toEqual([]);
    expect((error as SwitchyardError).kind).toBe('network');
    expect((error as SwitchyardError).retryable).toBe(true);
    expect((error as SwitchyardError).message).toMatch(/empty stream/);
  });

  it('malformed SSE data is a retryable server error', async () => {
    server.setScript({ text: 'alpha beta gamma', fault: { type: 'malformed', afterTokens: 1 } });
    const { events, error } = await drain(make(server).stream({ model, request: userRequest('x') }));
    expect(events.some((e) => e.type === 'finish')).toBe(false);
    expect((error as SwitchyardError).kind).toBe('server');
    expect((error as SwitchyardError).retryable).toBe(true);
    expect((error as SwitchyardError).message).toMatch(/malformed/);
  });

  it('never exposes the API key, even when the provider echoes it', async () => {
    const faults: Fault[] = [
      { type: 'http', status: 401, message: 'Incorrect API key provided: {apiKey}.' },
      { type: 'http', status: 400, message: 'Bad request for key {apiKey}' },
      { type: 'http', status: 429, retryAfter: '1', message: 'Slow down, {apiKey}' },
      { type: 'cut', afterTokens: 1 },
    ];
    for (const fault of faults) {
      server.setScript({ text: 'a b c', fault });
      const { events, error } = await drain(make(server).stream({ model, request: userRequest('x') }));
      expect(SwitchyardError.isInstance(error)).toBe(true);
      const e = error as SwitchyardError;
      const seen = [JSON.stringify(events), e.message, String(e), e.stack ?? '', JSON.stringify(e.toJSON())];
      for (let cause: unknown = e.cause; cause instanceof Error; cause = cause.cause) {
        seen.push(cause.message, cause.stack ?? '', JSON.stringify(cause), String(cause));
      }
      for (const text of seen) expect(text).not.toContain(SECRET_KEY);
    }
    // The echo did reach the client: the redaction is what kept it out.
    server.setScript({ fault: { type: 'http', status: 401, message: 'Incorrect API key provided: {apiKey}.' } });
    const { error } = await drain(make(server).stream({ model, request: userRequest('x') }));
    expect((error as SwitchyardError).message).toContain('[redacted]');
  });
});
