import type { TokenBook } from './token-book.js';
import { arrayAt, contentText, objectAt, type WireRequest } from './wire-format.js';

type Item = Record<string, unknown>;

/** The input items of a Responses request (a string input is one user message). */
function inputItems(body: Record<string, unknown>): Item[] {
  const input = body['input'];
  if (typeof input === 'string') return [{ role: 'user', content: input }];
  return arrayAt(body, 'input');
}

function isMessage(item: Item, roles: readonly string[]): boolean {
  return (item['type'] === undefined || item['type'] === 'message') && roles.includes(String(item['role']));
}

/**
 * Why the real API would refuse the reasoning sent back (stateless mode: every reasoning item must carry the
 * encrypted content it was given, and a function call sent with its item id must come with the reasoning item
 * that preceded it), in its words; undefined when it would not.
 */
function refusalOf(items: readonly Item[], book: TokenBook): string | undefined {
  const reasoningIds = new Set(items.filter((item) => item['type'] === 'reasoning').map((item) => String(item['id'])));
  for (const item of items) {
    if (item['type'] === 'reasoning') {
      const id = String(item['id']);
      if (item['encrypted_content'] === undefined || item['encrypted_content'] === null) {
        return `Item with id '${id}' not found. Items are not persisted when \`store\` is set to false. Try again with \`store\` set to true, or remove this item from your input.`;
      }
      if (!book.valid(item['encrypted_content'])) return `The encrypted content for item ${id} could not be verified.`;
    }
    const needs = item['type'] === 'function_call' && typeof item['id'] === 'string' ? book.reasoningBefore(item['id']) : undefined;
    if (needs !== undefined && !reasoningIds.has(needs)) {
      return `Item '${String(item['id'])}' of type 'function_call' was provided without its required 'reasoning' item: '${needs}'.`;
    }
  }
  return undefined;
}

/** A Responses request as the mock server reads it. */
export function parseResponses(body: Record<string, unknown>, book: TokenBook): WireRequest {
  const items = inputItems(body);
  const instructions = typeof body['instructions'] === 'string' ? [body['instructions']] : [];
  const system = [...instructions, ...items.filter((item) => isMessage(item, ['system', 'developer'])).map((item) => contentText(item['content']))];
  const text = items
    .map((item) => (isMessage(item, ['user', 'assistant']) ? contentText(item['content']) : item['type'] === 'function_call_output' ? contentText(item['output']) : ''))
    .filter((part) => part !== '');
  const reasoning = objectAt(body, 'reasoning');
  const effort = reasoning?.['effort'];
  const format = objectAt(objectAt(body, 'text'), 'format');
  const include = Array.isArray(body['include']) ? body['include'] : [];
  const request: WireRequest = {
    model: String(body['model'] ?? ''),
    stream: body['stream'] === true,
    system: system.join('\n'),
    text: text.join('\n'),
    lastUser: contentText(items.filter((item) => isMessage(item, ['user'])).at(-1)?.['content']),
    includeUsage: true,
    reasons: typeof effort === 'string' && effort !== 'none',
    showReasoning: typeof reasoning?.['summary'] === 'string',
    encryptedReasoning: include.includes('reasoning.encrypted_content'),
  };
  const outputSchema = format?.['type'] === 'json_schema' ? objectAt(format, 'schema') : undefined;
  if (outputSchema !== undefined) request.outputSchema = outputSchema;
  const refusal = refusalOf(items, book);
  if (refusal !== undefined) request.refusal = refusal;
  return request;
}
