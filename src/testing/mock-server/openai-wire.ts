import type { FinishReason } from '../../models/types.js';
import {
  arrayAt,
  contentText,
  halves,
  objectAt,
  sse,
  type Frames,
  type ReplyView,
  type WireError,
  type WireFormat,
  type WireRequest,
} from './wire-format.js';

const FINISH: Record<FinishReason, string> = {
  stop: 'stop',
  length: 'length',
  'tool-calls': 'tool_calls',
  'content-filter': 'content_filter',
  other: 'function_call',
};

function parse(body: Record<string, unknown>): WireRequest {
  const messages = arrayAt(body, 'messages');
  const system = messages.filter((m) => m['role'] === 'system' || m['role'] === 'developer');
  const rest = messages.filter((m) => m['role'] !== 'system' && m['role'] !== 'developer');
  const effort = body['reasoning_effort'];
  const reasons = typeof effort === 'string' && effort !== 'none';
  const schema = objectAt(objectAt(body, 'response_format'), 'json_schema');
  const request: WireRequest = {
    model: String(body['model'] ?? ''),
    stream: body['stream'] === true,
    system: system.map((m) => contentText(m['content'])).join('\n'),
    text: rest.map((m) => contentText(m['content'])).join('\n'),
    lastUser: contentText(rest.filter((m) => m['role'] === 'user').at(-1)?.['content']),
    includeUsage: objectAt(body, 'stream_options')?.['include_usage'] === true,
    // OpenAI-compatible reasoning servers (vLLM, DeepSeek) stream their reasoning as `reasoning_content`.
    reasons,
    showReasoning: reasons,
  };
  const outputSchema = objectAt(schema, 'schema');
  return outputSchema === undefined ? request : { ...request, outputSchema };
}

function wireUsage(view: ReplyView) {
  const { usage } = view;
  return {
    prompt_tokens: usage.inputTokens,
    completion_tokens: usage.outputTokens,
    total_tokens: usage.inputTokens + usage.outputTokens,
    prompt_tokens_details: { cached_tokens: usage.cachedInputTokens },
    completion_tokens_details: { reasoning_tokens: usage.reasoningTokens },
  };
}

function frames(view: ReplyView, request: WireRequest): Frames {
  const base = { id: view.id, object: 'chat.completion.chunk', created: Math.floor(Date.now() / 1000), model: request.model };
  const chunk = (delta: unknown, finish: string | null = null) =>
    sse({ ...base, choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }] });
  const tail: string[] = [];
  view.toolCalls.forEach((call, index) => {
    const [first, second] = halves(JSON.stringify(call.args ?? {}));
    const opening = { index, id: call.id, type: 'function', function: { name: call.name, arguments: '' } };
    tail.push(chunk({ tool_calls: [opening] }));
    tail.push(chunk({ tool_calls: [{ index, function: { arguments: first } }] }));
    tail.push(chunk({ tool_calls: [{ index, function: { arguments: second } }] }));
  });
  tail.push(chunk({}, FINISH[view.finish]));
  if (request.includeUsage) tail.push(sse({ ...base, choices: [], usage: wireUsage(view) }));
  tail.push('data: [DONE]\n\n');
  return {
    head: [chunk({ role: 'assistant', content: '' }), ...view.reasoningChunks.map((text) => chunk({ reasoning_content: text }))],
    tokens: view.chunks.map((text) => chunk({ content: text })),
    tail,
  };
}

/** A `chat.completion` object, as a non-streaming request gets it. */
function body(view: ReplyView, request: WireRequest): unknown {
  const message: Record<string, unknown> = { role: 'assistant', content: view.text === '' && view.toolCalls.length > 0 ? null : view.text, refusal: null };
  if (view.reasoning !== '') message['reasoning_content'] = view.reasoning;
  if (view.toolCalls.length > 0) {
    message['tool_calls'] = view.toolCalls.map((call) => ({
      id: call.id,
      type: 'function',
      function: { name: call.name, arguments: JSON.stringify(call.args ?? {}) },
    }));
  }
  return {
    id: view.id,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: request.model,
    choices: [{ index: 0, message, logprobs: null, finish_reason: FINISH[view.finish] }],
    usage: wireUsage(view),
  };
}

function errorType(status: number): string {
  if (status === 429) return 'requests';
  return status >= 500 ? 'server_error' : 'invalid_request_error';
}

/** The error body of both OpenAI APIs. */
export function openaiErrorBody(error: WireError): unknown {
  const code = error.code ?? (error.status === 401 ? 'invalid_api_key' : null);
  return { error: { message: error.message, type: errorType(error.status), param: null, code } };
}

/** OpenAI Chat Completions: `POST …/chat/completions`, SSE `data:` chunks then `data: [DONE]`, or one JSON body. */
export const openaiWire: WireFormat = {
  family: 'openai',
  api: 'chat',
  route: (method, pathname) => (method === 'POST' && pathname.endsWith('/chat/completions') ? {} : undefined),
  parse,
  frames,
  body,
  malformed: 'data: {"id":"chatcmpl-mock","choices":[{"delta": not json\n\n',
  toolPrefix: 'call_mock_',
  errorBody: openaiErrorBody,
  requestIdHeader: 'x-request-id',
  usageKeys: { inputTokens: 'prompt_tokens', outputTokens: 'completion_tokens', cachedInputTokens: 'cached_tokens', reasoningTokens: 'reasoning_tokens' },
};
