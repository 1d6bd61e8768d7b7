import type { ContentPart, MessageContent, TextPart } from './types.js';

/**
 * The text of a message's content: the string itself, or its text parts joined by a newline (images and files
 * left out). For code that reads prompts as text: token counting, simulated replies, judge prompts, telemetry.
 * @example textOf([{ type: 'text', text: 'Risks?' }, { type: 'file', data, mediaType: 'application/pdf' }]) // 'Risks?'
 */
export function textOf(content: MessageContent | readonly TextPart[]): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  let text = '';
  for (const part of content as readonly ContentPart[]) {
    if (part?.type !== 'text') continue;
    text = text === '' ? part.text : `${text}\n${part.text}`;
  }
  return text;
}

/** Whether the content has anything in it (text or an attachment). */
export function hasContent(content: MessageContent | readonly TextPart[]): boolean {
  return typeof content === 'string' ? content !== '' : Array.isArray(content) && content.length > 0;
}
