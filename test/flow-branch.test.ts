/**
 * Branches: a `.branch` picks one path from an upstream output; nodes with `when: { route: 'path' }` run on that
 * path only, the others are skipped (with the reason), and a join after the paths runs with the one that ran.
 */
import { describe, expect, test } from 'vitest';
import { z } from 'zod';
import { createSwitchyard, workflow } from '../src/index.js';
import { simulated } from '../src/testing/index.js';
import { collect } from './e2e-kit.js';

const triage = workflow({ name: 'triage', input: z.object({ ticket: z.string() }) })
  .llm('classify', {
    model: 'gpt-5.4-mini',
    prompt: ({ input }) => `[classify] ${input.ticket}`,
    output: z.object({ kind: z.enum(['bug', 'question', 'spam']) }),
  })
  .branch('route', { after: ['classify'], paths: ['bug', 'question', 'spam'], choose: ({ classify }) => classify.kind })
  .llm('fix', { model: 'gpt-5.4-mini', after: ['route'], when: { route: 'bug' }, prompt: ({ input }) => `[fix] ${input.ticket}` })
  .llm('answer', { model: 'gpt-5.4-mini', after: ['route'], when: { route: ['question'] }, prompt: ({ input }) => `[answer] ${input.ticket}` })
  .step('followUp', { after: ['fix'], run: ({ fix }) => `follow up on ${fix}` })
  .step('reply', { after: ['route', 'fix', 'answer'], run: ({ route, fix, answer }) => `${route}: ${fix ?? answer ?? 'closed'}` });

function provider(kind: string) {
  return simulated({
    reply: (info) => (info.text.includes('[classify]') ? { text: JSON.stringify({ kind }) } : { text: info.text.includes('[fix]') ? 'patched' : 'explained' }),
  });
}

describe('.branch and when: { branch: path }', () => {
  test('the chosen path runs; the paths not taken are skipped, saying why; the join runs with the one that ran', async () => {
    const sim = provider('question');
    const sy = createSwitchyard({ providers: [sim] });
    const { events, result } = await collect(sy.run(triage, { ticket: 'How do I export?' }));
    expect(result.status).toBe('succeeded');
    expect(result.outputs.route).toBe('question');
    expect(result.outputs.answer).toBe('explained');
    expect(result.outputs.reply).toBe('question: explained');
    expect(sim.requests.map((r) => String(r.request.messages[0]!.content).split(']')[0])).toEqual(['[classify', '[answer']);
    expect(result.nodes.fix).toMatchObject({ status: 'skipped', skipReason: "'route' chose 'question'; this node runs on 'bug'" });
    expect(result.nodes.followUp).toMatchObject({ status: 'skipped', skipReason: "every dependency was skipped ('fix')" });
    expect('fix' in result.outputs).toBe(false);
    expect(events.filter((e) => e.type === 'node-skip').map((e) => e.nodeId)).toEqual(['fix', 'followUp']);
  });

  test('the other path', async () => {
    const sy = createSwitchyard({ providers: [provider('bug')] });
    const result = await sy.run(triage, { ticket: 'It crashes' }).result;
    expect(result.outputs.reply).toBe('bug: patched');
    expect(result.outputs.followUp).toBe('follow up on patched');
    expect(result.nodes.answer.status).toBe('skipped');
  });

  test('no path runs: the join still runs with what it has', async () => {
    const sy = createSwitchyard({ providers: [provider('spam')] });
    const result = await sy.run(triage, { ticket: 'Buy now' }).result;
    expect(result.outputs.reply).toBe('spam: closed');
  });

  test("a choice outside the branch's paths fails it with kind 'invalid_output'", async () => {
    const sy = createSwitchyard({ providers: [simulated()] });
    const wf = workflow({ name: 'b', input: z.object({}) }).branch('route', { paths: ['a', 'b'], choose: () => 'c' as 'a' });
    const result = await sy.run(wf, {}).result;
    expect(result.errors[0]!.error).toMatchObject({ kind: 'invalid_output', message: "Branch 'route': choose returned a string (\"c\"); return one of its paths: 'a', 'b'." });
  });

  test('when-paths work on any string output (an enum), and are validated against a branch’s paths', async () => {
    const sy = createSwitchyard({ providers: [simulated()] });
    const wf = workflow({ name: 'e', input: z.object({ n: z.number() }) })
      .step('size', { run: ({ input }) => (input.n > 10 ? ('big' as const) : ('small' as const)) })
      .step('big', { after: ['size'], when: { size: 'big' }, run: () => 'B' });
    expect((await sy.run(wf, { n: 50 }).result).outputs.big).toBe('B');
    expect((await sy.run(wf, { n: 5 }).result).nodes.big.status).toBe('skipped');

    const typo = workflow({ name: 't', input: z.object({}) })
      .branch('route', { paths: ['a', 'b'], choose: () => 'a' })
      .step('x', { after: ['route'], when: { route: 'c' as 'a' }, run: () => 1 })
      .step('y', { when: { route: 'a' } as never, run: () => 1 });
    expect(() => typo.build()).toThrow(/node 'x' runs on path 'c' of 'route', which has paths 'a', 'b'/);
    expect(() => typo.build()).toThrow(/node 'y' has `when.route`, but 'route' is not in its `after`/);
  });
});
