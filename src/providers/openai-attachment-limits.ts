import type { Attachment } from '../models/attachment.js';
import { MB } from './wire-parts.js';

/*
 * What OpenAI's APIs accept (developers.openai.com/api/docs/guides/images-vision and …/guides/pdf-files, read
 * 2026-12-06): PNG, JPEG, WebP and non-animated GIF images up to 20 MB each; PDFs up to 100 pages and 32 MB of
 * content per request. Both the Chat Completions and the Responses API.
 */
const IMAGE_TYPES = ['image/png', 'image/jpeg', 'image/webp', 'image/gif'];
const MAX_IMAGE_BYTES = 20 * MB;
const MAX_PDF_BYTES = 32 * MB;
const MAX_PDF_PAGES = 100;

/** Why OpenAI cannot take this image or PDF (whatever the source), or undefined. */
export function openaiAttachmentProblem(attachment: Attachment): string | undefined {
  if (attachment.type === 'image') {
    if (attachment.mediaType !== undefined && !IMAGE_TYPES.includes(attachment.mediaType)) {
      return `OpenAI reads PNG, JPEG, WebP and GIF images, not ${attachment.mediaType}`;
    }
    if ((attachment.size ?? 0) > MAX_IMAGE_BYTES) return 'OpenAI takes images up to 20 MB';
    return undefined;
  }
  if ((attachment.size ?? 0) > MAX_PDF_BYTES) return 'OpenAI takes up to 32 MB of PDF content per request';
  if ((attachment.pages ?? 0) > MAX_PDF_PAGES) return `OpenAI reads up to ${MAX_PDF_PAGES} PDF pages per request (this one has ${attachment.pages})`;
  return undefined;
}

/** The `detail` every image is sent with: 'high' bounds an image at 2,500 patches (see attachment-tokens.ts). */
export const IMAGE_DETAIL = 'high';

/** The filename OpenAI is given for a PDF sent as data (it requires one). */
export function pdfFilename(attachment: Attachment): string {
  return attachment.filename ?? 'document.pdf';
}
