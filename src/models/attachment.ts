import { createHash } from 'node:crypto';
import { sniffMedia } from './media-sniff.js';
import { pdfPageCount } from './pdf-pages.js';
import type { AttachmentData, FilePart, ImagePart, ProviderFileRef } from './types.js';

/** Where an attachment's content is: in the request, at an `https:` URL, or with a provider. */
export type AttachmentSource = 'bytes' | 'url' | 'file-id';

/**
 * What traces, events and reports show of an attachment: its kind, media type, size and content hash, never its
 * bytes (nor a URL, which may carry a signature: a URL is shown by its hash).
 */
export interface AttachmentInfo {
  type: 'image' | 'file';
  source: AttachmentSource;
  /** e.g. 'image/png', 'application/pdf'; unset for an image URL given without one. */
  mediaType?: string;
  /** Bytes, when the content is in the request. */
  size?: number;
  /** SHA-256 (hex) of the bytes; of the URL for a URL; of `provider:fileId` for a provider's file. */
  sha256: string;
  filename?: string;
  /** Image size in pixels, when the image header tells it. */
  width?: number;
  height?: number;
  /** PDF page count, when the file tells it. */
  pages?: number;
  /** For `source: 'file-id'`: the provider's id and the endpoint that holds it. */
  fileId?: string;
  provider?: string;
}

/** An image or file part resolved once: decoded, hashed, measured. Adapters send it in their wire's shape. */
export interface Attachment extends Readonly<AttachmentInfo> {
  /** The decoded content (`source: 'bytes'`). */
  readonly bytes?: Uint8Array;
  /** The `https:` URL (`source: 'url'`). */
  readonly url?: string;
  /** The content as base64 (`source: 'bytes'`; computed once). */
  base64(): string;
  /** The content as a `data:` URL (`source: 'bytes'`). */
  dataUrl(): string;
}

/** Media types an image part may have. */
const IMAGE_MEDIA_TYPES: readonly string[] = ['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/heic', 'image/heif'];
export const PDF = 'application/pdf';

/** Text files are sent as text to every model (the file's text in a text part). */
export function isTextMediaType(mediaType: string): boolean {
  return /^text\/[\w.+-]+$/.test(mediaType) || /^application\/(json|xml|x-yaml|yaml|x-ndjson)$/.test(mediaType);
}

const sha256 = (data: Uint8Array | string) => createHash('sha256').update(data).digest('hex');
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const DATA_URL = /^data:([^;,]*)((?:;[^;,]*)*?)(;base64)?,/i;

/** Bytes as text: a Uint8Array from any realm counts. */
export function isBytes(value: unknown): value is Uint8Array {
  return value instanceof Uint8Array || Object.prototype.toString.call(value) === '[object Uint8Array]';
}

function isFileRef(value: unknown): value is ProviderFileRef {
  const ref = value as Partial<ProviderFileRef> | null;
  return typeof ref === 'object' && ref !== null && typeof ref.fileId === 'string' && typeof ref.provider === 'string';
}

type Decoded =
  | { source: 'bytes'; bytes: Uint8Array; base64?: string; declared?: string }
  | { source: 'url'; url: string }
  | { source: 'file-id'; file: ProviderFileRef };

/** A data: URL without `;base64`: its percent-encoded text. */
function percentDecoded(body: string, declared: string | undefined): Decoded | string {
  try {
    return { source: 'bytes', bytes: Buffer.from(decodeURIComponent(body), 'utf8'), ...(declared ? { declared } : {}) };
  } catch {
    return 'its data: URL is neither base64 nor valid percent-encoding';
  }
}

