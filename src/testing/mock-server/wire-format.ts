import type { FinishReason, ProviderFamily, Usage, WireApi } from '../../models/types.js';
import { chunkText, roughTokens, type ScriptAttachment, type ScriptedReply, type UsageFigure } from '../script.js';
import type { TokenBook } from './token-book.js';

/** A request as its wire format understood it. */
export interface WireRequest {
  model: string;
  stream: boolean;
  /** All user/assistant/tool text, concatenated (what scripts match on). */
  text: string;
  /** The text of the last user message (what a generated reply echoes). */
  lastUser: string;
  system: string;
  /** OpenAI: `stream_options.include_usage` was set. */
  includeUsage: boolean;
  /** Anthropic: the tool `tool_choice` forces (structured output then travels as that tool's input). */
  forcedTool?: string;
  /** The JSON Schema of a structured-output request. */
  outputSchema?: Record<string, unknown>;
  /** Whether the request asks the model to reason (a generated reply then reasons). */
  reasons: boolean;
  /** Whether the request asks to see the reasoning (summaries, thinking, thoughts). */
  showReasoning: boolean;
  /** Responses: the encrypted reasoning content is asked for (`include: ['reasoning.encrypted_content']`). */
  encryptedReasoning?: boolean;
  /** Why the real API would refuse this request (a missing or forged signature), in its words. */
  refusal?: string;
  /** The request's images and PDFs, each with the input tokens it counts for (filled in by the server). */
  attachments?: ScriptAttachment[];
}

/** A reply as every wire renders it: text and reasoning in chunks, tool calls with ids, finish and usage. */
export interface ReplyView {
  id: string;
  text: string;
  chunks: string[];
  /** The reasoning shown to the client ('' when the request did not ask to see it). */
  reasoning: string;
  reasoningChunks: string[];
  /** Whether the model reasoned (the reply has reasoning, or the request asked for it): reasoning items appear. */
  reasoned: boolean;
  toolCalls: Array<{ id: string; name: string; args: unknown }>;
  finish: FinishReason;
  usage: Usage;
}

/** A streamed reply cut into SSE frames: `tokens` holds one frame per text chunk, so faults can stop after N. */
export interface Frames {
  head: string[];
  tokens: string[];
  tail: string[];
}

/** The route a path matched: the model when the path carries it, and whether the client asked for a stream. */
export interface WireRoute {
  model?: string;
  stream?: boolean;
}

/** What the server needs from one provider's wire format. */
export interface WireFormat {
  family: ProviderFamily;
  api: WireApi;
  route(method: string, pathname: string): WireRoute | undefined;
  /** Reads a request; checks what the real API checks of the tokens sent back (see `WireRequest.refusal`). */
  parse(body: Record<string, unknown>, route: WireRoute, book: TokenBook): WireRequest;
  /** The streamed reply. */
  frames(view: ReplyView, request: WireRequest, book: TokenBook): Frames;
  /** The reply of a non-streaming request, as the JSON body. */
  body(view: ReplyView, request: WireRequest, book: TokenBook): unknown;
  /** A frame whose data is not valid JSON. */
  malformed: string;
  /** How generated tool-call ids start. */
  toolPrefix: string;
  errorBody(error: WireError): unknown;
  /** The response header that carries the request id. */
  requestIdHeader: string;
  /** The wire's JSON key of each usage figure (for `bad-usage` faults, which write raw text in its place). */
  usageKeys: Partial<Record<UsageFigure, string>>;
}

/** An error to render in a provider's shape. */
export interface WireError {
  status: number;
  message: string;
  code?: string;
  requestId: string;
  retryAfterMs?: number;
}

/** One SSE frame. */
export function sse(data: unknown, event?: string): string {
  return `${event === undefined ? '' : `event: ${event}\n`}data: ${JSON.stringify(data)}\n\n`;
}

/**
 * The usage a reply reports: scripted figures, the rest derived (input from the request's text and its
 * attachments' token bounds; output from the chunks of the text, of each tool call's name and JSON arguments, and
 * of the reasoning — as `simulated()` counts them).
 */
