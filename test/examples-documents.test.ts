/** Runs the long-document example offline, then again through the openai SDK against the mock server. */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { cachingScript, main } from '../examples/long-document.js';
import { openai, type RunEvent } from '../src/index.js';
import { startMockServer, type MockServer } from '../src/testing/index.js';

const SITES = ['sections[0]', 'sections[1]', 'sections[2]', 'sections[3]', 'overall'];

describe('examples/long-document.ts', () => {
  let offline: Awaited<ReturnType<typeof main>>;
  const lines: string[] = [];
  beforeAll(async () => {
    offline = await main((line) => lines.push(line));
  });

  test('summarizes each section on gpt-5.4, then the whole document on gpt-5.5, and prints what the cache saved', () => {
    const { result, spend, savedUsd } = offline;
    expect(result.status).toBe('succeeded');
    if (result.status !== 'succeeded') return;
    expect(result.nodes.sections.model).toBe('gpt-5.4');
    expect(result.nodes.overall.model).toBe('gpt-5.5');
    expect(result.outputs.sections).toHaveLength(4);
    expect(result.outputs.sections[2]).toMatch(/^Liability:/);
    expect(Object.keys(spend)).toEqual(SITES);
    // The first section writes the cache, the other three read the document from it; gpt-5.5 has its own cache.
    expect(spend['sections[0]']!.cachedInputTokens).toBe(0);
    for (const site of SITES.slice(1, 4)) expect(spend[site]!.cachedInputTokens).toBe(16 * 1_500);
    expect(spend.overall!.cachedInputTokens).toBe(0);
    expect(savedUsd).toBeCloseTo(3 * ((24_000 * (2.5 - 0.25)) / 1e6), 9);
    // Every reservation (the published maxima for 16 pages) covers what settled (the reported usage).
    for (const site of SITES) expect(spend[site]!.costUsd).toBeLessThan(spend[site]!.reservedUsd);
    expect(lines.at(-2)).toBe(result.outputs.overall);
    expect(lines.at(-1)).toBe(`total $${result.costUsd.toFixed(4)}; the prompt cache saved $${savedUsd.toFixed(4)}`);
    expect(lines.some((l) => l.startsWith('sections[1]') && l.includes('24,000 input tokens from the cache'))).toBe(true);
  });

  test('each call shows the document as metadata in its route event', () => {
    const routes = offline.events.filter((e): e is Extract<RunEvent, { type: 'node-route' }> => e.type === 'node-route');
    expect(routes).toHaveLength(5);
    const hashes = new Set(routes.map((r) => r.attachments?.[0]?.sha256));
    expect(hashes.size).toBe(1);
    expect(routes[0]!.attachments).toEqual([expect.objectContaining({ type: 'file', mediaType: 'application/pdf', pages: 16, filename: 'contract.pdf' })]);
  });

  describe('through the openai SDK against the mock server', () => {
    let server: MockServer;
    beforeAll(async () => {
      server = await startMockServer(cachingScript());
    });
    afterAll(() => server.close());

    test('the same workflow and costs, with the PDF on the wire as a file part and a prompt_cache_key', async () => {
      const { result, spend, savedUsd } = await main(() => {}, [openai({ baseURL: server.openaiBaseURL, apiKey: 'test-key' })]);
      expect(result.status).toBe('succeeded');
      expect(server.requests.map((r) => r.model)).toEqual(['gpt-5.4', 'gpt-5.4', 'gpt-5.4', 'gpt-5.4', 'gpt-5.5']);
      for (const request of server.requests) {
        const body = request.body as { prompt_cache_key: string; messages: Array<{ role: string; content: any }> };
        expect(body.prompt_cache_key).toBe('contract-v1');
        expect(body.messages[0]).toEqual({ role: 'system', content: expect.stringContaining('contracts analyst') });
        expect(body.messages[1]!.content[0]).toEqual({ type: 'file', file: { filename: 'contract.pdf', file_data: expect.stringMatching(/^data:application\/pdf;base64,JVBERi0x/) } });
      }
      // The mock server read the same attachment metadata and counted the same tokens as simulated().
      for (const site of SITES) expect(spend[site]!.costUsd).toBeCloseTo(offline.spend[site]!.costUsd, 9);
      expect(savedUsd).toBeCloseTo(offline.savedUsd, 9);
    });
  });
});
