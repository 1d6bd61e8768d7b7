/**
 * The budget-fitted output cap, as a pure policy over ledger figures. A call that sets no `maxOutputTokens`
 * asks the ledger to hold its input's worst case plus as many output tokens as the budget can spare, and sends
 * that many to the provider as its cap — so the provider enforces it, and the attempt can never cost more than
 * it holds. Ledgers run this inside their atomic check-and-hold (the in-memory ledger calls it; the Redis
 * ledger's RESERVE script is its Lua twin), so siblings reserving at the same time fit against each other's holds.
 *
 * The rule:
 * 1. The cap is at most `maxTokens` (the model's max output, or what its window leaves, or what maxPriceUsd covers).
 * 2. At every level, in each unit that has a limit, the whole hold (input + output) takes at most HALF of what is
 *    left there (limit - spent - reserved): a call never takes a budget's last half for itself, so calls that
 *    start beside it still fit, and a fan-out under a tight budget runs side by side instead of one at a time.
 * 3. When half is too little for `minTokens` but the whole of what is left holds them, the cap is `minTokens`.
 * 4. Otherwise the call is refused at the first level (outermost first) that cannot hold `minTokens`; the call
 *    runner then waits for siblings' settlements when they would make room, as for any refusal.
 */

import { SwitchyardError } from '../errors/switchyard-error.js';
import type { OutputFitSpec } from './budget-ledger.js';

/** What a level has left in ledger units (limit - spent - reserved); undefined where it has no limit. */
export interface LevelRoom {
  nano?: number;
  tokens?: number;
}

/** The fixed part of a hold (the input's worst case) in ledger units. */
export interface FixedHold {
  nano: number;
  tokens: number;
}

/** How to fit: bounds in tokens, and the output price in nano-dollars per token (rounded up). */
export interface OutputFitRequest {
  minTokens: number;
  maxTokens: number;
  nanoPerToken: number;
}

/** Which level and unit limited (or refused) the cap: an index into the chain, outermost first. */
export interface FitLimit {
  index: number;
  unit: 'usd' | 'tokens';
}

export type OutputFit =
  | { ok: true; tokens: number; limitedBy?: FitLimit }
  | { ok: false; refusedBy: FitLimit; requested: FixedHold };

/** Output tokens that fit in `room` units after `fixed`, at `per` units each. */
function tokensIn(room: number, fixed: number, per: number): number {
  if (room < fixed) return -1;
  return per <= 0 ? Number.MAX_SAFE_INTEGER : Math.floor((room - fixed) / per);
}

/** The output cap to hold for (see the rule above), or the level that cannot hold even `minTokens`. */
export function fitOutputTokens(rooms: readonly LevelRoom[], fixed: FixedHold, fit: OutputFitRequest): OutputFit {
  const least = Math.max(0, Math.min(fit.minTokens, fit.maxTokens));
  let tokens = Math.max(0, fit.maxTokens);
  let limitedBy: FitLimit | undefined;
  const narrow = (cap: number, limit: FitLimit) => {
    if (cap < tokens) {
      tokens = cap;
      limitedBy = limit;
    }
  };
  rooms.forEach((room, index) => {
    if (room.nano !== undefined) narrow(tokensIn(Math.floor(room.nano / 2), fixed.nano, fit.nanoPerToken), { index, unit: 'usd' });
    if (room.tokens !== undefined) narrow(tokensIn(Math.floor(room.tokens / 2), fixed.tokens, 1), { index, unit: 'tokens' });
  });
  if (tokens >= least) return limitedBy ? { ok: true, tokens, limitedBy } : { ok: true, tokens };
  const requested = { nano: fixed.nano + least * fit.nanoPerToken, tokens: fixed.tokens + least };
  for (const [index, room] of rooms.entries()) {
    if (room.nano !== undefined && requested.nano > room.nano) return { ok: false, refusedBy: { index, unit: 'usd' }, requested };
    if (room.tokens !== undefined && requested.tokens > room.tokens) return { ok: false, refusedBy: { index, unit: 'tokens' }, requested };
  }
  return { ok: true, tokens: least, limitedBy };
}

/** A fit spec must be whole, non-negative token counts and a finite price. */
export function checkFitSpec(spec: OutputFitSpec): void {
  const whole = (n: number) => Number.isSafeInteger(n) && n >= 0;
  if (whole(spec.minTokens) && whole(spec.maxTokens) && Number.isFinite(spec.usdPerToken) && spec.usdPerToken >= 0) return;
  throw new SwitchyardError({
    kind: 'invalid_request',
    message: `Cannot fit an output cap with ${JSON.stringify(spec)}: minTokens and maxTokens must be whole numbers >= 0 and usdPerToken a finite number >= 0.`,
  });
}
