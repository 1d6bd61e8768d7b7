import { Session } from 'node:inspector/promises';
import { GCProfiler, type HeapSpaceStatistics } from 'node:v8';
import { createSwitchyard } from '../src/index.js';
import { simulated } from '../src/testing/index.js';
import { currentLoad, machineLine } from './machine.js';
import { collectGarbage, fmt, median } from './stats.js';
import { adapterOnly, MODEL, rawOpenAI, startServer, switchyard, WORDS, type Api } from './streamed-call.js';
import { waitingFanOut } from './waiting-fanout.js';
import { latencyProvider, runFresh, switchyardOn, toWorkflow } from './switchyard-graph.js';
import { option } from './cli.js';

/**
 * What the work allocates, from V8's sampling heap profiler (every 512 bytes on average, objects a GC already
 * collected included), and where:
 * - `fan-out`: bytes allocated per node by the waiting fan-out of section 5 (source → `width` `.llm` nodes on
 *   simulated() whose reply waits 100 ms → join), and the allocation sites with the largest shares;
 * - `call`: bytes allocated per streamed call (section 7's: 30 words over SSE, concurrency 1; Chat Completions, and
 *   the Responses API with `--apis=chat,responses`) by the raw openai SDK, the `openai()` adapter alone and
 *   `sy.stream`, with what young-generation collections promoted per call and the time they took (over 1,000 calls);
 *   then process and main-thread CPU per call of the same three and of `sy.stream` on simulated() with the same 30
 *   words and no HTTP, medians of 7 batches; then that last one's largest allocation sites (the engine's own, and
 *   simulated()'s reply iterator).
 *
 *   npm run bench:allocation -- [--what=fan-out,call] [--width=2000] [--apis=chat,responses]
 *   (against the build in dist/, see use-dist.mjs)
 */

interface ProfileNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: ProfileNode[];
}

/** Bytes `work` allocates (sampled), in all and by allocation site. */
async function allocations(session: Session, work: () => Promise<void>): Promise<{ total: number; sites: Map<string, number> }> {
  await session.post('HeapProfiler.startSampling', { samplingInterval: 512, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true } as never);
  await work();
  const { profile } = (await session.post('HeapProfiler.stopSampling')) as unknown as { profile: { head: ProfileNode } };
  const sites = new Map<string, number>();
  let total = 0;
  const walk = (node: ProfileNode): void => {
    const { functionName, url, lineNumber } = node.callFrame;
    const site = `${functionName || '(anonymous)'} ${url.replace(/^.*\/(dist|node_modules|bench)\//, '$1/')}:${lineNumber + 1}`;
    sites.set(site, (sites.get(site) ?? 0) + node.selfSize);
    total += node.selfSize;
    node.children.forEach(walk);
  };
  walk(profile.head);
  return { total, sites };
}

/**
 * What young-generation collections (scavenges) did during `work`, from V8's own figures: the bytes they promoted
 * to the old generation (objects that outlived two of them, copied each time; only a full GC frees them) and their
 * time in all (ms).
 */
async function promotion(work: () => Promise<void>): Promise<{ promoted: number; ms: number }> {
  const profiler = new GCProfiler();
  profiler.start();
  await work();
  const { statistics } = profiler.stop();
  const oldSpace = (at: { heapSpaceStatistics: HeapSpaceStatistics[] }) =>
    at.heapSpaceStatistics.find((space) => space.spaceName === 'old_space')!.spaceUsedSize;
  let promoted = 0;
  let ms = 0;
  for (const gc of statistics) {
    if (gc.gcType !== 'Scavenge') continue;
    promoted += oldSpace(gc.afterGC) - oldSpace(gc.beforeGC);
    ms += gc.cost / 1000;
  }
  return { promoted, ms };
}

async function fanOutAllocations(session: Session, width: number): Promise<void> {
  const sim = latencyProvider();
  const sy = switchyardOn(sim);
  const wf = toWorkflow(waitingFanOut(width, 100), 'llm');
  for (let i = 0; i < 3; i++) await runFresh(sy, sim, wf);
  const runs = 3;
  const { total, sites } = await allocations(session, async () => {
    for (let i = 0; i < runs; i++) await runFresh(sy, sim, wf);
  });
  const nodes = runs * (width + 2);
  console.log(`\nWaiting fan-out ${fmt.int(width)} × 100 ms: ${fmt.int(total / nodes)} bytes allocated per node (${runs} runs)\n`);
  printSites(sites, total, nodes, 'node');
}

