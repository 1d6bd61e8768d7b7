import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anthropic, openai } from '../../src/providers/index.js';
import type { Provider } from '../../src/providers/types.js';
import { drain, modelInfo, SECRET_KEY, textOf, userRequest, waitUntil } from './families.js';
import { fixture } from './replay-server.js';

/**
 * The Responses API and Anthropic's Messages API send their final event (`response.completed`, `message_stop`) before
 * the end of the HTTP body. A client that stops there and cuts the request closes the connection (fetch cannot return
 * a socket with a body half read to its pool), and the next call to the endpoint pays a new TCP and TLS handshake.
 * This server sends a whole reply, then holds the end of the body until the test lets it go (or never), and records
 * which socket each request came on and how its response ended.
 */
interface Exchange {
  socket: number;
  /** 'finished': the whole body went out; 'cut': the client closed the connection before its end. */
  outcome: 'pending' | 'finished' | 'cut';
  end(): void;
}

let server: Server;
let url = '';
const exchanges: Exchange[] = [];

beforeAll(async () => {
  const sockets = new WeakMap<Socket, number>();
  let nextSocket = 0;
  server = createServer((req: IncomingMessage, res: ServerResponse) => {
    req.resume();
    req.on('end', () => {
      const body = fixture(req.url?.includes('/messages') ? 'anthropic-cache-usage.sse' : 'responses-text.sse');
      const exchange: Exchange = { socket: sockets.get(req.socket)!, outcome: 'pending', end: () => res.end() };
      res.on('finish', () => (exchange.outcome = 'finished'));
      res.on('close', () => {
        if (exchange.outcome === 'pending') exchange.outcome = 'cut';
      });
      exchanges.push(exchange);
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(body);
    });
  });
  server.on('connection', (socket: Socket) => sockets.set(socket, nextSocket++));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(
  () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
);

const ADAPTERS: Array<{ name: string; text: string; make: () => Provider; model: ReturnType<typeof modelInfo> }> = [
  { name: 'openai (Responses API)', text: 'Hello from Responses', make: () => openai({ baseURL: `${url}/v1`, apiKey: SECRET_KEY, api: 'responses' }), model: modelInfo('gpt-5.5', 'openai') },
  { name: 'anthropic', text: 'From cache', make: () => anthropic({ baseURL: url, apiKey: SECRET_KEY }), model: modelInfo('claude-sonnet-4-6', 'anthropic') },
];

describe.each(ADAPTERS)('$name: a reply complete before the end of its body', ({ text, make, model }) => {
  it('is handed out at once; its connection is kept, not cut, and the next calls reuse it', async () => {
    const provider = make();
    const first = exchanges.length;
    for (let i = 0; i < 3; i++) {
      const { events, error } = await drain(provider.stream({ model, request: userRequest('hi') }));
      expect(error).toBeUndefined();
      expect(textOf(events)).toBe(text);
      expect(events.at(-1)).toEqual({ type: 'finish', reason: 'stop' });
      // The reply was complete while the server still held the end of its body.
      const exchange = exchanges.at(-1)!;
      expect(exchange.outcome).toBe('pending');
      exchange.end();
      expect(await waitUntil(() => exchange.outcome !== 'pending')).toBe(true);
      expect(exchange.outcome).toBe('finished');
    }
    const sockets = new Set(exchanges.slice(first).map((e) => e.socket));
    expect(sockets.size).toBeLessThan(3);
  });

  it('a server that never ends the body holds neither the call nor, for long, the connection', async () => {
    const { events, error } = await drain(make().stream({ model, request: userRequest('hi') }));
    expect(error).toBeUndefined();
    expect(textOf(events)).toBe(text);
    const exchange = exchanges.at(-1)!;
    // Read for a while in case the end comes, then cut (see DRAIN_MS in src/providers/stream-guard.ts).
    expect(await waitUntil(() => exchange.outcome !== 'pending')).toBe(true);
    expect(exchange.outcome).toBe('cut');
  });
});
