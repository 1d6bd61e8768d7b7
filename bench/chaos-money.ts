/**
 * The chaos benchmark's money run: the 1,000-node chaos workflow over real HTTP (the OpenAI SDK against the
 * loopback mock server) with its faults — garbage usage reports and streams that never end among them — under an
 * instance budget kept in Redis that is too small for the whole workflow, shared with a second process whose calls
 * are on the wire when it is SIGKILLed. What counts is measured at the server: what it billed for every request it
 * served, both processes' included, against the cap.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { costOf, createSwitchyard, defaultCatalog, openai, type Provider } from '../src/index.js';
import { RedisBudgetLedger } from '../src/redis/index.js';
import { startMockServer, type Fault, type MockServer } from '../src/testing/index.js';
import { faultFor } from '../src/testing/simulated-faults.js';
import { startRedisServer } from '../test/setup/redis.js';
import { CHAOS_FAULTS, CHAOS_REPLY, chaosWorkflow, type ChaosShape } from './chaos-workload.js';

/** What the money run is set up with. */
export interface MoneyOptions {
  shape: ChaosShape;
  faultRate: number;
  seed: number;
  /** The instance cap, as a share of what the workflow costs without one (below 1: the cap binds). */
  capShare: number;
  /** Calls the victim process has on the wire when it is killed. */
  victimCalls: number;
  /** Lease of the Redis holds (the victim's return, charged, this long after it died). */
  leaseMs: number;
  /** The retry policy of the run. */
  retry: Record<string, number>;
  /** A Redis to use; by default a throwaway redis-server is started. */
  redisUrl?: string;
}

/** What the money run measured. */
export interface MoneyRun {
  nodes: number;
  completed: number;
  /** Nodes that failed because the budget could not hold them (the cap binds). */
  refusedByBudget: number;
  requests: number;
  faults: Record<string, number>;
  /** What the workflow costs without a cap (from a fault-free calibration run), and the cap set from it. */
  uncappedUsd: number;
  capUsd: number;
  /** What the mock server billed for every request it served (both processes). */
  serverBilledUsd: number;
  /** The victim's share of it, and what the ledger charged for its holds (their worst cases). */
  victimBilledUsd: number;
  victimHeldUsd: number;
  /** The ledger's spent and reserved at the end, read from Redis after the victim's leases ended. */
  ledgerSpentUsd: number;
  ledgerReservedUsd: number;
  /** Settle events that replaced a garbage usage report. */
  usageReplaced: number;
  makespanMs: number;
}

const root = fileURLToPath(new URL('..', import.meta.url));

function faultName(fault: Fault): string {
  return fault.type === 'http' ? `HTTP ${fault.status}` : fault.type;
}

/** The server: the victim's requests hang (on the wire until it dies); the others draw faults like the simulated endpoints. */
async function chaosServer(options: MoneyOptions, faults: Map<number, Fault>): Promise<MockServer> {
  return startMockServer((info) => {
    if (info.text.includes('[victim]')) return { text: CHAOS_REPLY, fault: { type: 'hang', afterTokens: 3 } };
    const fault = faultFor({ rate: options.faultRate, kinds: CHAOS_FAULTS, seed: options.seed }, info);
    if (fault) faults.set(info.index, fault);
    return { text: CHAOS_REPLY, firstTokenMs: 10, chunkDelayMs: 1, ...(fault ? { fault } : {}) };
  });
}

function endpoints(server: MockServer): Provider[] {
  return ['primary', 'secondary'].map((name) => openai({ name, baseURL: server.openaiBaseURL, apiKey: 'k' }));
}

/** What the server billed, priced from the catalog. */
function billed(server: MockServer, which: (text: string) => boolean): number {
  return server.requests
    .filter((r) => r.billed !== undefined && which(JSON.stringify(r.body)))
    .reduce((sum, r) => sum + costOf(defaultCatalog.get(r.model!), r.billed!), 0);
}

/** The workflow's cost without a cap: a fault-free run of a tenth of its chains, scaled up. */
async function uncappedCost(options: MoneyOptions): Promise<number> {
  const server = await startMockServer({ text: CHAOS_REPLY });
  try {
    const sample = { chains: Math.max(1, Math.round(options.shape.chains / 10)), stages: options.shape.stages };
    const sy = createSwitchyard({ providers: endpoints(server) });
    const result = await sy.run(chaosWorkflow(sample), undefined).result;
    return (result.costUsd * options.shape.chains) / sample.chains;
  } finally {
    await server.close();
  }
}

