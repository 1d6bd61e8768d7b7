/**
 * Attachments through routing: a request with an image needs `vision`, with a PDF `documents`; a model or an
 * endpoint that cannot take a part is skipped (the node-route event says why), and when nothing can take it the
 * call is refused before any request.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makePdf } from '../examples/tiny-pdf.js';
import { createCatalog, createSwitchyard, defaultCatalog, google, openai, SwitchyardError, type ContentPart, type RunEvent } from '../src/index.js';
import { simulated, startMockServer, type MockServer } from '../src/testing/index.js';
import { gifHeader, makePng } from './fixtures/media.js';

const png = makePng(120, 80);
const pdf = makePdf([['Terms'], ['Signatures']]);

/** gpt-5.4 as a text-only model (no vision, no documents), and one that reads images but not PDFs. */
const catalog = createCatalog(defaultCatalog, {
  'text-only': { ...defaultCatalog.get('gpt-5.4'), id: undefined, capabilities: { tools: true, structuredOutput: true, vision: false, reasoning: false } },
  'images-only': { ...defaultCatalog.get('gpt-5.4'), id: undefined, capabilities: { tools: true, structuredOutput: true, vision: true, reasoning: false, documents: false } },
});

const ask = (...parts: ContentPart[]) => [{ role: 'user' as const, content: [{ type: 'text' as const, text: 'What is this?' }, ...parts] }];

async function routeOf(stream: AsyncIterable<RunEvent> & { result: Promise<unknown> }) {
  const events: RunEvent[] = [];
  for await (const event of stream) events.push(event);
  await stream.result;
  return events.find((e) => e.type === 'node-route') as Extract<RunEvent, { type: 'node-route' }>;
}

describe('capability filters from the request itself', () => {
  it('routes an image request away from a text-only model, and says why in the route event', async () => {
    const sim = simulated();
    const sy = createSwitchyard({ providers: [sim], catalog });
    const route = () => ['text-only', 'gpt-5.4'];
    const event = await routeOf(sy.stream({ route, messages: ask({ type: 'image', image: png }) }));
    expect(event.model).toBe('gpt-5.4');
    expect(event.skipped).toEqual([{ model: 'text-only', reason: 'it cannot read images (capabilities.vision is false) and the request has 1 image' }]);
    expect(event.attachments).toEqual([
      { type: 'image', source: 'bytes', mediaType: 'image/png', size: png.length, sha256: expect.stringMatching(/^[0-9a-f]{64}$/), width: 120, height: 80 },
    ]);
    expect(JSON.stringify(event)).not.toContain(png.toString('base64').slice(0, 32));
    expect(sim.requests.map((r) => r.model)).toEqual(['gpt-5.4']);
    // The same route without the image keeps the text-only model first: the filter comes from the request.
    const plain = await routeOf(sy.stream({ route, prompt: 'What is this?' }));
    expect(plain.model).toBe('text-only');
  });

  it('a PDF needs the documents capability', async () => {
    const sy = createSwitchyard({ providers: [simulated()], catalog });
    const event = await routeOf(sy.stream({ route: () => ['images-only', 'gpt-5.4'], messages: ask({ type: 'file', data: pdf, mediaType: 'application/pdf' }) }));
    expect(event.model).toBe('gpt-5.4');
    expect(event.skipped).toEqual([{ model: 'images-only', reason: 'it cannot read PDFs (capabilities.documents is not set) and the request has 1 PDF' }]);
  });

  it('refuses a part no candidate can take before any request, naming the reason', async () => {
    const sim = simulated();
    const sy = createSwitchyard({ providers: [sim], catalog });
    const error = await sy.generate({ model: 'text-only', messages: ask({ type: 'image', image: png }) }).catch((e: unknown) => e);
    expect(SwitchyardError.isInstance(error) && error.kind).toBe('no_provider');
    expect((error as Error).message).toContain('text-only: it cannot read images (capabilities.vision is false) and the request has 1 image');
    expect(sim.requests).toHaveLength(0);
  });

  it('refuses a bad part with invalid_request before routing', async () => {
    const sim = simulated();
    const sy = createSwitchyard({ providers: [sim] });
    const error = await sy.generate({ model: 'gpt-5.4', messages: [{ role: 'user', content: [{ type: 'image', image: 42 as never }] }] }).catch((e: unknown) => e);
    expect(SwitchyardError.isInstance(error) && error.kind).toBe('invalid_request');
    expect((error as Error).message).toMatch(/^Invalid messages\[0\]\.content\[0\]\.image: must be bytes/);
    expect(sim.requests).toHaveLength(0);
  });

  it('a file held by one provider is read only on that endpoint', async () => {
    const sy = createSwitchyard({ providers: [simulated({ name: 'openai', models: ['gpt-5.5'] }), simulated({ name: 'anthropic', models: ['claude-opus-4-7'] })] });
    const file = { type: 'file' as const, data: { fileId: 'file_011', provider: 'anthropic' }, mediaType: 'application/pdf' };
    const event = await routeOf(sy.stream({ route: () => ['gpt-5.5', 'claude-opus-4-7'], messages: ask(file) }));
    expect(event).toMatchObject({ model: 'claude-opus-4-7', provider: 'anthropic' });
    expect(event.skipped).toContainEqual({ model: 'gpt-5.5', provider: 'openai', reason: "the request's file file_011 is held by anthropic, not openai" });
  });
});

