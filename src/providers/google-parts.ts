import type { Part } from '@google/genai';
import type { Attachment } from '../models/attachment.js';
import type { MessageContent, TextPart } from '../models/types.js';
import { MB, wirePartsOf } from './wire-parts.js';

/*
 * What the Gemini API accepts (ai.google.dev/gemini-api/docs/image-understanding, …/document-processing, and the
 * 2026-01-12 update on file inputs; read 2026-12-06): PNG, JPEG, WebP, HEIC and HEIF images (no GIF), PDFs up to
 * 1,000 pages, inline data up to 100 MB (base64) per request, public or signed https: URLs and Files API URIs
 * (`fileData`, which needs the media type).
 */
const IMAGE_TYPES: readonly string[] = ['image/png', 'image/jpeg', 'image/webp', 'image/heic', 'image/heif'];
const MAX_INLINE_BASE64 = 100 * MB;
const MAX_PDF_PAGES = 1000;

const WIRE = 'Gemini API';

/** Why the Gemini API cannot take an attachment, or undefined. */
export function googleAttachmentProblem(attachment: Attachment): string | undefined {
  if (attachment.type === 'image' && attachment.mediaType !== undefined && !IMAGE_TYPES.includes(attachment.mediaType)) {
    return `Gemini reads PNG, JPEG, WebP, HEIC and HEIF images, not ${attachment.mediaType}`;
  }
  if (attachment.mediaType === undefined) return 'Gemini needs the media type of an image given by URL or file id: set mediaType';
  if (Math.ceil((attachment.size ?? 0) / 3) * 4 > MAX_INLINE_BASE64) return 'Gemini takes up to 100 MB of inline data (base64); upload larger files with its Files API';
  if ((attachment.pages ?? 0) > MAX_PDF_PAGES) return `Gemini reads up to ${MAX_PDF_PAGES} PDF pages (this one has ${attachment.pages})`;
  return undefined;
}

/** One image or PDF as a Gemini part: `inlineData` for bytes, `fileData` for a URL or a Files API URI. */
function googleAttachment(attachment: Attachment): Part {
  const mimeType = attachment.mediaType!;
  if (attachment.source === 'bytes') return { inlineData: { mimeType, data: attachment.base64() } };
  return { fileData: { mimeType, fileUri: attachment.url ?? attachment.fileId! } };
}

/**
 * A message's content as Gemini parts: `text`, `inlineData` (base64 with its mimeType) and `fileData` (an https: URL
 * or a Files API URI, with its mimeType). Empty text adds no part.
 * @throws SwitchyardError kind 'invalid_request' for a part this API cannot take
 */
export function googleParts(content: MessageContent | readonly TextPart[]): Part[] {
  const parts: Part[] = [];
  for (const part of wirePartsOf(content, WIRE, googleAttachmentProblem)) {
    if (part.type === 'attachment') parts.push(googleAttachment(part.attachment));
    else if (part.text !== '') parts.push({ text: part.text });
  }
  return parts;
}
