/**
 * Budget-fitted output caps inside the ledgers' atomic reserve: the in-memory ledger (which runs
 * `fitOutputTokens`) and the Redis ledger (its Lua twin) fit the same caps on the same figures, siblings fit
 * against each other's holds, and however many reserve at once — in one process or across ledgers sharing Redis —
 * spent + reserved never passes a limit.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, test } from 'vitest';
import type { BudgetLedger, BudgetScope, ReserveResult } from '../src/budget/index.js';
import { MemoryBudgetLedger } from '../src/budget/index.js';
import { RedisBudgetLedger } from '../src/redis/index.js';
import { seededRandom } from '../src/testing/index.js';
import { redisUrl } from './setup/redis-url.js';

const redisLedgers: RedisBudgetLedger[] = [];
afterAll(async () => {
  await Promise.all(redisLedgers.map((l) => l.close()));
});

type Make = (limits: { usd?: number; tokens?: number }, prefix?: string) => BudgetLedger;
const kinds: Array<[string, Make]> = [
  ['memory', (limits) => new MemoryBudgetLedger({ limits })],
  [
    'redis',
    (limits, prefix = `fit:${randomUUID().slice(0, 8)}:`) => {
      const ledger = new RedisBudgetLedger({ connection: redisUrl(), prefix, limits });
      redisLedgers.push(ledger);
      return ledger;
    },
  ],
];

/** gpt-5.4 with 100 input tokens: $0.00025 of input, then $15 per million output tokens. */
const fitted = (scope: BudgetScope, extra: { minTokens?: number; maxTokens?: number } = {}) => ({
  scope,
  usd: 0.00025,
  tokens: 100,
  fitOutput: { minTokens: 1_024, maxTokens: 128_000, usdPerToken: 15e-6, ...extra },
});

const granted = (result: ReserveResult) => {
  if (!result.ok) throw result.error;
  return result.reservation;
};

describe.each(kinds)('%s ledger: fitted output caps', (_name, make) => {
  test('a run budget of $0.50: the cap fills half of it, the hold is what it says, the run level is named', async () => {
    const ledger = make({ usd: 5 });
    const run = ledger.scope(ledger.root, 'run', { usd: 0.5 }, randomUUID());
    const reservation = granted(await ledger.reserve(fitted(run)));
    expect(reservation.fitted).toEqual({ tokens: 16_650, limitedBy: { level: 'run', unit: 'usd', left: 0.5 } });
    expect(reservation.usd).toBeCloseTo(0.00025 + 16_650 * 15e-6, 9);
    expect(reservation.tokens).toBe(100 + 16_650);
    expect(reservation.levels.at(-1)).toMatchObject({ level: 'run', reservedUsd: reservation.usd });
  });

  test('no limit anywhere: the most cap, limited by nothing', async () => {
    const ledger = make({});
    const reservation = granted(await ledger.reserve(fitted(ledger.scope(ledger.root, 'run', {}, randomUUID()))));
    expect(reservation.fitted).toEqual({ tokens: 128_000 });
    expect(reservation.usd).toBeCloseTo(0.00025 + 128_000 * 15e-6, 9);
  });

  test('siblings fit against each other: each takes half of what is left, then the least, then a refusal with the least', async () => {
    const ledger = make({});
    const run = ledger.scope(ledger.root, 'run', { usd: 0.1 }, randomUUID());
    const caps: number[] = [];
    let refusal: ReserveResult | undefined;
    for (let i = 0; i < 20 && refusal === undefined; i++) {
      const result = await ledger.reserve(fitted(run));
      if (result.ok) caps.push(result.reservation.fitted!.tokens);
      else refusal = result;
    }
    expect(caps).toEqual([3_316, 1_650, 1_024]);
    expect(refusal?.ok).toBe(false);
    if (refusal && !refusal.ok) {
      expect(refusal.error).toMatchObject({ level: 'run', unit: 'usd', spent: 0, limit: 0.1 });
      expect(refusal.error.requested).toBeCloseTo(0.00025 + 1_024 * 15e-6, 9);
      expect(refusal.error.reserved + refusal.error.requested).toBeGreaterThan(0.1);
    }
    const [figures] = ledger.snapshot(run).slice(-1);
    expect(figures!.reservedUsd).toBeLessThanOrEqual(0.1);
  });

  test('token limits fit too, input included', async () => {
    const ledger = make({ tokens: 20_100 });
    const reservation = granted(await ledger.reserve(fitted(ledger.scope(ledger.root, 'run', {}, randomUUID()))));
    expect(reservation.fitted).toEqual({ tokens: 9_950, limitedBy: { level: 'instance', unit: 'tokens', left: 20_100 } });
    expect(reservation.tokens).toBe(10_050);
  });

  test('a settled sibling makes room again', async () => {
    const ledger = make({});
    const run = ledger.scope(ledger.root, 'run', { usd: 0.1 }, randomUUID());
    const first = granted(await ledger.reserve(fitted(run)));
    await ledger.settle(first.id, { usd: 0.001, tokens: 300 });
    const second = granted(await ledger.reserve(fitted(run)));
    expect(second.fitted?.tokens).toBe(Math.floor((0.099e9 / 2 - 250_000) / 15_000));
  });
});

