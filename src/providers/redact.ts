/** Replaces every occurrence of each secret (API keys) in `text` with `[redacted]`. */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length < 4) continue;
    out = out.split(secret).join('[redacted]');
  }
  return out;
}

/**
 * A copy of an error chain safe to expose as `cause`: same names, codes and (redacted) messages and stacks, none
 * of the SDK's own fields (bodies, headers, request options) that could carry a key.
 */
export function sanitizedCause(error: unknown, secrets: readonly string[], depth = 0): Error | undefined {
  if (!(error instanceof Error) || depth > 4) return undefined;
  const cause = sanitizedCause(error.cause, secrets, depth + 1);
  const copy = new Error(redact(error.message, secrets), cause === undefined ? undefined : { cause });
  copy.name = error.name;
  copy.stack = error.stack === undefined ? undefined : redact(error.stack, secrets);
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' || typeof code === 'number') Object.assign(copy, { code });
  return copy;
}
