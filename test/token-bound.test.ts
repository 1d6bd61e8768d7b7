/**
 * The input bound budgets reserve (`inputTokenBound`: UTF-8 bytes plus framing allowances) is never below the real
 * token count, for any input: random Unicode across planes, lone surrogates, digits, punctuation and whitespace
 * mixes, text that spells special tokens, and the crafted prompt of issue 14 (dense text everywhere except where
 * the old sampler looked). The referee is js-tiktoken's own o200k_base encoder, built here independently.
 */
import { Tiktoken, type TiktokenBPE } from 'js-tiktoken/lite';
import o200kBase from 'js-tiktoken/ranks/o200k_base';
import { beforeAll, describe, expect, it } from 'vitest';
import { makePdf } from '../examples/tiny-pdf.js';
import { exactCountReason } from '../src/call/exact-count.js';
import { attachmentTokens } from '../src/models/attachment-tokens.js';
import {
  countTokens,
  defaultCatalog,
  inputTokenBound,
  inputTokenEstimate,
  priceTierFor,
  RequestTokens,
  type ModelInfo,
  type ModelRequest,
} from '../src/models/index.js';
import { utf8Bytes } from '../src/models/utf8-bytes.js';
import { seededRandom } from '../src/testing/index.js';
import { craftedPrompt } from './fixtures/crafted-prompt.js';
import { makePng } from './fixtures/media.js';

const gpt55 = defaultCatalog.get('gpt-5.5');
let referee: Tiktoken;
const real = (text: string) => referee.encode(text, [], []).length;

beforeAll(() => {
  referee = new Tiktoken(o200kBase as TiktokenBPE);
});

/** Random text from one of several hostile alphabets; no run of one class reaches 200 chars (the referee is quadratic there). */
function hostileText(random: () => number, length: number): string {
  const pick = (chars: string) => chars[Math.floor(random() * chars.length)]!;
  const codePoint = (from: number, to: number) => String.fromCodePoint(from + Math.floor(random() * (to - from)));
  const kinds = [
    () => codePoint(0x20, 0x7f), // ASCII
    () => codePoint(0x4e00, 0x9fff), // CJK
    () => codePoint(0x1f300, 0x1faff), // emoji (astral, surrogate pairs)
    () => codePoint(0x0300, 0x036f), // combining marks
    () => codePoint(0x0600, 0x06ff), // Arabic
    () => pick('0123456789'),
    () => pick('!@#$%^&*()_+-=[]{};:\'",.<>/?\\|`~'),
    () => pick(' \t\r\n'),
    () => (random() < 0.5 ? '\ud800' : '\udfff'), // lone surrogates
    () => '<|endoftext|>',
    () => codePoint(0x10000, 0x10ffff), // any astral
  ];
  let out = '';
  let run = 0;
  while (out.length < length) {
    const piece = kinds[Math.floor(random() * kinds.length)]!();
    out += piece;
    run += piece.length;
    if (run > 60) {
      out += random() < 0.5 ? ' ' : '\n';
      run = 0;
    }
  }
  return out;
}

// The referee's byte-pair merge is slow on rare scripts: generous limits, so a loaded machine cannot fail these.
const SLOW = 120_000;

describe('inputTokenBound: no input can beat it', () => {
  it('every text has at most as many o200k tokens as UTF-8 bytes (300 random hostile texts)', { timeout: SLOW }, () => {
    const random = seededRandom(2024);
    for (let i = 0; i < 300; i++) {
      const text = hostileText(random, 1 + Math.floor(random() * 3_000));
      expect(real(text), JSON.stringify(text.slice(0, 40))).toBeLessThanOrEqual(utf8Bytes(text));
    }
  });

  it('a whole request: the bound is above the exact chat-framed count, the refined count, and the estimate', { timeout: SLOW }, () => {
    const random = seededRandom(7);
    for (let i = 0; i < 60; i++) {
      const request: ModelRequest = {
        system: hostileText(random, 200),
        messages: [
          { role: 'user', content: hostileText(random, 2_000) },
          { role: 'assistant', content: '', toolCalls: [{ id: 'c1', name: 'lookup', args: { q: hostileText(random, 100) } }] },
          { role: 'tool', toolCallId: 'c1', toolName: 'lookup', content: hostileText(random, 500) },
        ],
        tools: [{ name: 'lookup', parameters: { type: 'object', properties: { q: { type: 'string' } } } }],
        output: { name: 'output', schema: { type: 'object', properties: { kind: { type: 'string' } } } },
      };
      const bound = inputTokenBound(request);
      const tokens = new RequestTokens(request);
      tokens.refine();
      expect(bound).toBeGreaterThanOrEqual(countTokens(gpt55, request));
      expect(bound).toBeGreaterThanOrEqual(tokens.forBudget(gpt55));
      expect(tokens.forBudget(gpt55)).toBeGreaterThanOrEqual(countTokens(gpt55, request));
      expect(bound).toBeGreaterThanOrEqual(inputTokenEstimate(request));
    }
  });

  it("issue 14's crafted 1M-character prompt: bound and exact count are both above the real count, and both price it above gpt-5.5's 272K cliff", { timeout: SLOW }, () => {
    const text = craftedPrompt();
    expect(text.length).toBeGreaterThanOrEqual(1_000_000);
    const actual = real(text);
    expect(actual).toBeGreaterThan(272_000); // the old sampler estimated such a prompt below the cliff
    const request = { messages: [{ role: 'user' as const, content: text }] };
    const tokens = new RequestTokens(request);
    expect(tokens.bound).toBeGreaterThan(actual);
    expect(priceTierFor(gpt55, tokens.forBudget(gpt55)).aboveInputTokens).toBe(272_000);
    tokens.refine();
    expect(tokens.forBudget(gpt55)).toBeGreaterThanOrEqual(actual);
    expect(tokens.forBudget(gpt55)).toBeLessThan(tokens.bound);
    expect(priceTierFor(gpt55, tokens.forBudget(gpt55)).aboveInputTokens).toBe(272_000);
  });

  it('long runs of one class are bounded by their bytes, never encoded (js-tiktoken is quadratic in one piece)', { timeout: SLOW }, () => {
    const letters = 'a'.repeat(50_000);
    const tokens = new RequestTokens({ messages: [{ role: 'user', content: `start ${letters} end` }] });
    tokens.refine();
    // The run counts as its 50,000 bytes (plus one for the cut), the rest exactly: far above the real 6,252.
    expect(tokens.forBudget(gpt55)).toBeGreaterThanOrEqual(real(`start ${'a'.repeat(1_000)} end`) + 49_000);
    expect(tokens.forBudget(gpt55)).toBeLessThanOrEqual(tokens.bound);
  });
});

