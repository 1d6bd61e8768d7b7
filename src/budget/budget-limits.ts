import { SwitchyardError } from '../errors/switchyard-error.js';

const FIELDS = ['usd', 'tokens', 'window'];

/** A value as a message names it: the string '5', the number -1, an array, null. */
function describeValue(value: unknown): string {
  if (typeof value === 'string') return `the string '${value}'`;
  if (typeof value === 'number') return `the number ${String(value)}`;
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}

const capital = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

function amountProblem(value: unknown, field: 'usd' | 'tokens', what: string): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return undefined;
  const kind = field === 'usd' ? 'a number of US dollars' : 'a number of tokens';
  const example = field === 'usd' ? '{ usd: 5 }' : '{ tokens: 200_000 }';
  const numeric = typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value));
  const hint = numeric ? ` Write it as a number, without quotes: { ${field}: ${Number(value)} }.` : '';
  return `The ${field} limit of ${what} must be ${kind} >= 0, such as ${example}; got ${describeValue(value)}.${hint}`;
}

/**
 * What is wrong with a budget's limits (`{ usd?, tokens?, window? }`), or undefined when nothing is. `what` names
 * the budget in the message: 'the run budget', "the budget of node 'fix'".
 */
export function budgetLimitsProblem(limits: unknown, what: string): string | undefined {
  if (limits === undefined) return undefined;
  if (typeof limits !== 'object' || limits === null || Array.isArray(limits)) {
    return `${capital(what)} must be an object such as { usd: 5 } or { tokens: 200_000 }; got ${describeValue(limits)}.`;
  }
  const unknown = Object.keys(limits).find((key) => !FIELDS.includes(key));
  if (unknown !== undefined) return `${capital(what)} has an unknown field '${unknown}': its limits are usd, tokens and window.`;
  const { usd, tokens } = limits as Record<string, unknown>;
  return (usd === undefined ? undefined : amountProblem(usd, 'usd', what)) ?? (tokens === undefined ? undefined : amountProblem(tokens, 'tokens', what));
}

/** Throws kind 'invalid_config' saying what to fix when the limits of the `level` budget are not valid. */
export function checkBudgetLimits(limits: unknown, level: string): void {
  const problem = budgetLimitsProblem(limits, `the ${level} budget`);
  if (problem !== undefined) throw new SwitchyardError({ kind: 'invalid_config', retryable: false, message: problem });
}
