/**
 * The policies behind an attempt's settlement: `settledUsage` replaces every unsound figure of a usage report (and
 * never throws), and `tokenFloor` is a floor of the token count that no text goes below — checked against the
 * exact o200k count on random texts of every kind, whole and streamed in random pieces.
 */
import { describe, expect, test } from 'vitest';
import { countTextTokens, defaultCatalog, type Usage } from '../src/index.js';
import { settledUsage, type SettleFacts } from '../src/call/settled-usage.js';
import { StreamFloor, tokenFloor } from '../src/call/output-floor.js';
import { OutputMeter, overrunMargin } from '../src/call/output-meter.js';
import { seededRandom } from '../src/testing/index.js';

const model = defaultCatalog.get('gpt-5.4');

function facts(reported: unknown, over: Partial<SettleFacts> = {}): SettleFacts {
  return {
    model,
    reported: reported as Usage | undefined,
    anything: true,
    inputEstimate: () => 40,
    outputEstimate: () => 25,
    reasoningEstimate: () => 0,
    outputFloor: () => 20,
    heldOutput: 100,
    ...over,
  };
}

const SOUND = { inputTokens: 50, cachedInputTokens: 10, cacheWriteTokens: 0, outputTokens: 30, reasoningTokens: 5 };

describe('settledUsage', () => {
  test('a sound report is used as it is', () => {
    expect(settledUsage(facts(SOUND))).toEqual({ usage: SOUND });
  });

  test.each([
    ['negative', -5],
    ['fractional', 12.5],
    ['text', '12'],
    ['NaN', NaN],
    ['Infinity', Infinity],
    ['null', null],
    ['missing', undefined],
    ['an object', { value: 3 }],
    ['more than the model can write', 10_000_000],
  ])('an output that is %s is replaced by the estimate', (_, value) => {
    const { usage, note } = settledUsage(facts({ ...SOUND, outputTokens: value }));
    expect(usage).toMatchObject({ outputTokens: 25, estimated: true });
    expect(note).toMatch(/^The usage gpt-5.4 reported was not sound, so part of it was replaced: outputTokens /);
  });

  test('an input that is garbage, or above the context window, is replaced by the counted input', () => {
    expect(settledUsage(facts({ ...SOUND, inputTokens: '1e999' })).usage.inputTokens).toBe(40);
    expect(settledUsage(facts({ ...SOUND, inputTokens: 5_000_000 })).usage.inputTokens).toBe(40);
  });

  test('the output estimate is never below what certainly streamed, nor above what was held unless that is', () => {
    expect(settledUsage(facts({ ...SOUND, outputTokens: -1 }, { outputEstimate: () => 10, outputFloor: () => 20 })).usage.outputTokens).toBe(20);
    expect(settledUsage(facts({ ...SOUND, outputTokens: -1 }, { outputEstimate: () => 130, outputFloor: () => 20 })).usage.outputTokens).toBe(100);
    expect(settledUsage(facts({ ...SOUND, outputTokens: -1 }, { outputEstimate: () => 130, outputFloor: () => 120 })).usage.outputTokens).toBe(120);
  });

  test('missing or null cache and reasoning figures are 0; other garbage there is flagged', () => {
    const quiet = settledUsage(facts({ inputTokens: 50, outputTokens: 30, cachedInputTokens: null }));
    expect(quiet).toEqual({ usage: { inputTokens: 50, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 30, reasoningTokens: 0 } });
    const loud = settledUsage(facts({ ...SOUND, cachedInputTokens: -3, cacheWriteTokens: 'x' }));
    // no cache discount that cannot be trusted; every uncached input token is charged as a cache write
    expect(loud.usage).toMatchObject({ cachedInputTokens: 0, cacheWriteTokens: 50, estimated: true });
    expect(loud.note).toContain('cachedInputTokens was -3');
    expect(loud.note).toContain('cacheWriteTokens was "x"');
  });

  test('a reasoning figure left out is the estimate of the reasoning that streamed, never above the output', () => {
    const left = settledUsage(facts({ inputTokens: 50, outputTokens: 30 }, { reasoningEstimate: () => 12 }));
    expect(left).toEqual({ usage: { inputTokens: 50, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 30, reasoningTokens: 12 } });
    expect(settledUsage(facts({ inputTokens: 50, outputTokens: 30, reasoningTokens: null }, { reasoningEstimate: () => 45 })).usage.reasoningTokens).toBe(30);
    expect(settledUsage(facts(undefined, { reasoningEstimate: () => 7 })).usage).toMatchObject({ outputTokens: 25, reasoningTokens: 7, estimated: true });
  });

  test('inconsistent figures are read the way that cannot undercount', () => {
    const cache = settledUsage(facts({ ...SOUND, inputTokens: 8, cachedInputTokens: 30 }));
    expect(cache.usage).toMatchObject({ inputTokens: 38, cachedInputTokens: 30, estimated: true });
    const reasoning = settledUsage(facts({ ...SOUND, outputTokens: 30, reasoningTokens: 40 }));
    expect(reasoning.usage).toMatchObject({ outputTokens: 70, reasoningTokens: 40 });
    const below = settledUsage(facts({ ...SOUND, outputTokens: 3, reasoningTokens: 0 }));
    expect(below.usage.outputTokens).toBe(25);
    expect(below.note).toContain('below what certainly streamed (20)');
  });

  test('no report: the estimate when anything streamed, nothing when nothing did', () => {
    expect(settledUsage(facts(undefined)).usage).toEqual({ inputTokens: 40, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 25, reasoningTokens: 0, estimated: true });
    expect(settledUsage(facts(undefined, { anything: false })).usage).toMatchObject({ inputTokens: 0, outputTokens: 0 });
  });

  test('a report that is not an object at all is replaced field by field, without throwing', () => {
    expect(settledUsage(facts('garbage')).usage).toMatchObject({ inputTokens: 40, outputTokens: 25, estimated: true });
    expect(settledUsage(facts(null)).usage).toMatchObject({ inputTokens: 40, outputTokens: 25, estimated: true });
  });
});

