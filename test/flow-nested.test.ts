/**
 * `.workflow`: a nested workflow as one node. Its output is the child's outputs; its events appear in the run's
 * stream with their path; a failure inside follows the child's and the parent's error policies; cancellation and
 * the run budget reach inside; invalid nesting is refused before anything runs.
 */
import { describe, expect, test } from 'vitest';
import { z } from 'zod';
import { createSwitchyard, SwitchyardError, workflow } from '../src/index.js';
import { simulated } from '../src/testing/index.js';
import { collect } from './e2e-kit.js';

const legal = workflow({ name: 'legal-check', input: z.object({ text: z.string() }) })
  .llm('check', { model: 'gpt-5.4-mini', prompt: ({ input }) => `[check] ${input.text}`, output: z.object({ ok: z.boolean() }) })
  .step('summary', { after: ['check'], run: ({ check, input }) => `${check.ok ? 'approved' : 'refused'}: ${input.text}` });

const contract = workflow({ name: 'contract', input: z.object({ topic: z.string() }) })
  .llm('draft', { model: 'gpt-5.4-mini', prompt: ({ input }) => `[draft] ${input.topic}` })
  .workflow('legal', { after: ['draft'], workflow: legal, input: ({ draft }) => ({ text: draft }) })
  .step('send', { after: ['legal'], run: ({ legal }) => (legal.check.ok ? legal.summary : 'held') });

const answers = (info: { text: string }) => (info.text.includes('[check]') ? { text: '{"ok":true}' } : { text: 'a draft' });

