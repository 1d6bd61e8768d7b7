/** USD for messages: cents for amounts of 10 cents and more, two significant digits below. */
export function formatUsd(usd: number): string {
  if (usd >= 0.1 || usd === 0) return `$${usd.toFixed(2)}`;
  return `$${Number(usd.toPrecision(2))}`;
}

/** Token counts for messages, with thousands separators. */
export function formatTokens(tokens: number): string {
  return Math.round(tokens).toLocaleString('en-US');
}
