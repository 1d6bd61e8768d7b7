/**
 * An ensemble that asks three models — GPT-5.5, Claude Opus 4.7 and Gemini 3.1 Pro — the same question at once
 * and takes the majority answer.
 *
 *   node --import tsx examples/ensemble-vote.ts
 *
 * All three stream into the run's one stream (each event tagged with its `candidate`), each under the run's
 * budget and retry policy; `vote` compares their structured answers and breaks a tie by the order of `models`.
 * The node result records every candidate's answer, cost, and whether the vote used it.
 *
 * Offline by default: scripted simulated models (two say 'high', one says 'medium'). Pass real providers to
 * `main()` to ask the real models.
 */
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { createSwitchyard, workflow, type Provider, type RunResult } from '../src/index.js';
import { simulated, type ScriptRequestInfo, type ScriptedReply } from '../src/testing/index.js';

/** The structured answer every model gives. */
export const Severity = z.object({
  severity: z.enum(['low', 'medium', 'high']),
  reason: z.string().describe('One sentence'),
});

/** Three models rate an incident; the majority wins. */
export function buildSeverityVote() {
  return workflow({ name: 'severity-vote', input: z.object({ incident: z.string() }) })
    .ensemble('severity', {
      models: ['gpt-5.5', 'claude-opus-4-7', 'gemini-3.1-pro'],
      system: 'You rate production incidents.',
      prompt: ({ input }) => `Rate the severity of this incident:\n\n${input.incident}`,
      output: Severity,
      maxOutputTokens: 300,
      merge: 'vote',
    })
    .step('decision', {
      after: ['severity'],
      run: ({ severity }) => (severity.severity === 'high' ? 'page the on-call engineer' : 'open a ticket'),
    });
}

/** What the offline models answer (the vote compares `severity` and `reason`, so the two 'high' agree word for word). */
export function scriptedVotes(info: ScriptRequestInfo): ScriptedReply {
  const high = '{"severity":"high","reason":"Customers cannot pay."}';
  const answers: Record<string, string> = {
    'gpt-5.5': high,
    'claude-opus-4-7': '{"severity":"medium","reason":"A workaround exists."}',
    'gemini-3.1-pro': high,
  };
  return { text: answers[info.model] ?? high, firstTokenMs: 50 };
}

/** Runs the vote (offline unless `providers` are given) and prints each candidate. */
export async function main(providers: Provider[] = [simulated({ reply: scriptedVotes })]): Promise<RunResult> {
  const sy = createSwitchyard({ providers });
  const run = sy.run(buildSeverityVote(), { incident: 'Checkout returns HTTP 500 for every card payment since 09:12.' });
  const result = await run.result;
  for (const c of result.nodes.severity?.candidates ?? []) {
    const answer = c.status === 'succeeded' ? JSON.stringify(c.output) : c.status;
    console.log(`${c.used ? '✓' : ' '} ${c.model}: ${answer} ($${c.costUsd.toFixed(5)})`);
  }
  console.log(`decision: ${String(result.outputs.decision)}`);
  return result;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main();
}
