import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SwitchyardError } from '../../src/errors/index.js';
import { startMockServer, type MockServer } from '../../src/testing/mock-server/index.js';
import { FAMILIES, userRequest, waitUntil } from './families.js';

let server: MockServer;
beforeAll(async () => {
  server = await startMockServer();
});
afterAll(() => server.close());

describe.each(FAMILIES)('$family adapter cancellation', ({ model, make }) => {
  it('aborting the signal mid-stream throws aborted and closes the socket', async () => {
    server.setScript({ text: 'one two three four', fault: { type: 'hang', afterTokens: 2 } });
    const controller = new AbortController();
    const seen: string[] = [];
    let caught: unknown;
    try {
      for await (const event of make(server).stream({ model, request: userRequest('x'), signal: controller.signal })) {
        if (event.type === 'text-delta') seen.push(event.text);
        controller.abort();
      }
    } catch (error) {
      caught = error;
    }
    expect(seen.length).toBeGreaterThan(0);
    expect(SwitchyardError.isInstance(caught) && caught.kind).toBe('aborted');
    const recorded = server.requests.at(-1)!;
    expect(await waitUntil(() => recorded.closedByClient)).toBe(true);
    expect(recorded.completed).toBe(false);
  });

  it('an abort through request.signal works the same', async () => {
    server.setScript({ text: 'one two', fault: { type: 'hang', afterTokens: 1 } });
    const controller = new AbortController();
    let caught: unknown;
    try {
      for await (const _ of make(server).stream({ model, request: userRequest('x', { signal: controller.signal }) })) {
        controller.abort();
      }
    } catch (error) {
      caught = error;
    }
    expect((caught as SwitchyardError).kind).toBe('aborted');
    const recorded = server.requests.at(-1)!;
    expect(await waitUntil(() => recorded.closedByClient)).toBe(true);
  });

  it('breaking out of the loop closes the socket', async () => {
    server.setScript({ text: 'one two three four', fault: { type: 'hang', afterTokens: 2 } });
    for await (const event of make(server).stream({ model, request: userRequest('x') })) {
      if (event.type === 'text-delta') break;
    }
    const recorded = server.requests.at(-1)!;
    expect(await waitUntil(() => recorded.closedByClient)).toBe(true);
  });

  it('an already-aborted signal sends no request', async () => {
    const before = server.requests.length;
    const controller = new AbortController();
    controller.abort();
    let caught: unknown;
    try {
      for await (const _ of make(server).stream({ model, request: userRequest('x'), signal: controller.signal })) {
        // nothing
      }
    } catch (error) {
      caught = error;
    }
    expect((caught as SwitchyardError).kind).toBe('aborted');
    expect(server.requests.length).toBe(before);
  });

  it('a completed stream leaves the request completed, not closed by the client', async () => {
    server.setScript({ text: 'done' });
    for await (const _ of make(server).stream({ model, request: userRequest('x') })) {
      // drain
    }
    const recorded = server.requests.at(-1)!;
    expect(await waitUntil(() => recorded.completed)).toBe(true);
    expect(recorded.closedByClient).toBe(false);
  });
});
