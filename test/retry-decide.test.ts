import { describe, expect, it } from 'vitest';
import { BudgetExceededError, SwitchyardError, type ErrorKind } from '../src/errors/index.js';
import { decide, resolveRetryOptions, type RetryCandidate, type RetryDecision, type RetryState } from '../src/retry/index.js';

const c = (endpoint: string, id: string, provider = 'openai', contextWindow = 1_000_000): RetryCandidate => ({
  endpoint,
  model: { id, provider, contextWindow },
});

const hub55 = c('hub', 'gpt-5.5');
const hub54 = c('hub', 'gpt-5.4', 'openai', 1_050_000);
const oai55 = c('openai', 'gpt-5.5');
const haiku = c('anthropic', 'claude-haiku-4-5', 'anthropic', 200_000);
const sonnet = c('anthropic', 'claude-sonnet-4-6', 'anthropic', 1_000_000);

const err = (kind: ErrorKind, extra: { retryAfterMs?: number; retryable?: boolean } = {}) =>
  new SwitchyardError({ kind, message: `${kind} happened`, ...extra });

function state(candidates: RetryCandidate[], extra: Partial<RetryState> = {}): RetryState {
  return { candidates, current: 0, attempt: 1, elapsedMs: 0, ...extra };
}

const half = resolveRetryOptions({ random: () => 0.5 });

describe('decide: retry the same candidate', () => {
  it.each(['rate_limit', 'server', 'timeout', 'network'] as const)('%s retries with full-jitter backoff', (kind) => {
    expect(decide(err(kind), state([hub55, oai55]), half)).toMatchObject({ action: 'retry', delayMs: 250 });
    expect(decide(err(kind), state([hub55, oai55], { attempt: 2 }), half)).toMatchObject({ action: 'retry', delayMs: 500 });
  });

  it('draws delays from [0, min(maxDelayMs, base * 2^n)) and never above the cap', () => {
    const options = resolveRetryOptions({ maxAttempts: 50, baseDelayMs: 100, maxDelayMs: 1_000, random: () => 0.999 });
    const delays = [1, 2, 3, 4, 5, 30].map((attempt) => {
      const d = decide(err('server'), state([hub55], { attempt }), options);
      return d.action === 'retry' ? d.delayMs : -1;
    });
    expect(delays).toEqual([99, 199, 399, 799, 999, 999]);
    const zero = decide(err('server'), state([hub55]), resolveRetryOptions({ random: () => 0 }));
    expect(zero).toMatchObject({ action: 'retry', delayMs: 0 });
  });

  it('honours Retry-After exactly, up to the cap', () => {
    expect(decide(err('rate_limit', { retryAfterMs: 2_000 }), state([hub55, oai55]), half)).toMatchObject({
      action: 'retry',
      delayMs: 2_000,
    });
  });

  it('fails over to another endpoint instead of waiting past retryAfterCapMs', () => {
    const options = resolveRetryOptions({ retryAfterCapMs: 10_000 });
    const d = decide(err('rate_limit', { retryAfterMs: 120_000 }), state([hub55, hub54, oai55]), options);
    expect(d).toMatchObject({ action: 'failover', next: 2 });
    expect(d.reason).toContain('120000 ms');
    const alone = decide(err('rate_limit', { retryAfterMs: 120_000 }), state([hub55, hub54]), options);
    expect(alone.action).toBe('stop');
  });

  it('moves to the next candidate when the attempts on this one are spent', () => {
    const d = decide(err('server'), state([hub55, oai55], { attempt: 3 }), half);
    expect(d).toMatchObject({ action: 'failover', next: 1 });
    expect(d.reason).toContain('3 of 3 attempts on hub/gpt-5.5 failed');
    expect(decide(err('server'), state([hub55, oai55], { current: 1, attempt: 3 }), half).action).toBe('stop');
  });

  it('after spent attempts, any later candidate will do (a rate limit on one model is not one on the next)', () => {
    expect(decide(err('rate_limit'), state([hub55, hub54, oai55], { attempt: 3 }), half)).toMatchObject({ action: 'failover', next: 1 });
  });

  it('fails over instead of retrying when the retry budget is spent', () => {
    const d = decide(err('timeout'), state([hub55, oai55], { retryBudgetOk: false }), half);
    expect(d).toMatchObject({ action: 'failover', next: 1 });
    expect(d.reason).toContain('retry budget');
    expect(decide(err('timeout'), state([hub55], { retryBudgetOk: false }), half).action).toBe('stop');
  });
});

