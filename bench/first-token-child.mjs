// One measurement in a fresh process (spawned by bench/first-token.ts): import the built package, then stream one
// call on simulated() and time its first token. Prints one JSON line.
const started = performance.now();
const { createSwitchyard } = await import('../dist/index.js');
const { simulated } = await import('../dist/testing.js');
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
