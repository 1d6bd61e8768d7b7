/**
 * A lower bound on the tokens of a text: the number of its whitespace-separated words. No tokenizer puts a token
 * across whitespace, so each word holds at least one token, and no text has fewer tokens than words. It is about
 * three quarters of the real count for English prose, less for code or text written without spaces (CJK): a
 * floor, never an estimate. (The fakes of switchyard-ai/testing count one token per word: never below it.)
 *
 * Needs no tokenizer (a scan of the characters), so it can run on a stream as it arrives.
 */
/** The floor of one text's tokens (see above). */
export function tokenFloor(text: string): number {
  let words = 0;
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const space = isSpace(text.charCodeAt(i));
    if (!space && !inWord) words++;
    inWord = !space;
  }
  return words;
}

/** What a regular expression's `\s` matches (whitespace and line terminators), by character code. */
function isSpace(c: number): boolean {
  if (c <= 0x20) return c === 0x20 || (c >= 0x09 && c <= 0x0d);
  if (c < 0xa0) return false;
  return (
    c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 ||
    c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff
  );
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