describe('decide: fail over', () => {
  it('overloaded tries the same model on another endpoint first, skipping other models', () => {
    expect(decide(err('overloaded'), state([hub55, hub54, oai55]), half)).toMatchObject({ action: 'failover', next: 2 });
  });

  it('overloaded retries the same candidate when no other endpoint serves the model', () => {
    expect(decide(err('overloaded'), state([hub55, hub54]), half)).toMatchObject({ action: 'retry', delayMs: 250 });
  });

  it('an open circuit (overloaded, not retryable) moves on at once, never retries', () => {
    const open = err('overloaded', { retryable: false });
    expect(decide(open, state([hub55, hub54]), half)).toMatchObject({ action: 'failover', next: 1 });
    expect(decide(open, state([hub55]), half).action).toBe('stop');
  });

  it('context_length goes only to a candidate with a larger window', () => {
    const d = decide(err('context_length'), state([haiku, c('anthropic', 'claude-haiku-4-5-b', 'anthropic', 200_000), sonnet]), half);
    expect(d).toMatchObject({ action: 'failover', next: 2 });
    const none = decide(err('context_length'), state([sonnet, haiku]), half);
    expect(none.action).toBe('stop');
    expect(none.reason).toContain('larger context window');
  });

  it("content_filter goes to another vendor's model", () => {
    expect(decide(err('content_filter'), state([hub55, oai55, hub54, sonnet]), half)).toMatchObject({ action: 'failover', next: 3 });
    expect(decide(err('content_filter'), state([hub55, oai55]), half).action).toBe('stop');
  });

  it.each(['auth', 'quota'] as const)('%s goes to another endpoint, else stops at once with no retry', (kind) => {
    expect(decide(err(kind), state([hub55, hub54, oai55]), half)).toMatchObject({ action: 'failover', next: 2 });
    expect(decide(err(kind), state([oai55]), half).action).toBe('stop');
  });

  it('skips candidates that are unavailable (an open circuit, a long pause)', () => {
    const available = (x: RetryCandidate) => x !== oai55;
    expect(decide(err('server'), state([hub55, oai55, hub54], { attempt: 3, available }), half)).toMatchObject({
      action: 'failover',
      next: 2,
    });
    // the current candidate became unavailable while it failed: move on rather than retry it
    const gone = decide(err('server'), state([oai55, hub54], { available }), half);
    expect(gone).toMatchObject({ action: 'failover', next: 1 });
  });
});

describe('decide: stop', () => {
  it.each(['bad_request', 'aborted', 'invalid_output', 'invalid_request', 'no_provider'] as const)('%s stops', (kind) => {
    expect(decide(err(kind), state([hub55, oai55]), half).action).toBe('stop');
  });

  it('budget_exceeded stops', () => {
    const error = new BudgetExceededError({ level: 'run', unit: 'usd', limit: 1, spent: 1, reserved: 0, requested: 0.1 });
    expect(decide(error, state([hub55, oai55]), half).action).toBe('stop');
  });

  it('an error that is not a SwitchyardError (a bug) stops', () => {
    expect(decide(new TypeError('x is undefined'), state([hub55, oai55]), half)).toMatchObject({ action: 'stop' });
  });

  it('respects the deadline: no wait that would pass it, nothing after it', () => {
    const options = resolveRetryOptions({ deadlineMs: 10_000, random: () => 0.5 });
    expect(decide(err('rate_limit', { retryAfterMs: 5_000 }), state([hub55, oai55], { elapsedMs: 6_000 }), options)).toMatchObject({
      action: 'failover',
      next: 1,
    });
    expect(decide(err('server'), state([hub55, oai55], { elapsedMs: 10_000 }), options).action).toBe('stop');
    expect(decide(err('server'), state([hub55, oai55], { elapsedMs: 1_000 }), options).action).toBe('retry');
  });
});

