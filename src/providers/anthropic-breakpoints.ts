import { attachmentTokensOf } from '../models/attachment-tokens.js';
import { hasContent, textOf } from '../models/content.js';
import type { Message, ModelRequest } from '../models/types.js';

/** Where Anthropic `cache_control` breakpoints go in one request. */
export interface BreakpointPlan {
  /** On the last tool (the tools are the first part of the cached prefix). */
  tools: boolean;
  /** On the system prompt. */
  system: boolean;
  /** On the last content block of this message (index into `request.messages`). */
  message?: number;
  /**
   * On the last image or document block of the last message (its index), so that requests which share a
   * document and differ only in the question after it read the document from the cache.
   */
  attachment?: number;
}

/** The `cache_control` value every breakpoint carries (the 5-minute cache). */
export const EPHEMERAL = { type: 'ephemeral' } as const;

const NONE: BreakpointPlan = { tools: false, system: false };

/**
 * The shortest prefix, in tokens, that a Claude model caches (shorter prefixes are processed normally, at the
 * normal price, whatever their breakpoints say). From Anthropic's prompt-caching documentation.
 */
export function minCacheableTokens(model: string): number {
  if (/opus-4-[5-9]|haiku-4-5/.test(model)) return 4096;
  if (/sonnet-4-[6-9]|haiku-3/.test(model)) return 2048;
  return 1024;
}

/** A quick token estimate for a length check (about 4 characters a token in English text and JSON). */
function estimateTokens(chars: number): number {
  return Math.ceil(chars / 4);
}

/** A message's size in characters of text; its images and PDFs count as 4 characters per token of their bound. */
function messageChars(message: Message, model: string): number {
  const calls = message.role === 'assistant' && message.toolCalls ? JSON.stringify(message.toolCalls).length : 0;
  const attachments = typeof message.content === 'string' ? 0 : 4 * attachmentTokensOf({ id: model, provider: 'anthropic' }, [message]);
  return textOf(message.content).length + calls + attachments;
}

/** Whether a message becomes at least one content block on the wire (a breakpoint needs a block). */
function hasBlock(message: Message): boolean {
  return message.role !== 'assistant' || hasContent(message.content) || (message.toolCalls?.length ?? 0) > 0;
}

/**
 * Plans the breakpoints of a request under `cache.breakpoints: 'auto'` (the default): the stable prefixes that a
 * later request is likely to share — the tools (with the structured-output tool), the system prompt, and the
 * conversation up to the message before the last — each marked when the prefix up to it is long enough for the
 * model to cache. Images and PDFs count toward that length by their token bound; a breakpoint on a message whose
 * last block is a document or an image caches the attachment with the prefix (Anthropic keys its cache on the
 * content, so the same bytes hit the same entry). The last message gets one on its last attachment, so requests that
 * share a document and ask different questions after it share a cache entry. Four breakpoints at most (Anthropic's limit). `'off'` plans none.
 */
export function planBreakpoints(request: ModelRequest, model: string): BreakpointPlan {
  if (request.cache?.breakpoints === 'off') return NONE;
  const min = minCacheableTokens(model);
  const hasTools = (request.tools?.length ?? 0) > 0 || request.output !== undefined;
  let chars = hasTools ? JSON.stringify(request.tools ?? []).length + JSON.stringify(request.output ?? {}).length : 0;
  const tools = hasTools && estimateTokens(chars) >= min;
  const system = request.system !== undefined && request.system !== '';
  chars += request.system?.length ?? 0;
  const plan: BreakpointPlan = { tools, system: system && estimateTokens(chars) >= min };
  const last = request.messages.length - 2;
  for (let i = 0; i <= last; i++) chars += messageChars(request.messages[i]!, model);
  if (last >= 0 && hasBlock(request.messages[last]!) && estimateTokens(chars) >= min) plan.message = last;
  const final = request.messages[last + 1];
  if (final !== undefined && typeof final.content !== 'string' && estimateTokens(chars + messageChars(final, model)) >= min) {
    if (final.content.some((part) => part.type !== 'text')) plan.attachment = last + 1;
  }
  return plan;
}

/** Marks the last image or document block of a content list as a breakpoint. */
export function markLastAttachment(blocks: ReadonlyArray<{ type: string }>): void {
  const at = blocks.findLastIndex((block) => block.type === 'image' || block.type === 'document');
  if (at >= 0) (blocks[at] as { cache_control?: unknown }).cache_control = EPHEMERAL;
}

/** Marks the last block of a content list as a breakpoint. */
export function markLastBlock(blocks: readonly object[]): void {
  const last = blocks[blocks.length - 1];
  if (last !== undefined) (last as { cache_control?: unknown }).cache_control = EPHEMERAL;
}
