import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { defaultCatalog } from '../../models/default-catalog.js';
import { completeReply } from '../generated-reply.js';
import { replyFor, type Script } from '../script.js';
import { anthropicWire } from './anthropic-wire.js';
import { googleWire } from './google-wire.js';
import { openaiWire } from './openai-wire.js';
import { respond, sendError, type Exchange } from './respond.js';
import { responsesWire } from './responses-wire.js';
import { TokenBook } from './token-book.js';
import type { MockServer, MockServerOptions, RecordedRequest } from './types.js';
import { wireAttachments } from './wire-attachments.js';
import type { WireFormat, WireRequest, WireRoute } from './wire-format.js';

const WIRES: readonly WireFormat[] = [openaiWire, responsesWire, anthropicWire, googleWire];

/** The catalog id of a wire model id (`gemini-3-flash-preview` → `gemini-3-flash`), so generated replies name it as `simulated()` does. */
function catalogId(wireModel: string): string {
  for (const model of defaultCatalog) if (model.id === wireModel || model.apiModel === wireModel) return model.id;
  return wireModel;
}

/** What a generated reply is made from, read off the wire. */
function replyContext(request: WireRequest) {
  const context = { model: catalogId(request.model), lastUser: request.lastUser, reasoning: request.reasons };
  return request.outputSchema === undefined ? context : { ...context, output: request.outputSchema };
}
const KEY_HEADERS = ['authorization', 'x-api-key', 'x-goog-api-key', 'api-key'];

function readBody(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    req.on('data', (part: Buffer) => parts.push(part));
    req.on('error', reject);
    req.on('end', () => {
      const text = Buffer.concat(parts).toString('utf8');
      try {
        resolve(text === '' ? {} : (JSON.parse(text) as unknown));
      } catch {
        resolve(text);
      }
    });
  });
}

/** The request's headers minus key values, and the key itself (kept only to answer `{apiKey}` in messages). */
function splitHeaders(req: IncomingMessage): { headers: Record<string, string>; apiKey?: string } {
  const headers: Record<string, string> = {};
  let apiKey: string | undefined;
  for (const [name, value] of Object.entries(req.headers)) {
    const text = Array.isArray(value) ? value.join(', ') : (value ?? '');
    if (KEY_HEADERS.includes(name)) apiKey = text.replace(/^Bearer\s+/i, '');
    else headers[name] = text;
  }
  return apiKey === undefined ? { headers } : { headers, apiKey };
}

function findWire(method: string, pathname: string): { wire: WireFormat; route: WireRoute } | undefined {
  for (const wire of WIRES) {
    const route = wire.route(method, pathname);
    if (route !== undefined) return { wire, route };
  }
  return undefined;
}

/**
 * Starts a loopback HTTP server (127.0.0.1) that speaks the OpenAI Chat Completions and Responses, Anthropic
 * Messages and Gemini `generateContent` wire formats, streaming (SSE) or not, answering from `script` (the same
 * script format as `simulated()`, with the same generated replies where the script gives none) and injecting its
 * faults. Reasoning streams in each wire's shape; thought signatures, thinking signatures and encrypted reasoning
 * are issued and checked as the real APIs check them. Point the official SDKs, or switchyard's providers, at it.
 *
 * @example
 * const server = await startMockServer({ text: 'Hello there', usage: { cachedInputTokens: 10 } });
 * const provider = openai({ baseURL: server.openaiBaseURL, apiKey: 'test-key' });
 * // …
 * await server.close();
 */
export async function startMockServer(script?: Script, options: MockServerOptions = {}): Promise<MockServer> {
  let current = script;
  let index = 0;
  const requests: RecordedRequest[] = [];
  const book = new TokenBook();

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.searchParams.has('key')) url.searchParams.set('key', 'redacted');
    const { headers, apiKey } = splitHeaders(req);
    const state = { cutByServer: false };
    // Watched from the start: a client may go away while its body is still being read.
    let record: RecordedRequest | undefined;
    let closed = false;
    const noteClose = (r: RecordedRequest) => {
      r.completed = res.writableFinished;
      r.closedByClient = !res.writableFinished && !state.cutByServer;
    };
    res.on('close', () => {
      closed = true;
      if (record) noteClose(record);
    });
    const body = await readBody(req);
    const found = findWire(req.method ?? 'GET', url.pathname);
    record = { method: req.method ?? 'GET', path: url.pathname + url.search, headers,
      apiKeyPresent: apiKey !== undefined, body, closedByClient: false, completed: false, tokensSent: 0 };
    requests.push(record);
    if (closed) noteClose(record);
    const base = { res, requestId: `req_mock_${requests.length}`, apiKey, state, record, book };
    if (found === undefined || typeof body !== 'object' || body === null) {
      const message =
        found === undefined ? `No route for ${record.method} ${url.pathname} on the mock server.` : 'Body is not JSON.';
      const exchange: Exchange = { ...base, wire: found?.wire ?? openaiWire, request: openaiWire.parse({}, {}, book) };
      return sendError(exchange, found === undefined ? 404 : 400, message);
    }
    const request = found.wire.parse(body as Record<string, unknown>, found.route, book);
    request.attachments = wireAttachments(body, found.wire.family, request.model);
    Object.assign(record, { family: found.wire.family, api: found.wire.api, model: request.model });
    const exchange: Exchange = { ...base, wire: found.wire, request };
    // Refused as the real API refuses it (a missing or forged signature): no model saw it, so no script entry is used.
    if (request.refusal !== undefined) return sendError(exchange, 400, request.refusal);
    const info = { family: found.wire.family, model: request.model, index: index++, body, text: request.text, attachments: request.attachments };
    await respond(exchange, completeReply(await replyFor(current, info), replyContext(request)));
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: `mock server error: ${String(error)}` } }));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    openaiBaseURL: `${url}/v1`,
    anthropicBaseURL: url,
    googleBaseURL: url,
    requests,
    setScript: (next) => {
      current = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
