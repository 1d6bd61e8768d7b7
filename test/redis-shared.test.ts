/**
 * Endpoint state shared through Redis (redisShared) between processes: a 429 with Retry-After answered to one
 * process holds back another process's call to the same endpoint until the pause ends, and a circuit opened in
 * one process refuses calls in another (no request reaches the server).
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, expect, test } from 'vitest';
import { createSwitchyard, openai, SwitchyardError } from '../src/index.js';
import { redisShared, type RedisShared } from '../src/redis/index.js';
import { startMockServer, type MockServer } from '../src/testing/index.js';
import { spawnTsx } from './fixtures/spawn-tsx.js';
import { redisUrl } from './setup/redis-url.js';

const servers: MockServer[] = [];
const closers: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  await Promise.all(closers.map((close) => close()));
  await Promise.all(servers.map((s) => s.close()));
});

/** This process's breakers, as the shared state is attached to them (to wait for an open to arrive). */
let breakers: { isOpen(endpoint: string, model: string): boolean } | undefined;

function local(prefix: string, baseURL: string, maxAttempts: number): { sy: ReturnType<typeof createSwitchyard>; shared: RedisShared } {
  const shared = redisShared({ connection: redisUrl(), prefix });
  closers.push(() => shared.close());
  const attach = shared.attach.bind(shared);
  shared.attach = (parts) => {
    breakers = parts.breakers;
    attach(parts);
  };
  const sy = createSwitchyard({
    providers: [openai({ name: 'hub', baseURL, apiKey: 'k' })],
    shared,
    circuitBreaker: { failureThreshold: 1 },
    retry: { maxAttempts, baseDelayMs: 10 },
  });
  return { sy, shared };
}

const fromB = (body: unknown) => JSON.stringify(body).includes('[caller:B]');

test("a 429 with Retry-After in process A pauses process B's call to the same endpoint", async () => {
  const prefix = `test:${randomUUID().slice(0, 8)}:`;
  let pausedAt = 0;
  const arrivals: Array<{ who: string; at: number }> = [];
  const server = await startMockServer((info) => {
    const who = info.text.includes('[caller:B]') ? 'B' : 'A';
    arrivals.push({ who, at: Date.now() });
    if (who === 'A' && pausedAt === 0) {
      pausedAt = Date.now();
      return { fault: { type: 'http', status: 429, retryAfterMs: 3000 } };
    }
    return { text: `hello ${who}` };
  });
  servers.push(server);
  const { sy, shared } = local(prefix, server.openaiBaseURL, 3);
  await shared.ready();

  const a = spawnTsx('shared-caller.ts', [redisUrl(), prefix, server.openaiBaseURL, 3]);
  // Once A has been told to wait and has shared the pause (it is in Redis: how fast that happens depends on the
  // machine, so the test waits for it rather than for a fixed time), B calls: its request must wait for the pause.
  while (pausedAt === 0) await new Promise((r) => setTimeout(r, 10));
  const redis = new Redis(redisUrl());
  let inRedis = false;
  try {
    for (const started = Date.now(); !inRedis && Date.now() - started < 30_000; await new Promise((r) => setTimeout(r, 10))) {
      inRedis = (await redis.pttl(`${prefix}pause:hub`)) > 0;
    }
  } finally {
    redis.disconnect();
  }
  expect(inRedis, 'process A put its pause in Redis').toBe(true);
  const reply = await sy.generate({ model: 'gpt-5.4-mini', prompt: '[caller:B] hello', maxOutputTokens: 50 });
  expect(reply.text).toBe('hello B');
  expect(await a.line((l) => l.startsWith('ok') || l.startsWith('error'))).toBe('ok hello A');
  await a.exit;

  const b = arrivals.find((x) => x.who === 'B')!;
  // Without sharing, B would have reached the server as soon as it called; shared, not before the pause ends.
  expect(b.at - pausedAt).toBeGreaterThanOrEqual(2900);
  expect(server.requests.filter((r) => fromB(r.body))).toHaveLength(1);
}, 120_000);

test('a circuit opened in process A refuses calls in process B without a request', async () => {
  const prefix = `test:${randomUUID().slice(0, 8)}:`;
  const server = await startMockServer({ fault: { type: 'http', status: 500 } });
  servers.push(server);
  const { sy, shared } = local(prefix, server.openaiBaseURL, 1);
  await shared.ready();
  // Watch the channel, to know when A's open has been published.
  const watcher = new Redis(redisUrl());
  closers.push(() => watcher.quit());
  const opened = new Promise<void>((resolve) => watcher.on('message', (_c, text: string) => JSON.parse(text).type === 'open' && resolve()));
  await watcher.subscribe(`${prefix}events`);

  const a = spawnTsx('shared-caller.ts', [redisUrl(), prefix, server.openaiBaseURL, 1]);
  expect(await a.line((l) => l.startsWith('ok') || l.startsWith('error'))).toBe('error server');
  await opened;
  // B's own subscriber gets the same message: wait for it to reach B's breakers (however slow the machine).
  for (let waited = 0; !breakers!.isOpen('hub', 'gpt-5.4-mini'); waited += 10) {
    if (waited > 60_000) throw new Error("B never learned of A's open circuit");
    await new Promise((r) => setTimeout(r, 10));
  }

  const error = await sy.generate({ model: 'gpt-5.4-mini', prompt: '[caller:B] hello', maxOutputTokens: 50 }).catch((e: unknown) => e);
  // The router leaves out endpoints whose circuit is open: with no other endpoint, the call is refused up front.
  expect(SwitchyardError.isInstance(error) && error.kind).toBe('no_provider');
  expect((error as Error).message).toMatch(/circuit/i);
  expect(server.requests.filter((r) => fromB(r.body))).toHaveLength(0);
  await a.exit;
});
