import { createHook } from 'node:async_hooks';
import { createSwitchyard, defaultCatalog, type ModelEvent, type Provider } from '../src/index.js';
import { currentLoad, machineLine } from './machine.js';
import { fmt, median, sleep } from './stats.js';
import { option } from './cli.js';

/**
 * The engine's share of one streamed call when the deltas come in turns of the event loop, as they do over HTTP.
 * A provider with no I/O yields `--words` text deltas, then usage and the finish, in one of three ways:
 * all at once (`none`); with a `setImmediate` between deltas; with a `setTimeout(0)` between deltas.
 * Each way is read directly (the provider's own cost) and through `sy.stream` (read to its end, result awaited);
 * the difference is the engine's share. Main-thread CPU µs per call, medians of `--reps` batches, the two contenders'
 * batches interleaved, after `--warmup` calls of each. The last column is what `sy.stream` creates per call beyond
 * the provider read directly: promises, and `setImmediate` and `setTimeout` calls. A batch is `--calls` calls, a twentieth of that
 * with `setTimeout(0)` (each of its calls waits 31 timer turns of at least 1 ms): the thread's CPU time is read from
 * the kernel's accounting, which moves in scheduler ticks (a few ms), so a batch must use far more than that.
 *
 * A second table keeps the deltas all at once but lets the process idle before each call (`--idle` ms, a
 * `setTimeout`; 0: none), as a program waiting on a loopback server does between calls at concurrency 1. The idle
 * wait's own CPU is in both contenders' batches, so the difference is still the engine's share.
 *
 * With several reply lengths (`--words=1,30,120`), each way runs at each length, and the engine's share is fitted
 * over the lengths into a cost per call (the intercept) and per delta (the slope). `--turns` picks the ways between
 * deltas (default all three).
 *
 *   npm run bench:event-turns -- [--words=30] [--turns=none,setImmediate,setTimeout(0)] [--calls=2000] [--reps=7]
 *                                [--warmup=300] [--idle=0,1,5]
 *   (against the build in dist/, see use-dist.mjs)
 */

type Turn = 'none' | 'setImmediate' | 'setTimeout(0)';
const TURNS: Turn[] = ['none', 'setImmediate', 'setTimeout(0)'];

const pause: Record<Turn, () => Promise<void> | undefined> = {
  none: () => undefined,
  setImmediate: () => new Promise((resolve) => setImmediate(resolve)),
  'setTimeout(0)': () => new Promise((resolve) => setTimeout(resolve, 0)),
};

function turnsProvider(words: readonly string[], turn: Turn): Provider {
  const usage = { inputTokens: 10, outputTokens: words.length, cachedInputTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 };
  return {
    name: 'turns',
    family: 'openai',
    serves: () => true,
    async *stream(): AsyncGenerator<ModelEvent> {
      for (const word of words) {
        await pause[turn]();
        yield { type: 'text-delta', text: `${word} ` };
      }
      await pause[turn]();
      yield { type: 'usage', usage };
      yield { type: 'finish', reason: 'stop' };
    },
  };
}

/**
 * What `calls` calls create, per call: promises (every promise V8 makes, awaits included) and timers (`setImmediate`
 * and `setTimeout` calls). Counted after the timed batches, with the counting hooks off while those ran.
 */
async function created(call: () => Promise<void>, calls: number): Promise<{ promises: number; timers: number }> {
  let promises = 0;
  let timers = 0;
  const hook = createHook({
    init(_id, type) {
      if (type === 'PROMISE') promises++;
    },
  });
  const { setImmediate: immediate, setTimeout: timeout } = globalThis;
  globalThis.setImmediate = ((...args: Parameters<typeof setImmediate>) => (timers++, immediate(...args))) as typeof setImmediate;
  globalThis.setTimeout = ((...args: Parameters<typeof setTimeout>) => (timers++, timeout(...args))) as typeof setTimeout;
  hook.enable();
  try {
    for (let i = 0; i < calls; i++) await call();
  } finally {
    hook.disable();
    globalThis.setImmediate = immediate;
    globalThis.setTimeout = timeout;
  }
  return { promises: promises / calls, timers: timers / calls };
}

/** Main-thread CPU µs per call of `calls` calls, one after another (each after `idleMs` of idling, when set). */
async function batch(call: () => Promise<void>, calls: number, idleMs = 0): Promise<number> {
  const start = process.threadCpuUsage();
  for (let i = 0; i < calls; i++) {
    if (idleMs > 0) await sleep(idleMs);
    await call();
  }
  const used = process.threadCpuUsage(start);
  return (used.user + used.system) / calls;
}

