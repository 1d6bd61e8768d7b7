/** Every runnable snippet of the docs runs, and where a snippet documents what it prints, prints exactly that. */
import { describe, expect, test } from 'vitest';
import { docSnippets, runSnippet } from './doc-snippets.js';

/** What snippets print, where the doc states it next to its console.log calls (`docs/<doc>#<n>`). */
const EXPECTED: Record<string, unknown[][]> = {
  'agents.md#1': [['An apple and a pear cost 1.25 together.'], [2]],
  'verifier-and-sandbox.md#1': [['Fix crash on save'], [[false, true]], [true]],
  'verifier-and-sandbox.md#2': [[[false, true]]],
  'verifier-and-sandbox.md#3': [[['gpt-5.4: false', 'gpt-5.5: true']], [true]],
  'verifier-and-sandbox.md#4': [['passed', '1,2,3']],
  'messages.md#1': [['2 attachments', 'gpt-5.4']],
  'messages.md#2': [['invalid_request', 'Invalid messages[0].content[0] (image): its bytes are not a PNG, JPEG, GIF, WebP or HEIC/HEIF image.'], [0]],
  'messages.md#3': [['gpt-5.4-mini', [{ model: 'local-llm', reason: 'it cannot read images (capabilities.vision is false) and the request has 1 image' }], [['image/png', 69, 1]]]],
  'messages.md#4': [[1667], [282008], [true]],
  'messages.md#5': [['application/pdf: 2 pages, 15576 tokens']],
};

const DOCS = ['catalog.md', 'providers.md', 'testing.md', 'workflows.md', 'events.md', 'error-policies.md', 'agents.md', 'verifier-and-sandbox.md', 'ensembles.md', 'observability.md', 'caching.md', 'messages.md'];

describe.each(DOCS)('docs/%s', (doc) => {
  const list = docSnippets(doc);

  test('has runnable snippets', () => {
    expect(list.length).toBeGreaterThan(0);
  });

  test.each(list.map((code, i) => [i + 1, code] as const))('snippet %i runs', async (i, code) => {
    const calls = await runSnippet(`${doc}-${i}`, code);
    const expected = EXPECTED[`${doc}#${i}`];
    if (expected) expect(calls).toEqual(expected);
  });
});
