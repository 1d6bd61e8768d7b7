import { createSwitchyard, defaultCatalog, type ModelEvent, type Provider, type ProviderCall } from '../src/index.js';
import { currentLoad, machineLine } from './machine.js';
import { fmt, median } from './stats.js';
import { option } from './cli.js';

/**
 * The engine's share of one `sy.stream` call, split into what a call pays once and what it pays per delta, with no
 * HTTP and no SDK: `sy.stream` on an in-process provider, beside the same provider's stream read directly (the
 * provider's own cost), for replies of several lengths. The provider yields each delta after a `setImmediate`, as a
 * network chunk arrives in a turn of its own (`--ticks=0`: all at once). `--concurrency` calls at a time, as section
 * 7's benchmark runs them; a repetition is a batch of `--calls` calls of each contender and reply length in turn, after
 * untimed ones; the
 * figure is the median CPU µs per call (process: the main thread and V8's GC helpers). The fit over the reply
 * lengths gives the cost per delta (the slope) and per call (the intercept).
 *
 *   npm run bench:stream-share -- [--words=1,30,120] [--concurrency=64] [--calls=512] [--reps=9] [--ticks=1]
 *   (against the build in dist/, see use-dist.mjs)
 */

const MODEL = 'gpt-5.5';
/**
 * Untimed rounds over every case first: V8 optimizes the engine's once-per-call functions only after thousands of
 * calls (a first run of one reply length alone measured twice its later cost).
 */
const WARM_UP_REPS = 5;

/** A provider replying `words` words, one delta each, then usage and finish. */
function wordsProvider(words: number, ticks: boolean): Provider {
  const deltas = Array.from({ length: words }, (_, i) => (i === 0 ? 'word0' : ` word${i}`));
  const usage = { inputTokens: 3, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: words, reasoningTokens: 0 };
  return {
    name: 'in-process',
    family: 'simulated',
    serves: () => true,
    async *stream(): AsyncGenerator<ModelEvent> {
      for (const text of deltas) {
        if (ticks) await new Promise<void>((resolve) => setImmediate(resolve));
        yield { type: 'text-delta', text };
      }
      yield { type: 'usage', usage };
      yield { type: 'finish', reason: 'stop' };
    },
  };
}

type Call = () => Promise<string>;

function contenders(provider: Provider): { alone: Call; sy: Call } {
  const sy = createSwitchyard({ providers: [provider] });
  const model = defaultCatalog.get(MODEL);
  return {
    alone: async () => {
      let text = '';
      const call: ProviderCall = { model, request: { messages: [{ role: 'user', content: 'hi' }] }, signal: new AbortController().signal };
      for await (const event of provider.stream(call)) if (event.type === 'text-delta') text += event.text;
      return text;
    },
    sy: async () => {
      let text = '';
      const call = sy.stream({ model: MODEL, prompt: 'hi' });
      for await (const event of call) if (event.type === 'text-delta') text += event.text;
      await call.result;
      return text;
    },
  };
}

/** CPU µs per call of `calls` calls, at most `concurrency` at once; each reply must have all `words` words. */
async function cpuPerCall(call: Call, calls: number, concurrency: number, words: number): Promise<number> {
  let next = 0;
  const worker = async () => {
    while (next < calls) {
      next++;
      const text = await call();
      if (text.split(' ').length !== words) throw new Error(`Unexpected reply: ${JSON.stringify(text.slice(0, 80))}`);
    }
  };
  const start = process.cpuUsage();
  await Promise.all(Array.from({ length: Math.min(concurrency, calls) }, worker));
  const used = process.cpuUsage(start);
  return (used.user + used.system) / calls;
}

/** Least-squares line through the points: [intercept, slope]. */
function fit(points: ReadonlyArray<readonly [number, number]>): [number, number] {
  const n = points.length;
  const mx = points.reduce((s, [x]) => s + x, 0) / n;
  const my = points.reduce((s, [, y]) => s + y, 0) / n;
  const sxx = points.reduce((s, [x]) => s + (x - mx) ** 2, 0);
  const slope = sxx === 0 ? 0 : points.reduce((s, [x, y]) => s + (x - mx) * (y - my), 0) / sxx;
  return [my - slope * mx, slope];
}

async function main(): Promise<void> {
  const lengths = (option('words') ?? '1,30,120').split(',').map(Number);
  const concurrency = Number(option('concurrency') ?? 64);
  const calls = Number(option('calls') ?? 512);
  const reps = Number(option('reps') ?? 9);
  const ticks = option('ticks') !== '0';
  console.log(machineLine());
  const cases = lengths.map((words) => ({ words, ...contenders(wordsProvider(words, ticks)), aloneUs: [] as number[], syUs: [] as number[] }));
  for (let rep = -WARM_UP_REPS; rep < reps; rep++) {
    for (const c of cases) {
      const alone = await cpuPerCall(c.alone, calls, concurrency, c.words);
      const sy = await cpuPerCall(c.sy, calls, concurrency, c.words);
      if (rep < 0) continue;
      c.aloneUs.push(alone);
      c.syUs.push(sy);
    }
  }
  const rows = cases.map((c) => ({ words: c.words, alone: median(c.aloneUs), sy: median(c.syUs) }));
  console.log(
    `\nCPU µs per call, median of ${reps} batches of ${calls} calls, concurrency ${concurrency}, ` +
      `${ticks ? 'each delta in a turn of its own' : 'all deltas at once'}; load at the end ${currentLoad()}\n`,
  );
  console.log('| Words (deltas) | provider read directly | `sy.stream` | the engine\'s share |');
  console.log('|---|---|---|---|');
  for (const row of rows) console.log(`| ${row.words} | ${fmt.int(row.alone)} | ${fmt.int(row.sy)} | ${fmt.int(row.sy - row.alone)} |`);
  if (rows.length >= 2) {
    const [perCall, perDelta] = fit(rows.map((row) => [row.words, row.sy - row.alone] as const));
    console.log(`\nThe engine's share, fitted: ${fmt.int(perCall)} µs per call + ${perDelta.toFixed(2)} µs per delta.`);
  }
}

await main();
