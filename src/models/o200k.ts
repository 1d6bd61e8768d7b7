import type { Tiktoken, TiktokenBPE } from 'js-tiktoken/lite';
import { nodeRequire } from './node-require.js';
import { utf8Bytes } from './utf8-bytes.js';

// js-tiktoken's byte-pair merge is quadratic (with a string join per step) in the bytes of one regex piece that
// is not a token itself: a run of 5,000 spaces or '=' takes seconds, a million hours, and a megabyte of rare CJK
// characters in 40-character words minutes. A piece longer than this is not encoded: its UTF-8 byte count stands
// in, which is never below its token count (see token-bound.ts). Shorter pieces cost microseconds each, so a
// count is linear in the text whatever it holds. Words of prose and code are well below it.
const LONG_PIECE_BYTES = 32;

interface Loaded {
  encoder: Tiktoken;
  pattern: string;
}

let loaded: Loaded | undefined;

/**
 * The o200k_base encoder, loaded and built on first use and kept: about a second of CPU and ~100 MB of heap,
 * paid only by a process that needs an exact count (see `RequestTokens.refine`). Synchronous, so that counting
 * stays a plain function; nothing loads it at import.
 */
function o200k(): Loaded {
  if (loaded === undefined) {
    const require = nodeRequire();
    const { Tiktoken: Encoder } = require('js-tiktoken/lite') as { Tiktoken: new (ranks: TiktokenBPE) => Tiktoken };
    const module = require('js-tiktoken/ranks/o200k_base') as TiktokenBPE | { default: TiktokenBPE };
    const ranks = 'default' in module ? module.default : module;
    loaded = { encoder: new Encoder(ranks), pattern: ranks.pat_str };
  }
  return loaded;
}

/** Whether the encoder has been built (for tests and benchmarks: counting must not build it by accident). */
export function o200kLoaded(): boolean {
  return loaded !== undefined;
}

const encodeCount = (text: string) => (text.length === 0 ? 0 : o200k().encoder.encode(text, [], []).length);

/**
 * The o200k count of a text with pieces of more than 32 UTF-8 bytes (a run of spaces or symbols, letters without
 * a break, a long word of a script o200k merges little) counted as their bytes. tiktoken encodes each regex
 * piece on its own, so the count of a text is the sum over its pieces: exact for the short pieces, an upper
 * bound for the long ones. The text between long pieces is encoded as one segment; one token per cut is added
 * in case the segment's last piece splits differently at the cut (the pattern's look-ahead sees the segment's
 * end instead of the next piece).
 */
function countPieces(text: string): number {
  const pieces = new RegExp(o200k().pattern, 'gu');
  let total = 0;
  let start = 0;
  for (const match of text.matchAll(pieces)) {
    const piece = match[0];
    if (piece.length * 3 <= LONG_PIECE_BYTES) continue; // at most 3 bytes per UTF-16 unit
    const bytes = utf8Bytes(piece);
    if (bytes <= LONG_PIECE_BYTES) continue;
    total += encodeCount(text.slice(start, match.index)) + bytes + 1;
    start = match.index + piece.length;
  }
  return total + encodeCount(text.slice(start));
}

// Counts by text, bounded by total characters: routing and usage estimates count the same prompts (and a
// workflow's shared system prompts) again and again, and one encode costs microseconds per word.
const CACHE_CHARS = 4_000_000;
const CACHE_MAX_TEXT = 200_000;
const counted = new Map<string, number>();
let cachedChars = 0;

function remember(text: string, count: number): void {
  counted.set(text, count);
  cachedChars += text.length;
  if (cachedChars <= CACHE_CHARS) return;
  for (const old of counted.keys()) {
    counted.delete(old);
    cachedChars -= old.length;
    if (cachedChars <= CACHE_CHARS / 2) break;
  }
}

/**
 * The o200k_base token count of a text: exact, except pieces of more than 32 UTF-8 bytes, counted as their bytes
 * (so the count is never below the exact one). Builds the encoder on first use. Linear in the text, with no
 * sampling: a crafted text can neither hide tokens from it nor make it slow.
 */
export function o200kCount(text: string): number {
  if (text.length === 0) return 0;
  if (text.length > CACHE_MAX_TEXT) return countPieces(text);
  const known = counted.get(text);
  if (known !== undefined) return known;
  const count = countPieces(text);
  remember(text, count);
  return count;
}
