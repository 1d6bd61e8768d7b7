import { MAX_JSON_DEPTH } from '../data/json-depth.js';
import { SwitchyardError } from '../errors/switchyard-error.js';

const MARK = '[redacted]';
/** Shorter values are not redacted from errors at all. */
const MIN_SECRET_LENGTH = 4;
/**
 * Shortest secret redacted from a model's own output (streamed text, tool calls). Real API keys are far longer;
 * shorter keys are placeholders for local servers ('lm-studio', 'ollama'), and redacting them would garble answers.
 */
export const MIN_CONTENT_SECRET_LENGTH = 16;
const AUTH_HEADER = /auth|key|token|secret|cookie/i;

/**
 * The secrets of an endpoint: its API key, and the values of extra headers whose names say they authenticate
 * (`authorization`, `x-api-key`, `…-token`, `…-secret`, `cookie`), with a `Bearer`/`Basic` scheme's credential on its
 * own too.
 */
export function endpointSecrets(apiKey: string | undefined, headers?: Readonly<Record<string, string>>): string[] {
  const secrets = apiKey ? [apiKey] : [];
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (!AUTH_HEADER.test(name) || typeof value !== 'string') continue;
    secrets.push(value);
    const credential = /^(?:bearer|basic)\s+(.+)$/i.exec(value)?.[1];
    if (credential) secrets.push(credential);
  }
  return secrets;
}

/**
 * Every form in which a secret can travel back in a reply: as is, URL-encoded, JSON-escaped, base64 and base64url
 * (padded or not). Longest first, so that a form containing another is replaced whole. A secret inside a longer
 * base64 text (`user:key` encoded together) is not found: base64 only matches at its own alignment.
 */
export function secretForms(secrets: readonly string[], minLength = MIN_SECRET_LENGTH): string[] {
  const forms = new Set<string>();
  for (const secret of secrets) {
    if (typeof secret !== 'string' || secret.length < Math.max(minLength, MIN_SECRET_LENGTH)) continue;
    const base64 = Buffer.from(secret).toString('base64');
    for (const form of [secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1), base64, base64.replace(/=+$/, ''), Buffer.from(secret).toString('base64url')]) {
      forms.add(form);
    }
  }
  return [...forms].sort((a, b) => b.length - a.length);
}

/**
 * Removes an endpoint's secrets from everything that leaves its adapter: text (whole occurrences), streamed text
 * (a secret split across deltas: see `textStream`), any event's strings, and errors (message, stack, request id,
 * and the cause chain's messages, stacks and codes).
 */
export class SecretRedactor {
  readonly forms: readonly string[];

  /** `minLength`: shorter secrets are left alone (see `MIN_CONTENT_SECRET_LENGTH`). */
  constructor(secrets: readonly string[], minLength = MIN_SECRET_LENGTH) {
    this.forms = secretForms(secrets, minLength);
  }

  /** Whether there is anything to redact (no key configured: every method returns its input). */
  get active(): boolean {
    return this.forms.length > 0;
  }

  text(text: string): string {
    let out = text;
    for (const form of this.forms) if (out.includes(form)) out = out.split(form).join(MARK);
    return out;
  }

  /** A copy of `value` with every string redacted; `value` itself when no string needed it. */
  value<T>(value: T, depth = 0): T {
    if (typeof value === 'string') return this.text(value) as T;
    if (typeof value !== 'object' || value === null || depth > MAX_JSON_DEPTH) return value;
    if (Array.isArray(value)) {
      const items = value.map((item) => this.value(item, depth + 1));
      return items.some((item, i) => item !== value[i]) ? (items as T) : value;
    }
    if (Object.getPrototypeOf(value) !== Object.prototype && Object.getPrototypeOf(value) !== null) return value;
    let copy: Record<string, unknown> | undefined;
    for (const [key, member] of Object.entries(value)) {
      const redacted = this.value(member, depth + 1);
      if (redacted === member) continue;
      copy ??= { ...(value as Record<string, unknown>) };
      copy[key] = redacted;
    }
    return (copy ?? value) as T;
  }

