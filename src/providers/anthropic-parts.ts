import type Anthropic from '@anthropic-ai/sdk';
import type { Attachment } from '../models/attachment.js';
import type { MessageContent, TextPart } from '../models/types.js';
import { MB, wirePartsOf } from './wire-parts.js';

type Block = Anthropic.Messages.ContentBlockParam;
type ImageMediaType = Anthropic.Messages.Base64ImageSource['media_type'];

/*
 * What the Messages API accepts (platform.claude.com/docs/en/build-with-claude/vision and …/pdf-support, read
 * 2026-12-06): JPEG, PNG, GIF and WebP images up to 5 MB and 8000×8000 px each; PDFs of up to 600 pages in a
 * request of at most 32 MB.
 */
const IMAGE_TYPES: readonly string[] = ['image/jpeg', 'image/png', 'image/gif', 'image/webp'];
const MAX_IMAGE_BYTES = 5 * MB;
const MAX_IMAGE_SIDE = 8000;
const MAX_PDF_BYTES = 32 * MB;
const MAX_PDF_PAGES = 600;

const WIRE = 'Anthropic Messages API';

/** Why the Messages API cannot take an attachment, or undefined. */
export function anthropicAttachmentProblem(attachment: Attachment): string | undefined {
  if (attachment.type === 'image') {
    if (attachment.mediaType !== undefined && !IMAGE_TYPES.includes(attachment.mediaType)) {
      return `Anthropic reads JPEG, PNG, GIF and WebP images, not ${attachment.mediaType}`;
    }
    if ((attachment.size ?? 0) > MAX_IMAGE_BYTES) return 'Anthropic takes images up to 5 MB';
    if (Math.max(attachment.width ?? 0, attachment.height ?? 0) > MAX_IMAGE_SIDE) {
      return `Anthropic takes images up to ${MAX_IMAGE_SIDE}×${MAX_IMAGE_SIDE} px (this one is ${attachment.width}×${attachment.height})`;
    }
    return undefined;
  }
  if ((attachment.size ?? 0) > MAX_PDF_BYTES) return 'Anthropic takes requests up to 32 MB';
  if ((attachment.pages ?? 0) > MAX_PDF_PAGES) return `Anthropic reads up to ${MAX_PDF_PAGES} PDF pages per request (this one has ${attachment.pages})`;
  return undefined;
}

/** One image as an `image` block: base64, URL or file source. */
function imageBlock(attachment: Attachment): Block {
  if (attachment.source === 'url') return { type: 'image', source: { type: 'url', url: attachment.url! } };
  if (attachment.source === 'file-id') return { type: 'image', source: { type: 'file', file_id: attachment.fileId! } };
  const media_type = attachment.mediaType as ImageMediaType;
  return { type: 'image', source: { type: 'base64', media_type, data: attachment.base64() } };
}

/** One PDF as a `document` block (titled with its filename, when it has one). */
function documentBlock(attachment: Attachment): Block {
  const title = attachment.filename === undefined ? {} : { title: attachment.filename };
  if (attachment.source === 'url') return { type: 'document', source: { type: 'url', url: attachment.url! }, ...title };
  if (attachment.source === 'file-id') return { type: 'document', source: { type: 'file', file_id: attachment.fileId! }, ...title };
  return { type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: attachment.base64() }, ...title };
}

/**
 * A message's content as Messages API blocks: `text`, `image` (base64 / url / file source) and `document` for PDFs
 * (base64 / url / file source). Empty text adds no block.
 * @throws SwitchyardError kind 'invalid_request' for a part this API cannot take
 */
export function anthropicBlocks(content: MessageContent | readonly TextPart[]): Block[] {
  const blocks: Block[] = [];
  for (const part of wirePartsOf(content, WIRE, anthropicAttachmentProblem)) {
    if (part.type === 'text') {
      if (part.text !== '') blocks.push({ type: 'text', text: part.text });
    } else blocks.push(part.attachment.type === 'image' ? imageBlock(part.attachment) : documentBlock(part.attachment));
  }
  return blocks;
}
