import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

export { seededRandom } from '../src/testing/seeded-random.js';

/** The median of a non-empty list (mean of the two middle values for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}


/** A uniform integer in [min, max]. */
export function randomInt(random: () => number, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

type GcFunction = (options?: { type: 'minor' }) => void;
let gcFunction: GcFunction | undefined;

/**
 * Which forced GC runs between measurements. 'minor' empties the young generation, so that one repetition's
 * garbage is not collected in the next one's time. 'full' is `gc()`, a forced full collection: the run right
 * after it is much slower (measured at zero model latency: 7–27 µs more per node), paying for work V8 leaves
 * after a forced full GC (the collected heap is swept afterwards, compiled RegExps are dropped and recompiled on
 * next use), which a process in steady use does not do between two runs.
 */
export type GcKind = 'minor' | 'full';

/**
 * A forced garbage collection between measurements, without needing `--expose-gc` on the command line (the flag
 * is switched on at run time and `gc` read from a fresh context).
 */
export function collectGarbage(kind: GcKind = 'full'): void {
  if (gcFunction === undefined) {
    const exposed = (globalThis as { gc?: GcFunction }).gc;
    if (exposed) gcFunction = exposed;
    else {
      setFlagsFromString('--expose-gc');
      gcFunction = runInNewContext('gc') as GcFunction;
    }
  }
  if (kind === 'minor') gcFunction({ type: 'minor' });
  else gcFunction();
}

/** Milliseconds since `start` (a `performance.now()` reading). */
export const since = (start: number): number => performance.now() - start;

/**
 * A forced GC, then a pause: V8 sweeps the heap on background threads after a GC, and on a 2-core machine that
 * sweeping would compete with the run being timed.
 */
export async function settleHeap(kind: GcKind = 'full'): Promise<void> {
  collectGarbage(kind);
  await sleep(SETTLE_MS);
}

const SETTLE_MS = 40;

/**
 * One repetition's wall time and the process's CPU time (all threads: V8's GC helpers included) over it, in ms.
 * On a shared machine CPU time moves less with other load than wall time does.
 */
export interface Timing {
  ms: number;
  cpuMs: number;
  /** CPU time of the main thread alone (JavaScript, and the GC work it does itself), in ms. */
  threadCpuMs?: number;
}

const cpuMsNow = (): number => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

const threadCpuMsNow = (): number => {
  const { user, system } = process.threadCpuUsage();
  return (user + system) / 1000;
};

/** Times `fn` (wall, process CPU and main-thread CPU). */
export async function timeIt(fn: () => Promise<unknown>): Promise<Timing> {
  const cpu = cpuMsNow();
  const threadCpu = threadCpuMsNow();
  const start = performance.now();
  await fn();
  return { ms: since(start), cpuMs: cpuMsNow() - cpu, threadCpuMs: threadCpuMsNow() - threadCpu };
}

/** One thing being measured. */
export interface Contender {
  name: string;
  /** One repetition, timed around it… */
  run?: () => Promise<unknown>;
  /** …or one repetition that times itself (GC included), e.g. in a worker thread. */
  measure?: () => Promise<Timing>;
  /** Untimed runs before the first timed one (JIT warm-up). @default 0 */
  warmup?: number;
  /** The GC forced before each of its repetitions (with GcMode 'each'). @default 'minor' */
  gc?: GcKind;
}

/** Where forced GCs go: before every timed repetition ('each'), or once before each round of all contenders ('round'). */
export type GcMode = 'each' | 'round';

/**
 * Interleaves repetitions of several contenders (A B C, A B C, …) so drifting machine load hits them all alike;
 * returns each contender's samples.
 */
export async function interleave(
  reps: number,
  contenders: ReadonlyArray<Contender>,
  gc: GcMode = 'each',
): Promise<Map<string, Timing[]>> {
  const samples = new Map<string, Timing[]>(contenders.map((c) => [c.name, []]));
  const once = async (c: Contender): Promise<Timing> => {
    if (c.measure) return c.measure();
    if (gc === 'each') await settleHeap(c.gc ?? 'minor');
    return timeIt(c.run!);
  };
  for (const contender of contenders) for (let i = 0; i < (contender.warmup ?? 0); i++) await once(contender);
  for (let rep = 0; rep < reps; rep++) {
    if (gc === 'round') await settleHeap('minor');
    for (const contender of contenders) samples.get(contender.name)!.push(await once(contender));
  }
  return samples;
}

export const fmt = {
  ms: (ms: number): string => (ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2)),
  us: (us: number): string => (us >= 100 ? us.toFixed(0) : us.toFixed(1)),
  ratio: (r: number): string => r.toFixed(3),
  x: (r: number): string => (r >= 10 ? `${r.toFixed(0)}×` : `${r.toFixed(1)}×`),
  int: (n: number): string => Math.round(n).toLocaleString('en-US'),
  mb: (bytes: number): string => (bytes / 1024 / 1024).toFixed(1),
};
