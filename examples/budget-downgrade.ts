/**
 * A budget-capped run that downgrades as money runs out: 20 research questions, each preferring gpt-5.5 but
 * allowed cheaper models (`downgrade: true`), under a run budget that covers only a few gpt-5.5 answers. Early
 * questions get gpt-5.5; as the budget is spent, later ones get gpt-5.4, then gpt-5.4-mini, then gpt-5.4-nano;
 * questions that no model fits any more fail with BudgetExceededError. Spend never passes the cap.
 *
 *   npx tsx examples/budget-downgrade.ts
 *
 * Runs offline on the simulated provider; each answer reports 700-1,000 output tokens, so the spend is real.
 */
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { BudgetExceededError, createSwitchyard, workflow, type RunResult } from '../src/index.js';
import { simulated } from '../src/testing/index.js';

/** What each question got. */
export interface ItemOutcome {
  item: number;
  /** The model that answered, or undefined when no model fitted what was left. */
  model?: string;
  costUsd: number;
  downgraded: boolean;
}

export interface BudgetDowngradeResult {
  result: RunResult;
  items: ItemOutcome[];
  capUsd: number;
  spentUsd: number;
}

/** Best first; every one acceptable for this work. */
const LADDER = ['gpt-5.5', 'gpt-5.4', 'gpt-5.4-mini', 'gpt-5.4-nano'];
const CAP_USD = 0.2;

export async function main(log: (line: string) => void = console.log): Promise<BudgetDowngradeResult> {
  const provider = simulated({
    reply: (info) => ({ text: `Answer ${info.index}.`, usage: { outputTokens: 700 + ((info.index * 37) % 300) } }),
  });
  const sy = createSwitchyard({ providers: [provider] });
  const questions = Array.from({ length: 20 }, (_, i) => `Research question ${i + 1}: summarize the evidence.`);
  const wf = workflow({ name: 'research', input: z.object({ questions: z.array(z.string()) }) }).map('answers', {
    over: ({ input }) => input.questions,
    concurrency: 2,
    onError: 'continue',
    node: { route: () => LADDER, prompt: (q) => q, maxOutputTokens: 1000, downgrade: true },
  });

  const run = sy.run(wf, { questions }, { budget: { usd: CAP_USD } });
  const items = new Map<number, ItemOutcome>();
  const outcome = (item: number) => items.get(item) ?? items.set(item, { item, costUsd: 0, downgraded: false }).get(item)!;
  run.on('node-route', (e) => {
    if (e.item !== undefined && e.downgraded) outcome(e.item).downgraded = true;
  });
  run.on('node-fallback', (e) => {
    if (e.item !== undefined && e.error?.kind === 'budget_exceeded') outcome(e.item).downgraded = true;
  });
  run.on('budget', (e) => {
    if (e.item === undefined || e.phase !== 'settle') return;
    Object.assign(outcome(e.item), { model: e.model, costUsd: outcome(e.item).costUsd + e.amountUsd });
  });
  const result = await run.result;

  const failed = new Map(result.errors.map((e) => [e.item, e.error]));
  const list = questions.map((_, i) => outcome(i));
  for (const item of list) {
    const error = failed.get(item.item);
    const what = error
      ? `no model fits: ${BudgetExceededError.isInstance(error) ? `$${(error.limit - error.spent).toFixed(4)} left` : error.message}`
      : `${item.model}${item.downgraded ? ' (downgraded)' : ''}  $${item.costUsd.toFixed(4)}`;
    log(`question ${String(item.item + 1).padStart(2)}: ${what}`);
  }
  const runLevel = result.budget.find((b) => b.level === 'run')!;
  log(`spent $${runLevel.spentUsd.toFixed(4)} of the $${CAP_USD.toFixed(2)} cap; ${result.errors.length} questions left unanswered`);
  return { result, items: list, capUsd: CAP_USD, spentUsd: runLevel.spentUsd };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main();
}
