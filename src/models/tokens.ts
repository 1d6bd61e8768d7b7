import { Tiktoken } from 'js-tiktoken/lite';
import o200kBase from 'js-tiktoken/ranks/o200k_base';
import { attachmentTokensOf } from './attachment-tokens.js';
import { contentTextTokens } from './content-tokens.js';
import type { Message, ModelInfo, OutputSpec, ToolSpec } from './types.js';

/** What `countTokens` reads of a request (a `ModelRequest` fits). */
export interface TokenCountRequest {
  system?: string;
  messages: readonly Message[];
  tools?: readonly ToolSpec[];
  output?: OutputSpec;
}

/** Multiplier over the o200k count for models without their own entry (`ModelInfo.tokenFactor`). */
export const DEFAULT_TOKEN_FACTOR = 1.15;

// OpenAI's chat format: every message costs 3 tokens of framing plus its role, and the reply is primed with 3.
const PER_MESSAGE = 3;
const REPLY_PRIMING = 3;
const PER_TOOL = 8;
const TOOLS_PREAMBLE = 12;
const OUTPUT_PREAMBLE = 8;

// js-tiktoken's byte-pair merge is quadratic in the length of one regex piece: a run of 5,000 spaces or '='
// takes seconds. Pieces longer than this are counted in slices (a slight over-count; see countPlainText).
const LONG_PIECE = 200;
const SLICE = 64;
const LONG_RUN = /\S{200}|\s{200}/;
// Texts longer than this are estimated from samples instead of encoded whole (encoding runs ~5 MB/s).
const HUGE_TEXT = 1_000_000;
const SAMPLES = 32;
const SAMPLE_CHARS = 4_096;
const SAMPLE_MARGIN = 1.1;

let encoder: Tiktoken | undefined;
let pieces: RegExp | undefined;

/** The o200k_base encoder, built on first use (about half a second) and kept. */
function o200k(): Tiktoken {
  encoder ??= new Tiktoken(o200kBase);
  return encoder;
}

const encodeCount = (text: string) => (text.length === 0 ? 0 : o200k().encode(text, [], []).length);

function countSliced(piece: string): number {
  let total = 0;
  for (let at = 0; at < piece.length; at += SLICE) total += encodeCount(piece.slice(at, at + SLICE));
  return total;
}

/** Exact o200k count, except that pathological pieces (200+ chars of one class) are counted in slices. */
function countPlainText(text: string): number {
  if (!LONG_RUN.test(text)) return encodeCount(text);
  pieces ??= new RegExp(o200kBase.pat_str, 'gu');
  let total = 0;
  let start = 0;
  for (const match of text.matchAll(pieces)) {
    if (match[0].length < LONG_PIECE) continue;
    total += encodeCount(text.slice(start, match.index)) + countSliced(match[0]);
    start = match.index + match[0].length;
  }
  return total + encodeCount(text.slice(start));
}

/** For huge texts: tokens per char measured on evenly spaced samples, plus a 10% margin, at least chars / 4. */
function estimateHugeText(text: string): number {
  const step = Math.floor(text.length / SAMPLES);
  let chars = 0;
  let tokens = 0;
  for (let i = 0; i < SAMPLES; i++) {
    const sample = text.slice(i * step, i * step + SAMPLE_CHARS);
    chars += sample.length;
    tokens += countPlainText(sample);
  }
  return Math.ceil(Math.max((text.length * tokens * SAMPLE_MARGIN) / chars, text.length / 4));
}

// Counts by text, bounded by total characters: routing, budget reservation and usage estimates count the same
// prompts (and a workflow's shared system prompts) again and again, and one encode costs microseconds per word.
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

