/**
 * Text + PNG + PDF on all four wires, as the official SDKs send them to a loopback server: Chat Completions, the
 * Responses API, Anthropic Messages and Gemini, each through switchyard's adapter and the mock server.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makePdf } from '../../examples/tiny-pdf.js';
import { resolveAttachment, type Attachment } from '../../src/models/attachment.js';
import type { ContentPart, FilePart, ImagePart, ModelRequest } from '../../src/models/types.js';
import { anthropic, google, openai } from '../../src/providers/index.js';
import { anthropicBlocks } from '../../src/providers/anthropic-parts.js';
import { chatUserContent } from '../../src/providers/chat-parts.js';
import { googleParts } from '../../src/providers/google-parts.js';
import { responsesUserContent } from '../../src/providers/responses-parts.js';
import { SwitchyardError } from '../../src/index.js';
import { startMockServer, type MockServer } from '../../src/testing/mock-server/index.js';
import { wireAttachments } from '../../src/testing/mock-server/wire-attachments.js';
import { gifHeader, makePng } from '../fixtures/media.js';
import { drain, modelInfo, SECRET_KEY } from './families.js';

const png = makePng(40, 20);
const pdf = makePdf([['Clause 1: the tenant pays rent.'], ['Clause 2: the landlord fixes the roof.']]);
const PNG64 = png.toString('base64');
const PDF64 = Buffer.from(pdf).toString('base64');

/** One user message: text, a PNG and a PDF, as users write it. */
const parts: ContentPart[] = [
  { type: 'text', text: 'Summarize the lease and describe the logo.' },
  { type: 'image', image: png },
  { type: 'file', data: pdf, mediaType: 'application/pdf', filename: 'lease.pdf' },
];
const request: ModelRequest = { messages: [{ role: 'user', content: parts }], maxOutputTokens: 100 };

let server: MockServer;
beforeAll(async () => {
  server = await startMockServer({ text: 'ok' });
});
afterAll(() => server.close());

async function lastBody(stream: AsyncIterable<unknown>): Promise<Record<string, any>> {
  const { error } = await drain(stream as never);
  expect(error).toBeUndefined();
  return server.requests.at(-1)!.body as Record<string, any>;
}

