/**
 * Attachments in the budget, the response cache and the trace: the reservation grows with images and PDFs (by the
 * providers' published rules) and never falls below what settles; a PDF large enough crosses gpt-5.5's 272K-token
 * tier, and the reservation is priced at it; settlement uses reported usage. Cache keys and traces hold hashes,
 * never bytes.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { makePdf } from '../examples/tiny-pdf.js';
import { attachmentTokens } from '../src/models/attachment-tokens.js';
import { RequestTokens } from '../src/models/request-tokens.js';
import {
  costOf,
  countTokens,
  inputTokenBound,
  inputTokenEstimate,
  createSwitchyard,
  defaultCatalog,
  openai,
  readTrace,
  reportHtml,
  responseCacheKey,
  workflow,
  worstCaseCostOf,
  type ContentPart,
  type Message,
  type RunEvent,
} from '../src/index.js';
import { simulated, startMockServer, type MockServer } from '../src/testing/index.js';
import { makePng } from './fixtures/media.js';

type BudgetEvent = Extract<RunEvent, { type: 'budget' }>;

const png = makePng(800, 600);
const pages = (n: number) => Array.from({ length: n }, (_, i) => [`Section ${i + 1}`, 'The parties agree as follows.']);
const text = (t: string): ContentPart => ({ type: 'text', text: t });

async function budgetEvents(stream: AsyncIterable<RunEvent> & { result: Promise<unknown> }): Promise<{ reserve: BudgetEvent[]; settle: BudgetEvent[] }> {
  const events: BudgetEvent[] = [];
  for await (const event of stream) if (event.type === 'budget') events.push(event);
  await stream.result;
  return { reserve: events.filter((e) => e.phase === 'reserve'), settle: events.filter((e) => e.phase === 'settle') };
}

describe('the reservation with attachments, through the openai SDK against the mock server', () => {
  let server: MockServer;
  beforeAll(async () => {
    server = await startMockServer({ text: 'The lease runs for two years.' });
  });
  afterAll(() => server.close());

  it('grows by the attachments’ bounds and never falls below the settled cost', async () => {
    const sy = createSwitchyard({ providers: [openai({ baseURL: server.openaiBaseURL, apiKey: 'k' })] });
    const model = defaultCatalog.get('gpt-5.4');
    const pdf = makePdf(pages(3));
    const plain: Message[] = [{ role: 'user', content: 'Summarize the lease.' }];
    const attached: Message[] = [{ role: 'user', content: [text('Summarize the lease.'), { type: 'image', image: png }, { type: 'file', data: pdf, mediaType: 'application/pdf' }] }];

    const a = await budgetEvents(sy.stream({ model: 'gpt-5.4', messages: plain, maxOutputTokens: 200 }));
    const b = await budgetEvents(sy.stream({ model: 'gpt-5.4', messages: attached, maxOutputTokens: 200 }));

    const bound = attachmentTokens(model, { type: 'image', width: 800, height: 600 }) + attachmentTokens(model, { type: 'file', mediaType: 'application/pdf', pages: 3 });
    // The exact count, the byte bound and the estimate all add the same bound for the attachments.
    expect(countTokens(model, { messages: attached }) - countTokens(model, { messages: plain })).toBe(bound);
    expect(inputTokenBound({ messages: attached }, model) - inputTokenBound({ messages: plain }, model)).toBe(bound);
    expect(inputTokenEstimate({ messages: attached }, model) - inputTokenEstimate({ messages: plain }, model)).toBe(bound);
    // The reservation is the byte bound of the text plus the attachments' bound (no tokenizer needed for this one).
    expect(b.reserve[0]!.amountUsd).toBeCloseTo(worstCaseCostOf(model, inputTokenBound({ messages: attached }, model), 200), 12);
    expect(b.reserve[0]!.amountUsd - a.reserve[0]!.amountUsd).toBeCloseTo((bound * 2.5) / 1e6, 9);
    for (const run of [a, b]) expect(run.settle[0]!.amountUsd).toBeLessThanOrEqual(run.reserve[0]!.amountUsd);
    // The mock server counted the same bound for the attachments it read off the wire.
    expect(server.requests.at(-1)!.body).toMatchObject({ messages: [{ content: [{ type: 'text' }, { type: 'image_url' }, { type: 'file' }] }] });
  });

  it('settles to the usage the provider reports', async () => {
    server.setScript({ text: 'ok', usage: { inputTokens: 2_345, outputTokens: 7 } });
    const sy = createSwitchyard({ providers: [openai({ baseURL: server.openaiBaseURL, apiKey: 'k' })] });
    const { reserve, settle } = await budgetEvents(sy.stream({ model: 'gpt-5.4', messages: [{ role: 'user', content: [text('Read.'), { type: 'file', data: makePdf(pages(2)), mediaType: 'application/pdf' }] }], maxOutputTokens: 50 }));
    const usage = { inputTokens: 2_345, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 7, reasoningTokens: 0 };
    expect(settle[0]!.amountUsd).toBeCloseTo(costOf(defaultCatalog.get('gpt-5.4'), usage), 12);
    expect(settle[0]!.amountUsd).toBeLessThan(reserve[0]!.amountUsd);
    server.setScript({ text: 'The lease runs for two years.' });
  });
});

describe("gpt-5.5's 272K-token tier", () => {
  it('a PDF that brings the input past 272K tokens is reserved at the higher tier; a smaller one is not', async () => {
    const model = defaultCatalog.get('gpt-5.5');
    // A provider reporting a modest real usage: settlement, at the tier the REPORTED input falls into, is far lower.
    const sim = simulated({ reply: { text: 'Summary.', usage: { inputTokens: 60_000 } } });
    const sy = createSwitchyard({ providers: [sim] });
    const ask = (n: number): Message[] => [{ role: 'user', content: [{ type: 'file', data: makePdf(pages(n)), mediaType: 'application/pdf' }, text('Summarize.')] }];

    const large = await budgetEvents(sy.stream({ model: 'gpt-5.5', messages: ask(40), maxOutputTokens: 1_000 }));
    // The PDF alone passes the tier: the exact count (never below what bills) is above it too, so the byte bound
    // stands, and the whole reservation is at the higher tier.
    expect(countTokens(model, { messages: ask(40) })).toBeGreaterThan(272_000);
    const tokens = inputTokenBound({ messages: ask(40) }, model);
    expect(large.reserve[0]!.amountUsd).toBeCloseTo((tokens * 10 + 1_000 * 45) / 1e6, 9);
    expect(large.settle[0]!.amountUsd).toBeCloseTo((60_000 * 5 + sim.requests[0]!.usage!.outputTokens * 30) / 1e6, 9);

    const small = await budgetEvents(sy.stream({ model: 'gpt-5.5', messages: ask(30), maxOutputTokens: 1_000 }));
    const fewer = inputTokenBound({ messages: ask(30) }, model);
    expect(fewer).toBeLessThan(272_000);
    expect(small.reserve[0]!.amountUsd).toBeCloseTo((fewer * 5 + 1_000 * 30) / 1e6, 9);
  });
});

describe('the exact count with attachments', () => {
  it('a PDF and a prompt whose byte bound passes the tier but whose exact count does not: counted exactly, reserved at the lower tier', async () => {
    const model = defaultCatalog.get('gpt-5.5');
    const prose = 'The tenant shall keep the premises in good repair. '.repeat(800); // ~41K bytes, ~9K tokens
    const messages: Message[] = [{ role: 'user', content: [{ type: 'file', data: makePdf(pages(36)), mediaType: 'application/pdf' }, text(prose)] }];
    const tokens = new RequestTokens({ messages });
    expect(tokens.boundFor(model)).toBeGreaterThan(272_000);
    tokens.refine();
    const exact = tokens.forBudget(model);
    expect(exact).toBeLessThan(272_000);
    expect(exact).toBeGreaterThan(tokens.attachments(model)); // the PDF's bound stays whole: only the text was counted

    const sy = createSwitchyard({ providers: [simulated()] });
    const { reserve } = await budgetEvents(sy.stream({ model: 'gpt-5.5', messages, maxOutputTokens: 1_000 }));
    expect(reserve[0]!.amountUsd).toBeCloseTo((exact * 5 + 1_000 * 30) / 1e6, 9);
  });
});

describe('cache keys and traces hold hashes, never bytes', () => {
  const pdf = makePdf(pages(2));
  const base64 = Buffer.from(pdf).toString('base64');
  const request = (data: Uint8Array | string): { messages: Message[] } => ({ messages: [{ role: 'user', content: [text('Risks?'), { type: 'file', data, mediaType: 'application/pdf' }] }] });

  it('the response-cache key follows the content, whatever form or object carries it', () => {
    const key = responseCacheKey(request(pdf), 'gpt-5.4');
    expect(responseCacheKey(request(Buffer.from(pdf)), 'gpt-5.4')).toBe(key);
    expect(responseCacheKey(request(base64), 'gpt-5.4')).toBe(key);
    expect(responseCacheKey(request(`data:application/pdf;base64,${base64}`), 'gpt-5.4')).toBe(key);
    expect(responseCacheKey(request(makePdf(pages(3))), 'gpt-5.4')).not.toBe(key);
  });

  it('a cached reply is served for the same document in a new part object', async () => {
    const sim = simulated({ reply: { text: 'No risks.' } });
    const sy = createSwitchyard({ providers: [sim] });
    const first = await sy.generate({ model: 'gpt-5.4', ...request(pdf), cache: { response: true } });
    const second = await sy.generate({ model: 'gpt-5.4', ...request(Buffer.from(pdf)), cache: { response: true } });
    expect(first.cached).toBeUndefined();
    expect(second).toMatchObject({ cached: true, text: 'No risks.' });
    expect(sim.requests).toHaveLength(1);
  });

  it('the trace and the report show the attachment as type, size and hash', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sy-att-'));
    const trace = join(dir, 'run.jsonl');
    const sy = createSwitchyard({ providers: [simulated()] });
    const wf = workflow({ name: 'risks', input: z.object({ pdf: z.instanceof(Uint8Array) }) }).llm('risks', {
      model: 'gpt-5.4',
      messages: ({ input }) => [{ role: 'user', content: [text('Risks?'), { type: 'file', data: input.pdf, mediaType: 'application/pdf', filename: 'lease.pdf' }] }],
    });
    const result = await sy.run(wf, { pdf }, { trace }).result;
    expect(result.status).toBe('succeeded');
    const written = readFileSync(trace, 'utf8');
    expect(written).not.toContain(base64.slice(0, 40));
    const parsed = await readTrace(trace);
    const route = parsed.events.find((e) => e.type === 'node-route') as Extract<RunEvent, { type: 'node-route' }>;
    expect(route.attachments).toEqual([
      { type: 'file', source: 'bytes', mediaType: 'application/pdf', filename: 'lease.pdf', size: pdf.length, pages: 2, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) },
    ]);
    const html = reportHtml(parsed);
    expect(html).toContain(`application/pdf · 2 pages · ${pdf.length.toLocaleString('en-US')} bytes · sha256 ${route.attachments![0]!.sha256.slice(0, 12)}`);
    expect(html).not.toContain(base64.slice(0, 40));
  });
});