/** Starts the victim and resolves with it once its calls are on the wire, and with what it holds. */
async function startVictim(options: MoneyOptions, redisUrl: string, prefix: string, server: MockServer, capUsd: number) {
  const args = [redisUrl, prefix, server.openaiBaseURL, String(options.victimCalls), String(capUsd), String(options.leaseMs)];
  const proc = spawn(process.execPath, ['--import', 'tsx', `${root}bench/chaos-victim.ts`, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  const held: number[] = [];
  proc.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    for (const line of chunk.split('\n')) if (line.startsWith('reserve ')) held.push(Number(line.slice(8)));
  });
  const onTheWire = () =>
    held.length >= options.victimCalls &&
    server.requests.filter((r) => JSON.stringify(r.body).includes('[victim]') && r.tokensSent >= 3).length >= options.victimCalls;
  for (let waited = 0; !onTheWire(); waited += 20) {
    if (proc.exitCode !== null || waited > 120_000) throw new Error('the victim process did not get its calls on the wire');
    await new Promise((r) => setTimeout(r, 20));
  }
  return { proc, held };
}

function kill(proc: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    proc.once('exit', () => resolve());
    proc.kill('SIGKILL');
  });
}

/** Polls Redis until no hold is left (the victim's leases ended and were charged). */
async function settledFigures(ledger: RedisBudgetLedger, timeoutMs: number) {
  let [instance] = await ledger.refresh();
  for (let waited = 0; instance!.reservedUsd > 0 && waited < timeoutMs; waited += 100) {
    await new Promise((r) => setTimeout(r, 100));
    [instance] = await ledger.refresh();
  }
  return instance!;
}

/** Runs the money run once. */
export async function runMoneyChaos(options: MoneyOptions): Promise<MoneyRun> {
  const redis = options.redisUrl ? { url: options.redisUrl, stop: () => {} } : await startOwnRedis();
  const faults = new Map<number, Fault>();
  const server = await chaosServer(options, faults);
  const prefix = `bench:money:${randomUUID().slice(0, 8)}:`;
  const ledgers: RedisBudgetLedger[] = [];
  try {
    const uncappedUsd = await uncappedCost(options);
    const capUsd = Math.round(uncappedUsd * options.capShare * 1e6) / 1e6;
    const ledger = new RedisBudgetLedger({ connection: redis.url, prefix, limits: { usd: capUsd }, leaseMs: options.leaseMs });
    ledgers.push(ledger);
    const victim = await startVictim(options, redis.url, prefix, server, capUsd);
    const sy = createSwitchyard({ providers: endpoints(server), ledger, retry: options.retry });
    const started = performance.now();
    const run = sy.run(chaosWorkflow(options.shape), undefined, { onError: 'continue' });
    let usageReplaced = 0;
    let killed: Promise<void> | undefined;
    run.on('budget', (event) => {
      if (event.phase === 'settle' && event.note !== undefined) usageReplaced++;
    });
    run.on('node-end', () => {
      killed ??= kill(victim.proc); // once the run is under way, with the victim's calls still on the wire
    });
    const result = await run.result;
    await killed;
    const makespanMs = performance.now() - started;
    const figures = await settledFigures(ledger, options.leaseMs * 20);
    const nodes = Object.values(result.nodes);
    const count: Record<string, number> = {};
    for (const fault of faults.values()) count[faultName(fault)] = (count[faultName(fault)] ?? 0) + 1;
    return {
      nodes: nodes.length,
      completed: nodes.filter((n) => n.status === 'succeeded').length,
      refusedByBudget: result.errors.filter((e) => e.error.kind === 'budget_exceeded').length,
      requests: server.requests.filter((r) => !JSON.stringify(r.body).includes('[victim]')).length,
      faults: count,
      uncappedUsd,
      capUsd,
      serverBilledUsd: billed(server, () => true),
      victimBilledUsd: billed(server, (body) => body.includes('[victim]')),
      victimHeldUsd: victim.held.reduce((a, b) => a + b, 0),
      ledgerSpentUsd: figures.spentUsd,
      ledgerReservedUsd: figures.reservedUsd,
      usageReplaced,
      makespanMs,
    };
  } finally {
    await Promise.all(ledgers.map((l) => l.close()));
    await server.close();
    redis.stop();
  }
}

async function startOwnRedis(): Promise<{ url: string; stop(): void }> {
  if (process.env['REDIS_URL']) return { url: process.env['REDIS_URL'], stop: () => {} };
  const { url, proc } = await startRedisServer();
  return { url, stop: () => proc.kill('SIGTERM') };
}
