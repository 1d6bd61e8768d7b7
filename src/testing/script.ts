import type { AttachmentInfo } from '../models/attachment.js';
import type { FinishReason, ProviderFamily, Usage } from '../models/types.js';

/**
 * A failure to inject, shared by the simulated provider and the mock server so a test can move from one to the
 * other unchanged.
 */
export type Fault =
  /** An HTTP error response. `retryAfter` is sent as the `retry-after` header (seconds, or an HTTP date); `retryAfterMs` as `retry-after-ms`. */
  | { type: 'http'; status: number; retryAfter?: string; retryAfterMs?: number; message?: string; code?: string }
  /** Stream `afterTokens` chunks of the reply, then drop the connection without finishing. */
  | { type: 'cut'; afterTokens: number }
  /** Stream `afterTokens` chunks (default 0), then stop sending and never finish (until the client aborts). */
  | { type: 'hang'; afterTokens?: number }
  /** A 200 response whose stream carries no events at all. */
  | { type: 'empty' }
  /** Stream `afterTokens` chunks (default 0), then a line of data that is not valid JSON. */
  | { type: 'malformed'; afterTokens?: number }
  /**
   * Stream the reply, then its words again and again, one every `chunkDelayMs` (default 20), never finishing:
   * a stream that ignores its output cap. It ends only when the client stops reading.
   */
  | { type: 'endless'; chunkDelayMs?: number }
  /**
   * Finish the reply normally, but report these usage figures as they would appear in the wire's JSON: raw JSON
   * text such as `'-5'`, `'"12"'`, `'null'`, `'12.5'` or `'1e999'` (which JSON parsers read as Infinity).
   * @example { type: 'bad-usage', usage: { outputTokens: '-5', inputTokens: 'null' } }
   */
  | { type: 'bad-usage'; usage: Partial<Record<UsageFigure, string>> };

/** The figures of a usage report. */
export type UsageFigure = 'inputTokens' | 'cachedInputTokens' | 'cacheWriteTokens' | 'outputTokens' | 'reasoningTokens';

/** One scripted reply. */
export interface ScriptedReply {
  /** Reply text, streamed in word-sized chunks. For structured output, the JSON text. */
  text?: string;
  /**
   * Reasoning text, streamed before the reply as `reasoning-delta` events (on the mock server: as Responses
   * reasoning summaries, Anthropic thinking, Gemini thought parts or Chat `reasoning_content`, when the request
   * asks to see reasoning). Its chunks count as reasoning tokens, inside the output.
   */
  reasoning?: string;
  /** Tool calls to return after the text. */
  toolCalls?: Array<{ id?: string; name: string; args: unknown }>;
  /** Reported usage; unset fields are derived (input from the request's size, output from the chunk count). */
  usage?: Partial<Usage>;
  /** @default 'tool-calls' when toolCalls are given, else 'stop' */
  finishReason?: FinishReason;
  /** A failure to inject instead of (or part-way through) the reply. */
  fault?: Fault;
  /** Delay before the first chunk, in ms. */
  firstTokenMs?: number;
  /** Delay between chunks, in ms. */
  chunkDelayMs?: number;
}

/** What a script function is told about the request it answers. */
export interface ScriptRequestInfo {
  /** The wire family the request came in on. */
  family: ProviderFamily | 'simulated';
  /** The model id on the wire. */
  model: string;
  /**
   * 0-based index of this request among all requests answered (per server or simulated provider). A request the
   * mock server refuses as the real API would (a missing or forged signature) is not counted: no model saw it.
   */
  index: number;
  /** The request body as received (parsed JSON for servers; the ModelRequest for the simulated provider). */
  body: unknown;
  /** All user/assistant/tool text of the request, concatenated, for easy matching. */
  text: string;
  /**
   * The request's images and PDFs as metadata (type, media type, size, SHA-256, pages or pixel size), each with the
   * input tokens it counted for (by the same rules budgets reserve with). Never the bytes.
   * @example reply: (info) => ({ text: `${info.attachments.length} attachments` })
   */
  attachments: readonly ScriptAttachment[];
}

/** An image or PDF as a script sees it: its metadata and the input tokens it counted for. */
export interface ScriptAttachment extends AttachmentInfo {
  tokens: number;
}

/**
 * A script: one reply for every request, a list consumed in order (then the default reply), or a function.
 */
export type Script =
  | ScriptedReply
  | readonly ScriptedReply[]
  | ((info: ScriptRequestInfo) => ScriptedReply | Promise<ScriptedReply>);

/** The scripted reply for a request, or undefined where the script gives none (the reply is then generated). */
export async function replyFor(script: Script | undefined, info: ScriptRequestInfo): Promise<ScriptedReply | undefined> {
  if (script === undefined) return undefined;
  if (typeof script === 'function') return script(info);
  if (Array.isArray(script)) return (script as readonly ScriptedReply[])[info.index];
  return script as ScriptedReply;
}

/** Splits text into word-sized chunks (each keeps its leading space) — the unit the fakes stream and count. */
export function chunkText(text: string): string[] {
  return text.match(/\s*\S+|\s+$/g) ?? [];
}

/** A word of an endless stream's repeat: a word of the reply (or 'more'), always after whitespace, so words never run together. */
export function againWord(chunk: string | undefined): string {
  if (chunk === undefined || chunk.trim() === '') return ' more';
  return /^\s/.test(chunk) ? chunk : ` ${chunk}`;
}

/** A rough token count (4 characters a token), used where the fakes must invent input usage. */
export function roughTokens(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4));
}
