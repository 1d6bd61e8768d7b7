import type OpenAI from 'openai';
import type { Attachment } from '../models/attachment.js';
import type { MessageContent } from '../models/types.js';
import { IMAGE_DETAIL, openaiAttachmentProblem, pdfFilename } from './openai-attachment-limits.js';
import { wirePartsOf } from './wire-parts.js';

type ChatPart = OpenAI.Chat.ChatCompletionContentPart;

const WIRE = 'OpenAI Chat Completions API';

/**
 * Why the Chat Completions API cannot take an attachment, or undefined: OpenAI's media limits, and this API takes
 * no image by file id and no file by URL (the Responses API takes both).
 */
export function chatAttachmentProblem(attachment: Attachment): string | undefined {
  if (attachment.type === 'image' && attachment.source === 'file-id') {
    return 'Chat Completions takes images as data or URLs, not by file id (the Responses API does)';
  }
  if (attachment.type === 'file' && attachment.source === 'url') {
    return 'Chat Completions takes PDFs as data or a file id, not by URL (the Responses API does)';
  }
  return openaiAttachmentProblem(attachment);
}

/** One image or PDF as a Chat Completions content part. */
function chatAttachment(attachment: Attachment): ChatPart {
  if (attachment.type === 'image') {
    return { type: 'image_url', image_url: { url: attachment.url ?? attachment.dataUrl(), detail: IMAGE_DETAIL } };
  }
  if (attachment.source === 'file-id') return { type: 'file', file: { file_id: attachment.fileId! } };
  return { type: 'file', file: { filename: pdfFilename(attachment), file_data: attachment.dataUrl() } };
}

/**
 * A user message's content for Chat Completions: a string stays a string; parts become `text`, `image_url` (a data
 * URL or the https: URL, `detail: 'high'`) and `file` (`file_data` as a data URL with a filename, or `file_id`).
 * @throws SwitchyardError kind 'invalid_request' for a part this API cannot take
 */
export function chatUserContent(content: MessageContent): string | ChatPart[] {
  if (typeof content === 'string') return content;
  return wirePartsOf(content, WIRE, chatAttachmentProblem).map((part) =>
    part.type === 'text' ? { type: 'text', text: part.text } : chatAttachment(part.attachment),
  );
}