/** Decodes the content of a part, or says why it cannot. */
function decode(data: AttachmentData): Decoded | string {
  if (isBytes(data)) return { source: 'bytes', bytes: data };
  if (isFileRef(data)) return data.fileId === '' ? 'its fileId is empty' : { source: 'file-id', file: { fileId: data.fileId, provider: data.provider } };
  const text = data instanceof URL ? data.href : data;
  if (typeof text !== 'string') return 'its content must be bytes (Uint8Array or Buffer), base64, a data: URL, an https: URL or { fileId, provider }';
  if (/^https:\/\//i.test(text)) return URL.canParse(text) ? { source: 'url', url: text } : `'${text.slice(0, 40)}…' is not a valid URL`;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) return `only https: URLs are accepted (got ${text.slice(0, text.indexOf(':'))}:); providers fetch the URL themselves`;
  const data_ = DATA_URL.exec(text);
  if (data_) {
    const body = text.slice(data_[0].length);
    const declared = data_[1] || undefined;
    if (!data_[3]) return percentDecoded(body, declared);
    return BASE64.test(body) ? { source: 'bytes', bytes: Buffer.from(body, 'base64'), base64: body, ...(declared ? { declared } : {}) } : 'its data: URL is not valid base64';
  }
  const compact = text.replace(/\s+/g, '');
  if (compact === '' || compact.length % 4 === 1 || !BASE64.test(compact)) {
    return 'a string must be base64, a data: URL or an https: URL (this one is none of them)';
  }
  return { source: 'bytes', bytes: Buffer.from(compact, 'base64'), base64: compact };
}

/** The media type an image or file has, checked against its bytes; or why it is not acceptable. */
function mediaTypeOf(part: ImagePart | FilePart, decoded: Decoded, sniffed: string | undefined): string | undefined | { problem: string } {
  const given = part.mediaType ?? (decoded.source === 'bytes' ? decoded.declared : undefined);
  const mediaType = given?.toLowerCase();
  if (part.type === 'image') {
    if (mediaType !== undefined && !IMAGE_MEDIA_TYPES.includes(mediaType)) return { problem: `'${given}' is not an image type switchyard sends (${IMAGE_MEDIA_TYPES.join(', ')})` };
    if (decoded.source !== 'bytes') return mediaType;
    if (sniffed === undefined || !IMAGE_MEDIA_TYPES.includes(sniffed)) return { problem: 'its bytes are not a PNG, JPEG, GIF, WebP or HEIC/HEIF image' };
    if (mediaType !== undefined && mediaType !== sniffed) return { problem: `its mediaType says ${mediaType} but the bytes are ${sniffed}` };
    return sniffed;
  }
  if (mediaType === undefined || mediaType === '') return { problem: 'a file part needs a mediaType (e.g. application/pdf)' };
  if (mediaType !== PDF && !isTextMediaType(mediaType)) return { problem: `'${given}' is not supported: send PDFs (application/pdf), images (an image part) or text files (text/*, application/json)` };
  if (mediaType === PDF && decoded.source === 'bytes' && sniffed !== PDF) return { problem: 'its mediaType is application/pdf but the bytes are not a PDF (no %PDF- header)' };
  if (mediaType !== PDF && decoded.source !== 'bytes') return { problem: `a text file must be given as bytes or base64 (it is sent as text); fetch ${decoded.source === 'url' ? 'the URL' : 'the file'} and pass its content` };
  return mediaType;
}

class ResolvedAttachment implements Attachment {
  #base64: string | undefined;
  readonly bytes?: Uint8Array;
  readonly url?: string;

  constructor(
    readonly info: AttachmentInfo,
    decoded: Decoded,
  ) {
    Object.assign(this, info);
    if (decoded.source === 'bytes') {
      this.bytes = decoded.bytes;
      this.#base64 = decoded.base64;
    } else if (decoded.source === 'url') this.url = decoded.url;
  }

  declare readonly type: AttachmentInfo['type'];
  declare readonly source: AttachmentSource;
  declare readonly sha256: string;

  base64(): string {
    this.#base64 ??= this.bytes === undefined ? '' : Buffer.from(this.bytes.buffer, this.bytes.byteOffset, this.bytes.byteLength).toString('base64');
    return this.#base64;
  }

  dataUrl(): string {
    return `data:${this.info.mediaType ?? 'application/octet-stream'};base64,${this.base64()}`;
  }

  toJSON(): AttachmentInfo {
    return this.info;
  }
}

/** Where the content is, as metadata: size, hash, image size or page count (bytes), or the reference's hash. */
function sourceFacts(part: ImagePart | FilePart, decoded: Decoded, mediaType: string | undefined): Partial<AttachmentInfo> {
  if (decoded.source === 'url') return { sha256: sha256(decoded.url), ...declaredPages(part, mediaType) };
  if (decoded.source === 'file-id') {
    const { fileId, provider } = decoded.file;
    return { sha256: sha256(`${provider}:${fileId}`), fileId, provider, ...declaredPages(part, mediaType) };
  }
  const facts: Partial<AttachmentInfo> = { size: decoded.bytes.byteLength, sha256: sha256(decoded.bytes) };
  const sniffed = sniffMedia(decoded.bytes);
  if (sniffed.width !== undefined) Object.assign(facts, { width: sniffed.width, height: sniffed.height });
  const pages = mediaType === PDF ? pdfPageCount(decoded.bytes) : undefined;
  if (pages !== undefined) facts.pages = pages;
  return facts;
}

/** The page count a PDF given by reference declares (`pages`), if any. */
function declaredPages(part: ImagePart | FilePart, mediaType: string | undefined): { pages?: number } {
  return part.type === 'file' && mediaType === PDF && Number.isInteger(part.pages) && part.pages! > 0 ? { pages: part.pages! } : {};
}

function describe(part: ImagePart | FilePart, decoded: Decoded): Attachment | string {
  const mediaType = mediaTypeOf(part, decoded, decoded.source === 'bytes' ? sniffMedia(decoded.bytes).mediaType : undefined);
  if (typeof mediaType === 'object') return mediaType.problem;
  const info: AttachmentInfo = { type: part.type, source: decoded.source, sha256: '' };
  if (mediaType !== undefined) info.mediaType = mediaType;
  if (part.type === 'file' && typeof part.filename === 'string' && part.filename !== '') info.filename = part.filename;
  Object.assign(info, sourceFacts(part, decoded, mediaType));
  return new ResolvedAttachment(info, decoded);
}

const resolved = new WeakMap<object, Attachment>();

/**
 * Resolves an image or file part: decodes its content (bytes, base64, data: URL), checks its media type against
 * the bytes, hashes it, and reads an image's size or a PDF's page count. Returns why the part is not acceptable
 * instead when it is not. Resolved once per part object (routing, budgets, cache keys and adapters all ask).
 */
export function resolveAttachment(part: ImagePart | FilePart): Attachment | string {
  const known = resolved.get(part);
  if (known !== undefined) return known;
  const decoded = decode(part.type === 'image' ? part.image : part.data);
  const attachment = typeof decoded === 'string' ? decoded : describe(part, decoded);
  if (typeof attachment !== 'string') resolved.set(part, attachment);
  return attachment;
}

/** The text of an inline text file (UTF-8). */
export function fileText(attachment: Attachment): string {
  return attachment.bytes === undefined ? '' : Buffer.from(attachment.bytes.buffer, attachment.bytes.byteOffset, attachment.bytes.byteLength).toString('utf8');
}

/** What a trace may show of an attachment (no bytes). */
export function attachmentInfo(attachment: Attachment): AttachmentInfo {
  return (attachment as ResolvedAttachment).info ?? { type: attachment.type, source: attachment.source, sha256: attachment.sha256 };
}

/**
 * How a text file travels: as text, framed with its name and type, so every model reads it the same way.
 * @example <file name="notes.txt" type="text/plain">…</file>
 */
export function textFileContent(attachment: Attachment): string {
  const name = attachment.filename === undefined ? '' : ` name="${attachment.filename.replace(/"/g, "'")}"`;
  return `<file${name} type="${attachment.mediaType}">\n${fileText(attachment)}\n</file>`;
}

/** An attachment's short description for messages: "image (image/png, 12,345 bytes)", "file (application/pdf, url)". */
export function describeAttachment(attachment: AttachmentInfo): string {
  const size = attachment.size === undefined ? (attachment.source === 'url' ? 'by URL' : `file ${attachment.fileId}`) : `${attachment.size.toLocaleString('en-US')} bytes`;
  return `${attachment.type} (${[attachment.mediaType, size].filter(Boolean).join(', ')})`;
}

const ofMessages = new WeakMap<readonly unknown[], Attachment[]>();
const NO_ATTACHMENTS: Attachment[] = Object.freeze([]) as unknown as Attachment[];

/** Every image and file of the messages' parts, resolved (unresolvable parts left out), once per messages array. */
export function messageAttachments(messages: ReadonlyArray<{ content: unknown }>): Attachment[] {
  // Text alone (the common case): nothing to resolve, and nothing to remember in the WeakMap.
  if (messages.every((message) => typeof message.content === 'string')) return NO_ATTACHMENTS;
  const known = ofMessages.get(messages);
  if (known !== undefined) return known;
  const found: Attachment[] = [];
  for (const message of messages) {
    if (!Array.isArray(message.content)) continue;
    for (const part of message.content as ReadonlyArray<{ type?: unknown }>) {
      if (part?.type !== 'image' && part?.type !== 'file') continue;
      const attachment = resolveAttachment(part as ImagePart | FilePart);
      if (typeof attachment !== 'string') found.push(attachment);
    }
  }
  ofMessages.set(messages, found);
  return found;
}
