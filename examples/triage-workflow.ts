/**
 * The hybrid triage workflow: each task goes to the model suited to it, and the two middle branches run in
 * parallel.
 *
 *   classify  (task 'classification' → gpt-5.4, structured output)
 *      ├── fix        (task 'agentic-coding' → gpt-5.5; only for bugs)
 *      └── summarize  (Claude Sonnet, else Gemini Flash, else gpt-5.4-mini: whichever is configured)
 *            └── report (plain TypeScript: merges the branches)
 *
 * Run it with `npm run demo` (examples/demo.ts).
 */
import { z } from 'zod';
import { workflow } from '../src/index.js';

/** What the triage workflow takes: one support ticket. */
export const TriageInput = z.object({
  ticket: z.string().min(1).describe('The support ticket, as the customer wrote it'),
});

/** The classifier's structured verdict. */
export const Classification = z.object({
  kind: z.enum(['bug', 'question', 'feature-request']),
  severity: z.enum(['low', 'medium', 'high']),
  area: z.string().describe('The part of the product concerned, in a few words'),
});

/** Builds the triage workflow: classify → (fix ∥ summarize) → report. */
export function buildTriageWorkflow() {
  return workflow({ name: 'triage', input: TriageInput })
    .llm('classify', {
      task: 'classification',
      system: 'You triage support tickets. Answer with the JSON object requested.',
      prompt: ({ input }) => `Classify this ticket:\n\n${input.ticket}`,
      output: Classification,
      maxOutputTokens: 200,
    })
    .llm('fix', {
      task: 'agentic-coding',
      after: ['classify'],
      // Only bugs get a fix; for anything else this node (and nothing else) is skipped.
      when: ({ classify }) => classify.kind === 'bug',
      system: 'You are a senior engineer. Propose a minimal, concrete fix.',
      prompt: ({ input, classify }) =>
        `A ${classify.severity}-severity bug in ${classify.area}:\n\n${input.ticket}\n\nPropose a fix in a few steps.`,
      maxOutputTokens: 800,
      timeoutMs: 120_000,
    })
    .llm('summarize', {
      // A route function: Claude where an Anthropic endpoint is configured, else Gemini, else GPT.
      route: () => ['claude-sonnet-4-6', 'gemini-3-flash', 'gpt-5.4-mini'],
      after: ['classify'],
      prompt: ({ input, classify }) =>
        `Summarize this ${classify.kind} for the team channel in two sentences:\n\n${input.ticket}`,
      maxOutputTokens: 200,
    })
    .step('report', {
      after: ['classify', 'fix', 'summarize'],
      run: ({ classify, fix, summarize }) => ({
        title: `[${classify.severity}] ${classify.kind} in ${classify.area}`,
        summary: summarize,
        proposedFix: fix ?? null,
      }),
    });
}

/** The workflow's type, for code that receives it. */
export type TriageWorkflow = ReturnType<typeof buildTriageWorkflow>;
