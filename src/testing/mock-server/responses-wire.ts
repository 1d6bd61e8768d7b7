import { openaiErrorBody } from './openai-wire.js';
import { parseResponses } from './responses-request.js';
import type { TokenBook } from './token-book.js';
import { halves, sse, type Frames, type ReplyView, type WireFormat, type WireRequest } from './wire-format.js';

type Item = Record<string, unknown>;

/** The output items of a reply, complete: reasoning (when the model reasoned), the message, the function calls. */
function outputItems(view: ReplyView, request: WireRequest, book: TokenBook): Item[] {
  const items: Item[] = [];
  let reasoningId: string | undefined;
  if (view.reasoned) {
    reasoningId = `rs_${view.id}`;
    const summary = view.reasoning === '' ? [] : [{ type: 'summary_text', text: view.reasoning }];
    const item: Item = { id: reasoningId, type: 'reasoning', summary };
    if (request.encryptedReasoning) item['encrypted_content'] = book.issue('reasoning');
    items.push(item);
  }
  if (view.text !== '' || view.toolCalls.length === 0) {
    const content = [{ type: 'output_text', text: view.text, annotations: [], logprobs: [] }];
    items.push({ id: `msg_${view.id}`, type: 'message', status: 'completed', role: 'assistant', content });
  }
  view.toolCalls.forEach((call, i) => {
    const id = `fc_${view.id}_${i + 1}`;
    if (reasoningId !== undefined) book.follows(id, reasoningId);
    items.push({ id, type: 'function_call', status: 'completed', call_id: call.id, name: call.name, arguments: JSON.stringify(call.args ?? {}) });
  });
  return items;
}

function wireUsage(view: ReplyView) {
  const { usage } = view;
  return {
    input_tokens: usage.inputTokens,
    input_tokens_details: { cached_tokens: usage.cachedInputTokens },
    output_tokens: usage.outputTokens,
    output_tokens_details: { reasoning_tokens: usage.reasoningTokens },
    total_tokens: usage.inputTokens + usage.outputTokens,
  };
}

const INCOMPLETE: Partial<Record<ReplyView['finish'], string>> = { length: 'max_output_tokens', 'content-filter': 'content_filter' };

/** The response object: in progress (no output yet) or finished. */
function responseObject(view: ReplyView, request: WireRequest, output: Item[] | undefined): Item {
  const incomplete = INCOMPLETE[view.finish];
  const status = output === undefined ? 'in_progress' : incomplete === undefined ? 'completed' : 'incomplete';
  return {
    id: `resp_${view.id}`,
    object: 'response',
    created_at: Math.floor(Date.now() / 1000),
    status,
    model: request.model,
    output: output ?? [],
    error: null,
    incomplete_details: status === 'incomplete' ? { reason: incomplete } : null,
    usage: output === undefined ? null : wireUsage(view),
    store: false,
  };
}

/** The stream events of one reasoning item: added, the summary part and its text deltas, done. */
function reasoningEvents(item: Item, view: ReplyView, index: number, ev: (data: Item) => string): string[] {
  const itemId = item['id'];
  const out = [ev({ type: 'response.output_item.added', output_index: index, item: { id: itemId, type: 'reasoning', summary: [] } })];
  if (view.reasoning !== '') {
    const part = { item_id: itemId, output_index: index, summary_index: 0 };
    out.push(ev({ type: 'response.reasoning_summary_part.added', ...part, part: { type: 'summary_text', text: '' } }));
    for (const delta of view.reasoningChunks) out.push(ev({ type: 'response.reasoning_summary_text.delta', ...part, delta }));
    out.push(ev({ type: 'response.reasoning_summary_text.done', ...part, text: view.reasoning }));
    out.push(ev({ type: 'response.reasoning_summary_part.done', ...part, part: { type: 'summary_text', text: view.reasoning } }));
  }
  out.push(ev({ type: 'response.output_item.done', output_index: index, item }));
  return out;
}

/** The stream events of a function call: added (no arguments yet), the arguments in two deltas, done. */
function callEvents(item: Item, index: number, ev: (data: Item) => string): string[] {
  const args = String(item['arguments']);
  const ids = { item_id: item['id'], output_index: index };
  return [
    ev({ type: 'response.output_item.added', output_index: index, item: { ...item, status: 'in_progress', arguments: '' } }),
    ...halves(args).map((delta) => ev({ type: 'response.function_call_arguments.delta', ...ids, delta })),
    ev({ type: 'response.function_call_arguments.done', ...ids, arguments: args }),
    ev({ type: 'response.output_item.done', output_index: index, item }),
  ];
}

/** The event-named SSE of a streamed response, `response.created` to `response.completed` (or `.incomplete`). */
function frames(view: ReplyView, request: WireRequest, book: TokenBook): Frames {
  let seq = 0;
  const ev = (data: Item) => sse({ ...data, sequence_number: seq++ }, String(data['type']));
  const items = outputItems(view, request, book);
  const head = [
    ev({ type: 'response.created', response: responseObject(view, request, undefined) }),
    ev({ type: 'response.in_progress', response: responseObject(view, request, undefined) }),
  ];
  let tokens: string[] = [];
  const tail: string[] = [];
  items.forEach((item, index) => {
    if (item['type'] === 'reasoning') head.push(...reasoningEvents(item, view, index, ev));
    else if (item['type'] === 'function_call') tail.push(...callEvents(item, index, ev));
    else {
      const ids = { item_id: item['id'], output_index: index, content_index: 0 };
      const part = { type: 'output_text', text: '', annotations: [] };
      head.push(ev({ type: 'response.output_item.added', output_index: index, item: { ...item, status: 'in_progress', content: [] } }));
      head.push(ev({ type: 'response.content_part.added', ...ids, part }));
      tokens = view.chunks.map((delta) => ev({ type: 'response.output_text.delta', ...ids, delta, logprobs: [] }));
      tail.push(ev({ type: 'response.output_text.done', ...ids, text: view.text, logprobs: [] }));
      tail.push(ev({ type: 'response.content_part.done', ...ids, part: { ...part, text: view.text } }));
      tail.push(ev({ type: 'response.output_item.done', output_index: index, item }));
    }
  });
  const done = responseObject(view, request, items);
  tail.push(ev({ type: done['status'] === 'incomplete' ? 'response.incomplete' : 'response.completed', response: done }));
  return { head, tokens, tail };
}

/** OpenAI Responses: `POST …/responses`, event-named SSE (`response.created` … `response.completed`), or one JSON body. */
export const responsesWire: WireFormat = {
  family: 'openai',
  api: 'responses',
  route: (method, pathname) => (method === 'POST' && pathname.endsWith('/responses') ? {} : undefined),
  parse: (body, _route, book) => parseResponses(body, book),
  frames,
  body: (view, request, book) => responseObject(view, request, outputItems(view, request, book)),
  malformed: 'event: response.output_text.delta\ndata: {"type":"response.output_text.delta", not json\n\n',
  toolPrefix: 'call_mock_',
  errorBody: openaiErrorBody,
  requestIdHeader: 'x-request-id',
  usageKeys: { inputTokens: 'input_tokens', outputTokens: 'output_tokens', cachedInputTokens: 'cached_tokens', reasoningTokens: 'reasoning_tokens' },
};
