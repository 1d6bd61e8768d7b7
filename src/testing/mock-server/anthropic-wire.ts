import type { FinishReason } from '../../models/types.js';
import { parseMessages } from './anthropic-request.js';
import type { TokenBook } from './token-book.js';
import { halves, sse, type Frames, type ReplyView, type WireError, type WireFormat, type WireRequest } from './wire-format.js';

const STOP: Record<FinishReason, string> = {
  stop: 'end_turn',
  length: 'max_tokens',
  'tool-calls': 'tool_use',
  'content-filter': 'refusal',
  other: 'pause_turn',
};

/** An SSE frame named after its data's type, as Anthropic sends them. */
function ev(data: { type: string } & Record<string, unknown>): string {
  return sse(data, data.type);
}

/** A tool_use block: start, the input JSON in pieces, stop. */
function toolBlock(index: number, id: string, name: string, pieces: string[]): string[] {
  return [
    ev({ type: 'content_block_start', index, content_block: { type: 'tool_use', id, name, input: {} } }),
    ...pieces.map((partial_json) => ev({ type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json } })),
    ev({ type: 'content_block_stop', index }),
  ];
}

/** A thinking block (only under `thinking`): its text, when shown, then its signature. */
function thinkingBlock(view: ReplyView, signature: string): string[] {
  return [
    ev({ type: 'content_block_start', index: 0, content_block: { type: 'thinking', thinking: '', signature: '' } }),
    ...view.reasoningChunks.map((thinking) => ev({ type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking } })),
    ev({ type: 'content_block_delta', index: 0, delta: { type: 'signature_delta', signature } }),
    ev({ type: 'content_block_stop', index: 0 }),
  ];
}

function stopReason(view: ReplyView, request: WireRequest): string {
  return request.forcedTool !== undefined && view.finish === 'stop' ? 'tool_use' : STOP[view.finish];
}

function startUsage(view: ReplyView) {
  const { usage } = view;
  return {
    input_tokens: Math.max(0, usage.inputTokens - usage.cachedInputTokens - usage.cacheWriteTokens),
    cache_read_input_tokens: usage.cachedInputTokens,
    cache_creation_input_tokens: usage.cacheWriteTokens,
  };
}

function frames(view: ReplyView, request: WireRequest, book: TokenBook): Frames {
  const forced = request.forcedTool;
  const message = { id: view.id, type: 'message', role: 'assistant', model: request.model, content: [], stop_reason: null,
    stop_sequence: null, usage: { ...startUsage(view), output_tokens: 1 } };
  const head = [ev({ type: 'message_start', message }), ev({ type: 'ping' })];
  let index = 0;
  if (request.reasons) {
    head.push(...thinkingBlock(view, book.issue('thinking')));
    index = 1;
  }
  let tokens: string[] = [];
  const tail: string[] = [];
  if (forced !== undefined) {
    const [start = '', ...rest] = toolBlock(index, `toolu_mock_${view.id}`, forced, view.chunks);
    head.push(start);
    tokens = rest.slice(0, -1);
    tail.push(rest.at(-1)!);
    index += 1;
  } else if (view.chunks.length > 0) {
    head.push(ev({ type: 'content_block_start', index, content_block: { type: 'text', text: '' } }));
    tokens = view.chunks.map((text) => ev({ type: 'content_block_delta', index, delta: { type: 'text_delta', text } }));
    tail.push(ev({ type: 'content_block_stop', index }));
    index += 1;
  }
  for (const call of view.toolCalls) {
    tail.push(...toolBlock(index, call.id, call.name, halves(JSON.stringify(call.args ?? {}))));
    index += 1;
  }
  const finalUsage = { output_tokens: view.usage.outputTokens, output_tokens_details: { thinking_tokens: view.usage.reasoningTokens } };
  tail.push(
    ev({ type: 'message_delta', delta: { stop_reason: stopReason(view, request), stop_sequence: null }, usage: finalUsage }),
    ev({ type: 'message_stop' }),
  );
  return { head, tokens, tail };
}

/** A forced tool's input: the reply text as JSON (a scripted text that is not JSON gives an empty input). */
function jsonInput(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return {};
  }
}

/** A `message` object, as a non-streaming request gets it. */
function body(view: ReplyView, request: WireRequest, book: TokenBook): unknown {
  const content: unknown[] = [];
  if (request.reasons) content.push({ type: 'thinking', thinking: view.reasoning, signature: book.issue('thinking') });
  if (request.forcedTool !== undefined) {
    content.push({ type: 'tool_use', id: `toolu_mock_${view.id}`, name: request.forcedTool, input: jsonInput(view.text) });
  } else if (view.text !== '') content.push({ type: 'text', text: view.text });
  for (const call of view.toolCalls) content.push({ type: 'tool_use', id: call.id, name: call.name, input: call.args ?? {} });
  const usage = { ...startUsage(view), output_tokens: view.usage.outputTokens, output_tokens_details: { thinking_tokens: view.usage.reasoningTokens } };
  return { id: view.id, type: 'message', role: 'assistant', model: request.model, content, stop_reason: stopReason(view, request), stop_sequence: null, usage };
}

function errorType(status: number): string {
  const types: Record<number, string> = { 400: 'invalid_request_error', 401: 'authentication_error',
    402: 'billing_error', 403: 'permission_error', 404: 'not_found_error', 408: 'timeout_error',
    413: 'request_too_large', 429: 'rate_limit_error', 503: 'overloaded_error', 504: 'timeout_error',
    529: 'overloaded_error' };
  return types[status] ?? (status >= 500 ? 'api_error' : 'invalid_request_error');
}

function errorBody(error: WireError): unknown {
  return {
    type: 'error',
    error: { type: error.code ?? errorType(error.status), message: error.message },
    request_id: error.requestId,
  };
}

/** Anthropic Messages: `POST /v1/messages`, SSE with named events (message_start … message_stop, ping), or one JSON body. */
export const anthropicWire: WireFormat = {
  family: 'anthropic',
  api: 'messages',
  route: (method, pathname) => (method === 'POST' && pathname.endsWith('/v1/messages') ? {} : undefined),
  parse: (body, _route, book) => parseMessages(body, book),
  frames,
  body,
  malformed: 'event: content_block_delta\ndata: {"type":"content_block_delta", not json\n\n',
  toolPrefix: 'toolu_mock_',
  errorBody,
  requestIdHeader: 'request-id',
  usageKeys: { inputTokens: 'input_tokens', outputTokens: 'output_tokens', cachedInputTokens: 'cache_read_input_tokens', cacheWriteTokens: 'cache_creation_input_tokens', reasoningTokens: 'thinking_tokens' },
};
