// One measurement in a fresh process (spawned by bench/first-token.ts): import the built package (from the dist
// folder given, default ../dist), then stream one call on simulated() and time its first token. Prints one JSON line.
import { pathToFileURL } from 'node:url';

const dist = process.argv[2] ?? new URL('../dist/', import.meta.url).pathname;
const started = performance.now();
const { createSwitchyard } = await import(pathToFileURL(`${dist}/index.js`).href);
const { simulated } = await import(pathToFileURL(`${dist}/testing.js`).href);
const imported = performance.now();
const sy = createSwitchyard({ providers: [simulated()], budget: { usd: 5 } });
let firstToken;
for await (const event of sy.stream({ task: 'classification', prompt: 'Is "app crashes on login" a bug?' })) {
  if (event.type === 'text-delta' && firstToken === undefined) firstToken = performance.now();
}
const done = performance.now();
console.log(JSON.stringify({
  importMs: imported - started,
  firstTokenMs: firstToken - imported,
  callMs: done - imported,
  heapMb: process.memoryUsage().heapUsed / 2 ** 20,
}));
