import { randomBytes } from 'node:crypto';

/**
 * The opaque tokens one mock server hands out — Gemini thought signatures, Anthropic thinking signatures, OpenAI
 * encrypted reasoning — so it can refuse, as the real APIs do, a request that sends back a missing, altered or
 * foreign one. Tokens are random per server: another server's tokens are foreign here.
 */
export class TokenBook {
  readonly #issued = new Set<string>();
  /** Responses function-call item ids → the reasoning item that came before them. */
  readonly #reasoningOf = new Map<string, string>();
  readonly #seed = randomBytes(6).toString('hex');
  #next = 0;

  /** A new token of `kind`, shaped like base64 data. */
  issue(kind: string): string {
    const token = Buffer.from(`${kind}:${this.#seed}:${++this.#next}`).toString('base64');
    this.#issued.add(token);
    return token;
  }

  /** Whether this server issued `token`. */
  valid(token: unknown): boolean {
    return typeof token === 'string' && this.#issued.has(token);
  }

  /** Records that function-call item `itemId` followed reasoning item `reasoningId`. */
  follows(itemId: string, reasoningId: string): void {
    this.#reasoningOf.set(itemId, reasoningId);
  }

  /** The reasoning item a function-call item followed, if it followed one. */
  reasoningBefore(itemId: string): string | undefined {
    return this.#reasoningOf.get(itemId);
  }
}
