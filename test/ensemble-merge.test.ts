import { describe, expect, test } from 'vitest';
import { z } from 'zod';
import { createSwitchyard, SwitchyardError, textOf, workflow } from '../src/index.js';
import { simulated, type ScriptedReply, type ScriptRequestInfo } from '../src/testing/index.js';
import { collect, ofType } from './e2e-kit.js';

const input = z.object({ q: z.string() });
const Verdict = z.object({ answer: z.enum(['yes', 'no']), confidence: z.number() });
const MODELS = ['gpt-5.5', 'claude-opus-4-7', 'gemini-3.1-pro'];

/** A simulated provider whose reply depends on the model (and answers the judge when asked to judge). */
function byModel(replies: Record<string, ScriptedReply>, judge?: ScriptedReply) {
  return simulated({
    reply: (info: ScriptRequestInfo) => (judge && info.text.includes('## Candidate answers') ? judge : (replies[info.model] ?? { text: 'n/a' })),
  });
}

describe('ensemble merges (simulated provider)', () => {
  test('vote: the majority over structured outputs wins (key order does not matter); every candidate is recorded', async () => {
    const sim = byModel({
      'gpt-5.5': { text: '{"answer":"yes","confidence":1}' },
      'claude-opus-4-7': { text: '{"answer":"no","confidence":1}' },
      'gemini-3.1-pro': { text: '{"confidence":1,"answer":"no"}' },
    });
    const sy = createSwitchyard({ providers: [sim] });
    const wf = workflow({ name: 'e', input }).ensemble('decide', { models: MODELS, prompt: ({ input: i }) => i.q, output: Verdict, merge: 'vote' });
    const { events, result } = await collect(sy.run(wf, { q: 'Ship it?' }));

    expect(result.status).toBe('succeeded');
    expect(result.outputs.decide).toEqual({ answer: 'no', confidence: 1 });
    const node = result.nodes.decide;
    expect(node.candidates!.map((c) => [c.index, c.model, c.status, c.used])).toEqual([
      [0, 'gpt-5.5', 'succeeded', false],
      [1, 'claude-opus-4-7', 'succeeded', true],
      [2, 'gemini-3.1-pro', 'succeeded', true],
    ]);
    expect(node.candidates!.map((c) => c.output)).toEqual([
      { answer: 'yes', confidence: 1 },
      { answer: 'no', confidence: 1 },
      { answer: 'no', confidence: 1 },
    ]);
    expect(node.merge).toMatchObject({ strategy: 'vote', chosen: [1, 2] });
    expect(node.merge!.votes!.map((v) => v.candidates)).toEqual([[1, 2], [0]]);
    expect(node.candidates!.reduce((sum, c) => sum + c.costUsd, 0)).toBeCloseTo(node.costUsd, 12);
    // all three requests were made; their events are tagged with the candidate index
    expect(sim.requests.map((r) => r.model).sort()).toEqual([...MODELS].sort());
    const tagged = ofType(events, 'text-delta').map((e) => [e.candidate, e.model]);
    expect(new Set(tagged.map(([c, m]) => `${c}:${m}`))).toEqual(new Set(['0:gpt-5.5', '1:claude-opus-4-7', '2:gemini-3.1-pro']));
    expect(ofType(events, 'candidate-end').map((e) => [e.candidate, e.status]).sort()).toEqual([[0, 'succeeded'], [1, 'succeeded'], [2, 'succeeded']]);
  });

  test('vote: a tie goes to the answer whose first supporter comes first in `models`', async () => {
    const sim = byModel({
      'gpt-5.5': { text: 'Blue.' },
      'claude-opus-4-7': { text: 'green' },
      'gemini-3.1-pro': { text: 'green' },
      'gpt-5.4': { text: '  Blue. ' },
    });
    const sy = createSwitchyard({ providers: [sim] });
    const wf = workflow({ name: 'e', input }).ensemble('color', { models: [...MODELS, 'gpt-5.4'], prompt: 'Color?', merge: 'vote' });
    const result = await sy.run(wf, { q: '' }).result;
    expect(result.outputs.color).toBe('Blue.'); // 2–2: 'Blue.' was given first (by gpt-5.5)
    expect(result.nodes.color.merge!.chosen).toEqual([0, 3]);
  });

  test('judge (pick): a judge model routed by task picks a candidate; its choice and reason are recorded', async () => {
    const sim = byModel(
      { 'gpt-5.5': { text: 'Answer A' }, 'claude-opus-4-7': { text: 'Answer B' }, 'gemini-3.1-pro': { text: 'Answer C' } },
      { text: '{"choice": 2, "reason": "B is the most complete"}' },
    );
    const sy = createSwitchyard({ providers: [sim] });
    const wf = workflow({ name: 'e', input }).ensemble('best', {
      models: MODELS,
      prompt: 'Explain X',
      merge: { judge: { task: 'critical', criteria: 'completeness' } },
    });
    const result = await sy.run(wf, { q: '' }).result;
    expect(result.outputs.best).toBe('Answer B');
    const judgeRequest = sim.requests.find((r) => textOf(r.request.messages[0]!.content).includes('## Candidate answers'))!;
    expect(judgeRequest.model).toBe('gpt-5.5-pro'); // task 'critical' routes to gpt-5.5-pro
    const prompt = textOf(judgeRequest.request.messages[0]!.content);
    expect(prompt).toContain('Explain X');
    expect(prompt).toContain('### Candidate 1\nAnswer A');
    expect(prompt).toContain('completeness');
    expect(judgeRequest.request.output).toBeDefined();
    const node = result.nodes.best;
    expect(node.merge).toMatchObject({ strategy: 'judge', chosen: [1], judge: { model: 'gpt-5.5-pro', reason: 'B is the most complete' } });
    expect(node.candidates!.map((c) => c.used)).toEqual([false, true, false]);
    const judged = node.merge!.judge!.costUsd + node.candidates!.reduce((sum, c) => sum + c.costUsd, 0);
    expect(judged).toBeCloseTo(node.costUsd, 12);
  });

  test('judge (synthesize): the judge writes the output, validated by the node schema', async () => {
    const sim = byModel(
      { 'gpt-5.5': { text: '{"answer":"yes","confidence":0.6}' }, 'claude-opus-4-7': { text: '{"answer":"yes","confidence":0.8}' } },
      { text: '{"answer":"yes","confidence":0.7}' },
    );
    const sy = createSwitchyard({ providers: [sim] });
    const wf = workflow({ name: 'e', input }).ensemble('v', {
      models: ['gpt-5.5', 'claude-opus-4-7'],
      prompt: 'Ship?',
      output: Verdict,
      merge: { judge: { model: 'gpt-5.4', mode: 'synthesize' } },
    });
    const result = await sy.run(wf, { q: '' }).result;
    expect(result.outputs.v).toEqual({ answer: 'yes', confidence: 0.7 });
    expect(result.nodes.v.candidates!.every((c) => c.used)).toBe(true);
    expect(result.nodes.v.merge!.judge!.model).toBe('gpt-5.4');
  });

  test('concat and a custom reducer; `candidates: n` asks the same model n times', async () => {
    let n = 0;
    const sim = simulated({ reply: (info) => (info.text.includes('## Candidate') ? { text: '' } : { text: `idea ${++n}` }) });
    const sy = createSwitchyard({ providers: [sim] });
    const wf = workflow({ name: 'e', input })
      .ensemble('ideas', { model: 'gpt-5.4', candidates: 3, prompt: 'An idea', merge: 'concat', temperature: 1 })
      .ensemble('longest', {
        models: ['gpt-5.4', 'claude-sonnet-4-6'],
        prompt: 'An idea',
        merge: (candidates) => candidates.map((c) => c.output ?? '').sort((a, b) => b.length - a.length)[0]!.length,
      });
    const result = await sy.run(wf, { q: '' }).result;
    if (result.status !== 'succeeded') throw new Error(`run ${result.status}`);
    expect([...result.outputs.ideas].sort()).toEqual(['idea 1', 'idea 2', 'idea 3']);
    expect(sim.requests.filter((r) => r.model === 'gpt-5.4')).toHaveLength(4);
    expect(result.outputs.longest).toBe('idea 4'.length);
    expect(result.nodes.longest.merge!.strategy).toBe('custom');
  });

  test('a failed candidate is recorded and left out; when every candidate fails, the node fails', async () => {
    const sim = byModel({
      'gpt-5.5': { fault: { type: 'http', status: 400 } },
      'claude-opus-4-7': { text: 'ok' },
    });
    const sy = createSwitchyard({ providers: [sim] });
    const wf = workflow({ name: 'e', input }).ensemble('x', { models: ['gpt-5.5', 'claude-opus-4-7'], prompt: 'p', merge: 'concat' });
    const result = await sy.run(wf, { q: '' }).result;
    expect(result.outputs.x).toEqual(['ok']);
    expect(result.nodes.x.candidates![0]).toMatchObject({ status: 'failed', used: false });
    expect(result.nodes.x.candidates![0]!.error!.kind).toBe('bad_request');

    const allBad = createSwitchyard({ providers: [simulated({ reply: { fault: { type: 'http', status: 400 } } })] });
    const failed = await allBad.run(wf, { q: '' }).result;
    expect(failed.status).toBe('failed');
    const error = failed.nodes.x.error!;
    expect(SwitchyardError.isInstance(error) && error.kind).toBe('bad_request');
    expect(failed.nodes.x.candidates!.map((c) => c.status)).toEqual(['failed', 'failed']);
  });

  test('a node budget is shared by the candidates: each reserves within its share', async () => {
    // gpt-5.4 with maxOutputTokens 1000 reserves about $0.015: one candidate fits $0.02, two at once do not.
    const sim = simulated({ reply: { text: 'fine' } });
    const sy = createSwitchyard({ providers: [sim] });
    const spec = { prompt: 'p', merge: 'concat' as const, maxOutputTokens: 1000, budget: { usd: 0.02 } };
    const one = workflow({ name: 'e', input }).ensemble('x', { ...spec, models: ['gpt-5.4'] });
    const two = workflow({ name: 'e', input }).ensemble('x', { ...spec, models: ['gpt-5.4', 'gpt-5.4'] });
    expect((await sy.run(one, { q: '' }).result).status).toBe('succeeded');
    const failed = await sy.run(two, { q: '' }).result;
    expect(failed.status).toBe('failed');
    expect(failed.nodes.x.error!.kind).toBe('budget_exceeded');
    expect(sim.requests).toHaveLength(1); // the two refused candidates sent nothing
  });

  test("first: the first valid candidate wins and the others are cancelled at once", async () => {
    const sim = byModel({
      'gpt-5.5': { text: 'slow answer that never ends', fault: { type: 'hang', afterTokens: 1 } },
      'claude-opus-4-7': { text: 'quick answer' },
    });
    const sy = createSwitchyard({ providers: [sim] });
    const wf = workflow({ name: 'e', input }).ensemble('fast', { models: ['gpt-5.5', 'claude-opus-4-7'], prompt: 'p', merge: 'first' });
    const { events, result } = await collect(sy.run(wf, { q: '' }));
    expect(result.outputs.fast).toBe('quick answer');
    expect(result.nodes.fast.candidates!.map((c) => [c.status, c.used])).toEqual([['cancelled', false], ['succeeded', true]]);
    expect(sim.requests.find((r) => r.model === 'gpt-5.5')!.outcome).not.toBe('ok');
    expect(ofType(events, 'candidate-end').find((e) => e.candidate === 0)!.status).toBe('cancelled');
  });
});
