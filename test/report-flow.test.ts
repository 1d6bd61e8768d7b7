/**
 * The report and trace of control flow: a loop's iterations (one row per iteration, under the loop), a nested
 * workflow's nodes (under their node, collapsible in the page), and a node waiting for a person (status 'waiting'
 * with its prompt; the run's badge says waiting). Data from the trace file, then the page in Chromium.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { z } from 'zod';
import { createSwitchyard, workflow, type RunResult } from '../src/index.js';
import { parseTrace } from '../src/observe/index.js';
import { buildReportData, writeReport, type ReportData } from '../src/observe/report/index.js';
import { simulated } from '../src/testing/index.js';
import { CHROMIUM } from './setup/chromium.js';

const dir = mkdtempSync(join(tmpdir(), 'switchyard-flow-report-'));
let browser: Browser;
let result: RunResult;
let data: ReportData;
let page: string;

const revise = workflow({ name: 'revise', input: z.object({ n: z.number() }) }).llm('draft', {
  model: 'gpt-5.4-mini',
  prompt: ({ input }) => `draft ${input.n}`,
});
const legal = workflow({ name: 'legal', input: z.object({ text: z.string() }) })
  .llm('check', { model: 'gpt-5.4', prompt: ({ input }) => `check ${input.text}` })
  .step('summary', { after: ['check'], run: ({ check }) => check.slice(0, 10) });
const wf = workflow({ name: 'contract', input: z.object({}) })
  .loop('refine', { body: revise, maxIterations: 3, input: (_c, _l, { iteration }) => ({ n: iteration }), until: () => false })
  .workflow('legal', { after: ['refine'], workflow: legal, input: ({ refine }) => ({ text: refine.draft }) })
  .approval('sign', { after: ['legal'], prompt: 'Sign the contract?', answer: z.boolean() });

beforeAll(async () => {
  const trace = join(dir, 'flow.jsonl');
  const sy = createSwitchyard({ providers: [simulated()] });
  result = await sy.run(wf, {}, { trace }).result;
  data = buildReportData(parseTrace(readFileSync(trace, 'utf8')));
  page = join(dir, 'flow.html');
  writeReport(trace, page);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'] });
}, 60_000);
afterAll(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the report data of control flow', () => {
  test('a loop has one row per iteration under it; a nested workflow its nodes under it; the waiting node its prompt', () => {
    expect(result.status).toBe('waiting');
    const rows = data.nodes.map((n) => [n.id, n.label, n.depth, n.parent === undefined ? undefined : data.nodes[n.parent]!.id, n.status]);
    expect(rows).toEqual([
      ['refine', 'refine', 0, undefined, 'succeeded'],
      ['legal', 'legal', 0, undefined, 'succeeded'],
      ['sign', 'sign', 0, undefined, 'waiting'],
      ['refine/draft#1', 'draft #1', 1, 'refine', 'succeeded'],
      ['refine/draft#2', 'draft #2', 1, 'refine', 'succeeded'],
      ['refine/draft#3', 'draft #3', 1, 'refine', 'succeeded'],
      ['legal/check', 'check', 1, 'legal', 'succeeded'],
      ['legal/summary', 'summary', 1, 'legal', 'succeeded'],
    ]);
    const by = Object.fromEntries(data.nodes.map((n) => [n.id, n]));
    expect(by.refine!.iterations).toBe(3);
    expect(by['refine/draft#2']!.iteration).toBe(2);
    expect(by.sign!.prompt).toBe('Sign the contract?');
    // a holding node costs what its nested nodes cost; each iteration its own
    expect(by.refine!.cost).toBeCloseTo(result.nodes.refine!.costUsd, 12);
    expect(by['refine/draft#2']!.cost).toBeCloseTo(result.nodes.refine!.iterations![1]!.costUsd, 12);
    expect(by.legal!.cost).toBeCloseTo(result.nodes.legal!.costUsd, 12);
    expect(data.status).toBe('waiting');
    // the graph shows the workflow's own nodes
    expect(data.metrics.nodes).toMatchObject({ total: 3, succeeded: 2 });
  });
});

describe('the page', () => {
  test('nested rows collapse under the node that holds them; the run and the node say waiting', async () => {
    const tab = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const errors: string[] = [];
    tab.on('pageerror', (e) => errors.push(e.message));
    await tab.goto(pathToFileURL(page).href);
    expect(((await tab.locator('[data-figure="status"]').textContent()) ?? '').trim()).toBe('waiting');
    const table = tab.locator('#nodes-body tr');
    const ids = async () => table.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-node')));
    expect(await ids()).toEqual(expect.arrayContaining(['refine', 'refine/draft#1', 'refine/draft#3', 'legal/check']));
    expect(await tab.locator('#nodes-body tr[data-node="sign"] td').nth(2).textContent()).toBe('waiting');
    expect(await tab.locator('#nodes-body tr[data-node="refine"] td').first().textContent()).toBe('▾ refine (3 iterations)');
    expect(await tab.locator('#gantt .row[data-node="refine/draft#2"]').count()).toBe(1);

    await tab.locator('#nodes-body tr[data-node="refine"] td').first().click();
    expect(await ids()).not.toContain('refine/draft#1');
    expect(await ids()).toContain('legal/check');
    expect(await tab.locator('#nodes-body tr[data-node="refine"] td').first().textContent()).toBe('▸ refine (3 iterations)');
    await expect.poll(() => tab.locator('#gantt .row[data-node="refine/draft#2"]').count()).toBe(0);

    await tab.locator('#nodes-body tr[data-node="refine"] td').first().click();
    expect(await ids()).toContain('refine/draft#2');
    expect(errors).toEqual([]);
    await tab.close();
  });
});
