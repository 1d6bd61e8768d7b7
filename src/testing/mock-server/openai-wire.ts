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

const FINISH: Record<FinishReason, string> = {
  stop: 'stop',
  length: 'length',
  'tool-calls': 'tool_calls',
  'content-filter': 'content_filter',
  other: 'function_call',
};

function parse(body: Record<string, unknown>): WireRequest {
  const messages = Array.isArray(body['messages']) ? (body['messages'] as Array<Record<string, unknown>>) : [];
  const system = messages.filter((m) => m['role'] === 'system' || m['role'] === 'developer');
  const rest = messages.filter((m) => m['role'] !== 'system' && m['role'] !== 'developer');
  const options = body['stream_options'] as { include_usage?: unknown } | undefined;
  return {
    model: String(body['model'] ?? ''),
    stream: body['stream'] === true,
    system: system.map((m) => contentText(m['content'])).join('\n'),
    text: rest.map((m) => contentText(m['content'])).join('\n'),
    includeUsage: options?.include_usage === true,
  };
}

function frames(reply: ScriptedReply, request: WireRequest, usage: Usage, id: string): Frames {
  const base = { id, object: 'chat.completion.chunk', created: Math.floor(Date.now() / 1000), model: request.model };
  const chunk = (delta: unknown, finish: string | null = null) =>
    sse({ ...base, choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }] });
  const tail: string[] = [];
  replyToolCalls(reply, 'call_mock_').forEach((call, index) => {
    const [first, second] = halves(JSON.stringify(call.args ?? {}));
    const opening = { index, id: call.id, type: 'function', function: { name: call.name, arguments: '' } };
    tail.push(chunk({ tool_calls: [opening] }));
    tail.push(chunk({ tool_calls: [{ index, function: { arguments: first } }] }));
    tail.push(chunk({ tool_calls: [{ index, function: { arguments: second } }] }));
  });
  tail.push(chunk({}, FINISH[replyFinish(reply)]));
  if (request.includeUsage) {
    const wireUsage = {
      prompt_tokens: usage.inputTokens,
      completion_tokens: usage.outputTokens,
      total_tokens: usage.inputTokens + usage.outputTokens,
      prompt_tokens_details: { cached_tokens: usage.cachedInputTokens },
      completion_tokens_details: { reasoning_tokens: usage.reasoningTokens },
    };
    tail.push(sse({ ...base, choices: [], usage: wireUsage }));
  }
  tail.push('data: [DONE]\n\n');
  return {
    head: [chunk({ role: 'assistant', content: '' })],
    tokens: chunkText(reply.text ?? '').map((text) => chunk({ content: text })),
    tail,
  };
}

function errorType(status: number): string {
  if (status === 429) return 'requests';
  return status >= 500 ? 'server_error' : 'invalid_request_error';
}

function errorBody(error: WireError): unknown {
  const code = error.code ?? (error.status === 401 ? 'invalid_api_key' : null);
  return { error: { message: error.message, type: errorType(error.status), param: null, code } };
}

/** OpenAI Chat Completions: `POST …/chat/completions`, SSE `data:` chunks then `data: [DONE]`. */
export const openaiWire: WireFormat = {
  family: 'openai',
  route: (method, pathname) => (method === 'POST' && pathname.endsWith('/chat/completions') ? {} : undefined),
  parse,
  frames,
  malformed: 'data: {"id":"chatcmpl-mock","choices":[{"delta": not json\n\n',
  errorBody,
  requestIdHeader: 'x-request-id',
  usageKeys: { inputTokens: 'prompt_tokens', outputTokens: 'completion_tokens', cachedInputTokens: 'cached_tokens', reasoningTokens: 'reasoning_tokens' },
};
