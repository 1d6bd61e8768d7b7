import { describe, expectTypeOf, test } from 'vitest';
import { z } from 'zod';
import { createSwitchyard, workflow, type CallResult, type ProviderState, type ReasoningEffort, type RunEventOf } from '../src/index.js';
import { simulated } from '../src/testing/index.js';

describe('reasoning options and events', () => {
  test('reasoning is typed on calls, nodes and per-task defaults; efforts are a closed set', () => {
    const sy = createSwitchyard({ providers: [simulated()], reasoning: { classification: 'none', research: 'xhigh' } });
    void sy.generate({ task: 'critical', prompt: 'x', reasoning: { effort: 'high', budgetTokens: 8_000 } });
    workflow({ name: 'w', input: z.object({}) })
      .llm('a', { model: 'gpt-5.5', prompt: 'x', reasoning: { effort: 'minimal' } })
      .agent('b', { task: 'agent', prompt: 'y', tools: {}, reasoning: { effort: 'low' } });
    // @ts-expect-error 'max' is not an effort
    void sy.generate({ model: 'gpt-5.5', prompt: 'x', reasoning: { effort: 'max' } });
    // @ts-expect-error an effort is required
    void sy.generate({ model: 'gpt-5.5', prompt: 'x', reasoning: { budgetTokens: 1_000 } });
    expectTypeOf<ReasoningEffort>().toEqualTypeOf<'none' | 'minimal' | 'low' | 'medium' | 'high' | 'xhigh'>();
  });

  test('results carry reasoning text and opaque provider state; the stream has reasoning-delta events', () => {
    expectTypeOf<CallResult['reasoning']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<CallResult['providerState']>().toEqualTypeOf<ProviderState | undefined>();
    expectTypeOf<RunEventOf<'reasoning-delta'>['text']>().toEqualTypeOf<string>();
  });
});