/** The provider read directly, and through `sy.stream` (read to its end, result awaited). */
function contenders(provider: Provider): { direct: () => Promise<void>; streamed: () => Promise<void> } {
  const model = defaultCatalog.get('gpt-5.5');
  const sy = createSwitchyard({ providers: [provider] });
  return {
    direct: async () => {
      for await (const event of provider.stream({ model, request: { messages: [{ role: 'user', content: 'x' }] } })) void event;
    },
    streamed: async () => {
      const call = sy.stream({ model: 'gpt-5.5', prompt: 'Say the words.' });
      for await (const event of call) void event;
      await call.result;
    },
  };
}

/** Medians of `reps` batches of each contender, interleaved: [direct, streamed]. */
async function medians(c: ReturnType<typeof contenders>, reps: number, perBatch: number, idleMs = 0): Promise<[number, number]> {
  const directUs: number[] = [];
  const streamedUs: number[] = [];
  for (let rep = 0; rep < reps; rep++) {
    directUs.push(await batch(c.direct, perBatch, idleMs));
    streamedUs.push(await batch(c.streamed, perBatch, idleMs));
  }
  return [median(directUs), median(streamedUs)];
}

/** Least-squares line through the points: [intercept, slope]. */
function fit(points: ReadonlyArray<readonly [number, number]>): [number, number] {
  const n = points.length;
  const mx = points.reduce((sum, [x]) => sum + x, 0) / n;
  const my = points.reduce((sum, [, y]) => sum + y, 0) / n;
  const sxx = points.reduce((sum, [x]) => sum + (x - mx) ** 2, 0);
  const slope = sxx === 0 ? 0 : points.reduce((sum, [x, y]) => sum + (x - mx) * (y - my), 0) / sxx;
  return [my - slope * mx, slope];
}

async function main(): Promise<void> {
  const counts = (option('words') ?? '30').split(',').map(Number);
  const turns = (option('turns')?.split(',') ?? TURNS) as Turn[];
  const calls = Number(option('calls') ?? 2000);
  const reps = Number(option('reps') ?? 7);
  const warmup = Number(option('warmup') ?? 300);
  console.log(machineLine());
  const rows: string[] = [];
  const shares = new Map<Turn, Array<[number, number]>>();
  for (const count of counts) {
    const words = Array.from({ length: count }, (_, i) => `word${i}`);
    for (const turn of turns) {
      const c = contenders(turnsProvider(words, turn));
      await batch(c.direct, warmup);
      await batch(c.streamed, warmup);
      const perBatch = turn === 'setTimeout(0)' ? Math.max(20, Math.round(calls / 20)) : calls;
      const [d, s] = await medians(c, reps, perBatch);
      const [cd, cs] = [await created(c.direct, 20), await created(c.streamed, 20)];
      const added = `${fmt.int(cs.promises - cd.promises)} / ${fmt.int(cs.timers - cd.timers)}`;
      rows.push(`| ${count} | ${turn} | ${fmt.int(perBatch)} | ${fmt.int(d)} | ${fmt.int(s)} | **${fmt.int(s - d)}** | ${added} |`);
      shares.set(turn, [...(shares.get(turn) ?? []), [count, s - d]]);
    }
  }
  const idleRows: string[] = [];
  const c = contenders(turnsProvider(Array.from({ length: counts[0]! }, (_, i) => `word${i}`), 'none'));
  for (const idleMs of (option('idle') ?? '0,1,5').split(',').map(Number)) {
    // Each call waits at least `idleMs`: fewer calls per batch keep a batch to about a second.
    const perBatch = idleMs > 0 ? Math.max(50, Math.min(calls, Math.round(1000 / (idleMs + 0.2)))) : calls;
    const [d, s] = await medians(c, reps, perBatch, idleMs);
    idleRows.push(`| ${idleMs === 0 ? 'none' : `${idleMs} ms`} | ${fmt.int(perBatch)} | ${fmt.int(d)} | ${fmt.int(s)} | **${fmt.int(s - d)}** |`);
  }
  console.log(`\nMain-thread CPU µs per call, medians of ${reps} batches; load at the end ${currentLoad()}\n`);
  console.log(
    '| Deltas | Between deltas | calls per batch | provider read directly | `sy.stream` | engine share | promises / timers the engine adds per call |\n' +
      '|---|---|---|---|---|---|---|',
  );
  for (const row of rows) console.log(row);
  if (counts.length >= 2) {
    console.log("\nThe engine's share fitted over the reply lengths, per way between deltas:\n");
    for (const [turn, points] of shares) {
      const [perCall, perDelta] = fit(points);
      console.log(`- ${turn}: ${fmt.int(perCall)} µs per call + ${perDelta.toFixed(2)} µs per delta`);
    }
  }
  console.log(
    `\n${counts[0]} deltas all at once, the process idle before each call; main-thread CPU µs per call, medians of ${reps} batches (idle time's own CPU in both)\n\n` +
      '| Idle before each call | calls per batch | provider read directly | `sy.stream` | engine share |\n|---|---|---|---|---|',
  );
  for (const row of idleRows) console.log(row);
}

await main();
