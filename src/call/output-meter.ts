import { SwitchyardError } from '../errors/switchyard-error.js';
import { StreamFloor, tokenFloor } from './output-floor.js';

/**
 * How far past the output cap it was sent a stream may run before it is cut, in tokens: a quarter of the cap, at
 * least 32. Measured with `tokenFloor` (a count no tokenizer goes below), so a stream that keeps to its cap is never
 * cut, whatever its language or its model's tokenizer; one that ignores the cap is cut soon after it.
 */
export function overrunMargin(cap: number): number {
  return Math.max(32, Math.ceil(cap / 4));
}

/**
 * What the meter says after a piece of output: nothing to do; the whole cap has streamed (the first time: from here
 * on the stream needs an overrun allowance, a stream that keeps to its cap ends now); or past the margin.
 */
export type MeterVerdict = 'within' | 'at-cap' | 'overrun';

/**
 * Counts an attempt's output as it streams, against the output cap the request was sent with. Cheap on the hot
 * path: it adds up characters until the text is long enough that it could hold more tokens than the cap (no text
 * has more floor tokens than characters), then keeps the text and counts floor tokens only when it could have
 * passed the next limit, each piece once.
 */
export class OutputMeter {
  /** Characters of output so far (text, and tool calls' names and arguments). */
  chars = 0;
  readonly cap: number;
  /** The most floor tokens allowed: the cap plus the overrun margin. */
  readonly limit: number;
  #floor: StreamFloor | undefined;
  #atCap = false;

  constructor(cap: number) {
    this.cap = cap;
    this.limit = cap + overrunMargin(cap);
  }

  /** Whether a piece that made `chars` this large needs a look (called on the hot path; keep it a compare). */
  get counting(): boolean {
    return this.#floor !== undefined || this.chars >= this.cap;
  }

  /**
   * Counts a piece of text that streamed (`chars` already includes it). `streamedBefore` gives the text before it,
   * read only when counting starts.
   */
  text(piece: string, streamedBefore: () => string): MeterVerdict {
    if (this.#floor === undefined) {
      this.#floor = new StreamFloor();
      this.#floor.add(streamedBefore());
    }
    this.#floor.add(piece);
    return this.#verdict();
  }

  /** Counts a tool call (its name and arguments). */
  toolCall(text: string, streamedBefore: () => string): MeterVerdict {
    this.chars += text.length;
    if (!this.counting) return 'within';
    if (this.#floor === undefined) {
      this.#floor = new StreamFloor();
      this.#floor.add(streamedBefore());
    }
    this.#floor.addWhole(text);
    return this.#verdict();
  }

  /** The floor of the output so far (tokens it certainly holds); `all` is the whole output, read when not counted yet. */
  floor(all: () => string): number {
    if (this.#floor !== undefined) return this.#floor.total();
    return this.chars === 0 ? 0 : tokenFloor(all());
  }

  #verdict(): MeterVerdict {
    const counted = this.#floor!;
    // Counted only once the text could hold as many floor tokens as the next limit: most pieces cost a compare.
    if (counted.bound < (this.#atCap ? this.limit + 1 : this.cap)) return 'within';
    const floor = counted.total();
    if (floor > this.limit) return 'overrun';
    if (floor >= this.cap && !this.#atCap) {
      this.#atCap = true;
      return 'at-cap';
    }
    return 'within';
  }
}

/** The error of an attempt cut because its stream ran past its output cap (see `OutputMeter`). */
export function overrunError(where: { provider: string; model: string }, meter: OutputMeter, floor: number, why: 'margin' | 'budget'): SwitchyardError {
  const what =
    why === 'margin'
      ? `kept streaming ${where.model} past the output cap it was sent (maxOutputTokens ${meter.cap}): at least ` +
        `${floor} tokens, more than its cap plus a margin of ${meter.limit - meter.cap}. The stream was cut`
      : `streamed the whole output cap it was sent for ${where.model} (maxOutputTokens ${meter.cap}: at least ${floor} ` +
        `tokens) and the budget cannot hold more than the cap it reserved, so the stream was cut there (a stream ` +
        `that keeps to its cap ends at this point)`;
  return new SwitchyardError({
    kind: 'server',
    retryable: false,
    provider: where.provider,
    model: where.model,
    message:
      `${where.provider} ${what}; what it streamed is charged. The endpoint is not retried; the call fails over to ` +
      `another candidate if there is one.`,
  });
}
