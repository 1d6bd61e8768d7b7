/**
 * Adds usage figures as they arrived on the wire, without making garbage look sound: the settlement checks every
 * figure (see `settledUsage`), so an adapter passes them on rather than repairing them. `base` missing, null or
 * not a number is passed on as it is (the settlement replaces it); a missing or null part adds nothing; a part
 * that is not a number is passed on instead of the sum.
 * @example addFigures(raw.input_tokens, raw.cache_read_input_tokens, raw.cache_creation_input_tokens)
 */
export function addFigures(base: unknown, ...parts: unknown[]): number {
  if (typeof base !== 'number') return base as number;
  let sum = base;
  for (const part of parts) {
    if (part === undefined || part === null) continue;
    if (typeof part !== 'number') return part as number;
    sum += part;
  }
  return sum;
}
