import type { FinishReason } from '../../models/types.js';
import { parseGenerate } from './google-request.js';
import type { TokenBook } from './token-book.js';
import type { Frames, ReplyView, WireError, WireFormat, WireRequest } from './wire-format.js';

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

function usageMetadata(view: ReplyView) {
  const { usage } = view;
  return {
    promptTokenCount: usage.inputTokens,
    cachedContentTokenCount: usage.cachedInputTokens,
    candidatesTokenCount: usage.outputTokens - usage.reasoningTokens,
    thoughtsTokenCount: usage.reasoningTokens,
    totalTokenCount: usage.inputTokens + usage.outputTokens,
  };
}

/**
 * The reply's function calls as parts, the first one signed (as Gemini signs the first call of a step), and the
 * signature of a text reply of a thinking request (on its last part).
 */
function signedParts(view: ReplyView, request: WireRequest, book: TokenBook): { calls: unknown[]; textSignature?: string } {
  const calls = view.toolCalls.map((call, i) => {
    const part: Record<string, unknown> = { functionCall: { id: call.id, name: call.name, args: call.args ?? {} } };
    if (i === 0) part['thoughtSignature'] = book.issue('thought');
    return part;
  });
  if (calls.length > 0 || !request.reasons) return { calls };
  return { calls, textSignature: book.issue('thought') };
}

function frames(view: ReplyView, request: WireRequest, book: TokenBook): Frames {
  const response = (parts: unknown[], finishReason?: string) => ({
    candidates: [{ content: { parts, role: 'model' }, index: 0, ...(finishReason ? { finishReason } : {}) }],
    modelVersion: request.model,
    responseId: view.id,
  });
  const { calls, textSignature } = signedParts(view, request, book);
  const tail = calls.length === 0 ? [] : [frame(response(calls))];
  const last = textSignature === undefined ? { text: '' } : { text: '', thoughtSignature: textSignature };
  tail.push(frame({ ...response([last], FINISH[view.finish]), usageMetadata: usageMetadata(view) }));
  return {
    head: view.reasoningChunks.map((text) => frame(response([{ text, thought: true }]))),
    tokens: view.chunks.map((text) => frame(response([{ text }]))),
    tail,
  };
}

/** One `GenerateContentResponse`, as `generateContent` returns it. */
function body(view: ReplyView, request: WireRequest, book: TokenBook): unknown {
  const { calls, textSignature } = signedParts(view, request, book);
  const parts: unknown[] = view.reasoning === '' ? [] : [{ text: view.reasoning, thought: true }];
  if (view.text !== '') parts.push(textSignature === undefined ? { text: view.text } : { text: view.text, thoughtSignature: textSignature });
  parts.push(...calls);
  return {
    candidates: [{ content: { parts, role: 'model' }, index: 0, finishReason: FINISH[view.finish] }],
    usageMetadata: usageMetadata(view),
    modelVersion: request.model,
    responseId: view.id,
  };
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

/**
 * Gemini: `POST /v1beta/models/{model}:streamGenerateContent?alt=sse` (`data:` GenerateContentResponse chunks) or
 * `:generateContent` (one JSON body).
 */
export const googleWire: WireFormat = {
  family: 'google',
  api: 'generate-content',
  route: (method, pathname) => {
    const match = method === 'POST' ? ROUTE.exec(pathname) : null;
    if (!match?.[1]) return undefined;
    return { model: decodeURIComponent(match[1]), stream: match[2] === 'streamGenerateContent' };
  },
  parse: parseGenerate,
  frames,
  body,
  malformed: 'data: {"candidates": [ not json\r\n\r\n',
  toolPrefix: 'call_mock_',
  errorBody,
  requestIdHeader: 'x-request-id',
  usageKeys: { inputTokens: 'promptTokenCount', outputTokens: 'candidatesTokenCount', cachedInputTokens: 'cachedContentTokenCount', reasoningTokens: 'thoughtsTokenCount' },
};
