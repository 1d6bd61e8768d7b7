/**
 * The report page in a real browser (Debian's Chromium driven by playwright-core): for a known trace, the figures
 * a person looks for — total cost, cost per model, node count, the retry and fallback markers on the timeline —
 * match the run; the page fetches nothing; a 10,000-node report scrolls with only the rows in view drawn.
 * Chromium comes from test/setup/chromium.ts (globalSetup), which installs it when missing; this test fails,
 * never skips, without it. (docs/report.png is the demo's report: `npm run docs:screenshot` remakes it.)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { writeReport } from '../src/observe/report/index.js';
import type { RunResult } from '../src/index.js';
import { runBigTrace, runKnownTrace } from './report-fixture.js';
import { CHROMIUM, CHROMIUM_ARGS } from './setup/chromium.js';

const dir = mkdtempSync(join(tmpdir(), 'switchyard-browser-'));
let browser: Browser;

beforeAll(async () => {
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}, 60_000);
afterAll(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Opens a local page, refusing (and counting) any request that is not the file itself. */
async function open(file: string, viewport = { width: 1400, height: 1000 }): Promise<{ page: Page; external: string[]; errors: string[] }> {
  const page = await browser.newPage({ viewport });
  const external: string[] = [];
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  await page.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith('file:')) return route.continue();
    external.push(url);
    return route.abort();
  });
  await page.goto(pathToFileURL(file).href);
  return { page, external, errors };
}

const text = async (page: Page, selector: string) => ((await page.locator(selector).first().textContent()) ?? '').trim();
const dollars = (usd: number) => `$${usd.toFixed(usd >= 1 ? 3 : usd >= 0.01 ? 4 : 6)}`;

describe('the report of a known run', () => {
  let result: RunResult;
  let file: string;

  beforeAll(async () => {
    const trace = join(dir, 'known.jsonl');
    ({ result } = await runKnownTrace(trace));
    file = join(dir, 'known.html');
    writeReport(trace, file);
  }, 60_000);

  test('shows the total cost, the cost of each model and the node count', async () => {
    const { page, external, errors } = await open(file);
    expect(await text(page, '[data-figure="total-cost"] .value')).toBe(dollars(result.costUsd));
    expect(await text(page, '[data-figure="node-count"] .value')).toBe('5');
    expect(await text(page, '[data-figure="status"]')).toBe('succeeded');
    expect(Object.keys(result.byModel).sort()).toEqual(['claude-sonnet-4-6', 'gemini-3-flash', 'gpt-5.4', 'gpt-5.5']);
    for (const [model, totals] of Object.entries(result.byModel)) {
      expect(await text(page, `[data-model-cost-cell="${model}"]`), model).toBe(dollars(totals.costUsd));
      await expect.poll(() => page.locator(`[data-model-cost="${model}"] rect`).isVisible()).toBe(true);
    }
    // the graph names each node's model
    expect(await text(page, '.gnode[data-node="summarize"]')).toContain('claude-sonnet-4-6');
    expect(await text(page, '.gnode[data-node="fix"]')).toContain('gpt-5.5');
    expect(external).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });

  test('marks the retry and the fallback on the timeline', async () => {
    const { page } = await open(file);
    expect(await text(page, '#gantt-count')).toBe('5 nodes started');
    const retry = page.locator('#gantt .marker-retry');
    expect(await retry.count()).toBe(1);
    expect(await retry.getAttribute('data-node')).toBe('fix');
    expect(await retry.isVisible()).toBe(true);
    expect(await page.locator('#gantt .marker-fallback').getAttribute('data-node')).toBe('summarize');
    expect(await page.locator('#gantt .row[data-node="research"] .attempt').count()).toBe(4);
    expect(await text(page, '[data-figure="retries"] .value')).toBe('1 ↻ · 1 ⇢');
    await page.close();
  });

  test('the node table sorts and filters', async () => {
    const { page } = await open(file);
    const firstRow = () => page.locator('#nodes-body tr').first().getAttribute('data-node');
    const mostExpensive = Object.entries(result.nodes).sort((a, b) => b[1].costUsd - a[1].costUsd)[0]![0];
    expect(await firstRow()).toBe(mostExpensive);
    expect(await text(page, '#nodes-pager')).toBe('nodes 1–5 of 5');
    await page.fill('#nodes-filter', 'gemini');
    expect(await page.locator('#nodes-body tr').count()).toBe(1);
    expect(await firstRow()).toBe('research');
    await page.fill('#nodes-filter', '');
    await page.click('th[data-sort="id"]');
    expect(await firstRow()).toBe('classify');
    await page.close();
  });

  test('the budget chart shows spend rising from $0, against the limit', async () => {
    const { page } = await open(file);
    const spent = await page.locator('#budget polyline.spent').boundingBox();
    expect(spent!.height).toBeGreaterThan(5);
    expect(await text(page, '#budget .legend')).toContain(`spent (run level): ${dollars(result.costUsd)} (${((result.costUsd / 0.25) * 100).toFixed(1)}% of the limit)`);
    await page.close();
  });
});

describe('the report of a 10,000-node run', () => {
  test('opens, shows every node in the figures, and draws only the timeline rows in view', async () => {
    const trace = join(dir, 'big.jsonl');
    await runBigTrace(trace);
    const file = join(dir, 'big.html');
    writeReport(trace, file);
    const started = performance.now();
    const { page, errors } = await open(file);
    expect(performance.now() - started).toBeLessThan(30_000);
    expect(await text(page, '[data-figure="node-count"] .value')).toBe('10,000');
    expect(await text(page, '#gantt-count')).toBe('10,000 nodes started');
    const drawn = await page.locator('#gantt .row').count();
    expect(drawn).toBeGreaterThan(10);
    expect(drawn).toBeLessThan(80);
    // scroll to the end: the last rows are drawn, the first are gone
    await page.locator('#gantt').evaluate((el) => (el.scrollTop = el.scrollHeight));
    const drawnIds = () => page.locator('#gantt .row').evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-node')!.slice(1))));
    await expect.poll(async () => Math.max(...(await drawnIds()))).toBeGreaterThanOrEqual(9900);
    const ids = await drawnIds();
    expect(ids.length).toBeLessThan(80);
    expect(ids).not.toContain(0); // the first rows are no longer drawn
    expect(await page.locator('#gantt .marker-retry').count()).toBeLessThan(80);
    expect(await text(page, '#nodes-pager')).toBe('nodes 1–50 of 10,000');
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);
});
