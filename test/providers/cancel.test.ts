import { getEventListeners } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SwitchyardError } from '../../src/errors/index.js';
import { startMockServer, type MockServer } from '../../src/testing/mock-server/index.js';
import { openai } from '../../src/providers/index.js';
import { FAMILIES, SECRET_KEY, userRequest, waitUntil, type Family } from './families.js';

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

  it('with both a call signal and a request signal, aborting the request signal closes the socket', async () => {
    server.setScript({ text: 'one two three four', fault: { type: 'hang', afterTokens: 2 } });
    const call = new AbortController();
    const request = new AbortController();
    let caught: unknown;
    try {
      const stream = make(server).stream({ model, request: userRequest('x', { signal: request.signal }), signal: call.signal });
      for await (const event of stream) if (event.type === 'text-delta') request.abort();
    } catch (error) {
      caught = error;
    }
    expect((caught as SwitchyardError).kind).toBe('aborted');
    const recorded = server.requests.at(-1)!;
    expect(await waitUntil(() => recorded.closedByClient)).toBe(true);
    expect(call.signal.aborted).toBe(false); // the caller's own signal is only watched, never aborted
  });

  it("once a stream is over, nothing stays registered on the caller's signals", async () => {
    // One long-lived signal (a run's, a server's shutdown signal) across many calls must not gather listeners.
    const call = new AbortController();
    const request = new AbortController();
    server.setScript({ text: 'done' });
    for (let i = 0; i < 3; i++) {
      for await (const _ of make(server).stream({ model, request: userRequest('x', { signal: request.signal }), signal: call.signal })) {
        // drain
      }
    }
    server.setScript({ text: 'one two three four', fault: { type: 'hang', afterTokens: 2 } });
    for await (const event of make(server).stream({ model, request: userRequest('x', { signal: request.signal }), signal: call.signal })) {
      if (event.type === 'text-delta') break;
    }
    make(server).stream({ model, request: userRequest('x', { signal: request.signal }), signal: call.signal }); // never read
    expect(getEventListeners(call.signal, 'abort')).toHaveLength(0);
    expect(getEventListeners(request.signal, 'abort')).toHaveLength(0);
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

/** The three adapters, and OpenAI's on the Responses API. */
const ADAPTERS: readonly (Pick<Family, 'model' | 'make'> & { name: string })[] = [
  ...FAMILIES.map(({ family, model, make }) => ({ name: family, model, make })),
  {
    name: 'openai (Responses API)',
    model: FAMILIES[0]!.model,
    make: (server: MockServer) => openai({ baseURL: server.openaiBaseURL, apiKey: SECRET_KEY, api: 'responses' }),
  },
];

/** The signals fetch was given while `body` ran. */
async function fetchSignals(body: () => Promise<void>): Promise<AbortSignal[]> {
  const signals: AbortSignal[] = [];
  const realFetch = globalThis.fetch;
  globalThis.fetch = ((input: Parameters<typeof fetch>[0], init?: RequestInit) => {
    if (init?.signal) signals.push(init.signal);
    return realFetch(input, init);
  }) as typeof fetch;
  try {
    await body();
  } finally {
    globalThis.fetch = realFetch;
  }
  return signals;
}

it.each(ADAPTERS)("$name: a stream left early lets its request go, and the abort keeps none of the caller's frames", async ({ model, make }) => {
  // The SDK's request objects outlive the call until a full GC, and keep the signal they were given and its abort
  // reason. A reason with a stack trace of the frames awaiting the stream would keep those frames, and what they hold
  // (an engine's whole run), alive as long.
  server.setScript({ text: 'one two three', fault: { type: 'hang', afterTokens: 1 } });
  const signals = await fetchSignals(async function aCallerFrame() {
    for await (const event of make(server).stream({ model, request: userRequest('x') })) if (event.type === 'text-delta') break;
  });
  expect(signals).toHaveLength(1);
  const recorded = server.requests.at(-1)!;
  expect(await waitUntil(() => recorded.closedByClient)).toBe(true);
  expect(await waitUntil(() => signals[0]!.aborted)).toBe(true);
  expect(String((signals[0]!.reason as Error).stack)).not.toContain('aCallerFrame');
});

it.each(ADAPTERS)('$name: a stream read to the end of its body leaves its request as the raw SDK does, not aborted', async ({ model, make }) => {
  // The body is over, so fetch has let the request and its connection go: an abort now would only run fetch's abort
  // listeners, on every call. A reply complete before the end of its body has the rest read first (see keep-alive).
  server.setScript({ text: 'one two three' });
  const signals = await fetchSignals(async () => {
    for await (const _ of make(server).stream({ model, request: userRequest('x') })) {
      // drain
    }
  });
  expect(signals).toHaveLength(1);
  const recorded = server.requests.at(-1)!;
  expect(await waitUntil(() => recorded.completed)).toBe(true);
  expect(recorded.closedByClient).toBe(false);
  // An abort would come within microtasks of the end; a timer runs after all of them.
  await new Promise((resolve) => setTimeout(resolve, 50));
  expect(signals[0]!.aborted).toBe(false);
});