describe('text + PNG + PDF through the official SDKs', () => {
  it('Chat Completions: text, image_url (data URL, detail high) and file (file_data + filename)', async () => {
    const body = await lastBody(openai({ baseURL: server.openaiBaseURL, apiKey: SECRET_KEY }).stream({ model: modelInfo('gpt-5.5', 'openai'), request }));
    expect(body.messages).toEqual([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Summarize the lease and describe the logo.' },
          { type: 'image_url', image_url: { url: `data:image/png;base64,${PNG64}`, detail: 'high' } },
          { type: 'file', file: { filename: 'lease.pdf', file_data: `data:application/pdf;base64,${PDF64}` } },
        ],
      },
    ]);
  });

  it('Anthropic Messages: text, image (base64 source) and document (base64 PDF source, titled, a cache breakpoint)', async () => {
    const provider = anthropic({ baseURL: server.anthropicBaseURL, apiKey: SECRET_KEY });
    const body = await lastBody(provider.stream({ model: modelInfo('claude-sonnet-4-6', 'anthropic'), request }));
    expect(body.messages).toEqual([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Summarize the lease and describe the logo.' },
          { type: 'image', source: { type: 'base64', media_type: 'image/png', data: PNG64 } },
          // The document is long enough to cache: the breakpoint goes on it, so the next question reads it from the cache.
          { type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: PDF64 }, title: 'lease.pdf', cache_control: { type: 'ephemeral' } },
        ],
      },
    ]);
    expect(wireAttachments(body, 'anthropic', 'claude-sonnet-4-6').map((a) => [a.type, a.mediaType, a.size, a.pages, a.filename])).toEqual([
      ['image', 'image/png', png.length, undefined, undefined],
      ['file', 'application/pdf', pdf.length, 2, 'lease.pdf'],
    ]);
    const off = await lastBody(provider.stream({ model: modelInfo('claude-sonnet-4-6', 'anthropic'), request: { ...request, cache: { breakpoints: 'off' } } }));
    expect(JSON.stringify(off)).not.toContain('cache_control');
  });

  it('Gemini: text, inlineData PNG and inlineData PDF', async () => {
    const provider = google({ baseURL: server.googleBaseURL, apiKey: SECRET_KEY });
    const body = await lastBody(provider.stream({ model: modelInfo('gemini-3.1-pro', 'google'), request }));
    expect(body.contents).toEqual([
      {
        role: 'user',
        parts: [
          { text: 'Summarize the lease and describe the logo.' },
          { inlineData: { mimeType: 'image/png', data: PNG64 } },
          { inlineData: { mimeType: 'application/pdf', data: PDF64 } },
        ],
      },
    ]);
    expect(wireAttachments(body, 'google', 'gemini-3.1-pro').map((a) => [a.type, a.mediaType, a.width, a.pages, a.tokens])).toEqual([
      ['image', 'image/png', 40, undefined, 8 + 1120],
      ['file', 'application/pdf', undefined, 2, 8 + 2 * 560],
    ]);
  });

  describe("Responses API: openai({ api: 'responses' }) through the openai SDK", () => {
    const responsesEndpoint = () => openai({ baseURL: server.openaiBaseURL, apiKey: SECRET_KEY, api: 'responses' });

    it('input_text, input_image (data URL, detail high) and input_file (file_data + filename)', async () => {
      const body = await lastBody(responsesEndpoint().stream({ model: modelInfo('gpt-5.5', 'openai'), request }));
      expect(server.requests.at(-1)!.path).toBe('/v1/responses');
      expect(body.input).toEqual([
        {
          role: 'user',
          content: [
            { type: 'input_text', text: 'Summarize the lease and describe the logo.' },
            { type: 'input_image', detail: 'high', image_url: `data:image/png;base64,${PNG64}` },
            { type: 'input_file', filename: 'lease.pdf', file_data: `data:application/pdf;base64,${PDF64}` },
          ],
        },
      ]);
      // The mock server's reader of wire attachments sees them as simulated() does.
      expect(wireAttachments(body, 'openai', 'gpt-5.5').map((a) => [a.type, a.mediaType, a.size, a.pages])).toEqual([
        ['image', 'image/png', png.length, undefined],
        ['file', 'application/pdf', pdf.length, 2],
      ]);
    });

    it('a string stays a string; an image by file id and a PDF by URL go as the Responses API takes them (Chat Completions refuses both)', async () => {
      const content: ContentPart[] = [
        { type: 'image', image: { fileId: 'img-1', provider: 'openai' }, mediaType: 'image/png' },
        { type: 'file', data: 'https://example.com/report.pdf', mediaType: 'application/pdf', pages: 3 },
      ];
      const turns: ModelRequest = { messages: [{ role: 'user', content: 'Hello.' }, { role: 'assistant', content: 'Hi.' }, { role: 'user', content }] };
      const body = await lastBody(responsesEndpoint().stream({ model: modelInfo('gpt-5.5', 'openai'), request: turns }));
      expect(body.input).toEqual([
        { role: 'user', content: 'Hello.' },
        { role: 'assistant', content: 'Hi.' },
        {
          role: 'user',
          content: [
            { type: 'input_image', detail: 'high', file_id: 'img-1' },
            { type: 'input_file', file_url: 'https://example.com/report.pdf' },
          ],
        },
      ]);
      // Routing asks the endpoint first: the Responses endpoint takes both, a Chat Completions one says why not.
      const [image, file] = content.map((part) => resolveAttachment(part as ImagePart | FilePart) as Attachment);
      const model = modelInfo('gpt-5.5', 'openai');
      expect(responsesEndpoint().attachmentProblem?.(image!, model)).toBeUndefined();
      expect(responsesEndpoint().attachmentProblem?.(file!, model)).toBeUndefined();
      const chat = openai({ baseURL: server.openaiBaseURL, apiKey: SECRET_KEY, api: 'chat' });
      expect(chat.attachmentProblem?.(image!, model)).toContain('not by file id');
      expect(chat.attachmentProblem?.(file!, model)).toContain('not by URL');
    });
  });
});

