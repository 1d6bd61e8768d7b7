/** Response headers as the SDKs expose them: a fetch `Headers`, or a plain record. */
export type HeaderSource = Headers | Readonly<Record<string, string | string[] | undefined>> | null | undefined;

/** Reads one header, case-insensitively. */
export function headerValue(headers: HeaderSource, name: string): string | undefined {
  if (!headers) return undefined;
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  const record = headers as Readonly<Record<string, string | string[] | undefined>>;
  const key = Object.keys(record).find((k) => k.toLowerCase() === name);
  const value = key === undefined ? undefined : record[key];
  return Array.isArray(value) ? value[0] : value;
}

const NUMBER = /^\d+(\.\d+)?$/;

/**
 * How long the provider asked us to wait, in ms: `retry-after-ms` (OpenAI), else `retry-after` as seconds or an
 * HTTP date. Undefined when neither header is present or parseable.
 */
export function parseRetryAfter(headers: HeaderSource, now: number = Date.now()): number | undefined {
  const ms = headerValue(headers, 'retry-after-ms')?.trim();
  if (ms !== undefined && NUMBER.test(ms)) return Math.round(Number(ms));
  const value = headerValue(headers, 'retry-after')?.trim();
  if (value === undefined || value === '') return undefined;
  if (NUMBER.test(value)) return Math.round(Number(value) * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * Google's way: a `google.rpc.RetryInfo` entry in the error body's `details`, e.g. `{ retryDelay: '37s' }`.
 */
export function retryDelayFromBody(body: unknown): number | undefined {
  const details = (body as { error?: { details?: unknown } } | null)?.error?.details;
  if (!Array.isArray(details)) return undefined;
  for (const detail of details as Array<Record<string, unknown>>) {
    const type = detail?.['@type'];
    const delay = detail?.['retryDelay'];
    if (typeof type === 'string' && type.endsWith('RetryInfo') && typeof delay === 'string') {
      const match = /^(\d+(?:\.\d+)?)s$/.exec(delay.trim());
      if (match?.[1] !== undefined) return Math.round(Number(match[1]) * 1000);
    }
  }
  return undefined;
}
