/**
 * Holds of a dead owner, with real processes and a real Redis (test/setup/redis.ts starts one): a process holding
 * budget for calls that are on the wire is SIGKILLed. Those requests were real (the server below streamed to
 * them, and a provider bills what it generated), so once the dead process's leases end, its holds are charged at
 * their amount — the attempts' worst cases — rather than returned. The server's own bill for each request stays
 * within what the ledger charged for it.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, expect, test } from 'vitest';
import { costOf, defaultCatalog } from '../src/index.js';
import { RedisBudgetLedger } from '../src/redis/index.js';
import { startMockServer, type MockServer } from '../src/testing/index.js';
import { spawnTsx } from './fixtures/spawn-tsx.js';
import { redisUrl } from './setup/redis-url.js';

const servers: MockServer[] = [];
const ledgers: RedisBudgetLedger[] = [];
afterAll(async () => {
  await Promise.all([...servers.map((s) => s.close()), ...ledgers.map((l) => l.close())]);
});

test('SIGKILL with 6 calls on the wire: their holds are charged at their worst case, not returned', async () => {
  const prefix = `test:${randomUUID().slice(0, 8)}:`;
  // Every request streams two tokens, then hangs: the calls stay on the wire until the client goes away.
  const server = await startMockServer({ text: 'one two three four five six', fault: { type: 'hang', afterTokens: 2 } });
  servers.push(server);
  const child = spawnTsx('redis-run-child.ts', [redisUrl(), prefix, server.openaiBaseURL, 6]);
  const reserved = new Map<string, number>();
  while (reserved.size < 6) {
    const line = await child.line((l) => l.startsWith('reserve ') && !reserved.has(l.split(' ')[1]!));
    reserved.set(line.split(' ')[1]!, Number(line.split(' ')[2]));
  }
  await expect.poll(() => server.requests.filter((r) => r.tokensSent >= 2).length, { timeout: 90_000 }).toBe(6);
  child.proc.kill('SIGKILL');
  expect(await child.exit).toBeNull();

  const ledger = new RedisBudgetLedger({ connection: redisUrl(), prefix, limits: { usd: 1 } });
  ledgers.push(ledger);
  let instance = (await ledger.refresh())[0]!;
  for (let i = 0; i < 400 && instance.reservedUsd > 0; i++) {
    await new Promise((r) => setTimeout(r, 50));
    instance = (await ledger.refresh())[0]!;
  }
  const worstCases = [...reserved.values()].reduce((a, b) => a + b, 0);
  expect(worstCases).toBeGreaterThan(0);
  expect(instance.reservedUsd).toBe(0);
  expect(instance.spentUsd).toBeCloseTo(worstCases, 8);

  // What the server bills (the input and the tokens it sent before the client vanished) is within that charge.
  const model = defaultCatalog.get('gpt-5.4');
  await expect.poll(() => server.requests.every((r) => r.closedByClient), { timeout: 10_000 }).toBe(true);
  for (const request of server.requests) {
    const node = /\[node:(\w+)\]/.exec(JSON.stringify(request.body))![1]!;
    expect(costOf(model, request.billed!)).toBeLessThanOrEqual(reserved.get(node)!);
  }
}, 180_000);
