/**
 * Attempt time limits end to end, through the official SDKs against the loopback mock server, on a `ManualClock`:
 * time moves only when a test moves it, so no limit can fire because the machine is slow, and each test says
 * exactly when it fires.
 * - the idle watchdog measures the stream between events: waiting for the response (connection, queueing, the
 *   SDK's loading) is the first-token timeout's, and a stalled stream is cut by idleTimeoutMs, then retried;
 * - firstTokenTimeoutMs cuts a request that never answers;
 * - attemptTimeoutMs cuts a stream that keeps trickling; by default an attempt has a limit too.
 * Either way the HTTP request is closed, the partial output is discarded and charged, and the retry on a fresh
 * request succeeds. Also: a provider that never looks at its signal stops being read when the run is cancelled.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { createSwitchyard, openai, type Provider, type RunEvent, type Switchyard } from '../src/index.js';
import { ManualClock, simulated, type MockServer, type ScriptedReply, type ScriptRequestInfo } from '../src/testing/index.js';
import { attemptsOf, oneNode, ofType, SDK_FAMILIES, timedServer, words } from './e2e-kit.js';

const servers: MockServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const FAMILIES = SDK_FAMILIES;

/** A promise with its resolver, to let a test wait for something the run or the server does. */
function signal<T = void>(): { promise: Promise<T>; resolve(value: T): void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/**
 * A run on a manual clock, with hooks: `deltas(n)` resolves once attempt 1 streamed n deltas, `retried` once the
 * first node-retry arrived (after which the test moves the clock past its backoff).
 */
function watch(run: ReturnType<Switchyard['run']>) {
  const events: RunEvent[] = [];
  let streamed = 0;
  const waiting: Array<{ n: number; resolve(): void }> = [];
  const retried = signal<Extract<RunEvent, { type: 'node-retry' }>>();
  run.on('text-delta', (e) => {
    if (e.attempt !== 1) return;
    streamed++;
    for (const w of waiting.filter((w) => streamed >= w.n)) w.resolve();
  });
  run.on('node-retry', (e) => retried.resolve(e));
  const done = (async () => {
    for await (const event of run) events.push(event);
    return { events, result: await run.result };
  })();
  return {
    done,
    retried: retried.promise,
    deltas: (n: number) => new Promise<void>((resolve) => (streamed >= n ? resolve() : waiting.push({ n, resolve }))),
  };
}

/** A server whose first request waits for `release` before it answers (headers included), then replies `first`. */
async function gatedServer(first: ScriptedReply) {
  const arrived = signal();
  const release = signal();
  const server = await timedServer((info: ScriptRequestInfo) => {
    if (info.index > 0) return { text: 'fresh reply' };
    arrived.resolve();
    return release.promise.then(() => first);
  });
  servers.push(server);
  return { server, arrived: arrived.promise, release: () => release.resolve() };
}

describe('the idle watchdog measures the stream, not the wait for it', () => {
  for (const { family, model, make } of FAMILIES) {
    test(family, async () => {
      const { server, arrived, release } = await gatedServer({ text: words(5) });
      const clock = new ManualClock();
      const sy = createSwitchyard({ providers: [make(server)], clock, retry: { idleTimeoutMs: 100, firstTokenTimeoutMs: 60_000 } });
      const run = watch(sy.run(oneNode({ model, prompt: 'hi', maxOutputTokens: 100 }), {}));
      await arrived;
      // The request is out and the server is silent: 50 times the idle limit passes, on the clock and for real.
      await clock.advance(5_000);
      await new Promise((r) => setTimeout(r, 300));
      release();
      const { events, result } = await run.done;
      expect(result.status).toBe('succeeded');
      expect(result.outputs.node).toBe(words(5));
      expect(ofType(events, 'node-retry')).toHaveLength(0);
      expect(server.requests).toHaveLength(1);
    });
  }
});

describe('firstTokenTimeoutMs cuts a request that never answers', () => {
  for (const { family, model, make } of FAMILIES) {
    test(family, async () => {
      const { server, arrived } = await gatedServer({ text: 'never sent' });
      const clock = new ManualClock();
      const retry = { firstTokenTimeoutMs: 2_000, idleTimeoutMs: 100, baseDelayMs: 1, maxDelayMs: 1 };
      const sy = createSwitchyard({ providers: [make(server)], clock, retry });
      const run = watch(sy.run(oneNode({ model, prompt: 'hi', maxOutputTokens: 100 }), {}));
      await arrived;
      await clock.advance(1_999);
      expect(server.requests[0]!.closedByClient).toBe(false);
      await clock.advance(1);
      const retried = await run.retried;
      expect(retried.error).toMatchObject({ kind: 'timeout' });
      expect(retried.error.message).toContain('no first token within 2000 ms of the request (firstTokenTimeoutMs)');
      expect(retried.discard).toBe(false);
      await clock.advance(retried.delayMs);
      const { result } = await run.done;
      expect(result.outputs.node).toBe('fresh reply');
      await expect.poll(() => server.requests[0]?.closedByClient, { timeout: 10_000 }).toBe(true);
      expect(server.requests).toHaveLength(2);
    });
  }
});

describe('a stalled stream is cut by idleTimeoutMs, then retried', () => {
  for (const { family, model, make } of FAMILIES) {
    test(family, async () => {
      const server = await timedServer((info) =>
        info.index === 0 ? { text: words(20), fault: { type: 'hang', afterTokens: 3 } } : { text: 'fresh reply' },
      );
      servers.push(server);
      const clock = new ManualClock();
      const sy = createSwitchyard({ providers: [make(server)], clock, retry: { idleTimeoutMs: 150, baseDelayMs: 1, maxDelayMs: 1 } });
      const run = watch(sy.run(oneNode({ model, prompt: 'hi', maxOutputTokens: 100 }), {}));
      await run.deltas(3);
      await clock.advance(149);
      await clock.advance(1);
      const retried = await run.retried;
      expect(retried.discard).toBe(true);
      expect(retried.error).toMatchObject({ kind: 'timeout' });
      expect(retried.error.message).toContain('idle for 150 ms (idleTimeoutMs)');
      await clock.advance(retried.delayMs);
      const { events, result } = await run.done;
      expect(result.status).toBe('succeeded');
      expect(result.outputs.node).toBe('fresh reply');
      // The stalled request was closed by the client (the abort reached the socket), not left hanging.
      await expect.poll(() => server.requests[0]?.closedByClient, { timeout: 10_000 }).toBe(true);
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
      // 40 chunks 25 ms apart, cut by the time limit long before their end (no idle limit: only it can stop them).
      const server = await timedServer((info) => (info.index === 0 ? { text: words(40), chunkDelayMs: 25 } : { text: 'in time' }));
      servers.push(server);
      const clock = new ManualClock();
      const retry = { attemptTimeoutMs: 300, idleTimeoutMs: 0, baseDelayMs: 1, maxDelayMs: 1 };
      const sy = createSwitchyard({ providers: [make(server)], clock, retry });
      const run = watch(sy.run(oneNode({ model, prompt: 'hi', maxOutputTokens: 200 }), {}));
      await run.deltas(2);
      await clock.advance(299);
      await run.deltas(4);
      await clock.advance(1);
      const retried = await run.retried;
      expect(retried.error).toMatchObject({ kind: 'timeout' });
      expect(retried.error.message).toContain('no result within 300 ms (attemptTimeoutMs)');
      await clock.advance(retried.delayMs);
      const { events, result } = await run.done;
      expect(result.outputs.node).toBe('in time');
      const firstDeltas = ofType(events, 'text-delta').filter((e) => e.attempt === 1);
      expect(firstDeltas.length).toBeGreaterThanOrEqual(4); // it streamed on for a while, within its limit
      expect(firstDeltas.length).toBeLessThan(40); // and was stopped before the end
      await expect.poll(() => server.requests[0]?.closedByClient, { timeout: 10_000 }).toBe(true);
      expect(attemptsOf(result)).toBe(2);
    });
  }
});

test('an attempt has a time limit by default: 10 minutes plus 50 ms per output token it may produce', async () => {
  // Whitespace forever: events keep coming (never idle) but no tokens, so only the time limit can end it.
  const server = await timedServer((info) => (info.index === 0 ? { text: ' ', fault: { type: 'endless', chunkDelayMs: 5 } } : { text: 'done' }));
  servers.push(server);
  const clock = new ManualClock();
  const sy = createSwitchyard({
    providers: [openai({ name: 'hub', baseURL: server.openaiBaseURL, apiKey: 'k' })],
    clock,
    retry: { idleTimeoutMs: 0, baseDelayMs: 1, maxDelayMs: 1 },
  });
  const run = watch(sy.run(oneNode({ model: 'gpt-5.4', prompt: 'hi', maxOutputTokens: 50 }), {}));
  await run.deltas(3);
  await clock.advance(600_000 + 50 * 50 - 1);
  expect(server.requests[0]!.closedByClient).toBe(false);
  await clock.advance(1);
  const retried = await run.retried;
  expect(retried.error.message).toContain('no result within 602500 ms (attemptTimeoutMs)');
  await clock.advance(retried.delayMs);
  expect((await run.done).result.outputs.node).toBe('done');
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
