/** examples/observability.ts runs as documented: progress, metrics, the response cache at $0, the report page. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { main } from '../examples/observability.js';

const dir = mkdtempSync(join(tmpdir(), 'switchyard-example-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('examples/observability.ts', async () => {
  const lines: string[] = [];
  const { first, second, metrics, report } = await main(dir, (line) => lines.push(line));
  expect(first.status).toBe('succeeded');
  expect(second.costUsd).toBe(0);
  expect(second.metrics.total.responseCache.hits).toBe(first.metrics.total.calls);
  expect(metrics.runs).toEqual({ started: 2, ended: 2 });
  expect(metrics.total.costUsd).toBeCloseTo(first.costUsd, 12);
  expect(lines[0]).toMatch(/^\[█{5}░{15}\] 1\/4 nodes · \$0\.\d+ of \$0\.50/);
  expect(lines.some((l) => /^again: \$0\.000000, 3 of 3 calls from the response cache$/.test(l))).toBe(true);
  expect(readFileSync(report, 'utf8')).toContain('<title>triage · switchyard run report</title>');
});
