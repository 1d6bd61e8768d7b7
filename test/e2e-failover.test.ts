/**
 * Failover end to end, through the official SDKs against loopback mock servers: a 503 moves to the same model
 * on a second endpoint; a stream cut after 50 tokens is retried with a discard and its tokens are charged; a
 * context-length error reroutes to a larger window; a circuit opens after repeated failures and recovers through
 * a half-open probe. HTTP requests received always equal the attempts reported.
 */
import { afterEach, describe, expect, test, beforeEach, vi } from 'vitest';
import { anthropic, costOf, countTextTokens, createSwitchyard, defaultCatalog, google, openai, type Provider } from '../src/index.js';
import type { MockServer } from '../src/testing/index.js';
import { assembledText, attemptsOf, collect, oneNode, ofType, timedServer, words, type TimedServer } from './e2e-kit.js';
import type { ScriptedReply, ScriptRequestInfo } from '../src/testing/index.js';

const servers: MockServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function serve(answer: (info: ScriptRequestInfo) => ScriptedReply): Promise<TimedServer> {
  const server = await timedServer(answer);
  servers.push(server);
  return server;
}

interface FamilyCase {
  family: string;
  model: string;
  make(server: MockServer, name: string): Provider;
}

const FAMILIES: FamilyCase[] = [
  { family: 'openai', model: 'gpt-5.5', make: (s, name) => openai({ name, baseURL: s.openaiBaseURL, apiKey: 'k' }) },
  { family: 'anthropic', model: 'claude-opus-4-7', make: (s, name) => anthropic({ name, baseURL: s.anthropicBaseURL, apiKey: 'k' }) },
  { family: 'google', model: 'gemini-3.1-pro', make: (s, name) => google({ name, baseURL: s.googleBaseURL, apiKey: 'k' }) },
];

describe('503 on one endpoint fails over to the same model on the second', () => {
  for (const { family, model, make } of FAMILIES) {
    test(family, async () => {
      const hub = await serve(() => ({ fault: { type: 'http', status: 503 } }));
      const direct = await serve(() => ({ text: 'served directly' }));
      const sy = createSwitchyard({ providers: [make(hub, 'hub'), make(direct, 'direct')] });
      const { events, result } = await collect(sy.run(oneNode({ model, prompt: 'hi', maxOutputTokens: 50 }), {}));
      expect(result.status).toBe('succeeded');
      expect(result.outputs.node).toBe('served directly');
      expect(result.nodes.node).toMatchObject({ provider: 'direct', model });
      const fallbacks = ofType(events, 'node-fallback');
      expect(fallbacks).toHaveLength(1);
      expect(fallbacks[0]).toMatchObject({
        from: { model, provider: 'hub' },
        to: { model, provider: 'direct' },
        discard: false,
        error: { kind: 'overloaded', status: 503 },
      });
      expect(fallbacks[0]!.reason).toContain('the same model on another endpoint');
      expect(ofType(events, 'node-retry')).toHaveLength(0); // straight to the other endpoint: no wait, no retry
      expect(hub.requests).toHaveLength(1);
      expect(direct.requests).toHaveLength(1);
      expect(direct.requests[0]!.model).toBe(hub.requests[0]!.model);
      expect(attemptsOf(result)).toBe(hub.requests.length + direct.requests.length);
    });
  }
});