describe('.workflow', () => {
  test("the node's output is the nested workflow's outputs; nested events carry their path and parent", async () => {
    const sim = simulated({ reply: answers });
    const sy = createSwitchyard({ providers: [sim] });
    const { events, result } = await collect(sy.run(contract, { topic: 'lease' }));
    expect(result.status).toBe('succeeded');
    expect(result.outputs.legal).toEqual({ check: { ok: true }, summary: 'approved: a draft' });
    expect(result.outputs.send).toBe('approved: a draft');
    expect(result.nodes.legal).toMatchObject({ kind: 'workflow', status: 'succeeded', attempts: 1 });
    expect(result.nodes.legal.children!.check).toMatchObject({ status: 'succeeded', kind: 'llm', model: 'gpt-5.4-mini' });
    expect(result.nodes.legal.costUsd).toBeCloseTo(result.nodes.legal.children!.check!.costUsd, 12);
    expect(result.costUsd).toBeCloseTo(result.nodes.draft.costUsd + result.nodes.legal.costUsd, 12);
    const lifecycle = events.filter((e) => e.type === 'node-start' || e.type === 'node-end').map((e) => `${e.type} ${e.nodeId}`);
    expect(lifecycle).toEqual([
      'node-start draft', 'node-end draft',
      'node-start legal', 'node-start legal/check', 'node-end legal/check', 'node-start legal/summary', 'node-end legal/summary', 'node-end legal',
      'node-start send', 'node-end send',
    ]);
    for (const event of events.filter((e) => e.nodeId?.startsWith('legal/'))) expect(event.parent).toBe('legal');
    expect(events.filter((e) => e.type === 'text-delta' && e.nodeId === 'legal/check').length).toBeGreaterThan(0);
    // the node's and the run's metrics count the nested call once
    expect(result.metrics.total.calls).toBe(2);
    expect(result.metrics.nodes).toMatchObject({ total: 3, started: 3, succeeded: 3 });
  });

  test('workflows nest in workflows: the path grows, the output type follows', async () => {
    const sim = simulated({ reply: answers });
    const sy = createSwitchyard({ providers: [sim] });
    const outer = workflow({ name: 'outer', input: z.object({ topic: z.string() }) }).workflow('contract', {
      workflow: contract,
      input: ({ input }) => input,
    });
    const { events, result } = await collect(sy.run(outer, { topic: 'lease' }));
    expect(result.outputs.contract?.legal.summary).toBe('approved: a draft');
    const check = events.find((e) => e.type === 'node-end' && e.nodeId === 'contract/legal/check');
    expect(check).toMatchObject({ parent: 'contract/legal' });
  });

  test("a failure inside fails the node with the inner error's kind and where it happened; the parent's policy applies", async () => {
    const sim = simulated({ reply: (info) => (info.text.includes('[check]') ? { fault: { type: 'http', status: 400 } } : { text: 'a draft' }) });
    const sy = createSwitchyard({ providers: [sim] });
    const wf = workflow({ name: 'two', input: z.object({ topic: z.string() }) })
      .workflow('contract', { workflow: contract, input: ({ input }) => input, onError: 'continue' })
      .step('other', { run: () => 'independent' });
    const result = await sy.run(wf, { topic: 'lease' }).result;
    expect(result.status).toBe('failed');
    expect(result.outputs.other).toBe('independent'); // 'continue' on the failing node: the other branch finished
    expect(result.errors).toHaveLength(1);
    const { nodeId, error } = result.errors[0]!;
    expect(nodeId).toBe('contract');
    expect(error.kind).toBe('bad_request');
    expect(error.message).toContain("failed at node 'contract/legal/check'");
    expect(result.nodes.contract.children!.legal!.children!.check!.status).toBe('failed');
    // 'contract' is 'continue', and so are its nested nodes without their own policy: 'send' is skipped, not cancelled
    expect(result.nodes.contract.children!.send).toMatchObject({ status: 'skipped', skipReason: "dependency 'legal' failed" });
  });

  test("nested nodes without onError follow the node's policy: 'continue' lets an independent nested branch finish", async () => {
    const child = workflow({ name: 'child', input: z.object({}) })
      .step('bad', { run: () => { throw new Error('boom'); } })
      .step('slow', { run: async () => { await new Promise((r) => setTimeout(r, 20)); return 'done'; } });
    const sy = createSwitchyard({ providers: [simulated()] });
    const strict = workflow({ name: 'p', input: z.object({}) }).workflow('c', { workflow: child, input: () => ({}) });
    const lenient = workflow({ name: 'p', input: z.object({}) }).workflow('c', { workflow: child, input: () => ({}), onError: 'continue' });
    const failFast = await sy.run(strict, {}).result;
    expect(failFast.nodes.c.children!.slow!.status).toBe('cancelled');
    const finished = await sy.run(lenient, {}).result;
    expect(finished.nodes.c.children!.slow!.status).toBe('succeeded');
    expect(finished.status).toBe('failed');
    expect(finished.errors[0]!.error.message).toContain("failed at node 'c/bad': Node 'bad' failed: boom");
  });

  test("the nested input is validated with the child's schema", async () => {
    const sy = createSwitchyard({ providers: [simulated()] });
    const wf = workflow({ name: 'p', input: z.object({}) }).workflow('legal', { workflow: legal, input: () => ({ text: 42 }) as never });
    const result = await sy.run(wf, {}).result;
    expect(result.errors[0]!.error).toMatchObject({ kind: 'invalid_input' });
  });

  test('an invalid nested workflow, a workflow nested in itself and an id with a slash are refused before anything runs', () => {
    const broken = workflow({ name: 'broken', input: z.object({}) }).step('x', { after: ['nope'] as never, run: () => 1 });
    const wf = workflow({ name: 'p', input: z.object({}) }).workflow('c', { workflow: broken, input: () => ({}) });
    expect(() => wf.build()).toThrow(/node 'c''s `workflow` is invalid: Workflow 'broken' is invalid: node 'x' depends on unknown node 'nope'/);
    const self = workflow({ name: 'self', input: z.object({}), nodes: [] });
    (self.nodes as unknown[]).push({ kind: 'workflow', id: 'me', workflow: self, input: () => ({}) });
    expect(() => self.build()).toThrow(/contains itself/);
    const slash = workflow({ name: 's', input: z.object({}) }).step('a/b', { run: () => 1 });
    const error = (() => { try { slash.build(); } catch (e) { return e; } })();
    expect(SwitchyardError.isInstance(error) && error.kind).toBe('invalid_workflow');
    expect((error as Error).message).toContain("ids may not contain '/'");
  });
});
