/** examples/workers.ts runs against the test Redis: the run succeeds on the workers and the fleet's ledger has its spend. */
import { expect, test, vi } from 'vitest';
import { main } from '../examples/workers.js';
import { redisUrl } from './setup/redis-url.js';

test('the workers example: nodes run on two in-process workers, spend lands in the shared ledger', async () => {
  const log = vi.spyOn(console, 'log').mockImplementation(() => {});
  try {
    const { result, fleetSpentUsd } = await main(redisUrl());
    expect(result.status).toBe('succeeded');
    expect(Object.keys(result.outputs).sort()).toEqual(['classify', 'reply', 'summary']);
    expect(result.costUsd).toBeGreaterThan(0);
    expect(fleetSpentUsd).toBeCloseTo(result.costUsd, 6);
    expect(log).toHaveBeenCalledWith(expect.stringMatching(/^reply: done on a worker/));
  } finally {
    log.mockRestore();
  }
});