describe('images and PDFs in the bound, the estimate and the exact count', () => {
  const claude = defaultCatalog.get('claude-sonnet-4-6');
  const gemini = defaultCatalog.get('gemini-3.1-pro');
  const request: ModelRequest = {
    messages: [
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Compare the chart with the lease. '.repeat(40) },
          { type: 'image', image: makePng(800, 600) },
          { type: 'file', data: makePdf([['Rent'], ['Repairs'], ['Notice']]), mediaType: 'application/pdf' },
          { type: 'file', data: Buffer.from('a note in a text file'), mediaType: 'text/plain', filename: 'note.txt' },
        ],
      },
    ],
  };
  const attachments = (model: ModelInfo) =>
    attachmentTokens(model, { type: 'image', width: 800, height: 600 }) + attachmentTokens(model, { type: 'file', mediaType: 'application/pdf', pages: 3 });
  const textOnly: ModelRequest = {
    messages: [{ role: 'user', content: [{ type: 'text', text: 'Compare the chart with the lease. '.repeat(40) }, { type: 'text', text: '<file name="note.txt" type="text/plain">\na note in a text file\n</file>' }] }],
  };

  it("each figure adds the model's provider's bound for the image and the PDF; a text file counts as the text sent", () => {
    for (const model of [gpt55, claude, gemini]) {
      expect(inputTokenBound(request, model)).toBe(inputTokenBound(textOnly) + attachments(model));
      expect(inputTokenEstimate(request, model)).toBe(inputTokenEstimate(textOnly) + attachments(model));
      expect(countTokens(model, request)).toBe(countTokens(model, textOnly) + attachments(model));
      expect(inputTokenBound(request, model)).toBeGreaterThanOrEqual(countTokens(model, request));
    }
    // Without a model, the largest any provider's rules give: never below any model's bound.
    for (const model of defaultCatalog.list()) expect(inputTokenBound(request)).toBeGreaterThanOrEqual(inputTokenBound(request, model));
  });

  it('RequestTokens: the same figures per model, before and after the exact count; the exact count lowers only the text', () => {
    const tokens = new RequestTokens(request);
    expect(tokens.bound).toBe(inputTokenBound(request));
    for (const model of [gpt55, claude, gemini]) {
      expect(tokens.attachments(model)).toBe(attachments(model));
      expect(tokens.boundFor(model)).toBe(inputTokenBound(request, model));
      expect(tokens.forBudget(model)).toBe(tokens.boundFor(model));
      expect(tokens.estimate(model)).toBe(inputTokenEstimate(request, model));
    }
    tokens.refine();
    expect(tokens.forBudget(gpt55) - attachments(gpt55)).toBeLessThan(tokens.textBound);
    expect(tokens.forBudget(gpt55)).toBeGreaterThanOrEqual(countTokens(gpt55, request));
    expect(tokens.forBudget(claude)).toBe(tokens.boundFor(claude)); // not counted with o200k: the bound stands
    expect(tokens.forWindow(claude)).toBeLessThan(tokens.boundFor(claude));
    expect(tokens.forWindow(claude)).toBeGreaterThan(attachments(claude));
  });

  it('an exact count is taken only where it can change a decision: a PDF that passes a line on its own never asks for one', () => {
    const fixed = (tokens: number) => () => tokens;
    // 10K bytes of text beside a 300K-token PDF: gpt-5.5 is above its 272K cliff whatever the text counts.
    expect(exactCountReason({ bound: 10_000, attachments: fixed(300_000), models: [gpt55] })).toBeUndefined();
    // 40K bytes of text beside a 250K-token PDF: the bound passes the cliff, the exact count may not.
    expect(exactCountReason({ bound: 40_000, attachments: fixed(250_000), models: [gpt55] })).toContain("gpt-5.5's price cliff at 272000");
  });
});
