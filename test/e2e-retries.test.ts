/**
 * Retries end to end, through the official SDKs against the loopback mock server: Retry-After in all its forms,
 * a 401 that stops at once, cancellation during a long wait, a Retry-After that pauses a concurrent call, and a
 * Retry-After longer than the cap. Every test checks that the HTTP requests the server received equal the
 * attempts the result reports.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { anthropic, createSwitchyard, google, openai, type Provider } from '../src/index.js';
import type { MockServer } from '../src/testing/index.js';
import { attemptsOf, collect, oneNode, ofType, timedServer, type TimedServer } from './e2e-kit.js';

const servers: MockServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function serve(...args: Parameters<typeof timedServer>): Promise<TimedServer> {
  const server = await timedServer(...args);
  servers.push(server);
  return server;
}

/** Timers may fire a little early relative to performance.now(); a retry must not come sooner than this. */
const EARLY_MS = 25;
/**
 * Upper bounds on real waits only catch a wait that never ends or one far longer than asked: a loaded machine
 * delays timers by seconds, never advances them. What was asked is checked exactly in the events.
 */
const LATE_MS = 10_000;

interface FamilyCase {
  family: string;
  model: string;
  make(server: MockServer, name?: string): Provider;
}

const FAMILIES: FamilyCase[] = [
  { family: 'openai', model: 'gpt-5.4', make: (s, name = 'hub') => openai({ name, baseURL: s.openaiBaseURL, apiKey: 'k' }) },
  { family: 'anthropic', model: 'claude-sonnet-4-6', make: (s, name = 'hub') => anthropic({ name, baseURL: s.anthropicBaseURL, apiKey: 'k' }) },
  { family: 'google', model: 'gemini-3-flash', make: (s, name = 'hub') => google({ name, baseURL: s.googleBaseURL, apiKey: 'k' }) },
];

describe('429 with Retry-After waits as asked', () => {
  const forms = [
    { form: 'retry-after in seconds', fault: () => ({ retryAfter: '1' }), asked: () => 1000 },
    { form: 'retry-after-ms', fault: () => ({ retryAfterMs: 1000 }), asked: () => 1000 },
  ];
  for (const { family, model, make } of FAMILIES) {
    for (const { form, fault } of forms) {
      test(`${family}: ${form}`, async () => {
        const server = await serve((info) =>
          info.index === 0 ? { fault: { type: 'http', status: 429, ...fault() } } : { text: 'after the wait' },
        );
        const sy = createSwitchyard({ providers: [make(server)] });
        const { events, result } = await collect(sy.run(oneNode({ model, prompt: 'hi', maxOutputTokens: 50 }), {}));
        expect(result.status).toBe('succeeded');
        expect(result.outputs.node).toBe('after the wait');
        const gap = server.at[1]! - server.at[0]!;
        expect(gap).toBeGreaterThanOrEqual(1000 - EARLY_MS);
        expect(gap).toBeLessThan(1000 + LATE_MS);
        const retry = ofType(events, 'node-retry')[0]!;
        expect(retry).toMatchObject({ delayMs: 1000, discard: false, error: { kind: 'rate_limit', status: 429 } });
        expect(server.requests).toHaveLength(2);
        expect(attemptsOf(result)).toBe(server.requests.length);
      });
    }
  }

  test('openai: retry-after as an HTTP date', async () => {
    // HTTP dates have whole seconds: ask for the next whole second at least one second away.
    let until = 0;
    const server = await serve((info) => {
      if (info.index > 0) return { text: 'after the date' };
      until = Math.ceil((Date.now() + 1000) / 1000) * 1000;
      return { fault: { type: 'http', status: 429, retryAfter: new Date(until).toUTCString() } };
    });
    const sy = createSwitchyard({ providers: [openai({ name: 'hub', baseURL: server.openaiBaseURL, apiKey: 'k' })] });
    const { events, result } = await collect(sy.run(oneNode({ model: 'gpt-5.4', prompt: 'hi', maxOutputTokens: 50 }), {}));
    expect(result.status).toBe('succeeded');
    expect(server.wallAt[1]!).toBeGreaterThanOrEqual(until - EARLY_MS);
    expect(server.wallAt[1]! - until).toBeLessThan(LATE_MS);
    const asked = until - server.wallAt[0]!;
    expect(ofType(events, 'node-retry')[0]!.delayMs).toBeGreaterThan(asked - 500); // the date, read against the clock on arrival
    expect(attemptsOf(result)).toBe(server.requests.length);
  });
});

describe('a 401 stops at once', () => {
  for (const { family, model, make } of FAMILIES) {
    test(`${family}: one HTTP request, no retry, the node fails with kind 'auth'`, async () => {
      const server = await serve(() => ({ fault: { type: 'http', status: 401 } }));
      const sy = createSwitchyard({ providers: [make(server)], retry: { maxAttempts: 5, baseDelayMs: 1 } });
      const { events, result } = await collect(sy.run(oneNode({ model, prompt: 'hi', maxOutputTokens: 50 }), {}));
      expect(result.status).toBe('failed');
      expect(result.nodes.node.error?.kind).toBe('auth');
      expect(result.nodes.node.error?.message).not.toContain('Bearer');
      expect(server.requests).toHaveLength(1);
      expect(ofType(events, 'node-retry')).toHaveLength(0);
      expect(ofType(events, 'node-fallback')).toHaveLength(0);
      expect(attemptsOf(result)).toBe(1);
    });
  }
});

