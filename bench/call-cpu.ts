import { createOpenAI } from '@ai-sdk/openai';
import { ChatOpenAI } from '@langchain/openai';
import { streamText } from 'ai';
import { currentLoad, machineLine } from './machine.js';
import { fmt, interleave, median, settleHeap, type Contender } from './stats.js';
import { adapterOnly, essential, KEY, MODEL, PROMPT, rawOpenAI, startServer, switchyard, wordsText, type Api, type Client } from './streamed-call.js';
import { importBuild, option } from './cli.js';

/**
 * CPU per streamed call: one call streaming a 30-word reply (`--words`) over SSE from the mock server (in a child process, so
 * this process's CPU time is the client's alone), read to the end. Side by side, repetitions interleaved:
 * the raw openai SDK, the `openai()` adapter's stream read directly, `sy.stream` → `openai()`, the Vercel AI SDK's `streamText` and LangChain's `ChatOpenAI`,
 * on Chat Completions and on the Responses API, at concurrency 1 and 64.
 *
 *   npm run bench:call-cpu -- [--calls=256] [--reps=7] [--warmup=1] [--words=30] [--apis=chat,responses] [--concurrency=1,64]
 *                              [--peers=0] [--builds=.tmp-before,dist] [--essential]
 *   (against the build in dist/, see use-dist.mjs; `npx tsx bench/call-cpu.ts` runs it on src/)
 * `--builds`: the adapter alone and `sy.stream` on each build directory (copies of `dist/` inside the repo, e.g.
 * `cp -r dist .tmp-before` before a change), side by side with the raw SDK in this one process: a before/after
 * comparison that the machine's load moves alike. The peers are left out unless `--peers=1`.
 * `--essential`: adds the essential call (essential-node.ts) through the `openai()` adapter, the floor of a redesign.
 * `--warmup`: untimed batches of each contender before the timed ones, per API and concurrency. With the default of
 * one, the first rows time a process that has just started: on Node 22 V8 optimizes a function with TurboFan after
 * 3,000 calls (Maglev is off), and the engine's once-per-call functions are called once per call. `--warmup=20`
 * (5,120 untimed calls each) times a process that has served thousands of calls, as a server has.
 */

function aiSdk(baseURL: string): Client {
  const provider = createOpenAI({ baseURL, apiKey: KEY });
  return (api) => async () => {
    const result = streamText({ model: api === 'chat' ? provider.chat(MODEL) : provider.responses(MODEL), prompt: PROMPT, maxRetries: 0 });
    let text = '';
    for await (const delta of result.textStream) text += delta;
    return text;
  };
}

function langChain(baseURL: string): Client {
  const models: Record<Api, ChatOpenAI> = {
    chat: new ChatOpenAI({ model: MODEL, apiKey: KEY, configuration: { baseURL }, maxRetries: 0, streamUsage: true }),
    responses: new ChatOpenAI({ model: MODEL, apiKey: KEY, configuration: { baseURL }, maxRetries: 0, useResponsesApi: true }),
  };
  return (api) => async () => {
    let text = '';
    for await (const chunk of await models[api].stream(PROMPT)) text += chunk.text;
    return text;
  };
}

/** `calls` calls, at most `concurrency` at once; each reply must be the whole text (a broken client is void). */
async function batch(call: () => Promise<string>, calls: number, concurrency: number, words: string): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < calls) {
      next++;
      const text = await call();
      if (text.trim() !== words) throw new Error(`Unexpected reply: ${JSON.stringify(text.slice(0, 80))}`);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, calls) }, worker));
}

const SY = 'sy.stream → openai()';

interface Row {
  api: Api;
  concurrency: number;
  /** Median CPU µs per call (process: all threads), by contender. */
  cpuUs: Map<string, number>;
  /** The same, main thread only (JavaScript; GC helper threads and the socket's threads left out). */
  threadUs: Map<string, number>;
}

