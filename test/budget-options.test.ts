/**
 * A budget given with the wrong type (or a limit name that does not exist) is refused before anything runs, with a message that says what it got and
 * what to write instead — at every level (instance, run, node, one call) and on both ledgers.
 */
import { describe, expect, test } from 'vitest';
import { z } from 'zod';
import { createSwitchyard, workflow, type SwitchyardError } from '../src/index.js';
import { RedisBudgetLedger } from '../src/redis/index.js';
import { simulated } from '../src/testing/index.js';

const caught = async (fn: () => unknown): Promise<SwitchyardError> => {
  try {
    await fn();
  } catch (error) {
    return error as SwitchyardError;
  }
  throw new Error('expected an error');
};
const sy = () => createSwitchyard({ providers: [simulated()] });
const one = (budget?: unknown) => workflow({ name: 'w', input: z.object({}) }).llm('a', { model: 'gpt-5.4', prompt: 'hi', maxOutputTokens: 10, budget: budget as never });

describe('a budget that is not a number', () => {
  test('on the instance: kind invalid_config, naming the string it got and the number to write', async () => {
    const error = await caught(() => createSwitchyard({ providers: [simulated()], budget: { usd: '5' as never } }));
    expect(error.kind).toBe('invalid_config');
    expect(error.message).toBe("The usd limit of the instance budget must be a number of US dollars >= 0, such as { usd: 5 }; got the string '5'. Write it as a number, without quotes: { usd: 5 }.");
  });

  test('on a run: its result rejects before any node runs', async () => {
    const s = simulated();
    const error = await caught(() => createSwitchyard({ providers: [s] }).run(one(), {}, { budget: { usd: '0.5' as never } }).result);
    expect(error.kind).toBe('invalid_request');
    expect(error.message).toContain("The usd limit of the run budget must be a number of US dollars >= 0, such as { usd: 5 }; got the string '0.5'.");
    expect(s.requests).toHaveLength(0);
  });

  test('on a node or a call: the workflow is refused, naming the node', async () => {
    const run = await caught(() => sy().run(one({ tokens: '100' }), {}).result);
    expect(run.kind).toBe('invalid_workflow');
    expect(run.message).toContain("The tokens limit of the budget of node 'a' must be a number of tokens >= 0, such as { tokens: 200_000 }; got the string '100'.");
    const call = await caught(() => sy().generate({ model: 'gpt-5.4', prompt: 'hi', budget: { usd: 'lots' as never } }));
    expect(call.message).toContain("got the string 'lots'.");
    expect(call.message).not.toContain('without quotes'); // 'lots' is no number to suggest
  });

  test('a budget that is not an object, or names a limit that does not exist (which would cap nothing)', async () => {
    expect((await caught(() => createSwitchyard({ providers: [simulated()], budget: 5 as never }))).message).toBe(
      'The instance budget must be an object such as { usd: 5 } or { tokens: 200_000 }; got the number 5.',
    );
    expect((await caught(() => sy().run(one(), {}, { budget: { dollars: 5 } as never }).result)).message).toBe(
      "The run budget has an unknown field 'dollars': its limits are usd, tokens and window.",
    );
    expect((await caught(() => createSwitchyard({ providers: [simulated()], budget: { usd: Number.NaN } }))).message).toContain('got the number NaN.');
  });

  test('on the Redis ledger too, before it opens a connection', async () => {
    const error = await caught(() => new RedisBudgetLedger({ connection: 'redis://127.0.0.1:1', limits: { usd: '200' as never } }));
    expect(error.kind).toBe('invalid_config');
    expect(error.message).toContain("got the string '200'. Write it as a number, without quotes: { usd: 200 }.");
  });
});
