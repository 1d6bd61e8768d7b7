/** Runs the control-flow examples (loop, nested workflow and branches, approvals across processes) offline. */
import { describe, expect, test, vi } from 'vitest';
import { main as approvals } from '../examples/approvals.js';
import { main as nested } from '../examples/nested-workflow.js';
import { main as refineLoop } from '../examples/refine-loop.js';

describe('examples/refine-loop.ts', () => {
  test('revises three times, one model call each, and publishes the draft that passed the check', async () => {
    const lines: string[] = [];
    const { result, provider } = await refineLoop((line) => lines.push(line));
    expect(result.status).toBe('succeeded');
    expect(provider.requests).toHaveLength(3);
    expect(result.nodes.refine).toMatchObject({ converged: true });
    expect(result.outputs.publish).toContain('[final]');
    expect(lines.slice(0, 3).map((l) => l.split(':')[1]!.trim().split(' ')[0])).toEqual(['again', 'again', 'done']);
  });
});

describe('examples/nested-workflow.ts', () => {
  test('a bug runs the nested bug-fix workflow, a question the answer; the other path is skipped', async () => {
    const lines: string[] = [];
    const [bug, question] = await nested((line) => lines.push(line));
    expect(bug!.outputs.reply).toBe('Patched: guard the null file handle');
    expect(bug!.nodes.fix!.children!.patch!.status).toBe('succeeded');
    expect(bug!.nodes.answer!.status).toBe('skipped');
    expect(question!.outputs.reply).toBe('Answer: Use File > Export.');
    expect(question!.nodes.fix!.status).toBe('skipped');
    expect(lines).toContain('  fix/patch done');
  });
});

describe('examples/approvals.ts', () => {
  test('pauses for the manager, then for the tool; each answer in a new instance; nothing requested twice', async () => {
    const log = vi.fn();
    const { paused, toolWait, done, requests } = await approvals(log);
    expect(paused.waiting.map((w) => [w.nodeId, w.kind])).toEqual([['manager', 'approval']]);
    expect(toolWait.waiting.map((w) => [w.nodeId, w.kind])).toEqual([['agent', 'tool']]);
    expect(done.status).toBe('succeeded');
    expect(done.outputs.agent).toContain('Refunds over $100 need a supervisor call first.');
    expect(done.nodes.agent!.steps!.map((s) => s.toolCalls.map((c) => c.approval))).toEqual([['rejected'], []]);
    expect(requests).toBe(3); // assess, the agent's tool call, its answer after the rejection
  });
});
