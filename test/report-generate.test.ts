/**
 * The report page as a file: self-contained (no URL to fetch), figures taken from the trace, safe against names
 * that look like markup, readable from a trace cut by a crash, fast and compact on 10,000 nodes; and the
 * `switchyard report` command.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, test } from 'vitest';
import { z } from 'zod';
import { createSwitchyard, defaultCatalog, inputTokenBound, workflow, worstCaseCostOf, type RunEvent } from '../src/index.js';
import { buildReportData, reportHtml, writeReport } from '../src/observe/report/index.js';
import { BUDGET_CHART } from '../src/observe/report/budget-chart.js';
import { parseTrace } from '../src/observe/index.js';
import { simulated } from '../src/testing/index.js';
import { runBigTrace, runKnownTrace } from './report-fixture.js';

const dir = mkdtempSync(join(tmpdir(), 'switchyard-report-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const cli = fileURLToPath(new URL('../src/cli.ts', import.meta.url));

const settled = (events: RunEvent[]) => events.filter((e) => e.type === 'budget' && e.phase === 'settle') as Array<Extract<RunEvent, { type: 'budget' }>>;

describe('the report data', () => {
  test('has every node with its model, attempts (retry and fallback marked) and the costs of the trace', async () => {
    const path = join(dir, 'known.jsonl');
    const { result, events } = await runKnownTrace(path, 0.2);
    const data = buildReportData(parseTrace(readFileSync(path, 'utf8')));
    expect(data.workflow).toBe('triage');
    expect(data.status).toBe('succeeded');
    expect(data.nodes.map((n) => n.id)).toEqual(['classify', 'fix', 'summarize', 'research', 'report']);
    const by = Object.fromEntries(data.nodes.map((n) => [n.id, n]));
    expect(data.models[by.summarize!.m]).toBe('claude-sonnet-4-6');
    expect(by.fix!.attempts.map((a) => a[3])).toEqual(['retry', 'ok']);
    expect(by.summarize!.attempts.map((a) => a[3])).toEqual(['fallback', 'ok']);
    expect(by.research!.attempts).toHaveLength(4);
    expect(by.report!.kind).toBe('step');
    expect(by.fix!.deps).toEqual([0]);
    expect(by.report!.level).toBe(2);
    const total = settled(events).reduce((s, e) => s + e.amountUsd, 0);
    expect(data.metrics.total.costUsd).toBeCloseTo(total, 12);
    expect(data.metrics.total.costUsd).toBeCloseTo(result.costUsd, 12);
    for (const [model, totals] of Object.entries(result.byModel)) expect(data.metrics.byModel[model]!.costUsd).toBeCloseTo(totals.costUsd, 12);
    expect(data.budget.limitUsd).toBe(0.25);
    expect(data.budget.points.at(-1)![1]).toBeCloseTo(result.costUsd, 12);
  });
});

describe('the page', () => {
  test('is self-contained: no external resource, only inline style and script', async () => {
    const path = join(dir, 'self.jsonl');
    await runKnownTrace(path, 0.2);
    const html = reportHtml(readFileSync(path, 'utf8'));
    expect(html).not.toMatch(/\b(src|href)\s*=/i);
    expect(html).not.toMatch(/@import|url\(/i);
    expect(html.match(/https?:\/\/[^\s"'<]+/g) ?? []).toEqual(['http://www.w3.org/2000/svg']); // the SVG namespace, not a fetch
    expect(html).toContain("default-src 'none'");
  });

  test('escapes names from the trace', async () => {
    const sy = createSwitchyard({ providers: [simulated()] });
    const evil = '<img onerror=alert(1)>';
    const wf = workflow({ name: '</script><b>x', input: z.object({}), nodes: [{ kind: 'step', id: evil, run: () => 1 }] });
    const path = join(dir, 'evil.jsonl');
    await sy.run(wf, {}, { trace: path }).result;
    const html = reportHtml(readFileSync(path, 'utf8'));
    expect(html).not.toContain('<img');
    expect(html).not.toContain('</script><b>');
    expect(html).toContain('&lt;img onerror=alert(1)&gt;');
  });

  test('reads a trace cut mid-run (and a torn last line) as an incomplete run', async () => {
    const path = join(dir, 'cut.jsonl');
    await runKnownTrace(path, 0.2);
    const lines = readFileSync(path, 'utf8').split('\n');
    const cut = `${lines.slice(0, Math.floor(lines.length / 2)).join('\n')}\n{"type":"text-del`;
    const html = reportHtml(cut);
    expect(html).toContain('class="badge incomplete"');
    expect(html).toContain('trace ends mid-run');
  });

  // How fast is a benchmark's question (bench/), not a test's: a loaded machine makes any time limit flaky.
  test('a 10,000-node trace is reported whole, in a few megabytes', async () => {
    const trace = join(dir, 'big.jsonl');
    const result = await runBigTrace(trace);
    expect(result.status).toBe('succeeded');
    const out = join(dir, 'big.html');
    const written = writeReport(trace, out);
    expect(written.nodes).toBe(10_000);
    expect(statSync(out).size).toBeLessThan(8_000_000);
    const html = readFileSync(out, 'utf8');
    expect(html).toContain('10,000 nodes: shown by dependency level');
    expect(html).toContain('data-figure="node-count"><div class="label">Nodes</div><div class="value">10,000</div>');
  }, 120_000);
});

/** The budget chart of a report page: its y scale, the USD values along the spent line, and the limit line if drawn. */
function budgetChartOf(html: string) {
  const section = /<section id="budget">([\s\S]*?)<\/section>/.exec(html)![1]!;
  const yMax = Number(/data-y-max="([^"]+)"/.exec(section)![1]);
  const { H, PAD } = BUDGET_CHART;
  const usdAt = (y: number) => ((H - PAD.b - y) / (H - PAD.t - PAD.b)) * yMax;
  const line = (cls: string) => new RegExp(`<polyline points="([^"]+)" class="${cls}"`).exec(section)![1]!.split(' ').map((xy) => xy.split(',').map(Number) as [number, number]);
  const limitY = /<line[^>]*y1="([^"]+)"[^>]*class="limit"/.exec(section)?.[1];
  const values = (cls: string) => line(cls).map(([x, y]) => [x, usdAt(y)] as const);
  return { section, yMax, spent: values('spent'), held: values('reserved'), limitUsd: limitY === undefined ? undefined : usdAt(Number(limitY)) };
}

