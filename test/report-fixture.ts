/**
 * A known run for the report tests (and docs/report.png): a hybrid triage workflow on simulated endpoints with a
 * cut stream that is retried, an overloaded endpoint that fails over, prompt-cached input, a fan-out and a step.
 */
import { z } from 'zod';
import { countTextTokens, createSwitchyard, defaultCatalog, workflow, type NodeDefinition, type RunEvent, type RunResult } from '../src/index.js';
import { simulated, type ScriptedReply } from '../src/testing/index.js';

const words = (n: number, w = 'token') => Array.from({ length: n }, (_, i) => `${w}${i}`).join(' ');

function providers(pace: number) {
  const openai = simulated({
    name: 'openai',
    models: ['gpt-5.4', 'gpt-5.5', 'gpt-5.4-mini'],
    reply: (info): ScriptedReply => {
      if (info.text.includes('Classify')) return { text: '{"kind":"bug","severity":"high"}', firstTokenMs: 12 * pace, chunkDelayMs: pace };
      if (info.text.includes('Fix') && info.index === 1) return { text: words(60, 'patch'), fault: { type: 'cut', afterTokens: 25 }, firstTokenMs: 20 * pace, chunkDelayMs: pace };
      return { text: words(60, 'patch'), firstTokenMs: 25 * pace, chunkDelayMs: pace, usage: { reasoningTokens: 120, outputTokens: 180 } };
    },
  });
  const anthropicEu = simulated({ name: 'anthropic-eu', models: ['claude-sonnet-4-6'], reply: { fault: { type: 'http', status: 529 } } });
  const anthropic = simulated({
    name: 'anthropic',
    models: ['claude-sonnet-4-6'],
    reply: { text: words(40, 'summary'), firstTokenMs: 18 * pace, chunkDelayMs: pace, usage: { inputTokens: 6000, cachedInputTokens: 4800, cacheWriteTokens: 0 } },
  });
  const google = simulated({
    name: 'google',
    models: ['gemini-3-flash'],
    reply: { text: words(20, 'note'), firstTokenMs: 8 * pace, chunkDelayMs: pace, usage: { inputTokens: 2400, cachedInputTokens: 1200 } },
  });
  return [openai, anthropicEu, anthropic, google];
}

/** The triage workflow of the known trace. */
export function knownWorkflow() {
  return workflow({ name: 'triage', input: z.object({ ticket: z.string() }) })
    .llm('classify', {
      model: 'gpt-5.4',
      prompt: ({ input }) => `Classify: ${input.ticket}`,
      output: z.object({ kind: z.enum(['bug', 'question']), severity: z.string() }),
      maxOutputTokens: 200,
    })
    .llm('fix', { model: 'gpt-5.5', after: ['classify'], prompt: ({ input }) => `Fix: ${input.ticket}`, maxOutputTokens: 2000 })
    .llm('summarize', { model: 'claude-sonnet-4-6', after: ['classify'], system: 'You summarize support tickets.', prompt: ({ input }) => `Summarize: ${input.ticket}`, maxOutputTokens: 800 })
    .map('research', {
      after: ['classify'],
      over: () => ['logs', 'docs', 'changelog', 'issues'],
      concurrency: 2,
      node: { model: 'gemini-3-flash', prompt: (topic: string) => `Research ${topic}`, maxOutputTokens: 400 },
    })
    .step('report', { after: ['fix', 'summarize', 'research'], run: ({ fix, summarize, research }) => `${fix.length + summarize.length} chars, ${research.length} notes` });
}

/** Runs the known workflow with a trace at `path`; `pace` stretches the timings (1 ≈ a 1-second run). */
export async function runKnownTrace(path: string, pace = 1): Promise<{ result: RunResult; events: RunEvent[] }> {
  countTextTokens(defaultCatalog.get('gpt-5.4')!, 'warm up'); // build the tokenizer first: the timeline shows the run, not the warm-up
  const sy = createSwitchyard({ providers: providers(pace), retry: { baseDelayMs: 5 * pace } });
  const run = sy.run(knownWorkflow(), { ticket: 'The export button crashes the app on large files.' }, { trace: path, budget: { usd: 0.25 } });
  const events: RunEvent[] = [];
  run.on('*', (e) => events.push(e));
  const result = await run.result;
  return { result, events };
}

/**
 * A real run of `n` nodes in levels of 100 (each node waits for the one above it), over four models, with a cut
 * stream (retried) every 97 requests, traced to `path`.
 */
export async function runBigTrace(path: string, n = 10_000): Promise<RunResult> {
  const models = ['gpt-5.4-mini', 'gpt-5.4', 'claude-haiku-4-5', 'gemini-3-flash'];
  const nodes: NodeDefinition[] = [];
  for (let i = 0; i < n; i++) {
    const after = i >= 100 ? { after: [`n${i - 100}`] } : {};
    nodes.push({ kind: 'llm', id: `n${i}`, model: models[i % 4]!, prompt: `task ${i}`, maxOutputTokens: 20, ...after } as NodeDefinition);
  }
  const sim = simulated({ reply: (info) => (info.index % 97 === 5 ? { text: 'a b c', fault: { type: 'cut', afterTokens: 1 } } : { text: 'done ok' }) });
  const sy = createSwitchyard({ providers: [sim], retry: { baseDelayMs: 1 } });
  return sy.run(workflow({ name: 'big', input: z.object({}), nodes }), {}, { trace: path, budget: { usd: 5 } }).result;
}