describe('cancellation', () => {
  test('cancelling during a 30 s Retry-After wait ends the run promptly, with no further request', async () => {
    const server = await serve(() => ({ fault: { type: 'http', status: 429, retryAfter: '30' } }));
    const sy = createSwitchyard({ providers: [openai({ name: 'hub', baseURL: server.openaiBaseURL, apiKey: 'k' })] });
    const run = sy.run(oneNode({ model: 'gpt-5.4', prompt: 'hi', maxOutputTokens: 50 }), {});
    let cancelledAt = 0;
    run.on('node-retry', (event) => {
      expect(event.delayMs).toBe(30_000);
      setTimeout(() => {
        cancelledAt = performance.now();
        run.cancel('user gave up');
      }, 100);
    });
    const result = await run.result;
    const took = performance.now() - cancelledAt;
    expect(cancelledAt).toBeGreaterThan(0);
    expect(took).toBeLessThan(LATE_MS); // the wait it cut short was 30 s
    expect(result.status).toBe('cancelled');
    expect(result.nodes.node.status).toBe('cancelled');
    expect(server.requests).toHaveLength(1);
    expect(attemptsOf(result)).toBe(1);
    expect(result.budget.find((b) => b.level === 'run')?.reservedUsd).toBe(0);
  });

  test('an AbortSignal aborted during a backoff sleep does the same', async () => {
    const server = await serve(() => ({ fault: { type: 'http', status: 500 } }));
    const sy = createSwitchyard({
      providers: [openai({ name: 'hub', baseURL: server.openaiBaseURL, apiKey: 'k' })],
      retry: { baseDelayMs: 20_000, maxDelayMs: 20_000, random: () => 0.99 },
    });
    const controller = new AbortController();
    const run = sy.run(oneNode({ model: 'gpt-5.4', prompt: 'hi', maxOutputTokens: 50 }), {}, { signal: controller.signal });
    run.on('node-retry', (event) => {
      expect(event.delayMs).toBeGreaterThan(10_000);
      setTimeout(() => controller.abort(), 100);
    });
    const started = performance.now();
    const result = await run.result;
    expect(performance.now() - started).toBeLessThan(LATE_MS); // the backoff it cut short was 20 s
    expect(result.status).toBe('cancelled');
    expect(server.requests).toHaveLength(1);
  });
});

describe('a Retry-After pauses every call to the endpoint', () => {
  test('a call started during another call’s Retry-After waits for it, and collects no 429 of its own', async () => {
    const server = await serve((info) =>
      info.index === 0 ? { fault: { type: 'http', status: 429, retryAfterMs: 1000 } } : { text: `reply ${info.index}` },
    );
    const sy = createSwitchyard({ providers: [openai({ name: 'hub', baseURL: server.openaiBaseURL, apiKey: 'k' })] });
    const first = sy.run(oneNode({ model: 'gpt-5.4', prompt: 'first', maxOutputTokens: 50 }), {});
    const second = new Promise<Awaited<typeof first.result>>((resolve) => {
      first.once('node-retry', () => {
        resolve(sy.run(oneNode({ model: 'gpt-5.4', prompt: 'second', maxOutputTokens: 50 }), {}).result);
      });
    });
    const [a, b] = await Promise.all([first.result, second]);
    expect(a.status).toBe('succeeded');
    expect(b.status).toBe('succeeded');
    expect(server.requests).toHaveLength(3);
    const secondPrompt = server.requests.findIndex((r) => JSON.stringify(r.body).includes('second'));
    expect(secondPrompt).toBeGreaterThan(0);
    expect(server.at[secondPrompt]! - server.at[0]!).toBeGreaterThanOrEqual(1000 - EARLY_MS);
    expect(b.nodes.node.attempts).toBe(1);
    expect(attemptsOf(a) + attemptsOf(b)).toBe(server.requests.length);
  });

  test('a Retry-After above retryAfterCapMs fails over to the other endpoint, and later calls skip the paused one', async () => {
    const hub = await serve(() => ({ fault: { type: 'http', status: 429, retryAfter: '120' } }));
    const direct = await serve(() => ({ text: 'direct answer' }));
    const sy = createSwitchyard({
      providers: [
        openai({ name: 'hub', baseURL: hub.openaiBaseURL, apiKey: 'k' }),
        openai({ name: 'direct', baseURL: direct.openaiBaseURL, apiKey: 'k' }),
      ],
      retry: { retryAfterCapMs: 5000 },
    });
    const wf = oneNode({ model: 'gpt-5.4', prompt: 'hi', maxOutputTokens: 50 });
    const one = await collect(sy.run(wf, {}));
    const two = await collect(sy.run(wf, {}));
    // Neither call waited for the hub: no retry, just the failover (and the second call never asked the hub).
    expect(ofType(one.events, 'node-retry')).toHaveLength(0);
    expect(ofType(two.events, 'node-retry')).toHaveLength(0);
    expect(one.result.status).toBe('succeeded');
    expect(two.result.status).toBe('succeeded');
    expect(ofType(one.events, 'node-fallback')[0]).toMatchObject({
      from: { provider: 'hub', model: 'gpt-5.4' },
      to: { provider: 'direct', model: 'gpt-5.4' },
    });
    expect(hub.requests).toHaveLength(1);
    expect(direct.requests).toHaveLength(2);
    expect(attemptsOf(one.result) + attemptsOf(two.result)).toBe(hub.requests.length + direct.requests.length);
  });
});
