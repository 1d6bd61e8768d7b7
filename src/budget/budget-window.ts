import { SwitchyardError } from '../errors/switchyard-error.js';

/** A spend window: `'day'` (UTC calendar day), `'hour'` (clock hour) or windows of `ms` aligned to the epoch. */
export type BudgetWindow = 'day' | 'hour' | { ms: number };

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** The window's length in ms; throws `invalid_config` for a length that is not a positive number. */
export function windowLengthMs(window: BudgetWindow): number {
  if (window === 'day') return DAY_MS;
  if (window === 'hour') return HOUR_MS;
  if (!Number.isFinite(window.ms) || window.ms <= 0) {
    throw new SwitchyardError({
      kind: 'invalid_config',
      message: `A budget window needs a positive length in ms; got ${String(window.ms)}. Use 'day', 'hour' or { ms: 60_000 }.`,
    });
  }
  return window.ms;
}

/** When the window that contains `now` started (windows are aligned to the Unix epoch, so 'day' starts at UTC midnight). */
export function windowStart(lengthMs: number, now: number): number {
  return Math.floor(now / lengthMs) * lengthMs;
}