describe('decide: overrides', () => {
  it('the table can be changed per kind', () => {
    const options = resolveRetryOptions({ actions: { server: 'stop', content_filter: 'stop', bad_request: 'retry' }, random: () => 0.5 });
    expect(decide(err('server'), state([hub55, oai55]), options).action).toBe('stop');
    expect(decide(err('content_filter'), state([hub55, sonnet]), options).action).toBe('stop');
    // a bad_request is not retryable by default, so 'retry' still cannot repeat it: it fails over
    expect(decide(err('bad_request'), state([hub55, oai55]), options)).toMatchObject({ action: 'failover', next: 1 });
    expect(decide(err('timeout'), state([hub55, oai55]), options).action).toBe('retry');
  });

  it('a user decider sees the proposed decision and may replace it', () => {
    const seen: RetryDecision[] = [];
    const options = resolveRetryOptions({
      decide: (error, s, proposed) => {
        seen.push(proposed);
        if (SwitchyardError.isInstance(error) && error.kind === 'network') return { action: 'stop', reason: 'mine' };
        return undefined;
      },
      random: () => 0.5,
    });
    expect(decide(err('network'), state([hub55]), options)).toEqual({ action: 'stop', reason: 'mine' });
    expect(decide(err('server'), state([hub55]), options).action).toBe('retry');
    expect(seen.map((d) => d.action)).toEqual(['retry', 'retry']);
  });

  it('layers node options over instance options over defaults, merging the table', () => {
    const options = resolveRetryOptions({ maxAttempts: 5, actions: { server: 'stop' } }, { baseDelayMs: 10, actions: { timeout: 'stop' } });
    expect(options).toMatchObject({ maxAttempts: 5, baseDelayMs: 10, maxDelayMs: 30_000, retryAfterCapMs: 60_000 });
    expect(options.actions).toMatchObject({ server: 'stop', timeout: 'stop', rate_limit: 'retry' });
    expect(resolveRetryOptions(undefined, { maxAttempts: undefined }).maxAttempts).toBe(3);
  });

  it('rejects options that cannot work', () => {
    expect(() => resolveRetryOptions({ maxAttempts: 0 })).toThrowError(expect.objectContaining({ kind: 'invalid_config' }));
    expect(() => resolveRetryOptions({ baseDelayMs: -1 })).toThrowError(/baseDelayMs/);
    expect(() => resolveRetryOptions({ actions: { server: 'again' as never } })).toThrowError(/actions.server/);
  });
});

describe('decide in a loop (property, seeded)', () => {
  it('always ends, with at most maxAttempts requests per candidate', () => {
    let seed = 42;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const kinds: ErrorKind[] = ['rate_limit', 'server', 'timeout', 'network', 'overloaded', 'context_length', 'auth', 'content_filter'];
    const candidates = [hub55, oai55, hub54, sonnet, haiku];
    const options = resolveRetryOptions({ random });
    for (let round = 0; round < 500; round++) {
      const requests = new Map<number, number>();
      let s = state(candidates);
      for (let guard = 0; ; guard++) {
        expect(guard).toBeLessThan(100);
        requests.set(s.current, (requests.get(s.current) ?? 0) + 1);
        const d = decide(err(kinds[Math.floor(random() * kinds.length)]!), s, options);
        if (d.action === 'stop') break;
        s = d.action === 'retry' ? { ...s, attempt: s.attempt + 1 } : { ...s, current: d.next, attempt: 1 };
        if (d.action === 'failover') expect(d.next).toBeGreaterThan(requests.size > 0 ? Math.max(...requests.keys()) : -1);
      }
      for (const count of requests.values()) expect(count).toBeLessThanOrEqual(3);
    }
  });
});