/** The allocation sites with the largest shares: bytes per unit (`per` units in all) and share of `total`. */
function printSites(sites: Map<string, number>, total: number, per: number, unit: string): void {
  console.log(`| Allocation site | bytes per ${unit} | share |\n|---|---|---|`);
  for (const [site, bytes] of [...sites].sort((a, b) => b[1] - a[1]).slice(0, 12)) {
    console.log(`| \`${site}\` | ${fmt.int(bytes / per)} | ${((bytes / total) * 100).toFixed(1)}% |`);
  }
}

async function callAllocations(session: Session, api: Api): Promise<void> {
  const { child, baseURL } = await startServer();
  const sim = simulated({ reply: { text: WORDS } });
  const onSimulated = createSwitchyard({ providers: [sim] });
  // simulated() first: the HTTP clients' request objects outlive their calls until a full GC, and what they hold
  // would land in the next row's young collections.
  const clients: Array<[string, () => Promise<unknown>]> = [
    [
      'sy.stream on simulated() (no HTTP)',
      async () => {
        sim.reset();
        const call = onSimulated.stream({ model: MODEL, prompt: 'x' });
        for await (const _event of call);
        await call.result;
      },
    ],
    ['raw openai SDK', rawOpenAI(baseURL)(api)],
    ['openai() adapter alone', adapterOnly(baseURL)(api)],
    ['sy.stream → openai()', switchyard(baseURL)(api)],
  ];
  try {
    const calls = 200;
    // A young collection comes every few dozen calls: their figures are read over more calls.
    const youngCalls = 5 * calls;
    console.log(`\nPer streamed call, 30 words, ${api === 'chat' ? 'Chat Completions' : 'Responses API'}, concurrency 1\n`);
    console.log(
      '| Client | KB allocated per call | KB per call promoted by young collections | young collections, µs per call | CPU µs per call: process / main thread |\n' +
        '|---|---|---|---|---|',
    );
    const cpu = new Map<string, Array<[number, number]>>();
    for (let rep = 0; rep < 7; rep++) {
      for (const [name, call] of clients) {
        const process0 = process.cpuUsage();
        const thread0 = process.threadCpuUsage();
        for (let i = 0; i < calls; i++) await call();
        const used = process.cpuUsage(process0);
        const thread = process.threadCpuUsage(thread0);
        cpu.set(name, [...(cpu.get(name) ?? []), [(used.user + used.system) / calls, (thread.user + thread.system) / calls]]);
      }
    }
    let onSimulatedSites: { total: number; sites: Map<string, number> } | undefined;
    for (const [name, call] of clients) {
      const { total, sites } = await allocations(session, async () => {
        for (let i = 0; i < calls; i++) await call();
      });
      onSimulatedSites ??= { total, sites };
      // After a full GC: what the client before left for one to free is gone.
      collectGarbage('full');
      const young = await promotion(async () => {
        for (let i = 0; i < youngCalls; i++) await call();
      });
      const samples = cpu.get(name)!;
      console.log(
        `| ${name} | ${fmt.int(total / calls / 1024)} | ${fmt.us(young.promoted / youngCalls / 1024)} | ${fmt.int((young.ms * 1000) / youngCalls)} | ` +
          `${fmt.int(median(samples.map((s) => s[0])))} / ${fmt.int(median(samples.map((s) => s[1])))} |`,
      );
    }
    // The first row's sites: the engine's own allocation per call (and simulated()'s, a reply iterator), no HTTP.
    console.log(`\nWhere ${clients[0]![0]} allocates, per call\n`);
    printSites(onSimulatedSites!.sites, onSimulatedSites!.total, calls, 'call');
  } finally {
    child.stdin!.end();
  }
}

async function main(): Promise<void> {
  const what = (option('what') ?? 'fan-out,call').split(',');
  console.log(machineLine());
  const session = new Session();
  session.connect();
  await session.post('HeapProfiler.enable');
  if (what.includes('fan-out')) await fanOutAllocations(session, Number(option('width') ?? 2000));
  if (what.includes('call')) for (const api of (option('apis') ?? 'chat').split(',') as Api[]) await callAllocations(session, api);
  session.disconnect();
  console.log(`\nload at the end ${currentLoad()}`);
}

await main();
