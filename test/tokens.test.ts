import { describe, expect, it } from 'vitest';
import { countTextTokens, countTokens, createCatalog, defaultCatalog, type ModelRequest } from '../src/models/index.js';

const gpt55 = defaultCatalog.get('gpt-5.5');
const sonnet = defaultCatalog.get('claude-sonnet-4-6');
const opus = defaultCatalog.get('claude-opus-4-7');
const gemini = defaultCatalog.get('gemini-3-flash');

// Expected counts computed once with js-tiktoken's o200k_base encoder.
const KNOWN: ReadonlyArray<readonly [string, number]> = [
  ['Hello, world!', 4],
  ['The quick brown fox jumps over the lazy dog.', 10],
  ['function add(a, b) { return a + b; }', 13],
  ['日本語のテキスト', 6],
  ['Classify: the app crashes on start.', 9],
  ['', 0],
];

// The first count builds the encoder (a second or more on a loaded machine): generous limits.
describe('countTextTokens', { timeout: 120_000 }, () => {
  it('is exact (o200k_base) for OpenAI models', () => {
    for (const [text, tokens] of KNOWN) expect(countTextTokens(gpt55, text), text).toBe(tokens);
  });

  it('estimates on the safe side for Anthropic and Google: o200k count × factor, rounded up', () => {
    for (const [text, tokens] of KNOWN) {
      expect(countTextTokens(sonnet, text), text).toBe(Math.ceil(tokens * 1.15));
      expect(countTextTokens(gemini, text), text).toBe(Math.ceil(tokens * 1.15));
      expect(countTextTokens(opus, text), text).toBe(Math.ceil(tokens * 1.5));
      expect(countTextTokens(sonnet, text)).toBeGreaterThanOrEqual(countTextTokens(gpt55, text));
    }
  });

  it('honours a catalog tokenFactor override', () => {
    const model = createCatalog(defaultCatalog, { 'gemini-3-flash': { tokenFactor: 2 } }).get('gemini-3-flash');
    expect(countTextTokens(model, 'Hello, world!')).toBe(8);
  });

  it('counts special-token text as ordinary text instead of throwing', () => {
    expect(countTextTokens(gpt55, '<|endoftext|>')).toBe(7);
  });

  it('counts pieces over 32 bytes as their UTF-8 bytes: never below the exact count, and never quadratic', () => {
    // js-tiktoken's merge is quadratic in one piece: 50,000 letters unguarded take minutes. Counted as bytes, the
    // run costs one pass; the figure shows which path was taken (the exact count of 'a' × 50,000 is 6,250).
    expect(countTextTokens(gpt55, 'a'.repeat(50_000))).toBe(50_000 + 1);
    expect(countTextTokens(gpt55, `start${' '.repeat(50_000)}end`)).toBeGreaterThanOrEqual(50_000);
    expect(countTextTokens(gpt55, '='.repeat(50_000))).toBe(50_000 + 1);
    // Words of prose and code stay exact.
    expect(countTextTokens(gpt55, 'internationalization and localization')).toBeLessThan(10);
  });

  it('counts texts over 1M characters in full (no sampling), linearly', () => {
    const text = 'The quick brown fox jumps over the lazy dog. '.repeat(25_000); // 1.1M chars, 10 tokens per sentence
    expect(countTextTokens(gpt55, text)).toBe(250_001); // and the trailing space
  });
});

describe('countTokens', () => {
  it('counts messages in OpenAI chat framing: 3 per message + role + content, 3 to prime the reply', () => {
    const request: Pick<ModelRequest, 'system' | 'messages'> = {
      system: 'You are terse.',
      messages: [{ role: 'user', content: 'Hello, world!' }],
    };
    // 3 (priming) + [3 + 1 ('system') + 4] + [3 + 1 ('user') + 4]
    expect(countTokens(gpt55, request)).toBe(19);
    expect(countTokens(sonnet, request)).toBe(Math.ceil(19 * 1.15));
  });

  it('counts tool calls, tool results, tool definitions and the output schema', () => {
    const base = { messages: [{ role: 'user' as const, content: 'Hello, world!' }] };
    const plain = countTokens(gpt55, base);
    const withTurns = countTokens(gpt55, {
      messages: [
        ...base.messages,
        { role: 'assistant', content: '', toolCalls: [{ id: 'c1', name: 'lookup', args: { q: 'bug' } }] },
        { role: 'tool', toolCallId: 'c1', toolName: 'lookup', content: 'found 3 issues' },
      ],
    });
    expect(withTurns).toBeGreaterThan(plain + 10);
    const withTools = countTokens(gpt55, {
      ...base,
      tools: [
        {
          name: 'lookup',
          description: 'Search issues',
          parameters: { type: 'object', properties: { q: { type: 'string' } } },
        },
      ],
    });
    expect(withTools).toBeGreaterThan(plain + 20);
    const withOutput = countTokens(gpt55, {
      ...base,
      output: { name: 'answer', schema: { type: 'string', enum: ['bug', 'other'] } },
    });
    expect(withOutput).toBeGreaterThan(plain + 8);
  });
});
