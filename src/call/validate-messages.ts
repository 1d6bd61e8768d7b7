import { z } from 'zod';
import { SwitchyardError } from '../errors/switchyard-error.js';
import { isBytes, isTextMediaType, resolveAttachment, textFileContent, type Attachment } from '../models/attachment.js';
import type { ContentPart, Message } from '../models/types.js';

const CONTENT = "must be bytes (Uint8Array or Buffer), base64, a data: URL, an https: URL, or { fileId, provider }";

const data = z.union([z.custom<Uint8Array>(isBytes), z.string(), z.instanceof(URL), z.object({ fileId: z.string().min(1), provider: z.string().min(1) })], {
  error: CONTENT,
});

const partSchema = z.discriminatedUnion(
  'type',
  [
    z.object({ type: z.literal('text'), text: z.string({ error: 'text must be a string' }) }),
    z.object({ type: z.literal('image'), image: data, mediaType: z.string({ error: 'mediaType must be a string' }).optional() }),
    z.object({
      type: z.literal('file'),
      data,
      mediaType: z.string({ error: 'a file part needs a mediaType (e.g. application/pdf)' }),
      filename: z.string({ error: 'filename must be a string' }).optional(),
      pages: z.number({ error: 'pages must be a positive whole number' }).int({ error: 'pages must be a positive whole number' }).positive({ error: 'pages must be a positive whole number' }).optional(),
    }),
  ],
  { error: "must be 'text', 'image' or 'file'" },
);

function invalid(where: string, why: string): SwitchyardError {
  return new SwitchyardError({ kind: 'invalid_request', message: `Invalid ${where}: ${why}.` });
}

/** Checks one part's shape (zod), then resolves an image or file (decodes, checks the media type against the bytes). */
function checkPart(part: unknown, where: string, role: Message['role']): Attachment | undefined {
  const parsed = partSchema.safeParse(part);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const path = issue.path.length > 0 ? `.${issue.path.join('.')}` : '';
    throw invalid(`${where}${path}`, issue.message);
  }
  const checked = part as ContentPart;
  if (checked.type === 'text') return undefined;
  if (role !== 'user') throw invalid(where, `${role} messages carry text only; put images and files in a user message`);
  const attachment = resolveAttachment(checked);
  if (typeof attachment === 'string') throw invalid(`${where} (${checked.type})`, attachment);
  return attachment;
}

function checkMessage(message: unknown, index: number): boolean {
  const where = `messages[${index}]`;
  const m = message as Partial<Message> | null;
  if (typeof m !== 'object' || m === null || !['user', 'assistant', 'tool'].includes(m.role as string)) {
    throw invalid(where, "a message is { role: 'user' | 'assistant' | 'tool', content }");
  }
  if (m.role === 'tool' && (typeof m.toolCallId !== 'string' || typeof m.toolName !== 'string')) {
    throw invalid(where, 'a tool message needs toolCallId and toolName (strings)');
  }
  if (typeof m.content === 'string') return false;
  if (!Array.isArray(m.content) || m.content.length === 0) {
    throw invalid(`${where}.content`, 'content must be a string or a non-empty array of parts');
  }
  let textFiles = false;
  m.content.forEach((part: unknown, p: number) => {
    const attachment = checkPart(part, `${where}.content[${p}]`, m.role!);
    if (attachment?.type === 'file' && isTextMediaType(attachment.mediaType ?? '')) textFiles = true;
  });
  return textFiles;
}

/** A message whose text files are replaced by text parts holding their text. */
function inlineTextFiles(message: Message): Message {
  if (typeof message.content === 'string' || message.role !== 'user') return message;
  const content = message.content.map((part): ContentPart => {
    if (part.type !== 'file' || !isTextMediaType(part.mediaType.toLowerCase())) return part;
    return { type: 'text', text: textFileContent(resolveAttachment(part) as Attachment) };
  });
  return { ...message, content };
}

/**
 * Checks every message before anything is routed or reserved: roles, content (a string or a non-empty array of
 * `text`, `image` and `file` parts, zod-validated), and each image or file resolved (its content decoded, its media
 * type checked against its bytes). Text files (`text/*`, `application/json`) become text parts, so every model
 * reads them; images and PDFs stay as they are (the same objects: their resolution is cached on them).
 * @throws SwitchyardError kind 'invalid_request' naming the message and part and why, e.g.
 *   "Invalid messages[0].content[1] (image): its bytes are not a PNG, JPEG, GIF, WebP or HEIC/HEIF image."
 */
export function checkMessages(messages: readonly Message[]): Message[] {
  if (!Array.isArray(messages)) throw invalid('messages', 'messages must be an array');
  let textFiles = false;
  messages.forEach((message, index) => {
    if (checkMessage(message, index)) textFiles = true;
  });
  return textFiles ? messages.map(inlineTextFiles) : (messages as Message[]);
}
