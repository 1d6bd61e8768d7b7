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
  'mcp.md#1': [['The sum of 2 and 3 is 5.'], ['It is 5.']],
  'mcp.md#2': [[false, 'timeout'], ['The operation timed out; try later.']],
  'mcp.md#3': [[['q']]],
  'ai-sdk.md#1': [['Hello from the house model.', 'local'], ['0.0000041']],
};

const DOCS = ['catalog.md', 'providers.md', 'testing.md', 'workflows.md', 'events.md', 'error-policies.md', 'agents.md', 'verifier-and-sandbox.md', 'ensembles.md', 'observability.md', 'caching.md', 'mcp.md', 'ai-sdk.md'];

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
