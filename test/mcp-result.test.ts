/** What a model reads for an MCP tool result: text as it is, media described, structured content sent once. */
import { describe, expect, test } from 'vitest';
import { mcpResultText } from '../src/mcp/mcp-result.js';

const png = Buffer.alloc(3000).toString('base64');

describe('mcpResultText', () => {
  test('text parts as they are; images, audio and binary resources as placeholders; links and text resources', () => {
    const text = mcpResultText({
      content: [
        { type: 'text', text: 'Look:' },
        { type: 'image', data: png, mimeType: 'image/png' },
        { type: 'audio', data: 'AAAA', mimeType: 'audio/wav' },
        { type: 'resource', resource: { uri: 'file:///a.txt', mimeType: 'text/plain', text: 'inside a' } },
        { type: 'resource', resource: { uri: 'file:///b.bin', mimeType: 'application/zip', blob: 'AAAAAAAA' } },
        { type: 'resource_link', uri: 'demo://r/1', name: 'Report', mimeType: 'text/plain', description: 'The Q3 report' },
      ],
    });
    expect(text.split('\n')).toEqual([
      'Look:',
      '[image: image/png, 2.9 KB — not shown to the model]',
      '[audio: audio/wav, 3 bytes — not shown to the model]',
      '[resource file:///a.txt]',
      'inside a',
      '[resource file:///b.bin: application/zip, 6 bytes — not shown to the model]',
      '[resource link: Report <demo://r/1> (text/plain) — The Q3 report]',
    ]);
  });

  test('structured content: added as JSON when the text lacks it, not sent twice when the text carries it', () => {
    const weather = { temperature: 36, conditions: 'Light rain' };
    expect(mcpResultText({ content: [{ type: 'text', text: 'Here is the weather.' }], structuredContent: weather })).toBe(
      'Here is the weather.\n{"temperature":36,"conditions":"Light rain"}',
    );
    expect(mcpResultText({ content: [{ type: 'text', text: JSON.stringify(weather, null, 2) }], structuredContent: weather })).toBe(
      JSON.stringify(weather, null, 2),
    );
    expect(mcpResultText({ content: [{ type: 'text', text: '[FILE] a.txt' }], structuredContent: { content: '[FILE] a.txt' } })).toBe('[FILE] a.txt');
    expect(mcpResultText({ structuredContent: weather })).toBe('{"temperature":36,"conditions":"Light rain"}');
  });

  test('nothing at all is said so', () => {
    expect(mcpResultText({ content: [] })).toBe('(the tool returned no content)');
  });
});
