import type { TokenBook } from './token-book.js';
import { arrayAt, contentText, objectAt, type WireRequest, type WireRoute } from './wire-format.js';

type Content = Record<string, unknown>;

/** The values Google documents for a function call whose signature is unknown (a call made by another model). */
const SKIP_VALUES = new Set(['skip_thought_signature_validator', 'context_engineering_is_the_way_to_go']);

/** Whether a model checks thought signatures, as Gemini 3 and later do (1.x and 2.x do not). */
function checksSignatures(model: string): boolean {
  return !/gemini-[12](\.|-)/.test(model);
}

const textOf = (content: Content | undefined) =>
  arrayAt(content, 'parts').filter((part) => typeof part['text'] === 'string' && part['thought'] !== true).map((part) => String(part['text'])).join('');

/**
 * Why Gemini would refuse the function calls sent back, in its words: in the current turn (since the last user
 * message with text), the first function call of each model step must carry the thought signature it was given
 * (or a documented skip value), and a signature sent must be one this server issued.
 */
function refusalOf(contents: readonly Content[], model: string, book: TokenBook): string | undefined {
  for (const content of contents) {
    for (const part of arrayAt(content, 'parts')) {
      const signature = part['thoughtSignature'];
      if (signature !== undefined && !SKIP_VALUES.has(String(signature)) && !book.valid(signature)) return 'Corrupted thought signature.';
    }
  }
  if (!checksSignatures(model)) return undefined;
  const turnStart = contents.findLastIndex((content) => content['role'] === 'user' && textOf(content) !== '');
  for (const [position, content] of contents.entries()) {
    if (position <= turnStart || content['role'] !== 'model') continue;
    const first = arrayAt(content, 'parts').find((part) => part['functionCall'] !== undefined);
    if (first === undefined || first['thoughtSignature'] !== undefined) continue;
    const name = String(objectAt(first, 'functionCall')?.['name'] ?? '');
    return (
      'Function call is missing a thought_signature in functionCall parts. This is required for tools to work correctly, ' +
      `and missing thought_signature may lead to degraded model performance. Additional data, function call \`default_api:${name}\` , ` +
      `position ${position + 1}. Please refer to https://ai.google.dev/gemini-api/docs/thought-signatures for more details.`
    );
  }
  return undefined;
}

/** A Gemini `generateContent` / `streamGenerateContent` request as the mock server reads it. */
export function parseGenerate(body: Record<string, unknown>, route: WireRoute, book: TokenBook): WireRequest {
  const contents = arrayAt(body, 'contents');
  const system = body['systemInstruction'] ?? body['system_instruction'];
  const config = objectAt(body, 'generationConfig') ?? {};
  const thinking = objectAt(config, 'thinkingConfig');
  const model = route.model ?? '';
  const request: WireRequest = {
    model,
    stream: route.stream === true,
    system: typeof system === 'string' ? system : contentText(objectAt(body, 'systemInstruction')?.['parts'] ?? objectAt(body, 'system_instruction')?.['parts']),
    text: contents.map((c) => contentText(c['parts'])).join('\n'),
    lastUser: textOf(contents.filter((c) => c['role'] === 'user' && textOf(c) !== '').at(-1)),
    includeUsage: true,
    reasons: thinking !== undefined && thinking['thinkingBudget'] !== 0,
    showReasoning: thinking?.['includeThoughts'] === true,
  };
  const schema = objectAt(config, 'responseJsonSchema') ?? objectAt(config, 'responseSchema');
  if (schema !== undefined) request.outputSchema = schema;
  const refusal = refusalOf(contents, model, book);
  if (refusal !== undefined) request.refusal = refusal;
  return request;
}
