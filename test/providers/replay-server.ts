import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

const FIXTURES = new URL('../fixtures/streams/', import.meta.url);

/** A recorded-shape stream from test/fixtures/streams. */
export function fixture(name: string): string {
  return readFileSync(new URL(name, FIXTURES), 'utf8');
}

/**
 * A loopback server that answers every POST with the SSE body it was told to replay, whole, and then ends the
 * response (so a fixture with no final event is a stream cut before its end). It records the request bodies.
 */
export interface ReplayServer {
  url: string;
  bodies: unknown[];
  replay(sse: string): void;
  close(): Promise<void>;
}

export async function startReplayServer(): Promise<ReplayServer> {
  let body = '';
  const bodies: unknown[] = [];
  const server: Server = createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (part: Buffer) => parts.push(part));
    req.on('end', () => {
      bodies.push(JSON.parse(Buffer.concat(parts).toString('utf8') || '{}'));
      res.writeHead(200, { 'content-type': 'text/event-stream', 'x-request-id': 'req_replay' });
      res.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    bodies,
    replay: (sse) => {
      body = sse;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
