import { describe, expect, it } from 'vitest';
import { SwitchyardError } from '../src/errors/index.js';
import { CircuitBreaker, CircuitBreakers, ManualClock, decide, resolveRetryOptions, type CircuitChange } from '../src/retry/index.js';

function breaker(options: ConstructorParameters<typeof CircuitBreaker>[2] = {}) {
  const clock = new ManualClock();
  const changes: CircuitChange[] = [];
  const b = new CircuitBreaker('hub', 'gpt-5.5', { clock, onStateChange: (c) => changes.push(c), ...options });
  return { clock, changes, b };
}

const fail = (b: CircuitBreaker, times: number) => {
  for (let i = 0; i < times; i++) b.acquire().failure();
};

describe('CircuitBreaker', () => {
  it('opens after N consecutive failures and then refuses at once with a non-retryable overloaded error', () => {
    const { b, changes } = breaker();
    fail(b, 4);
    expect(b.state).toBe('closed');
    fail(b, 1);
    expect(b.state).toBe('open');
    let refused: unknown;
    try {
      b.acquire();
    } catch (error) {
      refused = error;
    }
    expect(SwitchyardError.isInstance(refused)).toBe(true);
    expect(refused).toMatchObject({ kind: 'overloaded', retryable: false, provider: 'hub', model: 'gpt-5.5' });
    expect((refused as Error).message).toContain('circuit for hub/gpt-5.5 is open');
    expect(changes).toEqual([expect.objectContaining({ endpoint: 'hub', model: 'gpt-5.5', from: 'closed', to: 'open', reason: '5 consecutive failures' })]);
  });

  it('a success resets the consecutive count', () => {
    const { b } = breaker();
    fail(b, 4);
    b.acquire().success();
    fail(b, 4);
    expect(b.state).toBe('closed');
  });

  it('opens on a failure rate over the window once enough calls were made', () => {
    const { b } = breaker({ failureThreshold: 100, failureRate: 0.5, minimumCalls: 10, windowMs: 10_000 });
    for (let i = 0; i < 9; i++) (i % 2 === 0 ? b.acquire().failure() : b.acquire().success());
    expect(b.state).toBe('closed'); // 5 of 9 failed, but fewer than minimumCalls
    b.acquire().success();
    b.acquire().failure(); // 6 of 11
    expect(b.state).toBe('open');
  });

  it('forgets outcomes older than the window', async () => {
    const { b, clock } = breaker({ failureThreshold: 100, failureRate: 0.5, minimumCalls: 4, windowMs: 1_000 });
    fail(b, 3);
    await clock.advance(2_000);
    b.acquire().success();
    b.acquire().success();
    b.acquire().success();
    b.acquire().failure();
    expect(b.state).toBe('closed'); // 1 of 4 in the window (4 of 7 if the old ones counted)
  });

  it('after the cool-down lets exactly one probe through; success closes it', async () => {
    const { b, clock, changes } = breaker({ cooldownMs: 30_000 });
    fail(b, 5);
    await clock.advance(29_999);
    expect(b.allowsCall).toBe(false);
    await clock.advance(1);
    expect(b.state).toBe('half-open');
    const probe = b.acquire();
    expect(() => b.acquire()).toThrowError(/probe call is in flight/);
    probe.success();
    expect(b.state).toBe('closed');
    expect(changes.map((c) => c.to)).toEqual(['open', 'half-open', 'closed']);
    b.acquire().success();
  });

  it('a failed probe opens it again for another cool-down', async () => {
    const { b, clock, changes } = breaker({ cooldownMs: 1_000 });
    fail(b, 5);
    await clock.advance(1_000);
    b.acquire().failure();
    expect(b.state).toBe('open');
    await clock.advance(999);
    expect(b.allowsCall).toBe(false);
    await clock.advance(1);
    expect(b.allowsCall).toBe(true);
    expect(changes.map((c) => c.to)).toEqual(['open', 'half-open', 'open', 'half-open']);
  });

  it('a probe released without a verdict (cancelled) frees the probe slot', async () => {
    const { b, clock } = breaker({ cooldownMs: 1_000 });
    fail(b, 5);
    await clock.advance(1_000);
    b.acquire().release();
    expect(b.state).toBe('half-open');
    b.acquire().success();
    expect(b.state).toBe('closed');
  });

  it('ignores verdicts of calls admitted before it opened, and counts a permit once', async () => {
    const { b, clock } = breaker({ cooldownMs: 1_000 });
    const stale = Array.from({ length: 3 }, () => b.acquire());
    fail(b, 5);
    await clock.advance(1_000);
    const probe = b.acquire();
    for (const permit of stale) permit.success(); // not the probe: must not close the circuit
    expect(b.state).toBe('half-open');
    probe.failure();
    probe.success();
    expect(b.state).toBe('open');
  });

  it('record() classifies errors: health failures count, other errors and cancellations do not', () => {
    const { b } = breaker({ failureThreshold: 2 });
    const e = (kind: 'server' | 'bad_request' | 'aborted' | 'rate_limit' | 'timeout') => new SwitchyardError({ kind, message: kind });
    b.acquire().record(e('server'));
    b.acquire().record(e('bad_request'));
    b.acquire().record(e('aborted'));
    b.acquire().record(e('rate_limit'));
    expect(b.state).toBe('closed');
    b.acquire().record(e('timeout'));
    expect(b.state).toBe('open');
  });

  it("the open circuit's error makes the retry policy move on, not retry", () => {
    const { b } = breaker();
    fail(b, 5);
    let refused: unknown;
    try {
      b.acquire();
    } catch (error) {
      refused = error;
    }
    const candidates = [
      { endpoint: 'hub', model: { id: 'gpt-5.5', provider: 'openai', contextWindow: 1e6 } },
      { endpoint: 'openai', model: { id: 'gpt-5.5', provider: 'openai', contextWindow: 1e6 } },
    ];
    expect(decide(refused, { candidates, current: 0, attempt: 1, elapsedMs: 0 }, resolveRetryOptions())).toMatchObject({ action: 'failover', next: 1 });
  });
});

describe('CircuitBreakers', () => {
  it('keeps one breaker per endpoint × model', () => {
    const clock = new ManualClock();
    const breakers = new CircuitBreakers({ clock, failureThreshold: 1 });
    breakers.get('hub', 'gpt-5.5').acquire().failure();
    expect(breakers.isOpen('hub', 'gpt-5.5')).toBe(true);
    expect(breakers.isOpen('openai', 'gpt-5.5')).toBe(false);
    expect(breakers.isOpen('hub', 'gpt-5.4')).toBe(false);
    expect(breakers.get('hub', 'gpt-5.5')).toBe(breakers.get('hub', 'gpt-5.5'));
    expect(breakers.states()).toContainEqual({ endpoint: 'hub', model: 'gpt-5.5', state: 'open' });
  });
});
