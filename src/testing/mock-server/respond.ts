import type { ServerResponse } from 'node:http';
import { againWord, type Fault, type ScriptedReply } from '../script.js';
import type { Usage } from '../../models/types.js';
import type { TokenBook } from './token-book.js';
import type { RecordedRequest } from './types.js';
import { corruptUsage, replyView, type ReplyView, type WireFormat, type WireRequest } from './wire-format.js';

/** What `respond` needs to know about the exchange. */
export interface Exchange {
  res: ServerResponse;
  wire: WireFormat;
  request: WireRequest;
  requestId: string;
  /** The API key the request presented, for `{apiKey}` in scripted error messages. */
  apiKey: string | undefined;
  /** The server's issued signatures and encrypted reasoning. */
  book: TokenBook;
  /** `cutByServer` is set when the server itself drops the connection (a `cut` fault), not the client. */
  state: { cutByServer: boolean };
  /** The request's record: the server counts the tokens it sends there, and what it bills. */
  record: RecordedRequest;
}

const DEFAULT_MESSAGES: Record<number, string> = {
  400: 'Invalid request.',
  401: 'Invalid API key.',
  403: 'This key is not allowed to use this model.',
  404: 'The model does not exist or you do not have access to it.',
  408: 'Request timed out.',
  413: 'Request too large: the prompt exceeds the context length of the model.',
  429: 'Rate limit reached, please try again later.',
  500: 'Internal server error.',
  502: 'Bad gateway.',
  503: 'Service unavailable.',
  529: 'Overloaded.',
};

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function write(res: ServerResponse, data: string): Promise<void> {
  return new Promise((resolve) => {
    if (res.destroyed || res.writableEnded) resolve();
    else res.write(data, () => resolve());
  });
}

function closed(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => (res.destroyed ? resolve() : res.once('close', () => resolve())));
}

/** Sends an error response in the wire format's shape, with retry-after headers and a request id. */
export function sendError(
  x: Exchange,
  status: number,
  message: string,
  fault?: Extract<Fault, { type: 'http' }>,
): void {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    [x.wire.requestIdHeader]: x.requestId,
  };
  if (fault?.retryAfter !== undefined) headers['retry-after'] = fault.retryAfter;
  if (fault?.retryAfterMs !== undefined) headers['retry-after-ms'] = String(fault.retryAfterMs);
  const retryAfter = fault?.retryAfter;
  const seconds = retryAfter !== undefined && /^\d+$/.test(retryAfter) ? Number(retryAfter) : undefined;
  const retryAfterMs = fault?.retryAfterMs ?? (seconds === undefined ? undefined : seconds * 1000);
  const text = message.split('{apiKey}').join(x.apiKey ?? '');
  const body = x.wire.errorBody({ status, message: text, code: fault?.code, requestId: x.requestId, retryAfterMs });
  x.res.writeHead(status, headers).end(JSON.stringify(body));
}

/** Streams `frames` one by one, pacing token frames; stops early if the client goes away. */
async function writeAll(x: Exchange, frames: readonly string[], delayMs: number, tokens = 0): Promise<void> {
  for (const [i, data] of frames.entries()) {
    if (x.res.destroyed) return;
    if (i > 0 && delayMs > 0) await sleep(delayMs);
    await write(x.res, data);
    if (i >= frames.length - tokens) x.record.tokensSent += 1;
  }
}

/**
 * Streams the reply's words round and round (each after whitespace, so they never run together into one long
 * word; 'more' when the reply has none), never finishing, until the client goes away.
 */
async function writeForever(x: Exchange, view: ReplyView, delayMs: number): Promise<void> {
  const words = view.chunks.length > 0 ? view.chunks.map(againWord) : [againWord(undefined)];
  const frames = x.wire.frames({ ...view, chunks: words }, x.request, x.book).tokens;
  for (let i = 0; !x.res.destroyed; i++) {
    await sleep(delayMs);
    if (x.res.destroyed) return;
    await write(x.res, frames[i % frames.length]!);
    x.record.tokensSent += 1;
  }
}

/** What the server bills for a reply: its true usage, with the output it actually sent when it stopped early. */
function bill(x: Exchange, usage: Usage, complete: boolean): void {
  x.record.billed = complete ? usage : { ...usage, outputTokens: x.record.tokensSent, reasoningTokens: 0 };
}

