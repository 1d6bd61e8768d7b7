/**
 * Triage that routes each ticket to a reusable sub-workflow: a classifier picks the path (`.branch`), the bug path
 * runs the `bugFix` workflow nested as one node (`.workflow`), the question path a plain answer, and a join replies
 * with whichever ran. The nested nodes' events come with their path (`fix/patch`).
 *
 *   npx tsx examples/nested-workflow.ts
 *
 * Runs offline on the simulated provider.
 */
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { createSwitchyard, workflow, type RunResult } from '../src/index.js';
import { simulated } from '../src/testing/index.js';

/** A reusable workflow: locate the bug, then write the patch. */
export const bugFix = workflow({ name: 'bug-fix', input: z.object({ report: z.string() }) })
  .llm('locate', { task: 'agentic-coding', prompt: ({ input }) => `[locate] Where is this bug? ${input.report}` })
  .llm('patch', { task: 'agentic-coding', after: ['locate'], prompt: ({ locate }) => `[patch] Fix it: ${locate}` });

export const triage = workflow({ name: 'triage', input: z.object({ ticket: z.string() }) })
  .llm('classify', {
    task: 'classification',
    prompt: ({ input }) => `[classify] ${input.ticket}`,
    output: z.object({ kind: z.enum(['bug', 'question']) }),
  })
  .branch('route', { after: ['classify'], paths: ['bug', 'question'], choose: ({ classify }) => classify.kind })
  .workflow('fix', { after: ['route'], when: { route: 'bug' }, workflow: bugFix, input: ({ input }) => ({ report: input.ticket }) })
  .llm('answer', { task: 'chat', after: ['route'], when: { route: 'question' }, prompt: ({ input }) => `[answer] ${input.ticket}` })
  .step('reply', { after: ['fix', 'answer'], run: ({ fix, answer }) => (fix ? `Patched: ${fix.patch}` : `Answer: ${answer}`) });

function reply(info: { text: string }) {
  if (info.text.includes('[classify]')) return { text: JSON.stringify({ kind: info.text.includes('crash') ? 'bug' : 'question' }) };
  if (info.text.includes('[locate]')) return { text: 'src/save.ts line 42' };
  if (info.text.includes('[patch]')) return { text: 'guard the null file handle' };
  return { text: 'Use File > Export.' };
}

export async function main(log: (line: string) => void = console.log): Promise<RunResult[]> {
  const sy = createSwitchyard({ providers: [simulated({ reply })] });
  const results: RunResult[] = [];
  for (const ticket of ['The app crashes on save', 'How do I export?']) {
    const run = sy.run(triage, { ticket });
    run.on('node-end', (e) => log(`  ${e.nodeId} done`));
    run.on('node-skip', (e) => log(`  ${e.nodeId} skipped: ${e.reason}`));
    log(`ticket: ${ticket}`);
    const result = await run.result;
    log(`  → ${result.outputs.reply}`);
    results.push(result);
  }
  return results;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