describe('a stream cut after 50 tokens', () => {
  const reply = words(80);
  async function cutThenServe() {
    const server = await serve((info) =>
      info.index === 0 ? { text: reply, fault: { type: 'cut', afterTokens: 50 } } : { text: reply },
    );
    const sy = createSwitchyard({
      providers: [openai({ name: 'hub', baseURL: server.openaiBaseURL, apiKey: 'k' })],
      retry: { baseDelayMs: 10 },
    });
    const { events, result } = await collect(sy.run(oneNode({ model: 'gpt-5.4', prompt: 'count', maxOutputTokens: 500 }), {}));
    return { server, events, result };
  }

  test('is retried with node-retry { discard: true }, and the assembled text equals the output', async () => {
    const { server, events, result } = await cutThenServe();
    expect(result.status).toBe('succeeded');
    const retry = ofType(events, 'node-retry');
    expect(retry).toHaveLength(1);
    expect(retry[0]).toMatchObject({ discard: true, attempt: 1, error: { kind: 'network' } });
    const firstAttemptText = ofType(events, 'text-delta').filter((e) => e.attempt === 1).map((e) => e.text).join('');
    expect(firstAttemptText).toBe(words(50)); // the consumer did see 50 tokens before the cut
    expect(assembledText(events, 'node')).toBe(result.outputs.node);
    expect(result.outputs.node).toBe(reply);
    expect(server.requests).toHaveLength(2);
    expect(server.requests[0]!.completed).toBe(false);
    expect(attemptsOf(result)).toBe(2);
  });

  test('charges the lost tokens: the cut attempt settles an estimate, counted in the node and run cost', async () => {
    const { events, result } = await cutThenServe();
    const model = defaultCatalog.get('gpt-5.4');
    const settles = ofType(events, 'budget').filter((e) => e.phase === 'settle');
    expect(settles.map((e) => e.attempt)).toEqual([1, 2]);
    const cut = settles[0]!;
    expect(cut.usage).toMatchObject({ estimated: true, outputTokens: countTextTokens(model, words(50)) });
    expect(cut.usage!.outputTokens).toBeGreaterThanOrEqual(50);
    expect(cut.usage!.inputTokens).toBeGreaterThan(0);
    expect(cut.amountUsd).toBeCloseTo(costOf(model, cut.usage!), 12);
    expect(cut.amountUsd).toBeGreaterThan(0);
    const total = settles.reduce((sum, e) => sum + e.amountUsd, 0);
    expect(result.nodes.node.costUsd).toBeCloseTo(total, 12);
    expect(result.costUsd).toBeCloseTo(total, 12);
    expect(result.costUsd).toBeGreaterThan(settles[1]!.amountUsd);
    expect(result.usage.outputTokens).toBe(cut.usage!.outputTokens + settles[1]!.usage!.outputTokens);
    expect(result.usage.estimated).toBe(true);
    const run = result.budget.find((b) => b.level === 'run')!;
    expect(run.spentUsd).toBeCloseTo(total, 9);
    expect(run.reservedUsd).toBe(0);
  });

  test('a cut on the hub fails over with a discard once its attempts are spent', async () => {
    const hub = await serve(() => ({ text: reply, fault: { type: 'cut', afterTokens: 50 } }));
    const direct = await serve(() => ({ text: 'direct and complete' }));
    const sy = createSwitchyard({
      providers: [
        openai({ name: 'hub', baseURL: hub.openaiBaseURL, apiKey: 'k' }),
        openai({ name: 'direct', baseURL: direct.openaiBaseURL, apiKey: 'k' }),
      ],
      retry: { maxAttempts: 2, baseDelayMs: 5 },
    });
    const { events, result } = await collect(sy.run(oneNode({ model: 'gpt-5.4', prompt: 'x', maxOutputTokens: 500 }), {}));
    expect(result.outputs.node).toBe('direct and complete');
    expect(ofType(events, 'node-retry').map((e) => e.discard)).toEqual([true]);
    expect(ofType(events, 'node-fallback')).toMatchObject([{ discard: true, from: { provider: 'hub' }, to: { provider: 'direct' } }]);
    expect(assembledText(events, 'node')).toBe('direct and complete');
    expect(attemptsOf(result)).toBe(hub.requests.length + direct.requests.length);
    expect(hub.requests).toHaveLength(2);
  });
});

describe('a context-length error reroutes to a larger window', () => {
  test('skips a model with the same window and sends the request to one with a larger window', async () => {
    const server = await serve((info) =>
      info.model === 'gpt-5.5'
        ? { text: 'the long answer' }
        : {
            fault: {
              type: 'http',
              status: 400,
              code: 'context_length_exceeded',
              message: "This model's maximum context length is 400000 tokens. Please reduce the length of the messages.",
            },
          },
    );
    const sy = createSwitchyard({ providers: [openai({ name: 'hub', baseURL: server.openaiBaseURL, apiKey: 'k' })] });
    const wf = oneNode({ route: () => ['gpt-5.4-mini', 'gpt-5.4-nano', 'gpt-5.5'], prompt: 'a long document', maxOutputTokens: 100 });
    const { events, result } = await collect(sy.run(wf, {}));
    expect(result.status).toBe('succeeded');
    expect(result.outputs.node).toBe('the long answer');
    expect(server.requests.map((r) => r.model)).toEqual(['gpt-5.4-mini', 'gpt-5.5']); // nano (same 400K window) skipped
    const [fallback] = ofType(events, 'node-fallback');
    expect(fallback).toMatchObject({
      from: { model: 'gpt-5.4-mini', provider: 'hub' },
      to: { model: 'gpt-5.5', provider: 'hub' },
      error: { kind: 'context_length' },
    });
    expect(fallback!.reason).toContain('larger context window');
    expect(ofType(events, 'node-retry')).toHaveLength(0);
    expect(attemptsOf(result)).toBe(server.requests.length);
  });

  test('with no larger window left, the node fails at once with the context_length error', async () => {
    const server = await serve(() => ({ fault: { type: 'http', status: 413 } }));
    const sy = createSwitchyard({ providers: [openai({ name: 'hub', baseURL: server.openaiBaseURL, apiKey: 'k' })] });
    const wf = oneNode({ route: () => ['gpt-5.4-mini', 'gpt-5.4-nano'], prompt: 'too long', maxOutputTokens: 100 });
    const { result } = await collect(sy.run(wf, {}));
    expect(result.nodes.node.error?.kind).toBe('context_length');
    expect(server.requests).toHaveLength(1);
    expect(attemptsOf(result)).toBe(1);
  });
});

