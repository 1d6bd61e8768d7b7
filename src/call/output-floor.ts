/**
 * A lower bound on the tokens of a text: each whitespace-separated word counts once per run of letters and digits
 * in it ("don't" and "gpt5" are one run, "a.b" two), and at least once. Tokenizers put no token across whitespace,
 * and BPE tokenizers (o200k, and the ones like it) none across letters and punctuation either, so no text has
 * fewer tokens than this. English prose comes to about three quarters of its real count, code and text without
 * spaces (CJK) to much less: a floor, never an estimate.
 *
 * Needs no tokenizer (a scan of the characters), so it can run on a stream as it arrives.
 */
const WORD = /[^\s]+/gu;
const RUN = /[\p{L}\p{M}\p{N}]+(?:['’][\p{L}\p{M}\p{N}]+)*/gu;

/** The floor of one text's tokens (see above). */
export function tokenFloor(text: string): number {
  let total = 0;
  for (const word of text.match(WORD) ?? []) total += Math.max(1, word.match(RUN)?.length ?? 0);
  return total;
}

/** A word longer than this is counted in parts (it is at least that many tokens apart anyway: no token is so long). */
const LONGEST_WORD = 1_000;

/**
 * The floor of a text that arrives in pieces. Adding a piece costs a concatenation; `total()` counts what was
 * added since it last ran, whole words only (a word may go on in the next piece), so a stream is counted once
 * however often it is asked.
 */
export class StreamFloor {
  #counted = 0;
  #tail = '';

  /** Adds the next piece of the text. */
  add(piece: string): void {
    this.#tail += piece;
  }

  /** Adds a text that stands alone (a tool call's name and arguments). */
  addWhole(text: string): void {
    this.#counted += tokenFloor(text);
  }

  /** At least `total()`, at no cost: no text has more floor tokens than characters. */
  get bound(): number {
    return this.#counted + this.#tail.length;
  }

  /** The floor of everything added so far. */
  total(): number {
    const cut = lastSpace(this.#tail);
    if (cut > 0) this.#flush(cut);
    if (this.#tail.length > LONGEST_WORD) this.#flush(this.#tail.length);
    return this.#counted + tokenFloor(this.#tail);
  }

  #flush(at: number): void {
    this.#counted += tokenFloor(this.#tail.slice(0, at));
    this.#tail = this.#tail.slice(at);
  }
}

function lastSpace(text: string): number {
  for (let i = text.length - 1; i >= 0; i--) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 10 || c === 9 || c === 13) return i;
  }
  return -1;
}
