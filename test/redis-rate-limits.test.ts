/**
 * Client-side rate limits shared through Redis (redisShared): requestsPerMinute and tokensPerMinute count the calls
 * of every process together, so a fleet stays under the provider's limit instead of each process taking all of it.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, expect, test } from 'vitest';
import { createSwitchyard, openai, type EndpointLimits } from '../src/index.js';
import { redisShared } from '../src/redis/index.js';
import { startMockServer, type MockServer } from '../src/testing/index.js';
import { spawnTsx } from './fixtures/spawn-tsx.js';
import { redisUrl } from './setup/redis-url.js';

const servers: MockServer[] = [];
const closers: Array<() => Promise<unknown> | void> = [];
afterAll(async () => {
  for (const close of closers) await close();
  await Promise.all(servers.map((s) => s.close()));
});

async function instance(prefix: string, baseURL: string, limits: EndpointLimits) {
  const shared = redisShared({ connection: redisUrl(), prefix });
  closers.push(() => shared.close());
  const sy = createSwitchyard({ providers: [openai({ name: 'hub', baseURL, apiKey: 'k' })], shared, limits: { hub: limits } });
  await shared.ready();
  return sy;
}

const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('two processes together never start more calls than the shared requestsPerMinute allows', async () => {
  const prefix = `test:${randomUUID().slice(0, 8)}:`;
  const rpm = 6; // a bucket of 6, then one more every 10 s
  const server = await startMockServer({ text: 'hi' });
  servers.push(server);
  const started = Date.now();
  const a = spawnTsx('rate-caller.ts', [redisUrl(), prefix, server.openaiBaseURL, rpm, 5]);
  closers.push(() => void a.proc.kill('SIGKILL'));
  await a.line((l) => l === 'ready');

  const sy = await instance(prefix, server.openaiBaseURL, { requestsPerMinute: rpm });
  const abort = new AbortController();
  const mine = Array.from({ length: 5 }, (_, i) =>
    sy.generate({ model: 'gpt-5.4-mini', prompt: `[caller:B] call ${i}`, maxOutputTokens: 20, signal: abort.signal }).then(
      () => 'ok',
      () => 'stopped',
    ),
  );
  // 10 calls want to start; each process alone would let 6 through (10 in all). Together: the bucket's 6.
  for (let waited = 0; server.requests.length < rpm && waited < 10_000; waited += 50) await settle(50);
  await settle(1_500);
  const elapsed = Date.now() - started;
  const allowed = rpm + Math.floor((elapsed * rpm) / 60_000); // what the bucket refilled meanwhile
  expect(server.requests.length).toBeGreaterThanOrEqual(rpm);
  expect(server.requests.length).toBeLessThanOrEqual(allowed);
  abort.abort();
  const outcomes = await Promise.all(mine);
  expect(outcomes.filter((o) => o === 'ok').length + a.lines.filter((l) => l === 'ok').length).toBe(server.requests.length);
}, 120_000);

test('two instances share tokensPerMinute: calls are counted by their estimate across both', async () => {
  const prefix = `test:${randomUUID().slice(0, 8)}:`;
  const server = await startMockServer({ text: 'hi' });
  servers.push(server);
  // Each call's estimate is its input plus maxOutputTokens (400): a budget of 1000 tokens per minute fits 2 calls.
  const limits = { tokensPerMinute: 1_000 };
  const [one, two] = [await instance(prefix, server.openaiBaseURL, limits), await instance(prefix, server.openaiBaseURL, limits)];
  const abort = new AbortController();
  const calls = [one, two, one, two].map((sy, i) =>
    sy.generate({ model: 'gpt-5.4-mini', prompt: `call ${i}`, maxOutputTokens: 400, signal: abort.signal }).then(
      () => 'ok',
      () => 'stopped',
    ),
  );
  for (let waited = 0; server.requests.length < 2 && waited < 10_000; waited += 50) await settle(50);
  await settle(1_000);
  expect(server.requests).toHaveLength(2);
  abort.abort();
  expect((await Promise.all(calls)).filter((o) => o === 'ok')).toHaveLength(2);
});

test('with Redis unreachable, each process falls back to its own limits (calls are not refused)', async () => {
  const server = await startMockServer({ text: 'hi' });
  servers.push(server);
  const shared = redisShared({ connection: 'redis://127.0.0.1:1', prefix: 'nowhere:' });
  closers.push(() => shared.close());
  const sy = createSwitchyard({
    providers: [openai({ name: 'hub', baseURL: server.openaiBaseURL, apiKey: 'k' })],
    shared,
    limits: { hub: { requestsPerMinute: 2 } },
  });
  const abort = new AbortController();
  const calls = [0, 1, 2].map((i) =>
    sy.generate({ model: 'gpt-5.4-mini', prompt: `call ${i}`, maxOutputTokens: 20, signal: abort.signal }).then(
      () => 'ok',
      () => 'stopped',
    ),
  );
  for (let waited = 0; server.requests.length < 2 && waited < 15_000; waited += 50) await settle(50);
  await settle(500);
  expect(server.requests).toHaveLength(2); // the local bucket of 2
  abort.abort();
  expect((await Promise.all(calls)).filter((o) => o === 'ok')).toHaveLength(2);
}, 120_000);