  /** The error with every string redacted (the same error when there is nothing to redact). */
  error(error: SwitchyardError): SwitchyardError {
    if (!this.active) return error;
    const copy = new SwitchyardError({
      kind: error.kind,
      message: this.text(error.message),
      status: error.status,
      retryable: error.retryable,
      retryAfterMs: error.retryAfterMs,
      requestId: error.requestId === undefined ? undefined : this.text(error.requestId),
      provider: error.provider,
      model: error.model,
      cause: sanitizedCause(error.cause, this),
    });
    copy.stack = error.stack === undefined ? undefined : this.text(error.stack);
    return copy;
  }

  /** A redactor for one stream of text deltas. */
  textStream(): TextStreamRedactor {
    return new TextStreamRedactor(this);
  }
}

/**
 * Redacts streamed text: a secret may arrive split across deltas, so the end of each delta that could be the start
 * of a secret is held back until the next delta (or `flush`) shows whether it is one. Keys are random, so in
 * practice nothing is held.
 */
export class TextStreamRedactor {
  #held = '';

  constructor(private readonly redactor: SecretRedactor) {}

  /** The text that can be released now (possibly ''). */
  push(text: string): string {
    const buffer = this.redactor.text(this.#held === '' ? text : this.#held + text);
    const keep = this.#heldBack(buffer);
    if (keep === 0) {
      this.#held = '';
      return buffer;
    }
    this.#held = buffer.slice(buffer.length - keep);
    return buffer.slice(0, buffer.length - keep);
  }

  /** Whatever is still held (the stream moved on, or ended). */
  flush(): string {
    const held = this.#held;
    this.#held = '';
    return held;
  }

  /** Length of the longest end of `buffer` that begins some secret form. */
  #heldBack(buffer: string): number {
    let keep = 0;
    for (const form of this.redactor.forms) {
      const from = Math.max(0, buffer.length - form.length + 1);
      for (let i = buffer.indexOf(form[0]!, from); i !== -1; i = buffer.indexOf(form[0]!, i + 1)) {
        if (endBegins(buffer, i, form)) {
          keep = Math.max(keep, buffer.length - i);
          break;
        }
      }
    }
    return keep;
  }
}

/** Whether `buffer` from `from` to its end is the start of `form` (compared in place: this runs on every delta). */
function endBegins(buffer: string, from: number, form: string): boolean {
  if (buffer.length - from > form.length) return false;
  for (let i = from; i < buffer.length; i++) if (buffer.charCodeAt(i) !== form.charCodeAt(i - from)) return false;
  return true;
}

/** Replaces every form of each secret (API keys) in `text` with `[redacted]`. */
export function redact(text: string, secrets: readonly string[] | SecretRedactor): string {
  return (secrets instanceof SecretRedactor ? secrets : new SecretRedactor(secrets)).text(text);
}

/**
 * A copy of an error chain safe to expose as `cause`: same names, codes and (redacted) messages, stacks and codes,
 * none of the SDK's own fields (bodies, headers, request options) that could carry a key.
 */
export function sanitizedCause(error: unknown, secrets: readonly string[] | SecretRedactor, depth = 0): Error | undefined {
  if (!(error instanceof Error) || depth > 4) return undefined;
  const redactor = secrets instanceof SecretRedactor ? secrets : new SecretRedactor(secrets);
  const cause = sanitizedCause(error.cause, redactor, depth + 1);
  const copy = new Error(redactor.text(error.message), cause === undefined ? undefined : { cause });
  copy.name = redactor.text(error.name);
  copy.stack = error.stack === undefined ? undefined : redactor.text(error.stack);
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') Object.assign(copy, { code: redactor.text(code) });
  else if (typeof code === 'number') Object.assign(copy, { code });
  return copy;
}
