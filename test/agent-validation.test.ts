import { describe, expect, test } from 'vitest';
import { z } from 'zod';
import { SwitchyardError, workflow } from '../src/index.js';
import type { NodeDefinition } from '../src/workflow/index.js';

const input = z.object({});

function problems(nodes: unknown[]): string {
  try {
    workflow({ name: 'wf', input, nodes: nodes as NodeDefinition[] }).build();
  } catch (error) {
    if (SwitchyardError.isInstance(error) && error.kind === 'invalid_workflow') return error.message;
    throw error;
  }
  throw new Error('expected build() to throw');
}

const tool = { parameters: z.object({}), execute: () => 'ok' };

describe('validation of agent, ensemble, verify and cascade options (kind invalid_workflow)', () => {
  test('agents: tools need a zod schema, an execute function and a provider-safe name; limits are whole numbers', () => {
    const message = problems([
      { kind: 'agent', id: 'a', prompt: 'x', tools: { 'bad name': tool, noSchema: { execute: () => 1 }, noRun: { parameters: z.object({}) } }, maxSteps: 0 },
      { kind: 'agent', id: 'b', prompt: 'x' },
    ]);
    expect(message).toContain(`node 'a' has a tool named "bad name"`);
    expect(message).toContain("node 'a''s tool 'noSchema' needs `parameters`: a zod schema, or jsonSchema({ type: 'object', ... }).");
    expect(message).toContain("node 'a''s tool 'noRun' needs an `execute` function.");
    expect(message).toContain("node 'a' has maxSteps 0");
    expect(message).toContain("node 'b' needs `tools`");
  });

  test('verify must be a function, maxRounds a whole number; a cascade replaces model and needs something to escalate on', () => {
    const message = problems([
      { kind: 'llm', id: 'a', prompt: 'x', verify: 'strict', maxRounds: 1.5 },
      { kind: 'llm', id: 'b', prompt: 'x', model: 'gpt-5.5', cascade: ['gpt-5.4', 'gpt-5.5'], output: z.string() },
      { kind: 'llm', id: 'c', prompt: 'x', cascade: ['gpt-5.4'] },
      { kind: 'llm', id: 'd', prompt: 'x', cascade: [], verify: () => ({ ok: true }) },
    ]);
    expect(message).toContain("node 'a' has a `verify` that is not a function");
    expect(message).toContain("node 'a' has maxRounds 1.5");
    expect(message).toContain("node 'b' has both `cascade` and `model`");
    expect(message).toContain("node 'c' has a `cascade` but neither `verify` nor `output`");
    expect(message).toContain("node 'd' has a `cascade` that is not a non-empty list");
  });

  test('ensembles: exactly one of models or candidates, and a known merge', () => {
    const message = problems([
      { kind: 'ensemble', id: 'a', prompt: 'x', merge: 'first' },
      { kind: 'ensemble', id: 'b', prompt: 'x', models: ['gpt-5.5'], candidates: 2, merge: 'first' },
      { kind: 'ensemble', id: 'c', prompt: 'x', candidates: 0, merge: 'vote' },
      { kind: 'ensemble', id: 'd', prompt: 'x', models: ['gpt-5.5'], merge: 'average' },
      { kind: 'ensemble', id: 'e', models: ['gpt-5.5'], merge: 'first' },
    ]);
    expect(message).toContain("node 'a' needs exactly one of `models`");
    expect(message).toContain("node 'b' needs exactly one of `models`");
    expect(message).toContain("node 'c' has candidates 0");
    expect(message).toContain(`node 'd' has merge "average"`);
    expect(message).toContain("node 'e' needs exactly one of `prompt`");
  });
});
