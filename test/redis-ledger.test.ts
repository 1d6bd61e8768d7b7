/**
 * The Redis budget ledger against a real redis-server (started by test/setup/redis.ts): holds are shared between
 * ledgers; the never-overspend invariant holds with several processes reserving at once; a killed holder's
 * reservation is charged at its amount once its lease ends (and corrected if the holder settles after all); an
 * unreachable Redis is a typed error; a switchyard run books its spend in Redis.
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { afterAll, describe, expect, test } from 'vitest';
import { createSwitchyard, memoryStore, SwitchyardError } from '../src/index.js';
import { RedisBudgetLedger } from '../src/redis/index.js';
import { simulated } from '../src/testing/index.js';
import { spawnTsx } from './fixtures/spawn-tsx.js';
import { durableWorkflow, nodeOf, replyTo } from './fixtures/durable-workflow.js';
import { redisUrl } from './setup/redis-url.js';

const ledgers: RedisBudgetLedger[] = [];
const prefix = () => `test:${randomUUID().slice(0, 8)}:`;
function ledger(options: Partial<ConstructorParameters<typeof RedisBudgetLedger>[0]> & { prefix: string }) {
  const made = new RedisBudgetLedger({ connection: redisUrl(), ...options });
  ledgers.push(made);
  return made;
}
afterAll(async () => {
  await Promise.all(ledgers.map((l) => l.close()));
});

describe('shared holds', () => {
  test("one ledger's hold is seen by another; refusals name the level; settle applies once", async () => {
    const p = prefix();
    const a = ledger({ prefix: p, limits: { usd: 1 } });
    const b = ledger({ prefix: p, limits: { usd: 1 } });
    const runA = a.scope(a.root, 'run', { usd: 0.8 });
    const held = await a.reserve({ scope: runA, usd: 0.7, tokens: 100 });
    expect(held.ok).toBe(true);
    const refused = await b.reserve({ scope: b.scope(b.root, 'run'), usd: 0.4, tokens: 0 });
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.error).toMatchObject({ kind: 'budget_exceeded', level: 'instance', limit: 1, reserved: 0.7, requested: 0.4 });
    const runLimit = await a.reserve({ scope: runA, usd: 0.2, tokens: 0 });
    expect(!runLimit.ok && runLimit.error.level).toBe('run');

    if (!held.ok) throw new Error('unreachable');
    const settled = await a.settle(held.reservation.id, { usd: 0.25, tokens: 80 });
    expect(settled).toMatchObject({ applied: true, chargedUsd: 0.25, chargedTokens: 80 });
    expect(settled.levels[0]).toMatchObject({ level: 'instance', spentUsd: 0.25, reservedUsd: 0, limitUsd: 1, remainingUsd: 0.75 });
    expect((await a.settle(held.reservation.id, { usd: 0.25, tokens: 80 })).applied).toBe(false);
    expect((await b.refresh())[0]).toMatchObject({ spentUsd: 0.25, reservedUsd: 0, spentTokens: 80 });
  });

  test('closing a scope returns its holds; a late settle still charges what was consumed', async () => {
    const l = ledger({ prefix: prefix(), limits: { usd: 1 } });
    const run = l.scope(l.root, 'run');
    const hold = await l.reserve({ scope: l.scope(run, 'node'), usd: 0.6, tokens: 0 });
    if (!hold.ok) throw hold.error;
    await run.close();
    expect((await l.refresh())[0]).toMatchObject({ reservedUsd: 0, spentUsd: 0 });
    await expect(Promise.resolve().then(() => l.reserve({ scope: run, usd: 0.1, tokens: 0 }))).rejects.toMatchObject({ kind: 'aborted' });
    await l.settle(hold.reservation.id, { usd: 0.3, tokens: 0 });
    expect((await l.refresh())[0]).toMatchObject({ reservedUsd: 0, spentUsd: 0.3 });
  });
});

test('never overspent: 4 processes × 40 concurrent reservations of $0.03 against $1 grant exactly 33', async () => {
  const p = prefix();
  const children = Array.from({ length: 4 }, () => spawnTsx('redis-reserver.ts', ['burst', redisUrl(), p, 40, 0.03]));
  const codes = await Promise.all(children.map((c) => c.exit));
  expect(codes).toEqual([0, 0, 0, 0]);
  const counts = children.map((c) => /granted (\d+) refused (\d+)/.exec(c.lines.join('\n'))!.slice(1).map(Number));
  const granted = counts.reduce((sum, [g]) => sum + g!, 0);
  expect(counts.reduce((sum, [g, r]) => sum + g! + r!, 0)).toBe(160);
  expect(granted).toBe(33); // floor(1 / 0.03): every grant fits, and nothing leaked that would refuse one more
  const [instance] = await ledger({ prefix: p, limits: { usd: 1 } }).refresh();
  expect(instance!.spentUsd).toBeCloseTo(0.99, 9);
  expect(instance!.spentUsd).toBeLessThanOrEqual(1);
  expect(instance!.reservedUsd).toBe(0);
}, 120_000);

test("a killed process's hold is charged at its amount when its lease ends, and stops blocking", async () => {
  const p = prefix();
  const holder = spawnTsx('redis-reserver.ts', ['hold', redisUrl(), p, 0.4, 600]);
  expect(await holder.line((l) => l === 'held' || l === 'refused')).toBe('held');
  holder.proc.kill('SIGKILL');
  await holder.exit;
  const l = ledger({ prefix: p, limits: { usd: 1 } });
  const run = l.scope(l.root, 'run');
  // Until its lease ends the dead process's hold is held; then it is settled at its amount (the provider may have
  // billed the request it covered): spent, not returned.
  let instance = (await l.refresh())[0]!;
  for (let i = 0; i < 200 && instance.reservedUsd > 0; i++) {
    await new Promise((r) => setTimeout(r, 50));
    instance = (await l.refresh())[0]!;
  }
  expect(instance).toMatchObject({ reservedUsd: 0, spentUsd: 0.4 });
  expect((await l.reserve({ scope: run, usd: 0.7, tokens: 0 })).ok).toBe(false); // 0.4 + 0.7 > 1: it stays spent
  expect((await l.reserve({ scope: run, usd: 0.6, tokens: 0 })).ok).toBe(true);
}, 120_000);

test('a holder that comes back after its lease ended settles to its actual spend', async () => {
  const p = prefix();
  const slow = ledger({ prefix: p, limits: { usd: 1 }, leaseMs: 200 });
  const hold = await slow.reserve({ scope: slow.scope(slow.root, 'run'), usd: 0.5, tokens: 100 });
  if (!hold.ok) throw hold.error;
  await slow.close(); // stops renewing its lease, as a process stalled past it would
  const other = ledger({ prefix: p, limits: { usd: 1 } });
  let instance = (await other.refresh())[0]!;
  for (let i = 0; i < 200 && instance.reservedUsd > 0; i++) {
    await new Promise((r) => setTimeout(r, 50));
    instance = (await other.refresh())[0]!;
  }
  expect(instance).toMatchObject({ reservedUsd: 0, spentUsd: 0.5, spentTokens: 100 });
  const back = ledger({ prefix: p, limits: { usd: 1 } });
  const settled = await back.settle(hold.reservation.id, { usd: 0.125, tokens: 30 });
  expect(settled.applied).toBe(true);
  expect((await other.refresh())[0]).toMatchObject({ reservedUsd: 0, spentUsd: 0.125, spentTokens: 30 });
  expect((await back.settle(hold.reservation.id, { usd: 0.125, tokens: 30 })).applied).toBe(false);
}, 120_000);

test('an unreachable Redis rejects with kind store_unavailable', async () => {
  const port = await new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
  const l = new RedisBudgetLedger({ connection: `redis://127.0.0.1:${port}`, prefix: prefix() });
  const error = await Promise.resolve()
    .then(() => l.reserve({ scope: l.root, usd: 0.1, tokens: 0 }))
    .catch((e: unknown) => e);
  await l.close();
  expect(SwitchyardError.isInstance(error)).toBe(true);
  expect(error).toMatchObject({ kind: 'store_unavailable', retryable: true });
  expect((error as Error).message).toContain('Redis could not reserve budget');
});

test('createSwitchyard({ ledger }): a run reserves and settles in Redis', async () => {
  const p = prefix();
  const shared = ledger({ prefix: p, limits: { usd: 5 } });
  const sy = createSwitchyard({ providers: [simulated({ firstTokenMs: 1 })], ledger: shared });
  const result = await sy.run(durableWorkflow(), { topic: 'redis' }, { budget: { usd: 1 } }).result;
  expect(result.status).toBe('succeeded');
  expect(result.costUsd).toBeGreaterThan(0);
  const [instance] = await ledger({ prefix: p }).refresh();
  expect(instance!.spentUsd).toBeCloseTo(result.costUsd, 8);
  expect(instance!.reservedUsd).toBe(0);
});

test('a run resumed on the same Redis ledger does not charge its earlier spend twice', async () => {
  const p = prefix();
  const shared = ledger({ prefix: p, limits: { usd: 5 } });
  const store = memoryStore();
  let failing = true;
  const provider = simulated({ reply: (info) => (failing && nodeOf(info.text) === 'd' ? { fault: { type: 'http', status: 400 } } : replyTo(info)) });
  const sy = createSwitchyard({ providers: [provider], ledger: shared, store });
  const failed = await sy.run(durableWorkflow(), { topic: 'resume' }, { runId: `r-${p}`, budget: { usd: 1 } }).result;
  expect(failed.status).toBe('failed');
  failing = false;
  const resumed = await sy.resume(`r-${p}`, durableWorkflow(), { budget: { usd: 1 } }).result;
  expect(resumed.status).toBe('succeeded');
  // every node's spend is in the ledger exactly once: the restored nodes' spend was recorded by the first run
  const [instance] = await ledger({ prefix: p }).refresh();
  expect(instance!.spentUsd).toBeCloseTo(resumed.costUsd, 8);
  expect(instance!.reservedUsd).toBe(0);
});
