import { defaultCatalog, type ModelEvent, type ModelInfo, type Provider, type ProviderCall, type Usage } from '../src/index.js';
import type { Graph } from './graphs.js';
import { BENCH_MODEL } from './switchyard-graph.js';

/**
 * The least an `.llm` node can do and still keep what switchyard promises for it, written as tightly as this
 * benchmark's author could: a floor for any redesign of the call path, measured beside switchyard on the same
 * provider. Each node, once its dependencies are done:
 * - routes: looks its model up in a catalog;
 * - builds the request (one user message, the output cap);
 * - reserves the call's worst-case cost against the run's budget (throws past the cap), settles the reported usage;
 * - enters the attempt in the run's deadline set and gives it a cancel flag (what a shared deadline timer and a
 *   cancel would act on; neither fires here);
 * - streams the provider's events, keeps the text, and stamps an event per delta (`seq`, `t`) for the run's stream;
 * - emits node-start, usage and node-end, each delivered to the run's listeners.
 * One object per node holds its state; one async frame per node reads the stream; no retries are attempted (a
 * failure throws), no routing policy runs (one candidate), no metrics, no checkpoint: a floor, not a usable engine.
 */

/** The routing table: one model, looked up by id (the real catalog entry, so an HTTP adapter can serve it). */
const ROUTES = new Map<string, ModelInfo>([[BENCH_MODEL, defaultCatalog.get(BENCH_MODEL)]]);

/** An event of the run's merged stream. */
export interface EssentialEvent {
  type: string;
  runId: string;
  seq: number;
  t: number;
  nodeId: string;
  text?: string;
  costUsd?: number;
}

/** What one run shares: its budget, its event stream, its attempts' deadlines. */
export class EssentialRun {
  spentUsd = 0;
  reservedUsd = 0;
  readonly deadlines = new Set<NodeCall>();
  readonly #t0 = performance.now();
  #seq = 0;

  constructor(
    readonly runId: string,
    readonly capUsd: number,
    readonly listener: (event: EssentialEvent) => void,
  ) {}

