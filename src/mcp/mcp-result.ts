/** The parts of an MCP `tools/call` result that become the text a model reads. */
export interface McpCallResult {
  content?: ReadonlyArray<Record<string, unknown>>;
  structuredContent?: unknown;
  isError?: boolean;
}

const str = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

/** Bytes of base64 data, without decoding it. */
function base64Bytes(data: unknown): number {
  if (typeof data !== 'string') return 0;
  const padding = data.endsWith('==') ? 2 : data.endsWith('=') ? 1 : 0;
  return Math.max(0, Math.floor((data.length * 3) / 4) - padding);
}

function sizeText(bytes: number): string {
  return bytes >= 1024 ? `${(bytes / 1024).toFixed(1)} KB` : `${bytes} bytes`;
}

/** A media part the model cannot see as text: what it is, without its data. */
function mediaPlaceholder(kind: string, part: Record<string, unknown>): string {
  const type = str(part['mimeType']) ?? 'unknown type';
  return `[${kind}: ${type}, ${sizeText(base64Bytes(part['data']))} — not shown to the model]`;
}

function resourceText(resource: Record<string, unknown>): string {
  const uri = str(resource['uri']) ?? '(no uri)';
  const text = str(resource['text']);
  if (text !== undefined) return `[resource ${uri}]\n${text}`;
  const type = str(resource['mimeType']) ?? 'binary';
  return `[resource ${uri}: ${type}, ${sizeText(base64Bytes(resource['blob']))} — not shown to the model]`;
}

function linkText(part: Record<string, unknown>): string {
  const name = str(part['title']) ?? str(part['name']) ?? 'resource';
  const type = str(part['mimeType']);
  const about = str(part['description']);
  return `[resource link: ${name} <${String(part['uri'])}>${type ? ` (${type})` : ''}${about ? ` — ${about}` : ''}]`;
}

/** One content part as text: text as it is; images, audio and binary resources as a placeholder that describes them. */
function partText(part: Record<string, unknown>): string {
  switch (part['type']) {
    case 'text':
      return typeof part['text'] === 'string' ? part['text'] : '';
    case 'image':
      return mediaPlaceholder('image', part);
    case 'audio':
      return mediaPlaceholder('audio', part);
    case 'resource':
      return resourceText((part['resource'] ?? {}) as Record<string, unknown>);
    case 'resource_link':
      return linkText(part);
    default:
      return `[${String(part['type'])} content — not shown to the model]`;
  }
}

/** The scalar values of a JSON value, as text. */
function leaves(value: unknown, out: string[] = []): string[] {
  if (value === null || value === undefined) return out;
  if (typeof value !== 'object') out.push(String(value));
  else for (const item of Object.values(value as Record<string, unknown>)) leaves(item, out);
  return out;
}

/**
 * Whether the text parts already carry the structured content: as its JSON (as the spec asks servers to add), or
 * with every value of it in the text (a server that returns `{ content: text }` beside the text itself).
 */
function textCarries(parts: readonly string[], structured: unknown): boolean {
  const wanted = JSON.stringify(structured);
  const asJson = parts.some((text) => {
    try {
      return JSON.stringify(JSON.parse(text)) === wanted;
    } catch {
      return false;
    }
  });
  if (asJson) return true;
  const text = parts.join('\n');
  const values = leaves(structured);
  return values.length > 0 && values.every((value) => text.includes(value));
}

/**
 * The text a model receives for an MCP tool result: the text parts, placeholders for images, audio and binary
 * resources (switchyard's tool results are text), links as links, and the structured content as JSON unless the
 * text already carries it (so that nothing is sent twice).
 */
export function mcpResultText(result: McpCallResult): string {
  const parts = (result.content ?? []).map(partText).filter((text) => text !== '');
  const structured = result.structuredContent;
  if (structured !== undefined && structured !== null && !textCarries(parts, structured)) {
    parts.push(JSON.stringify(structured));
  }
  return parts.length > 0 ? parts.join('\n') : '(the tool returned no content)';
}