/** One call of gpt-5.4 holding 2,000 output tokens ($0.03) under a run budget of `usd`, and its budget chart. */
async function oneCall(usd: number) {
  const sy = createSwitchyard({ providers: [simulated({ reply: { text: 'ok' } })] });
  const wf = workflow({ name: 'one', input: z.object({}) }).llm('a', { model: 'gpt-5.4', prompt: 'hi', maxOutputTokens: 2000 });
  const path = join(dir, `budget-${usd}.jsonl`);
  const result = await sy.run(wf, {}, { trace: path, budget: { usd } }).result;
  expect(result.status).toBe('succeeded');
  return { chart: budgetChartOf(reportHtml(readFileSync(path, 'utf8'))), result };
}

describe('the budget chart', () => {
  test('shows spent from $0 at the start to the cost at the end, never falling, against the limit', async () => {
    const path = join(dir, 'budget-known.jsonl');
    const { result } = await runKnownTrace(path, 0.2);
    const chart = budgetChartOf(reportHtml(readFileSync(path, 'utf8')));
    expect(chart.spent[0]).toEqual([BUDGET_CHART.PAD.l, 0]);
    for (let i = 1; i < chart.spent.length; i++) expect(chart.spent[i]![1]).toBeGreaterThanOrEqual(chart.spent[i - 1]![1] - 1e-9);
    expect(chart.spent.at(-1)![1]).toBeCloseTo(result.costUsd, 3);
    // the $0.25 limit is drawn, or (when the run held little of it at once, which depends on timing) named above
    if (chart.limitUsd === undefined) expect(chart.section).toContain('Limit $0.2500 (run level) is above this scale');
    else expect(chart.limitUsd).toBeCloseTo(0.25, 3);
    expect(chart.section).toContain(`spent (run level): $${result.costUsd.toFixed(4)} (${((result.costUsd / 0.25) * 100).toFixed(1)}% of the limit)`);
  });

  test('draws the limit when the run holds a good share of it, with spent + reserved under it', async () => {
    const { chart, result } = await oneCall(0.04);
    expect(chart.limitUsd).toBeCloseTo(0.04, 4);
    expect(chart.yMax).toBeGreaterThanOrEqual(0.04);
    expect(Math.max(...chart.held.map((p) => p[1]))).toBeCloseTo(0.03, 3); // 2,000 output tokens held at $15/M: 75%
    expect(chart.spent.at(-1)![1]).toBeCloseTo(result.costUsd, 4);
  });

  test('fits the scale to what was spent when that is a small share of the limit, and names the limit', async () => {
    const { chart, result } = await oneCall(1);
    const spent = chart.spent.at(-1)![1];
    expect(spent).toBeCloseTo(result.costUsd, 6);
    expect(spent / chart.yMax).toBeGreaterThan(0.4); // the old chart ran its scale to the $1 limit: a flat line at $0
    expect(chart.limitUsd).toBeUndefined();
    expect(chart.section).toContain('Limit $1.000 (run level) is above this scale: the run spent 0.0% of it and held at most 3.0% at once.');
    // 2,000 output tokens held at $15/M, and the input's byte bound at $2.50/M.
    const held = worstCaseCostOf(defaultCatalog.get('gpt-5.4'), inputTokenBound({ messages: [{ role: 'user', content: 'hi' }] }), 2000);
    expect(chart.section).toContain(`spent + reserved: peak $${held.toFixed(4)} (3.0% of the limit), above the top of the chart`);
  });
});

describe('npx switchyard report', () => {
  test('writes the page and says what it wrote', async () => {
    const trace = join(dir, 'cli.jsonl');
    await runKnownTrace(trace, 0.2);
    const out = join(dir, 'out', 'report.html');
    const stdout = execFileSync(process.execPath, ['--import', 'tsx', cli, 'report', trace, '-o', out], { encoding: 'utf8' });
    expect(stdout).toMatch(/^Wrote .*report\.html: 5 nodes, \d+ events, \d+ KB\.\n$/);
    expect(readFileSync(out, 'utf8')).toContain('<title>triage · switchyard run report</title>');
  });

  test('fails with a message and exit code 1 on a missing file or a bad option', () => {
    const missing = spawnSync(process.execPath, ['--import', 'tsx', cli, 'report', join(dir, 'nope.jsonl')], { encoding: 'utf8' });
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('Cannot read the trace');
    const bad = spawnSync(process.execPath, ['--import', 'tsx', cli, 'report', 'x.jsonl', '--bogus'], { encoding: 'utf8' });
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('Unknown option --bogus');
    writeFileSync(join(dir, 'empty.jsonl'), '');
    const empty = spawnSync(process.execPath, ['--import', 'tsx', cli, 'report', join(dir, 'empty.jsonl')], { encoding: 'utf8' });
    expect(empty.status).toBe(1);
    expect(empty.stderr).toContain('holds no run events');
  });
});
