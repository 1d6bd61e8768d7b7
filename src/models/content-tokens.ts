import { fileText, resolveAttachment } from './attachment.js';
import type { ContentPart, MessageContent, TextPart } from './types.js';

/**
 * Text tokens of a message's content, counted with `count`: the string, or each text part and each text file's
 * text. Images and PDFs are left to `attachmentTokensOf` (their tokens depend on the provider, not a tokenizer).
 */
export function contentTextTokens(content: MessageContent | readonly TextPart[], count: (text: string) => number): number {
  if (typeof content === 'string') return count(content);
  if (!Array.isArray(content)) return 0;
  let total = 0;
  for (const part of content as readonly ContentPart[]) {
    if (part.type === 'text') total += count(part.text);
    else if (part.type === 'file' && part.mediaType !== 'application/pdf') {
      const attachment = resolveAttachment(part);
      if (typeof attachment !== 'string') total += count(fileText(attachment)) + count(part.filename ?? '') + 8;
    }
  }
  return total;
}
