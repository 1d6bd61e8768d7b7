import { SwitchyardError } from '../errors/switchyard-error.js';
import { resolveAttachment, textFileContent, PDF, type Attachment } from '../models/attachment.js';
import type { ContentPart, MessageContent, TextPart } from '../models/types.js';

/** A part as a wire converter sees it: text, or a resolved image or PDF. */
export type WirePart = { type: 'text'; text: string } | { type: 'attachment'; attachment: Attachment };

/** Why a wire cannot send an attachment, or undefined when it can. */
export type AttachmentProblem = (attachment: Attachment) => string | undefined;

/** Megabytes for messages. */
export const MB = 1024 * 1024;

/**
 * The parts of a message's content, resolved for a wire: text parts (a text file becomes its text), and each image
 * or PDF checked with the wire's `problem`. A part the wire cannot take is refused here, before any request, with a
 * SwitchyardError kind 'invalid_request' naming the wire, the part and why. (Routing refuses such parts earlier, on
 * the endpoint's `attachmentProblem`; this guards direct adapter calls.)
 */
export function wirePartsOf(content: MessageContent | readonly TextPart[], wire: string, problem: AttachmentProblem): WirePart[] {
  if (typeof content === 'string') return content === '' ? [] : [{ type: 'text', text: content }];
  return (content as readonly ContentPart[]).map((part, index): WirePart => {
    if (part.type === 'text') return { type: 'text', text: part.text };
    const attachment = resolveAttachment(part);
    const why = typeof attachment === 'string' ? attachment : attachment.type === 'file' && attachment.mediaType !== PDF ? undefined : problem(attachment);
    if (why !== undefined) {
      throw new SwitchyardError({ kind: 'invalid_request', message: `The ${wire} cannot take content part ${index} (${part.type}): ${why}.` });
    }
    const resolved = attachment as Attachment;
    return resolved.type === 'file' && resolved.mediaType !== PDF ? { type: 'text', text: textFileContent(resolved) } : { type: 'attachment', attachment: resolved };
  });
}