async function main(): Promise<void> {
  const calls = Number(option('calls') ?? 256);
  const reps = Number(option('reps') ?? 7);
  const warmup = Number(option('warmup') ?? 1);
  const apis = (option('apis') ?? 'chat,responses').split(',') as Api[];
  const levels = (option('concurrency') ?? '1,64').split(',').map(Number);
  const builds = option('builds')?.split(',');
  const peers = builds === undefined ? option('peers') !== '0' : option('peers') === '1';
  console.log(machineLine());
  const words = wordsText(Number(option('words') ?? 30));
  const { child, baseURL } = await startServer(words);
  const clients: Array<[string, Client]> = [['raw openai SDK', rawOpenAI(baseURL)]];
  if (builds === undefined) clients.push(['openai() adapter alone', adapterOnly(baseURL)], [SY, switchyard(baseURL)]);
  if (process.argv.includes('--essential')) clients.push(['essential call → openai()', essential(baseURL)]);
  for (const dir of builds ?? []) {
    const lib = (await importBuild(dir)).index;
    clients.push([`openai() adapter alone [${dir}]`, adapterOnly(baseURL, lib)], [`${SY} [${dir}]`, switchyard(baseURL, lib)]);
  }
  if (peers) clients.push(['AI SDK streamText', aiSdk(baseURL)], ['LangChain ChatOpenAI', langChain(baseURL)]);
  const rows: Row[] = [];
  try {
    for (const api of apis) {
      for (const concurrency of levels) {
        const contenders: Contender[] = clients.map(([name, client]) => {
          const call = client(api);
          return { name, run: () => batch(call, calls, concurrency, words), warmup };
        });
        await settleHeap('full');
        const samples = await interleave(reps, contenders);
        const cpuUs = new Map([...samples].map(([name, timings]) => [name, median(timings.map((t) => (t.cpuMs * 1000) / calls))]));
        const threadUs = new Map([...samples].map(([name, timings]) => [name, median(timings.map((t) => ((t.threadCpuMs ?? NaN) * 1000) / calls))]));
        rows.push({ api, concurrency, cpuUs, threadUs });
        console.log(`  ${api}, concurrency ${concurrency} done (load ${currentLoad()})`);
      }
    }
  } finally {
    child.stdin!.end();
  }
  const names = clients.map(([name]) => name);
  const count = words.split(' ').length;
  console.log(`\nCPU µs per call of ${count} words (this process: the client alone), median of ${reps} batches of ${calls} calls; load at the end ${currentLoad()}\n`);
  // One ratio column per sy.stream client (one per build with --builds), process CPU then main thread.
  const streams = names.filter((n) => n.startsWith(SY));
  const label = (n: string) => n.slice(SY.length).trim();
  console.log(
    `| API | Concurrency | ${names.join(' | ')} | ${streams.map((n) => `sy.stream / raw ${label(n)}`).join(' | ')} | ` +
      `main thread: raw / ${streams.map((n) => `sy.stream ${label(n)}`).join(' / ')} |`,
  );
  console.log(`|---|---|${names.map(() => '---|').join('')}${streams.map(() => '---|').join('')}---|`);
  for (const r of rows) {
    const ratio = (m: Map<string, number>, n: string) => (m.get(n)! / m.get('raw openai SDK')!).toFixed(2);
    const cells = names.map((n) => fmt.int(r.cpuUs.get(n)!));
    const ratios = streams.map((n) => `**${ratio(r.cpuUs, n)}×**`);
    const thread = `${[r.threadUs.get('raw openai SDK')!, ...streams.map((n) => r.threadUs.get(n)!)].map(fmt.int).join(' / ')} (${streams.map((n) => `${ratio(r.threadUs, n)}×`).join(', ')})`;
    console.log(`| ${r.api} | ${r.concurrency} | ${cells.join(' | ')} | ${ratios.join(' | ')} | ${thread} |`);
  }
}

await main();
