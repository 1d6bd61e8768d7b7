import type { ContentPart, Message, MessageContent, TextPart } from './types.js';

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

/** The content as parts: a string becomes one text part (none when empty). */
export function partsOf(content: MessageContent | readonly TextPart[]): readonly ContentPart[] {
  if (typeof content === 'string') return content === '' ? [] : [{ type: 'text', text: content }];
  return Array.isArray(content) ? content : [];
}

/** Whether the content has anything in it (text or an attachment). */
export function hasContent(content: MessageContent | readonly TextPart[]): boolean {
  return typeof content === 'string' ? content !== '' : Array.isArray(content) && content.length > 0;
}

/** Whether any message carries an image or a file part. */
export function hasAttachments(messages: readonly Message[]): boolean {
  for (const message of messages) {
    if (typeof message.content === 'string' || !Array.isArray(message.content)) continue;
    for (const part of message.content as readonly ContentPart[]) if (part.type !== 'text') return true;
  }
  return false;
}