/** Random text of every kind a model writes: prose, code, numbers, punctuation runs, CJK, emoji, odd spacing. */
function randomText(random: () => number): string {
  const pieces = [
    'the', ' quick', ' brown', 'fox', "don't", "it's", 'Hello', 'World', 'camelCaseWord', 'snake_case', 'x', 'a.b', 'e.g.',
    '12345678', '3.14159', '2026-04-30', 'gpt-5.4', 'foo(bar);', '{"k": [1, 2]}', '=====', '----', '...', '!!!', '?',
    '日本語のテキスト', '中文', '한국어', 'Ünïcödé', 'naïve', '🙂', '👩‍💻', '\n', '\n\n', '\t', '   ', ' ', '  ', 'https://example.com/a?b=c',
    'z'.repeat(120), ' '.repeat(120), '0'.repeat(40),
  ];
  let text = '';
  const n = 1 + Math.floor(random() * 60);
  for (let i = 0; i < n; i++) text += pieces[Math.floor(random() * pieces.length)]! + (random() < 0.6 ? ' ' : '');
  return text;
}

describe('tokenFloor', () => {
  const openaiModel = defaultCatalog.get('gpt-5.4');

  test('is never above the exact o200k count, over 200 random texts', () => {
    const random = seededRandom(14);
    for (let i = 0; i < 200; i++) {
      const text = randomText(random);
      expect(tokenFloor(text), JSON.stringify(text)).toBeLessThanOrEqual(countTextTokens(openaiModel, text));
    }
  });

  test('counts the words between every kind of whitespace a regular expression knows (\\s), and nothing else', () => {
    // Every code unit below 0x3001, and the rest of \s: a word is what /\S+/ matches, whatever separates it.
    const units = [...Array.from({ length: 0x3001 }, (_, c) => c), 0xfeff, 0xfffe, 0xd83d];
    const spaces = units.filter((c) => /\s/.test(String.fromCharCode(c)));
    expect(spaces.length).toBe(25);
    for (const c of units) {
      const text = `a${String.fromCharCode(c)}b ${String.fromCharCode(c)}`;
      expect(tokenFloor(text), `U+${c.toString(16)}`).toBe(text.match(/\S+/g)!.length);
    }
    const random = seededRandom(3);
    const alphabet = [...spaces, 0x61, 0x62, 0x2d, 0x4e2d];
    for (let i = 0; i < 500; i++) {
      const text = String.fromCharCode(...Array.from({ length: Math.floor(random() * 20) }, () => alphabet[Math.floor(random() * alphabet.length)]!));
      expect(tokenFloor(text), JSON.stringify(text)).toBe(text.match(/\S+/g)?.length ?? 0);
    }
  });

  test('is most of the count for prose', () => {
    const prose = 'The budget ledger reserves the worst case of every attempt before its request goes out, and settles it to what the provider reported afterwards.';
    expect(tokenFloor(prose) / countTextTokens(openaiModel, prose)).toBeGreaterThan(0.7);
  });

  test('counted as a stream in random pieces, it is the floor of the whole', () => {
    const random = seededRandom(7);
    for (let i = 0; i < 200; i++) {
      const text = randomText(random);
      const floor = new StreamFloor();
      for (let at = 0; at < text.length; ) {
        const next = Math.min(text.length, at + 1 + Math.floor(random() * 12));
        floor.add(text.slice(at, next));
        at = next;
      }
      expect(floor.total()).toBe(tokenFloor(text));
    }
  });
});

describe('OutputMeter', () => {
  test('counts nothing until the text could hold the cap, then says when the cap has streamed and when the margin has', () => {
    const meter = new OutputMeter(10);
    expect(overrunMargin(10)).toBe(32);
    expect(overrunMargin(1000)).toBe(250);
    let text = '';
    const verdicts: string[] = [];
    for (let i = 0; i < 60; i++) {
      const piece = ` w${i}`;
      meter.chars += piece.length;
      const verdict = meter.counting ? meter.text(piece, () => text) : 'within';
      text += piece;
      if (verdict !== 'within') verdicts.push(`${i + 1}:${verdict}`);
      if (verdict === 'overrun') break;
    }
    // the whole cap has streamed at the 10th word (once); cut at the 43rd (past 10 + 32)
    expect(verdicts).toEqual(['10:at-cap', '43:overrun']);
  });
});
