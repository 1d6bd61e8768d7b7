import type { FinishReason, ProviderFamily, Usage } from '../../models/types.js';
import { chunkText, roughTokens, type ScriptAttachment, type ScriptedReply } from '../script.js';

/** A request as its wire format understood it. */
export interface WireRequest {
  model: string;
  stream: boolean;
  /** All user/assistant/tool text, concatenated (what scripts match on). */
  text: string;
  system: string;
  /** OpenAI: `stream_options.include_usage` was set. */
  includeUsage: boolean;
  /** Anthropic: the tool `tool_choice` forces (structured output then travels as that tool's input). */
  forcedTool?: string;
  /** The request's images and PDFs, each with the input tokens it counts for (filled in by the server). */
  attachments?: ScriptAttachment[];
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
  route(method: string, pathname: string): WireRoute | undefined;
  parse(body: Record<string, unknown>, route: WireRoute): WireRequest;
  frames(reply: ScriptedReply, request: WireRequest, usage: Usage, id: string): Frames;
  /** A frame whose data is not valid JSON. */
  malformed: string;
  errorBody(error: WireError): unknown;
  /** The response header that carries the request id. */
  requestIdHeader: string;
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
 * attachments' token bounds, output from chunks).
 */
export function replyUsage(reply: ScriptedReply, request: WireRequest): Usage {
  const scripted = reply.usage ?? {};
  // Counted as simulated() counts them: one token per text chunk, and per tool call its name and JSON arguments.
  const derivedOutput = [reply.text ?? '', ...(reply.toolCalls ?? []).map((c) => `${c.name} ${JSON.stringify(c.args) ?? ''}`)]
    .map((text) => chunkText(text).length)
    .reduce((a, b) => a + b, 0);
  return {
    inputTokens: scripted.inputTokens ?? roughTokens(request.system + request.text) + (request.attachments ?? []).reduce((sum, a) => sum + a.tokens, 0),
    cachedInputTokens: scripted.cachedInputTokens ?? 0,
    cacheWriteTokens: scripted.cacheWriteTokens ?? 0,
    outputTokens: scripted.outputTokens ?? derivedOutput,
    reasoningTokens: scripted.reasoningTokens ?? 0,
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