describe('URLs and provider file ids, in each wire shape', () => {
  const byUrl: ContentPart[] = [
    { type: 'image', image: 'https://example.com/chart.png', mediaType: 'image/png' },
    { type: 'file', data: new URL('https://example.com/report.pdf'), mediaType: 'application/pdf' },
  ];
  const byId = (provider: string): ContentPart[] => [
    { type: 'image', image: { fileId: 'img-1', provider }, mediaType: 'image/png' },
    { type: 'file', data: { fileId: 'doc-1', provider }, mediaType: 'application/pdf' },
  ];

  it('Responses: image_url / file_url, file_id for both', () => {
    expect(responsesUserContent(byUrl)).toEqual([
      { type: 'input_image', detail: 'high', image_url: 'https://example.com/chart.png' },
      { type: 'input_file', file_url: 'https://example.com/report.pdf' },
    ]);
    expect(responsesUserContent(byId('openai'))).toEqual([
      { type: 'input_image', detail: 'high', file_id: 'img-1' },
      { type: 'input_file', file_id: 'doc-1' },
    ]);
  });

  it('Anthropic: url and file sources', () => {
    expect(anthropicBlocks(byUrl)).toEqual([
      { type: 'image', source: { type: 'url', url: 'https://example.com/chart.png' } },
      { type: 'document', source: { type: 'url', url: 'https://example.com/report.pdf' } },
    ]);
    expect(anthropicBlocks(byId('anthropic'))).toEqual([
      { type: 'image', source: { type: 'file', file_id: 'img-1' } },
      { type: 'document', source: { type: 'file', file_id: 'doc-1' } },
    ]);
  });

  it('Gemini: fileData with the media type', () => {
    expect(googleParts(byUrl)).toEqual([
      { fileData: { mimeType: 'image/png', fileUri: 'https://example.com/chart.png' } },
      { fileData: { mimeType: 'application/pdf', fileUri: 'https://example.com/report.pdf' } },
    ]);
  });

  it('Chat Completions: image URL as image_url, PDF by file_id', () => {
    expect(chatUserContent([byUrl[0]!, byId('openai')[1]!])).toEqual([
      { type: 'image_url', image_url: { url: 'https://example.com/chart.png', detail: 'high' } },
      { type: 'file', file: { file_id: 'doc-1' } },
    ]);
  });
});

describe('parts a wire cannot take are refused before any request', () => {
  async function refused(stream: AsyncIterable<unknown>): Promise<string> {
    const before = server.requests.length;
    const { error } = await drain(stream as never);
    expect(server.requests.length).toBe(before);
    expect(SwitchyardError.isInstance(error) && error.kind).toBe('invalid_request');
    return (error as Error).message;
  }

  it('Chat Completions: an image by file id, a PDF by URL', async () => {
    const provider = openai({ baseURL: server.openaiBaseURL, apiKey: SECRET_KEY });
    const model = modelInfo('gpt-5.5', 'openai');
    const image = { type: 'image' as const, image: { fileId: 'img-1', provider: 'openai' }, mediaType: 'image/png' };
    expect(await refused(provider.stream({ model, request: { messages: [{ role: 'user', content: [image] }] } }))).toBe(
      'The OpenAI Chat Completions API cannot take content part 0 (image): Chat Completions takes images as data or URLs, not by file id (the Responses API does).',
    );
    const file = { type: 'file' as const, data: 'https://example.com/a.pdf', mediaType: 'application/pdf' };
    expect(await refused(provider.stream({ model, request: { messages: [{ role: 'user', content: [file] }] } }))).toContain('not by URL');
  });

  it('Gemini: a GIF', async () => {
    const provider = google({ baseURL: server.googleBaseURL, apiKey: SECRET_KEY });
    const gif = { type: 'image' as const, image: gifHeader(8, 8) };
    const message = await refused(provider.stream({ model: modelInfo('gemini-3-flash', 'google'), request: { messages: [{ role: 'user', content: [gif] }] } }));
    expect(message).toContain('Gemini reads PNG, JPEG, WebP, HEIC and HEIF images, not image/gif');
  });
});
