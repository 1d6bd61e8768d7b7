import type { TokenBook } from './token-book.js';
import { arrayAt, contentText, objectAt, type WireRequest } from './wire-format.js';

type Message = Record<string, unknown>;
type Block = Record<string, unknown>;

const blocksOf = (message: Message | undefined): Block[] => arrayAt(message, 'content');
const isThinking = (block: Block | undefined) => block?.['type'] === 'thinking' || block?.['type'] === 'redacted_thinking';

/** The text blocks of a user message (a string content is one), without its tool results. */
function userText(message: Message): string {
  const content = message['content'];
  if (typeof content === 'string') return content;
  return blocksOf(message).filter((block) => block['type'] === 'text').map((block) => String(block['text'] ?? '')).join('');
}

/**
 * Why the real API would refuse the thinking sent back, in its words: a thinking block whose signature this
 * server did not issue; with thinking on, a tool loop whose assistant turn does not start with its thinking
 * block; thinking under a forced tool choice. Undefined when it would not.
 */
function refusalOf(body: Record<string, unknown>, messages: readonly Message[], thinking: boolean, book: TokenBook): string | undefined {
  for (const [i, message] of messages.entries()) {
    for (const [j, block] of blocksOf(message).entries()) {
      if (block['type'] === 'thinking' && !book.valid(block['signature'])) return `messages.${i}.content.${j}: Invalid \`signature\` in \`thinking\` block`;
    }
  }
  if (!thinking) return undefined;
  const choice = objectAt(body, 'tool_choice')?.['type'];
  if (choice === 'tool' || choice === 'any') return 'Thinking may not be enabled when tool_choice forces tool use.';
  const last = messages.at(-1);
  const continuing = last?.['role'] === 'user' && blocksOf(last).some((block) => block['type'] === 'tool_result');
  const index = messages.length - 2;
  const turn = messages[index];
  if (!continuing || turn?.['role'] !== 'assistant' || isThinking(blocksOf(turn)[0])) return undefined;
  const found = String(blocksOf(turn)[0]?.['type'] ?? 'text');
  return (
    `messages.${index}.content.0.type: Expected \`thinking\` or \`redacted_thinking\`, but found \`${found}\`. When \`thinking\` is ` +
    'enabled, a final `assistant` message must start with a thinking block (preceeding the lastmost set of `tool_use` and ' +
    '`tool_result` blocks). We recommend you include thinking blocks from previous turns. To avoid this requirement, disable `thinking`.'
  );
}

/** An Anthropic Messages request as the mock server reads it. */
export function parseMessages(body: Record<string, unknown>, book: TokenBook): WireRequest {
  const messages = arrayAt(body, 'messages');
  const choice = objectAt(body, 'tool_choice');
  const thinking = objectAt(body, 'thinking');
  const thinks = thinking?.['type'] === 'enabled' || thinking?.['type'] === 'adaptive';
  const request: WireRequest = {
    model: String(body['model'] ?? ''),
    stream: body['stream'] === true,
    system: contentText(body['system']),
    text: messages.map((m) => contentText(m['content'])).join('\n'),
    lastUser: userText(messages.filter((m) => m['role'] === 'user' && userText(m) !== '').at(-1) ?? {}),
    includeUsage: true,
    reasons: thinks,
    showReasoning: thinks && thinking?.['display'] !== 'omitted',
  };
  if (choice?.['type'] === 'tool' && typeof choice['name'] === 'string') {
    request.forcedTool = choice['name'];
    const tool = arrayAt(body, 'tools').find((t) => t['name'] === choice['name']);
    const schema = objectAt(tool, 'input_schema');
    if (schema !== undefined) request.outputSchema = schema;
  }
  const refusal = refusalOf(body, messages, thinks, book);
  if (refusal !== undefined) request.refusal = refusal;
  return request;
}
