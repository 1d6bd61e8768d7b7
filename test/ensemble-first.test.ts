import { afterEach, describe, expect, test } from 'vitest';
import { z } from 'zod';
import { anthropic, createSwitchyard, google, openai, workflow } from '../src/index.js';
import { startMockServer, type MockServer } from '../src/testing/index.js';
import { collect, ofType, words } from './e2e-kit.js';
import { waitUntil } from './providers/families.js';

/**
 * `merge: 'first'` over three providers' wire formats on one mock server: Claude and Gemini stream slowly
 * (200 words, 100 ms apart); GPT answers as soon as both have streamed a few words. When GPT wins, the other two
 * requests must be closed by the client at once and charged only for what they streamed.
 */
let server: MockServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe("ensemble merge 'first' over HTTP", () => {
  test('losers are aborted (their HTTP requests closed) and charged only for what they used', async () => {
    // GPT's reply is held back until both losers have streamed a few words (ordering, not timing).
    let losersStreaming!: () => void;
    const streaming = new Promise<void>((resolve) => (losersStreaming = resolve));
    server = await startMockServer(async (info) => {
      // The losers stream ten words, then hang until the client aborts them: had they not been aborted, the run
      // would never end (no clock to race).
      if (info.family !== 'openai') return { text: words(200), chunkDelayMs: 20, fault: { type: 'hang', afterTokens: 10 } };
      await streaming;
      return { text: 'The quick answer.' };
    });
    const key = 'test-key';
    const sy = createSwitchyard({
      providers: [
        openai({ baseURL: server.openaiBaseURL, apiKey: key }),
        anthropic({ baseURL: server.anthropicBaseURL, apiKey: key }),
        google({ baseURL: server.googleBaseURL, apiKey: key }),
      ],
    });
    const wf = workflow({ name: 'race', input: z.object({}) }).ensemble('race', {
      models: ['claude-opus-4-7', 'gemini-3.1-pro', 'gpt-5.5'],
      prompt: 'Answer quickly.',
      maxOutputTokens: 1_000,
      merge: 'first',
    });
    const run = sy.run(wf, {});
    const deltas = [0, 0, 0];
    run.on('text-delta', (e) => {
      deltas[e.candidate!]!++;
      if (deltas[0]! >= 3 && deltas[1]! >= 3) losersStreaming();
    });
    const { events, result } = await collect(run);

    expect(result.status).toBe('succeeded');
    expect(result.outputs.race).toBe('The quick answer.');
    const [claude, gemini, gpt] = result.nodes.race.candidates!;
    expect(gpt).toMatchObject({ status: 'succeeded', used: true, model: 'gpt-5.5' });
    for (const loser of [claude!, gemini!]) {
      expect(loser).toMatchObject({ status: 'cancelled', used: false });
      // charged for the input and the few words streamed before the abort, not for the 200-word reply
      expect(loser.costUsd).toBeGreaterThan(0);
      expect(loser.usage.outputTokens).toBeGreaterThan(0);
      expect(loser.usage.outputTokens).toBeLessThan(100);
    }
    // the losers' HTTP requests were closed by the client, not finished
    expect(await waitUntil(() => server!.requests.filter((r) => r.closedByClient).length === 2)).toBe(true);
    const closed = server.requests.filter((r) => r.closedByClient).map((r) => r.family).sort();
    expect(closed).toEqual(['anthropic', 'google']);
    expect(server.requests.find((r) => r.family === 'openai')!.completed).toBe(true);
    // settlements: each loser's reservation was released down to what it used
    const settles = ofType(events, 'budget').filter((e) => e.phase === 'settle' && e.candidate !== 2);
    const reserves = ofType(events, 'budget').filter((e) => e.phase === 'reserve' && e.candidate !== 2);
    expect(settles).toHaveLength(2);
    for (const settle of settles) {
      const reserve = reserves.find((r) => r.candidate === settle.candidate)!;
      expect(settle.amountUsd).toBeLessThan(reserve.amountUsd / 2);
    }
    const sum = result.nodes.race.candidates!.reduce((total, c) => total + c.costUsd, 0);
    expect(result.costUsd).toBeCloseTo(sum, 12);
  });
});