/** The o200k_base token count of a text: exact below 1M chars (see `countTextTokens` for the exceptions). */
function o200kCount(text: string): number {
  if (text.length === 0) return 0;
  if (text.length > CACHE_MAX_TEXT) return text.length > HUGE_TEXT ? estimateHugeText(text) : countPlainText(text);
  const known = counted.get(text);
  if (known !== undefined) return known;
  const count = countPlainText(text);
  remember(text, count);
  return count;
}

function factorOf(model: ModelInfo): number {
  return model.tokenFactor ?? (model.provider === 'openai' ? 1 : DEFAULT_TOKEN_FACTOR);
}

const scaled = (model: ModelInfo, count: number) => {
  const factor = factorOf(model);
  return factor === 1 ? count : Math.ceil(count * factor);
};

/**
 * Tokens of a text for this model. For the 'openai' family this is the exact o200k_base count (js-tiktoken,
 * offline). For others — whose tokenizers are not public — it is an estimate on the safe side: the o200k count
 * times `model.tokenFactor` (default 1.15), rounded up, so budgets reserve a little more rather than less.
 * Two cases are estimated for every model, to stay fast enough for routing: texts over 1,000,000 characters
 * (sampled: 32 slices of 4K characters, plus 10%, at least one token per 4 characters), and runs of 200+
 * characters of one kind (spaces, symbols, letters without a break) that are counted in 64-character slices.
 * Synchronous; the encoder is built once on first use (about half a second) and cached.
 */
export function countTextTokens(model: ModelInfo, text: string): number {
  return scaled(model, o200kCount(text));
}

function countMessage(message: Message): number {
  let total = PER_MESSAGE + o200kCount(message.role) + contentTextTokens(message.content, o200kCount);
  if (message.role === 'tool') total += o200kCount(message.toolCallId) + o200kCount(message.toolName);
  if (message.role === 'assistant') {
    for (const call of message.toolCalls ?? []) {
      total += PER_MESSAGE + o200kCount(call.id) + o200kCount(call.name) + o200kCount(JSON.stringify(call.args) ?? '');
    }
  }
  return total;
}

/** The o200k count of everything but attachments (see `countTokens`). */
function textTokens(request: TokenCountRequest): number {
  let total = REPLY_PRIMING;
  if (request.system !== undefined && request.system.length > 0) {
    total += PER_MESSAGE + o200kCount('system') + o200kCount(request.system);
  }
  for (const message of request.messages) total += countMessage(message);
  if (request.tools !== undefined && request.tools.length > 0) {
    total += TOOLS_PREAMBLE;
    for (const tool of request.tools) total += PER_TOOL + o200kCount(JSON.stringify(tool));
  }
  if (request.output !== undefined) {
    total += OUTPUT_PREAMBLE + o200kCount(request.output.name) + o200kCount(JSON.stringify(request.output.schema));
  }
  return total;
}

/**
 * Input tokens of a request for this model, as budgets reserve them and routing compares them with windows:
 * the system prompt and every message in OpenAI's chat framing (3 tokens per message plus its role, 3 to prime
 * the reply), tool calls and results, plus tool definitions and the output schema as their JSON text with a
 * small preamble. Message text is counted exactly for the 'openai' family; tool and schema definitions are a
 * close estimate (providers render them in their own formats). Other families: the same count times
 * `model.tokenFactor` (default 1.15), rounded up. See `countTextTokens`. Images and PDFs add their bound by the
 * model's provider's published rules (`attachmentTokens`); text files count as their text.
 */
export function countTokens(model: ModelInfo, request: TokenCountRequest): number {
  return scaled(model, textTokens(request)) + attachmentTokensOf(model, request.messages);
}

/**
 * A counter for one request: counts its tokens once (o200k) and scales the count for each model's tokenizer,
 * so routing can compare the same request against many models cheaply.
 */
export function requestTokenCounter(request: TokenCountRequest): (model: ModelInfo) => number {
  let raw: number | undefined;
  return (model) => {
    raw ??= textTokens(request);
    return scaled(model, raw) + attachmentTokensOf(model, request.messages);
  };
}