describe('circuit breaker', () => {
  // Circuits run on the wall clock: it is faked (timers stay real) and moved past the cool-down by hand, so a slow
  // machine cannot end a cool-down before the test has made the calls that must find the circuit open.
  beforeEach(() => void vi.useFakeTimers({ toFake: ['Date'] }));
  afterEach(() => void vi.useRealTimers());

  test('opens after repeated failures, routes around the endpoint, and recovers through a half-open probe', async () => {
    let hubHealthy = false;
    const hub = await serve(() => (hubHealthy ? { text: 'hub is back' } : { fault: { type: 'http', status: 500 } }));
    const direct = await serve(() => ({ text: 'direct' }));
    const sy = createSwitchyard({
      providers: [
        openai({ name: 'hub', baseURL: hub.openaiBaseURL, apiKey: 'k' }),
        openai({ name: 'direct', baseURL: direct.openaiBaseURL, apiKey: 'k' }),
      ],
      circuitBreaker: { cooldownMs: 200, failureThreshold: 3 },
      retry: { maxAttempts: 3, baseDelayMs: 1 },
    });
    const wf = oneNode({ model: 'gpt-5.4', prompt: 'hi', maxOutputTokens: 50 });

    // 1. Three 500s on the hub open its circuit; the call fails over to direct.
    const first = await collect(sy.run(wf, {}));
    expect(first.result.outputs.node).toBe('direct');
    expect(ofType(first.events, 'circuit')).toMatchObject([{ endpoint: 'hub', circuitModel: 'gpt-5.4', from: 'closed', to: 'open' }]);
    expect(hub.requests).toHaveLength(3);

    // 2. While open, calls go straight to direct: no request reaches the hub.
    const second = await collect(sy.run(wf, {}));
    expect(second.result.outputs.node).toBe('direct');
    expect(second.result.nodes.node.attempts).toBe(1);
    expect(ofType(second.events, 'node-route')[0]!.reason).not.toContain('hub');
    expect(hub.requests).toHaveLength(3);

    // 3. After the cool-down, one probe goes to the hub; it succeeds and closes the circuit.
    hubHealthy = true;
    vi.setSystemTime(Date.now() + 250);
    const third = await collect(sy.run(wf, {}));
    expect(third.result.outputs.node).toBe('hub is back');
    expect(ofType(third.events, 'circuit').map((e) => `${e.from}->${e.to}`)).toEqual(['open->half-open', 'half-open->closed']);
    expect(hub.requests).toHaveLength(4);

    const all = [first, second, third].reduce((sum, r) => sum + attemptsOf(r.result), 0);
    expect(all).toBe(hub.requests.length + direct.requests.length);
  });

  test('a failed probe opens the circuit again for another cool-down', async () => {
    const hub = await serve(() => ({ fault: { type: 'http', status: 502 } }));
    const sy = createSwitchyard({
      providers: [openai({ name: 'hub', baseURL: hub.openaiBaseURL, apiKey: 'k' })],
      circuitBreaker: { cooldownMs: 200, failureThreshold: 3 },
      retry: { maxAttempts: 3, baseDelayMs: 1 },
    });
    const wf = oneNode({ model: 'gpt-5.4', prompt: 'hi', maxOutputTokens: 50 });
    const first = await collect(sy.run(wf, {}));
    expect(first.result.nodes.node.error?.kind).toBe('server');
    const refused = await collect(sy.run(wf, {}));
    expect(refused.result.nodes.node.error?.kind).toBe('no_provider');
    expect(refused.result.nodes.node.error?.message).toContain('circuit is open');
    expect(hub.requests).toHaveLength(3);
    vi.setSystemTime(Date.now() + 250);
    const probe = await collect(sy.run(wf, {}));
    expect(ofType(probe.events, 'circuit').map((e) => `${e.from}->${e.to}`)).toEqual(['open->half-open', 'half-open->open']);
    expect(hub.requests).toHaveLength(4); // one probe only: the failed probe is not retried on an open circuit
    expect(attemptsOf(first.result) + attemptsOf(refused.result) + attemptsOf(probe.result)).toBe(hub.requests.length);
  });
});