describe('per-wire limits, through the official SDKs', () => {
  let server: MockServer;
  beforeAll(async () => {
    server = await startMockServer({ text: 'A small grey square.' });
  });
  afterAll(() => server.close());

  it('a GIF skips Gemini (no GIF on its wire) and goes to OpenAI; Gemini sees no request', async () => {
    const sy = createSwitchyard({
      providers: [google({ baseURL: server.googleBaseURL, apiKey: 'k' }), openai({ baseURL: server.openaiBaseURL, apiKey: 'k' })],
    });
    const gif = gifHeader(16, 16);
    const stream = sy.stream({ route: () => ['gemini-3-flash', 'gpt-5.4'], messages: ask({ type: 'image', image: gif }) });
    const event = await routeOf(stream);
    expect(event).toMatchObject({ model: 'gpt-5.4', provider: 'openai' });
    expect(event.skipped).toEqual([
      { model: 'gemini-3-flash', provider: 'google', reason: `it cannot take the image (image/gif, ${gif.length} bytes): Gemini reads PNG, JPEG, WebP, HEIC and HEIF images, not image/gif` },
    ]);
    expect(server.requests.map((r) => r.family)).toEqual(['openai']);
    expect((server.requests[0]!.body as any).messages[0].content[1]).toEqual({
      type: 'image_url',
      image_url: { url: `data:image/gif;base64,${gif.toString('base64')}`, detail: 'high' },
    });
  });

  it('a PDF by URL skips a Chat Completions endpoint and goes to the Responses API, which takes it', async () => {
    const sy = createSwitchyard({
      providers: [
        openai({ name: 'chat-hub', baseURL: server.openaiBaseURL, apiKey: 'k', api: 'chat' }),
        openai({ name: 'openai', baseURL: server.openaiBaseURL, apiKey: 'k', api: 'responses' }),
      ],
    });
    const before = server.requests.length;
    const file = { type: 'file' as const, data: 'https://example.com/terms.pdf', mediaType: 'application/pdf', pages: 2 };
    const event = await routeOf(sy.stream({ model: 'gpt-5.4', messages: ask(file) }));
    expect(event).toMatchObject({ model: 'gpt-5.4', provider: 'openai' });
    expect(event.skipped).toEqual([
      { model: 'gpt-5.4', provider: 'chat-hub', reason: 'it cannot take the file (application/pdf, by URL): Chat Completions takes PDFs as data or a file id, not by URL (the Responses API does)' },
    ]);
    const sent = server.requests.slice(before);
    expect(sent.map((r) => r.path)).toEqual(['/v1/responses']);
    expect((sent[0]!.body as any).input[0].content[1]).toEqual({ type: 'input_file', file_url: 'https://example.com/terms.pdf' });
  });
});
