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
import { createSwitchyard, workflow, type RunEvent } from '../src/index.js';
import { buildReportData, reportHtml, writeReport } from '../src/observe/report/index.js';
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
