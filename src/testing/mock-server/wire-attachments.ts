import { attachmentInfo, resolveAttachment } from '../../models/attachment.js';
import { attachmentTokens } from '../../models/attachment-tokens.js';
import { defaultCatalog } from '../../models/default-catalog.js';
import type { FilePart, ImagePart, ProviderFamily } from '../../models/types.js';
import type { ScriptAttachment } from '../script.js';

type Node = Record<string, unknown>;
const str = (value: unknown) => (typeof value === 'string' ? value : undefined);
const isNode = (value: unknown): value is Node => typeof value === 'object' && value !== null && !Array.isArray(value);

/** An image or file part of any of the four wires, as a content part (the same resolution `simulated()` uses). */
function partOf(node: Node, family: ProviderFamily): ImagePart | FilePart | undefined {
  const ref = (fileId: unknown) => (typeof fileId === 'string' ? { fileId, provider: family } : undefined);
  const type = node['type'];
  const source = isNode(node['source']) ? node['source'] : undefined;
  const file = isNode(node['file']) ? node['file'] : undefined;
  const imageUrl = isNode(node['image_url']) ? str(node['image_url']['url']) : str(node['image_url']);
  let image: ImagePart['image'] | undefined;
  let data: FilePart['data'] | undefined;
  let mediaType = str(source?.['media_type']);
  if (type === 'image_url' || type === 'input_image') image = imageUrl ?? ref(node['file_id']);
  else if (type === 'file' && file) data = str(file['file_data']) ?? ref(file['file_id']);
  else if (type === 'input_file') data = str(node['file_data']) ?? str(node['file_url']) ?? ref(node['file_id']);
  else if ((type === 'image' || type === 'document') && source) {
    const content = source['type'] === 'base64' ? str(source['data']) : source['type'] === 'url' ? str(source['url']) : ref(source['file_id']);
    if (type === 'image') image = content;
    else data = content;
  } else if (isNode(node['inlineData']) || isNode(node['fileData'])) {
    const blob = (node['inlineData'] ?? node['fileData']) as Node;
    mediaType = str(blob['mimeType']);
    const content = str(blob['data']) ?? str(blob['fileUri']);
    if (mediaType?.startsWith('image/')) image = content;
    else data = content;
  }
  if (image !== undefined) return { type: 'image', image, ...(mediaType ? { mediaType } : {}) };
  if (data === undefined) return undefined;
  const filename = str(file?.['filename']) ?? str(node['filename']) ?? str(node['title']);
  return { type: 'file', data, mediaType: mediaType ?? 'application/pdf', ...(filename ? { filename } : {}) };
}

function collect(value: unknown, family: ProviderFamily, out: Array<ImagePart | FilePart>, depth: number): void {
  if (depth > 12) return;
  if (Array.isArray(value)) {
    for (const item of value) collect(item, family, out, depth + 1);
    return;
  }
  if (!isNode(value)) return;
  const part = partOf(value, family);
  if (part !== undefined) {
    out.push(part);
    return;
  }
  for (const child of Object.values(value)) collect(child, family, out, depth + 1);
}

/**
 * The images and PDFs of a request body on any of the four wires (Chat Completions `image_url` / `file`, Responses
 * `input_image` / `input_file`, Anthropic `image` / `document`, Gemini `inlineData` / `fileData`), as a script sees
 * them: metadata, and the input tokens each counts for on this family (the rules budgets reserve with).
 */
export function wireAttachments(body: unknown, family: ProviderFamily, model: string): ScriptAttachment[] {
  const parts: Array<ImagePart | FilePart> = [];
  collect(body, family, parts, 0);
  const out: ScriptAttachment[] = [];
  // The catalog entry, when the wire names a known model: its window bounds a PDF of unknown length, as in budgets.
  const known = defaultCatalog.find(model);
  const counted = known?.provider === family ? known : { id: model, provider: family };
  for (const part of parts) {
    const resolved = resolveAttachment(part);
    if (typeof resolved === 'string') continue;
    const info = attachmentInfo(resolved);
    out.push({ ...info, tokens: attachmentTokens(counted, info) });
  }
  return out;
}
