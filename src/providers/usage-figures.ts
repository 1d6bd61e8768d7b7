/**
 * Helpers for mapping a wire's usage figures without coercing them. Adapters pass what the provider reported
 * through as it came (a missing figure as `undefined`, never a made-up 0; a garbage one as itself): the call
 * layer validates usage at settlement and replaces what is not a finite non-negative integer by its estimate.
 * An adapter never throws on odd usage.
 */

/** A figure that can be added up: a finite number. */
export function isFigure(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/** A figure left out of the report (absent or null). */
export function isMissing(value: unknown): value is undefined | null {
  return value === undefined || value === null;
}

/**
 * A reported figure as the Usage field carries it: numbers (even odd ones) as they are, missing as undefined,
 * anything else passed through for the validator to reject. Typed `number` because that is the field's type.
 */
export function figure(value: unknown): number {
  return (isMissing(value) ? undefined : value) as number;
}

/**
 * `base` plus `extras`, where the sum means something: a missing or garbage `base` passes through as it is (the
 * validator will estimate it); missing extras count 0; a garbage extra passes through in place of the sum.
 */
export function plus(base: unknown, ...extras: unknown[]): number {
  if (!isFigure(base)) return figure(base);
  let sum = base;
  for (const extra of extras) {
    if (isMissing(extra)) continue;
    if (!isFigure(extra)) return extra as number;
    sum += extra;
  }
  return sum;
}

/** A nested field of a usage object, whatever shape the wire sent. */
export function field(raw: unknown, ...path: string[]): unknown {
  let value = raw;
  for (const key of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}
