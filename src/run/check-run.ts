import { budgetLimitsProblem } from '../budget/budget-limits.js';
import { SwitchyardError } from '../errors/switchyard-error.js';
import type { Workflow } from '../workflow/workflow.js';
import type { RunOptions } from './run-types.js';

interface Issue {
  path: readonly PropertyKey[];
  message: string;
}

/** Zod issues as one line: `path: message; …`. */
export function describeIssues(issues: readonly Issue[]): string {
  const shown = issues.slice(0, 10).map((issue) => {
    const path = issue.path.length ? issue.path.map(String).join('.') : '(root)';
    return `${path}: ${issue.message}`;
  });
  return shown.join('; ') + (issues.length > 10 ? `; …and ${issues.length - 10} more` : '');
}

/** Parses the run input with the workflow's schema; throws kind 'invalid_input' naming every issue. */
export async function parseInput(workflow: Workflow, input: unknown): Promise<unknown> {
  const parsed = await workflow.inputSchema.safeParseAsync(input);
  if (parsed.success) return parsed.data;
  throw new SwitchyardError({
    kind: 'invalid_input',
    cause: parsed.error,
    message: `The input does not match the input schema of workflow '${workflow.name}': ${describeIssues(parsed.error.issues)}.`,
  });
}

/** Checks run options; throws kind 'invalid_request' on a bad value. */
export function checkRunOptions(options: RunOptions): void {
  const problem = (message: string) => new SwitchyardError({ kind: 'invalid_request', message });
  const { concurrency, onError, signal } = options;
  if (concurrency !== undefined && !(Number.isInteger(concurrency) && concurrency >= 1)) {
    throw problem(`Run option concurrency is ${String(concurrency)}; use a whole number ≥ 1 (or leave it unset).`);
  }
  if (onError !== undefined && onError !== 'fail-fast' && onError !== 'continue') {
    throw problem(`Run option onError is '${String(onError)}'; use 'fail-fast' or 'continue'.`);
  }
  if (signal !== undefined && !(signal instanceof AbortSignal)) {
    throw problem('Run option signal must be an AbortSignal.');
  }
  const budget = budgetLimitsProblem(options.budget, 'the run budget');
  if (budget !== undefined) throw problem(budget);
}
