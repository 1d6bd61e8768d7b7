/**
 * First token after import: in a fresh Node process, import the built package (`dist/`), stream one call on
 * simulated(), and time its first text delta from the moment the import resolved (the import itself is reported
 * apart: it is mostly zod's and Node's module loading). Repeated in new processes; the median is reported, with
 * the heap after the call (no tokenizer is built on this path).
 *
 *   npm run build && node --import tsx bench/first-token.ts [--runs=9] [--dist=<another build's dist folder>]
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { currentLoad, describeMachine } from './machine.js';
import { option } from './cli.js';

interface Sample {
  importMs: number;
  firstTokenMs: number;
  callMs: number;
  heapMb: number;
}

const runs = Number(option('runs') ?? 9);
const dist = option('dist') ?? fileURLToPath(new URL('../dist', import.meta.url));
const child = fileURLToPath(new URL('./first-token-child.mjs', import.meta.url));
if (!existsSync(`${dist}/index.js`)) {
  console.error('bench/first-token measures the built package: run `npm run build` first.');
  process.exit(1);
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

const machine = describeMachine();
const samples: Sample[] = [];
for (let i = 0; i < runs; i++) {
  samples.push(JSON.parse(execFileSync(process.execPath, [child, dist], { encoding: 'utf8' }).trim()) as Sample);
}
const row = (label: string, pick: (s: Sample) => number, unit: string) =>
  `| ${label} | ${median(samples.map(pick)).toFixed(1)} ${unit} | ${Math.min(...samples.map(pick)).toFixed(1)} – ${Math.max(...samples.map(pick)).toFixed(1)} ${unit} |`;
console.log(`First token on simulated() after import of ${dist} — ${runs} fresh processes, ${machine.node}, ${machine.cpu} (${machine.cores} cores)`);
console.log(`load average before / after: ${machine.loadAverage} / ${currentLoad()}\n`);
console.log('| | median | range |');
console.log('|---|---|---|');
console.log(row('first token after the import resolved', (s) => s.firstTokenMs, 'ms'));
console.log(row('whole call after the import', (s) => s.callMs, 'ms'));
console.log(row('import of switchyard-ai and switchyard-ai/testing', (s) => s.importMs, 'ms'));
console.log(row('heap used after the call', (s) => s.heapMb, 'MB'));
