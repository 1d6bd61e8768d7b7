import type { FinishReason, Usage } from '../../models/types.js';
import { chunkText, type ScriptedReply } from '../script.js';
import {
  contentText,
  halves,
  replyFinish,
  replyToolCalls,
  sse,
  type Frames,
  type WireError,
  type WireFormat,
  type WireRequest,
} from './wire-format.js';

const STOP: Record<FinishReason, string> = {
  stop: 'end_turn',
  length: 'max_tokens',
  'tool-calls': 'tool_use',
  'content-filter': 'refusal',
  other: 'pause_turn',
};

function parse(body: Record<string, unknown>): WireRequest {
  const messages = Array.isArray(body['messages']) ? (body['messages'] as Array<Record<string, unknown>>) : [];
  const choice = body['tool_choice'] as { type?: unknown; name?: unknown } | undefined;
  return {
    model: String(body['model'] ?? ''),
    stream: body['stream'] === true,
    system: contentText(body['system']),
    text: messages.map((m) => contentText(m['content'])).join('\n'),
    includeUsage: true,
    ...(choice?.type === 'tool' && typeof choice.name === 'string' ? { forcedTool: choice.name } : {}),
  };
}

/** An SSE frame named after its data's type, as Anthropic sends them. */
function ev(data: { type: string } & Record<string, unknown>): string {
  return sse(data, data.type);
}

/** A tool_use block: start, the input JSON in pieces, stop. */
function toolBlock(index: number, id: string, name: string, pieces: string[]): string[] {
  return [
    ev({ type: 'content_block_start', index, content_block: { type: 'tool_use', id, name, input: {} } }),
    ...pieces.map((partial_json) =>
      ev({ type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json } }),
    ),
    ev({ type: 'content_block_stop', index }),
  ];
}

function frames(reply: ScriptedReply, request: WireRequest, usage: Usage, id: string): Frames {
  const forced = request.forcedTool;
  const chunks = chunkText(reply.text ?? '');
  const wireUsage = {
    input_tokens: Math.max(0, usage.inputTokens - usage.cachedInputTokens - usage.cacheWriteTokens),
    cache_read_input_tokens: usage.cachedInputTokens,
    cache_creation_input_tokens: usage.cacheWriteTokens,
    output_tokens: 1,
  };
  const message = { id, type: 'message', role: 'assistant', model: request.model, content: [], stop_reason: null,
    stop_sequence: null, usage: wireUsage };
  const head = [ev({ type: 'message_start', message }), ev({ type: 'ping' })];
  let tokens: string[] = [];
  let index = 0;
  if (forced !== undefined) {
    const [start = '', ...rest] = toolBlock(0, `toolu_mock_${id}`, forced, chunks);
    head.push(start);
    tokens = rest.slice(0, -1);
    index = 1;
  } else if (chunks.length > 0) {
    head.push(ev({ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }));
    tokens = chunks.map((text) =>
      ev({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text } }),
    );
    index = 1;
  }
  const tail: string[] = index === 1 ? [ev({ type: 'content_block_stop', index: 0 })] : [];
  for (const call of replyToolCalls(reply, 'toolu_mock_')) {
    tail.push(...toolBlock(index, call.id, call.name, halves(JSON.stringify(call.args ?? {}))));
    index += 1;
  }
  const finish = replyFinish(reply);
  const stopReason = forced !== undefined && finish === 'stop' ? 'tool_use' : STOP[finish];
  const finalUsage = { output_tokens: usage.outputTokens, output_tokens_details: { thinking_tokens: usage.reasoningTokens } };
  tail.push(
    ev({ type: 'message_delta', delta: { stop_reason: stopReason, stop_sequence: null }, usage: finalUsage }),
    ev({ type: 'message_stop' }),
  );
  return { head, tokens, tail };
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

/** Anthropic Messages: `POST /v1/messages`, SSE with named events (message_start … message_stop, ping). */
export const anthropicWire: WireFormat = {
  family: 'anthropic',
  route: (method, pathname) => (method === 'POST' && pathname.endsWith('/v1/messages') ? {} : undefined),
  parse,
  frames,
  malformed: 'event: content_block_delta\ndata: {"type":"content_block_delta", not json\n\n',
  errorBody,
  requestIdHeader: 'request-id',
  usageKeys: { inputTokens: 'input_tokens', outputTokens: 'output_tokens', cachedInputTokens: 'cache_read_input_tokens', cacheWriteTokens: 'cache_creation_input_tokens', reasoningTokens: 'thinking_tokens' },
};
