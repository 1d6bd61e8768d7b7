import type OpenAI from 'openai';
import type { Attachment } from '../models/attachment.js';
import type { MessageContent } from '../models/types.js';
import { IMAGE_DETAIL, openaiAttachmentProblem, pdfFilename } from './openai-attachment-limits.js';
import { wirePartsOf } from './wire-parts.js';

type InputPart = OpenAI.Responses.ResponseInputContent;

const WIRE = 'OpenAI Responses API';

/** Why the Responses API cannot take an attachment, or undefined: only OpenAI's media limits apply. */
export function responsesAttachmentProblem(attachment: Attachment): string | undefined {
  return openaiAttachmentProblem(attachment);
}

/** One image or PDF as a Responses input part. */
function inputAttachment(attachment: Attachment): InputPart {
  if (attachment.type === 'image') {
    if (attachment.source === 'file-id') return { type: 'input_image', detail: IMAGE_DETAIL, file_id: attachment.fileId! };
    return { type: 'input_image', detail: IMAGE_DETAIL, image_url: attachment.url ?? attachment.dataUrl() };
  }
  if (attachment.source === 'file-id') return { type: 'input_file', file_id: attachment.fileId! };
  if (attachment.source === 'url') return { type: 'input_file', file_url: attachment.url! };
  return { type: 'input_file', filename: pdfFilename(attachment), file_data: attachment.dataUrl() };
}

/**
 * A user message's content for the Responses API: `input_text`, `input_image` (`image_url` as a data URL or the
 * https: URL, or `file_id`; `detail: 'high'`) and `input_file` (`file_data` as a data URL with a filename,
 * `file_url`, or `file_id`). A string becomes one `input_text`.
 * @throws SwitchyardError kind 'invalid_request' for a part this API cannot take
 */
export function responsesUserContent(content: MessageContent): InputPart[] {
  return wirePartsOf(content, WIRE, responsesAttachmentProblem).map((part) =>
    part.type === 'text' ? { type: 'input_text', text: part.text } : inputAttachment(part.attachment),
  );
}