describe('the Lua twin fits what fitOutputTokens fits', () => {
  test('over 300 random sequences of fits and settles, both ledgers grant the same caps and refuse the same calls', async () => {
    const random = seededRandom(99);
    for (let round = 0; round < 30; round++) {
      const limits = { usd: 0.01 + random() * 2, ...(random() < 0.3 ? { tokens: 5_000 + Math.floor(random() * 300_000) } : {}) };
      const runLimit = random() < 0.5 ? { usd: random() * 1 } : {};
      const [memory, redis] = kinds.map(([, make]) => make(limits));
      const runs = [memory!, redis!].map((l) => l.scope(l.root, 'run', runLimit, randomUUID()));
      const held: string[][] = [[], []];
      for (let step = 0; step < 10; step++) {
        if (held[0]!.length > 0 && random() < 0.3) {
          const i = Math.floor(random() * held[0]!.length);
          const usd = random() * 0.01;
          await memory!.settle(held[0]!.splice(i, 1)[0]!, { usd, tokens: 10 });
          await redis!.settle(held[1]!.splice(i, 1)[0]!, { usd, tokens: 10 });
          continue;
        }
        const ask = { minTokens: Math.floor(random() * 3_000), maxTokens: Math.floor(random() * 130_000), usdPerToken: random() * 60e-6 };
        const input = { usd: random() * 0.005, tokens: Math.floor(random() * 2_000) };
        const results = [await memory!.reserve({ scope: runs[0]!, ...input, fitOutput: ask }), await redis!.reserve({ scope: runs[1]!, ...input, fitOutput: ask })];
        expect(results[1]!.ok).toBe(results[0]!.ok);
        if (results[0]!.ok && results[1]!.ok) {
          expect(results[1]!.reservation.fitted).toEqual(results[0]!.reservation.fitted);
          expect(results[1]!.reservation.usd).toBe(results[0]!.reservation.usd);
          held[0]!.push(results[0]!.reservation.id);
          held[1]!.push(results[1]!.reservation.id);
        } else if (!results[0]!.ok && !results[1]!.ok) {
          expect(results[1]!.error.level).toBe(results[0]!.error.level);
          expect(results[1]!.error.requested).toBe(results[0]!.error.requested);
        }
      }
    }
  }, 120_000);
});

describe('concurrent fits never overspend', () => {
  test('Redis: three ledgers (as three processes) × 40 concurrent fitted reservations under $0.30', async () => {
    const prefix = `fit:${randomUUID().slice(0, 8)}:`;
    const make = kinds[1]![1];
    const ledgers = [0, 1, 2].map(() => make({ usd: 0.3 }, prefix));
    const results = await Promise.all(
      ledgers.flatMap((ledger) => Array.from({ length: 40 }, () => ledger.reserve(fitted(ledger.scope(ledger.root, 'run', {}, randomUUID()))))),
    );
    const held = results.filter((r) => r.ok).reduce((sum, r) => sum + (r.ok ? r.reservation.usd : 0), 0);
    expect(held).toBeLessThanOrEqual(0.3);
    expect(results.filter((r) => r.ok).length).toBeGreaterThanOrEqual(5); // 0.15, 0.075, ... then the least ($0.0156)
    for (const r of results) if (r.ok) expect(r.reservation.fitted!.tokens).toBeGreaterThanOrEqual(1_024);
    const [instance] = await (ledgers[0] as RedisBudgetLedger).refresh();
    expect(instance!.reservedUsd).toBeCloseTo(held, 9);
    expect(instance!.reservedUsd).toBeLessThanOrEqual(0.3);
  });
});