export function replyUsage(reply: ScriptedReply, request: WireRequest): Usage {
  const scripted = reply.usage ?? {};
  const count = (text: string) => chunkText(text).length;
  const reasoning = count(reply.reasoning ?? '');
  const derivedOutput = [reply.text ?? '', ...(reply.toolCalls ?? []).map((c) => `${c.name} ${JSON.stringify(c.args) ?? ''}`)]
    .map(count)
    .reduce((a, b) => a + b, reasoning);
  return {
    inputTokens: scripted.inputTokens ?? roughTokens(request.system + request.text) + (request.attachments ?? []).reduce((sum, a) => sum + a.tokens, 0),
    cachedInputTokens: scripted.cachedInputTokens ?? 0,
    cacheWriteTokens: scripted.cacheWriteTokens ?? 0,
    outputTokens: scripted.outputTokens ?? derivedOutput,
    reasoningTokens: scripted.reasoningTokens ?? reasoning,
  };
}

/** The finish reason a reply ends with. */
export function replyFinish(reply: ScriptedReply): FinishReason {
  return reply.finishReason ?? ((reply.toolCalls?.length ?? 0) > 0 ? 'tool-calls' : 'stop');
}

/** Tool calls with ids filled in. */
export function replyToolCalls(reply: ScriptedReply, prefix: string): Array<{ id: string; name: string; args: unknown }> {
  return (reply.toolCalls ?? []).map((call, i) => ({ id: call.id ?? `${prefix}${i + 1}`, name: call.name, args: call.args }));
}

/** The view every wire renders a reply from. */
export function replyView(reply: ScriptedReply, request: WireRequest, id: string, toolPrefix: string): ReplyView {
  const text = reply.text ?? '';
  const reasoning = request.showReasoning ? (reply.reasoning ?? '') : '';
  return {
    id,
    text,
    chunks: chunkText(text),
    reasoning,
    reasoningChunks: chunkText(reasoning),
    reasoned: request.reasons || (reply.reasoning ?? '') !== '',
    toolCalls: replyToolCalls(reply, toolPrefix),
    finish: replyFinish(reply),
    usage: replyUsage(reply, request),
  };
}

/** Text of a message content: a string, or an array of parts with `text`. */
export function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((part: unknown) => {
      const p = part as Record<string, unknown> | null;
      if (typeof p?.['text'] === 'string') return p['text'];
      if (p?.['content'] !== undefined) return contentText(p['content']);
      return '';
    })
    .join('');
}

/** Splits a JSON string in two, to exercise argument assembly on the client. */
export function halves(text: string): [string, string] {
  const mid = Math.ceil(text.length / 2);
  return [text.slice(0, mid), text.slice(mid)];
}

/** Writes a `bad-usage` fault's raw figures in place of the numbers under the wire's usage keys. */
export function corruptUsage(frame: string, keys: WireFormat['usageKeys'], raw: Partial<Record<UsageFigure, string>>): string {
  let out = frame;
  for (const [field, text] of Object.entries(raw) as Array<[UsageFigure, string]>) {
    const key = keys[field];
    if (key !== undefined) out = out.replace(new RegExp(`"${key}":-?[0-9.eE+]+`, 'g'), () => `"${key}":${text}`);
  }
  return out;
}
/** An object field of a request body, or undefined. */
export function objectAt(value: unknown, key: string): Record<string, unknown> | undefined {
  const found = (value as Record<string, unknown> | null | undefined)?.[key];
  return typeof found === 'object' && found !== null && !Array.isArray(found) ? (found as Record<string, unknown>) : undefined;
}

/** An array field of a request body ([] when absent). */
export function arrayAt(value: unknown, key: string): Array<Record<string, unknown>> {
  const found = (value as Record<string, unknown> | null | undefined)?.[key];
  return Array.isArray(found) ? (found as Array<Record<string, unknown>>) : [];
}
