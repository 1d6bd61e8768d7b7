/**
 * A draft revised until a check passes: `.loop` runs the `revise` workflow (a model rewrites the draft, a step
 * checks it) again and again, each iteration fed the previous one's text, until the check passes or 5 iterations
 * ran. The run's budget covers every iteration; the events of the body carry their iteration.
 *
 *   npx tsx examples/refine-loop.ts
 *
 * Runs offline on the simulated provider, whose third revision passes the check.
 */
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { createSwitchyard, workflow, type RunResult } from '../src/index.js';
import { simulated, type SimulatedProvider } from '../src/testing/index.js';

/** One revision: rewrite the draft, then check it (here: the model must say it is final, in few words). */
export const revise = workflow({ name: 'revise', input: z.object({ draft: z.string(), feedback: z.string().optional() }) })
  .llm('text', {
    task: 'chat',
    maxOutputTokens: 200,
    prompt: ({ input }) => `Improve this launch note${input.feedback ? ` (${input.feedback})` : ''}:\n${input.draft}`,
  })
  .step('check', {
    after: ['text'],
    run: ({ text }) => ({ ok: text.includes('[final]') && text.split(' ').length <= 12, feedback: 'shorter, and mark it [final]' }),
  });

export const launchNote = workflow({ name: 'launch-note', input: z.object({ brief: z.string() }) })
  .loop('refine', {
    body: revise,
    maxIterations: 5,
    input: ({ input }, last) => (last ? { draft: last.text, feedback: last.check.feedback } : { draft: input.brief }),
    until: ({ output }) => output.check.ok,
  })
  .step('publish', { after: ['refine'], run: ({ refine }) => refine.text });

export async function main(log: (line: string) => void = console.log): Promise<{ result: RunResult; provider: SimulatedProvider }> {
  const drafts = [
    'Switchyard 2 ships typed loops, nested workflows and approvals for every team that builds agents today.',
    'Switchyard 2: typed loops, nested workflows, approvals.',
    'Switchyard 2 ships loops, nesting and approvals [final]',
  ];
  const provider = simulated({ reply: (info) => ({ text: drafts[Math.min(info.index, drafts.length - 1)]! }) });
  const sy = createSwitchyard({ providers: [provider] });
  const run = sy.run(launchNote, { brief: 'Announce loops, nested workflows and approvals.' }, { budget: { usd: 0.05 } });
  run.on('iteration-end', (e) => log(`iteration ${e.iteration}: ${e.stop ? 'done' : 'again'} ($${e.costUsd.toFixed(6)})`));
  const result = await run.result;
  const refine = result.nodes.refine;
  log(`${refine.iterations?.length} iterations, converged: ${refine.converged}; published: ${result.outputs.publish}`);
  return { result, provider };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