/**
 * Answers a non-streaming request: the whole reply as one JSON body. A cut drops the connection part-way through
 * the body, a hang never answers, an empty fault sends a 200 with no body, a malformed one a body that is not JSON.
 */
async function respondWhole(x: Exchange, view: ReplyView, reply: ScriptedReply): Promise<void> {
  const fault = reply.fault;
  const headers = { 'content-type': 'application/json', [x.wire.requestIdHeader]: x.requestId };
  await sleep(reply.firstTokenMs ?? 0);
  // A body that never comes (an endless reply cannot be sent whole) bills the input; the others the whole reply.
  bill(x, view.usage, !(fault?.type === 'hang' || fault?.type === 'endless' || fault?.type === 'empty'));
  if (fault?.type === 'hang' || fault?.type === 'endless') return closed(x.res);
  if (fault?.type === 'empty') return void x.res.writeHead(200, headers).end();
  if (fault?.type === 'malformed') return void x.res.writeHead(200, headers).end('{"id": not json');
  let text = JSON.stringify(x.wire.body(view, x.request, x.book));
  if (fault?.type === 'bad-usage') text = corruptUsage(text, x.wire.usageKeys, fault.usage);
  if (fault?.type !== 'cut') return void x.res.writeHead(200, headers).end(text);
  x.res.writeHead(200, { ...headers, 'content-length': String(Buffer.byteLength(text)) });
  await write(x.res, text.slice(0, Math.floor(text.length / 2)));
  x.state.cutByServer = true;
  x.res.socket?.destroy();
}

/**
 * Answers one request with a reply or fault, in the wire format's SSE (or one JSON body, when the request did not
 * ask for a stream).
 */
export async function respond(x: Exchange, reply: ScriptedReply): Promise<void> {
  const fault = reply.fault;
  if (fault?.type === 'http') {
    return sendError(x, fault.status, fault.message ?? DEFAULT_MESSAGES[fault.status] ?? `HTTP ${fault.status}`, fault);
  }
  const view = replyView(reply, x.request, `mock-${x.requestId}`, x.wire.toolPrefix);
  if (!x.request.stream) return respondWhole(x, view, reply);
  x.res.writeHead(200, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache',
    [x.wire.requestIdHeader]: x.requestId,
  });
  x.res.flushHeaders();
  if (fault?.type === 'empty') return void x.res.end();
  const frames = x.wire.frames(view, x.request, x.book);
  const usage = view.usage;
  const failing = failsMidStream(fault) ? fault : undefined;
  const stopAfter = failing ? (failing.afterTokens ?? 0) : frames.tokens.length;
  const delay = reply.chunkDelayMs ?? 0;
  await sleep(reply.firstTokenMs ?? 0);
  const tokens = frames.tokens.slice(0, stopAfter);
  bill(x, usage, false);
  await writeAll(x, [...withBadUsage(x, frames.head, fault), ...tokens], delay, tokens.length);
  bill(x, usage, false);
  if (x.res.destroyed) return;
  if (fault?.type === 'endless') {
    await writeForever(x, view, fault.chunkDelayMs ?? 20);
    return bill(x, usage, false);
  }
  if (failing) return failMidStream(x, failing, delay);
  if (delay > 0) await sleep(delay);
  await writeAll(x, withBadUsage(x, frames.tail, fault), 0);
  bill(x, usage, !x.res.destroyed);
  x.res.end();
}

/** Frames with a `bad-usage` fault's figures written in. */
function withBadUsage(x: Exchange, frames: readonly string[], fault: Fault | undefined): readonly string[] {
  if (fault?.type !== 'bad-usage') return frames;
  return frames.map((frame) => corruptUsage(frame, x.wire.usageKeys, fault.usage));
}

type MidStreamFault = Extract<Fault, { type: 'cut' | 'hang' | 'malformed' }>;

function failsMidStream(fault: Fault | undefined): fault is MidStreamFault {
  return fault?.type === 'cut' || fault?.type === 'hang' || fault?.type === 'malformed';
}

/** The end of a stream that fails part-way: the connection dropped, a hang until the client goes, or bad data. */
async function failMidStream(x: Exchange, fault: MidStreamFault, delay: number): Promise<void> {
  if (fault.type === 'cut') {
    await sleep(Math.max(delay, 50)); // let the client read what was sent before the connection drops
    x.state.cutByServer = true;
    x.res.socket?.destroy();
    return;
  }
  if (fault.type === 'hang') return closed(x.res);
  await write(x.res, x.wire.malformed);
  x.res.end();
}