  emit(type: string, nodeId: string, text?: string, costUsd?: number): void {
    const t = Math.round((performance.now() - this.#t0) * 1000) / 1000;
    this.listener({ type, runId: this.runId, seq: ++this.#seq, t, nodeId, text, costUsd });
  }

  reserve(usd: number): void {
    if (this.spentUsd + this.reservedUsd + usd > this.capUsd) throw new Error(`budget: ${usd} more would pass the cap`);
    this.reservedUsd += usd;
  }

  settle(reservedUsd: number, costUsd: number): void {
    this.reservedUsd -= reservedUsd;
    this.spentUsd += costUsd;
  }
}

/** One node's call: its request and everything it streamed, in one object. */
class NodeCall implements ProviderCall {
  readonly request: ProviderCall['request'];
  readonly deadline: number;
  aborted = false;
  text = '';
  usage: Usage | undefined;
  finish: string | undefined;

  constructor(
    readonly model: ModelInfo,
    prompt: string,
    maxOutputTokens: number,
    timeoutMs: number,
  ) {
    this.request = { messages: [{ role: 'user', content: prompt }], maxOutputTokens };
    this.deadline = performance.now() + timeoutMs;
  }

  take(event: ModelEvent): string | undefined {
    if (event.type === 'text-delta') {
      this.text += event.text;
      return event.text;
    }
    if (event.type === 'usage') this.usage = event.usage;
    else if (event.type === 'finish') this.finish = event.reason;
    return undefined;
  }
}

/** USD per token from the catalog's USD per million. */
const perToken = (usdPerMillion: number): number => usdPerMillion / 1e6;

/** One `.llm` node, from routing to node-end; resolves with its text. */
export async function essentialNode(
  run: EssentialRun,
  provider: Provider,
  nodeId: string,
  prompt: string,
  maxOutputTokens = 4096,
): Promise<string> {
  const model = ROUTES.get(BENCH_MODEL)!;
  const { input, output } = model.pricing;
  const call = new NodeCall(model, prompt, maxOutputTokens, 600_000);
  const reservedUsd = Math.ceil(prompt.length / 4) * perToken(input) + maxOutputTokens * perToken(output);
  run.reserve(reservedUsd);
  run.emit('node-start', nodeId);
  run.deadlines.add(call);
  try {
    for await (const event of provider.stream(call)) {
      if (call.aborted) throw new Error('aborted');
      const text = call.take(event);
      if (text !== undefined) run.emit('text-delta', nodeId, text);
    }
  } finally {
    run.deadlines.delete(call);
  }
  if (call.finish === undefined || call.usage === undefined) throw new Error(`${nodeId}: the stream ended without a finish`);
  const costUsd = call.usage.inputTokens * perToken(input) + call.usage.outputTokens * perToken(output);
  run.settle(reservedUsd, costUsd);
  run.emit('usage', nodeId, undefined, costUsd);
  run.emit('node-end', nodeId, undefined, costUsd);
  return call.text;
}

let runs = 0;

/**
 * Runs `graph` with every node an essential `.llm` node whose prompt is `sleep <latencyMs>`, each starting once its
 * dependencies are done (a promise per node, as the bare-promise floor schedules); one listener counts the events
 * (and hands each to `listener` when given). Resolves with the number of events.
 */
export async function runEssential(graph: Graph, provider: Provider, listener?: (event: EssentialEvent) => void): Promise<number> {
  let events = 0;
  const run = new EssentialRun(`run-${++runs}`, 1_000_000, listener ? (e) => (events++, listener(e)) : () => void events++);
  const done = new Map<string, Promise<string>>();
  for (const node of graph.nodes) {
    const deps = node.deps.map((dep) => done.get(dep)!);
    const prompt = `sleep ${node.latencyMs}`;
    const start = () => essentialNode(run, provider, node.id, prompt);
    done.set(node.id, deps.length === 0 ? start() : Promise.all(deps).then(start));
  }
  await Promise.all(done.values());
  if (run.reservedUsd > 1e-9) throw new Error('essential run: a reservation was not settled');
  return events;
}

/**
 * The least a merged stream can be: events buffered in an array until read, one pending read woken per event,
 * read by `for await`, as a user reads a run.
 */
export class EssentialStream implements AsyncIterableIterator<EssentialEvent> {
  #buffer: EssentialEvent[] = [];
  #read = 0;
  #wake: ((result: IteratorResult<EssentialEvent>) => void) | undefined;
  #ended = false;

  push = (event: EssentialEvent): void => {
    const wake = this.#wake;
    if (wake) {
      this.#wake = undefined;
      wake({ done: false, value: event });
    } else this.#buffer.push(event);
  };

  end(): void {
    this.#ended = true;
    this.#wake?.({ done: true, value: undefined });
    this.#wake = undefined;
  }

  next(): Promise<IteratorResult<EssentialEvent>> {
    if (this.#read < this.#buffer.length) {
      const value = this.#buffer[this.#read++]!;
      if (this.#read === this.#buffer.length) {
        this.#buffer = [];
        this.#read = 0;
      }
      return Promise.resolve({ done: false, value });
    }
    if (this.#ended) return Promise.resolve({ done: true, value: undefined });
    return new Promise((resolve) => (this.#wake = resolve));
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}

/**
 * One call as `sy.stream` makes it, on the essential path: a run of one essential node whose events the caller
 * reads with `for await`; `result` resolves with the text once the node has ended.
 */
export function essentialCall(provider: Provider, prompt: string): { events: EssentialStream; result: Promise<string> } {
  const events = new EssentialStream();
  const run = new EssentialRun(`run-${++runs}`, 1_000_000, events.push);
  const result = essentialNode(run, provider, 'call', prompt).finally(() => events.end());
  return { events, result };
}
