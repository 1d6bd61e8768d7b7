/**
 * Attempt timeouts end to end, through the official SDKs against the loopback mock server: a stream that stalls
 * is cut by `idleTimeoutMs`, a stream that keeps trickling past `attemptTimeoutMs` is cut by that; either way the
 * HTTP request is closed, the partial output is discarded and charged, and the retry on a fresh request
 * succeeds. Also: a provider that never looks at its signal still stops being read when the run is cancelled.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { anthropic, createSwitchyard, google, openai, type Provider } from '../src/index.js';
import { simulated, type MockServer } from '../src/testing/index.js';
import { attemptsOf, collect, oneNode, ofType, timedServer, words } from './e2e-kit.js';

const servers: MockServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const FAMILIES: Array<{ family: string; model: string; make(server: MockServer): Provider }> = [
  { family: 'openai', model: 'gpt-5.4', make: (s) => openai({ name: 'hub', baseURL: s.openaiBaseURL, apiKey: 'k' }) },
  { family: 'anthropic', model: 'claude-sonnet-4-6', make: (s) => anthropic({ name: 'hub', baseURL: s.anthropicBaseURL, apiKey: 'k' }) },
  { family: 'google', model: 'gemini-3-flash', make: (s) => google({ name: 'hub', baseURL: s.googleBaseURL, apiKey: 'k' }) },
];

describe('a stalled stream is cut by idleTimeoutMs, then retried', () => {
  for (const { family, model, make } of FAMILIES) {
    test(family, async () => {
      const server = await timedServer((info) =>
        info.index === 0 ? { text: words(20), fault: { type: 'hang', afterTokens: 3 } } : { text: 'fresh reply' },
      );
      servers.push(server);
      const sy = createSwitchyard({ providers: [make(server)], retry: { idleTimeoutMs: 150, baseDelayMs: 1, maxDelayMs: 5 } });
      const { events, result } = await collect(sy.run(oneNode({ model, prompt: 'hi', maxOutputTokens: 100 }), {}));
      expect(result.status).toBe('succeeded');
      expect(result.outputs.node).toBe('fresh reply');
      const retry = ofType(events, 'node-retry')[0]!;
      expect(retry.discard).toBe(true);
      expect(retry.error).toMatchObject({ kind: 'timeout' });
      expect(retry.error.message).toContain('idle for 150 ms (idleTimeoutMs)');
      // The stalled request was closed by the client (the abort reached the socket), not left hanging.
      await expect.poll(() => server.requests[0]?.closedByClient).toBe(true);
      expect(server.requests).toHaveLength(2);
      expect(attemptsOf(result)).toBe(2);
      // What the cut attempt streamed was paid for: the node's cost includes it.
      const settles = ofType(events, 'budget').filter((e) => e.phase === 'settle');
      expect(settles).toHaveLength(2);
      expect(settles[0]!.amountUsd).toBeGreaterThan(0);
    });
  }
});

describe('a stream that trickles on past attemptTimeoutMs is cut by it', () => {
  for (const { family, model, make } of FAMILIES) {
    test(family, async () => {
      // 40 chunks 25 ms apart (~1 s): never idle for 150 ms, but far over a 300 ms attempt limit.
      const server = await timedServer((info) => (info.index === 0 ? { text: words(40), chunkDelayMs: 25 } : { text: 'in time' }));
      servers.push(server);
      const retry = { attemptTimeoutMs: 300, idleTimeoutMs: 150, baseDelayMs: 1, maxDelayMs: 5 };
      const sy = createSwitchyard({ providers: [make(server)], retry });
      const { events, result } = await collect(sy.run(oneNode({ model, prompt: 'hi', maxOutputTokens: 200 }), {}));
      expect(result.status).toBe('succeeded');
      expect(result.outputs.node).toBe('in time');
      const error = ofType(events, 'node-retry')[0]!.error;
      expect(error).toMatchObject({ kind: 'timeout' });
      expect(error.message).toContain('no result within 300 ms (attemptTimeoutMs)');
      const firstDeltas = ofType(events, 'text-delta').filter((e) => e.attempt === 1);
      expect(firstDeltas.length).toBeGreaterThan(1); // it did stream for a while
      expect(firstDeltas.length).toBeLessThan(40); // and was stopped before the end
      await expect.poll(() => server.requests[0]?.closedByClient).toBe(true);
      expect(attemptsOf(result)).toBe(2);
    });
  }
});

test('a provider that ignores its signal is no longer read once the run is cancelled', async () => {
  let yielded = 0;
  const deaf: Provider = {
    name: 'deaf',
    family: 'simulated',
    serves: () => true,
    async *stream() {
      for (let i = 0; i < 1000; i++) {
        yielded++;
        await new Promise((resolve) => setTimeout(resolve, 2));
        yield { type: 'text-delta', text: 'x ' };
      }
      yield { type: 'usage', usage: { inputTokens: 1, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 1000, reasoningTokens: 0 } };
      yield { type: 'finish', reason: 'stop' };
    },
  };
  const sy = createSwitchyard({ providers: [deaf, simulated()] });
  const run = sy.run(oneNode({ model: 'gpt-5.4', prompt: 'hi', providers: ['deaf'] }), {});
  run.on('text-delta', () => {
    if (yielded === 5) run.cancel();
  });
  const result = await run.result;
  expect(result.status).toBe('cancelled');
  expect(result.nodes.node!.status).toBe('cancelled');
  // The loop stopped at the next event and closed the generator: nowhere near the 1,000 it would yield.
  expect(yielded).toBeLessThan(10);
});
