import { afterEach, describe, expect, test, vi } from 'vitest';
import { main as codingAgent } from '../examples/coding-agent.js';
import { main as ensembleVote } from '../examples/ensemble-vote.js';
import { main as reasoningAgent } from '../examples/reasoning-agent.js';

afterEach(() => vi.restoreAllMocks());

function captureLog(): string[] {
  const lines: string[] = [];
  vi.spyOn(console, 'log').mockImplementation((line: unknown) => void lines.push(String(line)));
  return lines;
}

describe('examples', () => {
  test('coding-agent: fails the tests in round 1, fixes the function in round 2 (tests run in the sandbox)', async () => {
    const lines = captureLog();
    const result = await codingAgent();
    expect(result.status).toBe('succeeded');
    const node = result.nodes.fix!;
    expect(node.rounds!.map((r) => r.verdict.ok)).toEqual([false, true]);
    const feedback = node.rounds![0]!.verdict;
    expect(!feedback.ok && feedback.feedback).toContain('collapses runs of separators');
    expect(node.steps).toHaveLength(5);
    expect(node.verified).toBe(true);
    expect(lines.join('\n')).toContain('round 2: tests pass');
    expect(lines.join('\n')).toContain("replace(/[^a-z0-9]+/g, '-')");
  });

  test('ensemble-vote: three models answer, the majority wins', async () => {
    const lines = captureLog();
    const result = await ensembleVote();
    expect(result.status).toBe('succeeded');
    expect(result.outputs.severity).toEqual({ severity: 'high', reason: 'Customers cannot pay.' });
    expect(result.outputs.decision).toBe('page the on-call engineer');
    const candidates = result.nodes.severity!.candidates!;
    expect(candidates.map((c) => [c.model, c.used])).toEqual([
      ['gpt-5.5', true],
      ['claude-opus-4-7', false],
      ['gemini-3.1-pro', true],
    ]);
    expect(lines.some((line) => line.startsWith('  claude-opus-4-7: {"severity":"medium"'))).toBe(true);
  });
});

describe('examples/reasoning-agent.ts', () => {
  test('the agent reasons at high effort on gpt-5.5, and its encrypted reasoning goes back in step 2', async () => {
    const lines: string[] = [];
    const { result, thoughts, secondRequestItems } = await reasoningAgent((line) => lines.push(line));
    expect(result.status).toBe('succeeded');
    expect(result.outputs.fix).toContain('Raise http.timeoutMs from 500 to 3000');
    expect(thoughts).toEqual([
      'The timeout must come from the config. Read it before guessing.',
      'The config says 500 ms, far below the 2 s the upstream needs. Raise it.',
    ]);
    expect(secondRequestItems).toEqual(['user', 'reasoning', 'function_call', 'function_call_output']);
    expect(lines[0]).toContain('reasoning high, the default for agentic-coding');
    expect(result.nodes.fix!.usage.reasoningTokens).toBeGreaterThan(0);
  });
});
