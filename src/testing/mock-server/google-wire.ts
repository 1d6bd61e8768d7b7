import type { FinishReason, Usage } from '../../models/types.js';
import { chunkText, type ScriptedReply } from '../script.js';
import {
  contentText,
  replyFinish,
  replyToolCalls,
  type Frames,
  type WireError,
  type WireFormat,
  type WireRequest,
} from './wire-format.js';

const FINISH: Record<FinishReason, string> = {
  stop: 'STOP',
  length: 'MAX_TOKENS',
  'tool-calls': 'STOP',
  'content-filter': 'SAFETY',
  other: 'OTHER',
};

const ROUTE = /\/models\/([^/]+):(streamGenerateContent|generateContent)$/;

/** Gemini's SSE: `data: <GenerateContentResponse>` events separated by CRLF pairs. */
function frame(data: unknown): string {
  return `data: ${JSON.stringify(data)}\r\n\r\n`;
}

function parse(body: Record<string, unknown>, route: { model?: string; stream?: boolean }): WireRequest {
  const contents = Array.isArray(body['contents']) ? (body['contents'] as Array<Record<string, unknown>>) : [];
  const system = body['systemInstruction'] ?? body['system_instruction'];
  const systemParts = (system as { parts?: unknown } | undefined)?.parts;
  return {
    model: route.model ?? '',
    stream: route.stream === true,
    system: typeof system === 'string' ? system : contentText(systemParts),
    text: contents.map((c) => contentText(c['parts'])).join('\n'),
    includeUsage: true,
  };
}

function frames(reply: ScriptedReply, request: WireRequest, usage: Usage, id: string): Frames {
  const response = (parts: unknown[], finishReason?: string) => ({
    candidates: [{ content: { parts, role: 'model' }, index: 0, ...(finishReason ? { finishReason } : {}) }],
    modelVersion: request.model,
    responseId: id,
  });
  const calls = replyToolCalls(reply, 'call_mock_');
  const tail = calls.length === 0 ? [] : [frame(response(calls.map((c) => ({ functionCall: c }))))];
  const candidates = usage.outputTokens - usage.reasoningTokens;
  const usageMetadata = {
    promptTokenCount: usage.inputTokens,
    cachedContentTokenCount: usage.cachedInputTokens,
    candidatesTokenCount: candidates,
    thoughtsTokenCount: usage.reasoningTokens,
    totalTokenCount: usage.inputTokens + usage.outputTokens,
  };
  tail.push(frame({ ...response([{ text: '' }], FINISH[replyFinish(reply)]), usageMetadata }));
  return { head: [], tokens: chunkText(reply.text ?? '').map((text) => frame(response([{ text }]))), tail };
}

const STATUS: Record<number, string> = { 400: 'INVALID_ARGUMENT', 401: 'UNAUTHENTICATED', 403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND', 408: 'DEADLINE_EXCEEDED', 413: 'INVALID_ARGUMENT', 429: 'RESOURCE_EXHAUSTED', 500: 'INTERNAL',
  503: 'UNAVAILABLE', 504: 'DEADLINE_EXCEEDED' };

function errorBody(error: WireError): unknown {
  const details: unknown[] = [];
  if (error.code !== undefined) {
    details.push({ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: error.code, domain: 'googleapis.com' });
  }
  if (error.retryAfterMs !== undefined) {
    details.push({ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: `${error.retryAfterMs / 1000}s` });
  }
  const status = STATUS[error.status] ?? (error.status >= 500 ? 'UNKNOWN' : 'FAILED_PRECONDITION');
  return { error: { code: error.status, message: error.message, status, ...(details.length ? { details } : {}) } };
}

/** Gemini: `POST /v1beta/models/{model}:streamGenerateContent?alt=sse`, `data:` GenerateContentResponse chunks. */
export const googleWire: WireFormat = {
  family: 'google',
  route: (method, pathname) => {
    const match = method === 'POST' ? ROUTE.exec(pathname) : null;
    if (!match?.[1]) return undefined;
    return { model: decodeURIComponent(match[1]), stream: match[2] === 'streamGenerateContent' };
  },
  parse,
  frames,
  malformed: 'data: {"candidates": [ not json\r\n\r\n',
  errorBody,
  requestIdHeader: 'x-request-id',
  usageKeys: { inputTokens: 'promptTokenCount', outputTokens: 'candidatesTokenCount', cachedInputTokens: 'cachedContentTokenCount', reasoningTokens: 'thoughtsTokenCount' },
};
