/**
 * The ledger counts USD in integer nano-dollars so that sums are exact: reserved returns to exactly 0 after
 * every hold is returned, and `spent + reserved <= limit` is never broken by floating-point drift.
 */
const NANO = 1e9;
/** Absorbs float noise such as 0.1 * 1e9 = 100000000.00000001. */
const NOISE = 1e-3;

/** Amounts held or charged round up, so the ledger never records less than the true cost. */
export function nanoUp(usd: number): number {
  return Math.max(0, Math.ceil(usd * NANO - NOISE));
}

/** Limits round down, so the ledger never allows more than the limit. */
export function nanoDown(usd: number): number {
  return Math.max(0, Math.floor(usd * NANO + NOISE));
}

export function fromNano(nano: number): number {
  return nano / NANO;
}
