/**
 * API-key shapes of the providers switchyard speaks to: OpenAI (`sk-…`, `sk-proj-…`), Anthropic (`sk-ant-…`),
 * Google (`AIza…`), and bearer tokens. Events carry no keys (errors are redacted by the adapters); traces and
 * span attributes pass through this as a second guard.
 */
const SECRET_PATTERNS = /\bsk-[A-Za-z0-9_-]{16,}|\bAIza[0-9A-Za-z_-]{30,}|\b[Bb]earer\s+[A-Za-z0-9._~+/=-]{16,}/g;

/** Replaces anything shaped like an API key with `[redacted]`. */
export function scrubSecrets(text: string): string {
  return text.replace(SECRET_PATTERNS, '[redacted]');
}
