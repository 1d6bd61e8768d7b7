import { emptyRecord } from '../data/plain-record.js';
import { storedJson } from '../data/stored-json.js';
import type { Redis } from 'ioredis';
import type { Queue } from 'bullmq';
import { defaultOf, loadOptional } from '../durable/load-optional.js';
import { addUsage, ZERO_USAGE } from '../models/usage.js';
import type { StampedPayload } from '../run/events.js';
import { toSwitchyardError, type NodeOutcome } from '../run/node-runner.js';
import type { RunEnv } from '../run/run-env.js';
import { openRedis, storeUnavailable, type RedisConnection } from '../redis/redis-connection.js';
import { bullConnection } from './bull-connection.js';
import type { NodeExecutor } from './node-executor.js';
import { DEFAULT_NAMES, jobId, outcomeFromJSON, resultKey, runChannel, type ExecutorNames, type NodeJobData, type NodeReply, type RunMessage } from './node-job.js';

/** Options of `bullmq()`. */
export interface BullmqExecutorOptions {
  /** Where the queue lives: a `redis://` URL, ioredis options, or an ioredis client (not closed by `close()`). */
  connection: RedisConnection;
  /**
   * Queue name; workers must use the same.
   * @default 'switchyard-nodes'
   */
  queue?: string;
  /**
   * Key prefix of committed node results and run channels; workers must use the same.
   * @default 'switchyard:exec:'
   */
  prefix?: string;
  /**
   * How often a waiting caller also reads the node's committed result, in case its reply was published while
   * the caller's subscription was down.
   * @default 2_000
   */
  pollMs?: number;
}

/** An executor that sends each ready node to BullMQ workers. Close it when the process is done with it. */
export interface BullmqExecutor extends NodeExecutor {
  /** Closes the queue and the connections it opened. */
  close(): Promise<void>;
}

type Listener = (message: RunMessage) => void;

/**
 * Runs each ready node of a run as a BullMQ job, on worker processes started with `createWorker` (or
 * `npx switchyard worker`): `sy.run(wf, input, { executor: bullmq({ connection }) })`. The node's events stream
 * back over Redis pub/sub into the caller's merged stream; its output, usage and cost come back when the worker
 * has committed them. A cancelled run stops waiting at once (a node already running on a worker finishes there).
 */
export function bullmq(options: BullmqExecutorOptions): BullmqExecutor {
  return new BullmqNodeExecutor(options);
}

class BullmqNodeExecutor implements BullmqExecutor {
  readonly #names: ExecutorNames;
  readonly #connection: RedisConnection;
  readonly #pollMs: number;
  #ready: Promise<{ queue: Queue; client: Redis; owned: boolean; subscriber: Redis }> | undefined;
  /** Listeners by run channel, then node id. */
  readonly #listeners = new Map<string, Map<string, Listener>>();

  constructor(options: BullmqExecutorOptions) {
    this.#connection = options.connection;
    this.#pollMs = options.pollMs ?? 2_000;
    this.#names = { prefix: options.prefix ?? DEFAULT_NAMES.prefix, queue: options.queue ?? DEFAULT_NAMES.queue };
  }

  async run(env: RunEnv, i: number): Promise<NodeOutcome> {
    const nodeId = env.graph.nodes[i]!.id;
    const channel = runChannel(this.#names, env.runId);
    let settle!: (reply: NodeReply | NodeOutcome) => void;
    const done = new Promise<NodeReply | NodeOutcome>((resolve) => (settle = resolve));
    let started = false;
    const listener: Listener = (message) => {
      if (message.type === 'done') return settle(message.reply);
      const { type, runId: _r, seq: _s, t: _t, nodeId: _n, item, ...rest } = message.event as Record<string, unknown>;
      if (type === 'node-start') {
        if (!started) env.started(i);
        started = true;
      } else env.hub.emit({ type, ...rest } as StampedPayload, nodeId, item as number | undefined);
    };
    const detachAbort = env.abort.onAbort((reason) => settle({ end: 'cancelled', error: toSwitchyardError(reason, nodeId) }));
    let poll: ReturnType<typeof setInterval> | undefined;
    try {
      const { queue, client } = await this.#open();
      const key = resultKey(this.#names, env.runId, nodeId);
      poll = setInterval(() => {
        client.get(key).then((text) => text !== null && settle(JSON.parse(text) as NodeReply), () => {});
      }, this.#pollMs);
      await this.#listen(channel, nodeId, listener);
      const committed = await client.get(key);
      if (committed !== null) settle(JSON.parse(committed) as NodeReply);
      else {
        const data: NodeJobData = { runId: env.runId, workflow: env.graph.name, nodeId, input: env.input, deps: depsOf(env, i) };
        const budget = runBudgetOf(env);
        if (budget) data.budget = budget;
        storedJson(data, `the input and dependency outputs sent with node '${nodeId}'`); // refused here, typed, if JSON cannot hold them
        await queue.add('node', data, { jobId: jobId(env.runId, nodeId), removeOnComplete: true, removeOnFail: true });
      }
      const reply = await done;
      if (!('outcome' in reply)) return reply;
      if (!started && reply.outcome.end !== 'skipped') env.started(i);
      book(env, i, reply);
      return outcomeFromJSON(reply.outcome);
    } catch (error) {
      return { end: 'failed', error: storeUnavailable(error, `send node '${nodeId}' to the BullMQ workers`) };
    } finally {
      clearInterval(poll);
      detachAbort();
      await this.#unlisten(channel, nodeId).catch(() => {});
    }
  }

  async close(): Promise<void> {
    const ready = await this.#ready?.catch(() => undefined);
    if (!ready) return;
    await ready.queue.close();
    ready.subscriber.disconnect();
    if (ready.owned) await ready.client.quit().catch(() => ready.client.disconnect());
  }

  #open() {
    this.#ready ??= (async () => {
      const bull = await loadOptional('bullmq@6', 'The bullmq executor', () => import('bullmq'));
      const QueueClass = (bull as { Queue?: typeof Queue }).Queue ?? defaultOf<{ Queue: typeof Queue }>(bull).Queue;
      const { client, owned } = await openRedis(this.#connection, 'The bullmq executor');
      const subscriber = client.duplicate();
      subscriber.on('error', () => {});
      subscriber.on('message', (channel: string, text: string) => this.#receive(channel, text));
      const queue = new QueueClass(this.#names.queue, { connection: bullConnection(this.#connection) });
      queue.on('error', () => {});
      return { queue, client, owned, subscriber };
    })();
    return this.#ready;
  }

  async #listen(channel: string, nodeId: string, listener: Listener): Promise<void> {
    const { subscriber } = await this.#open();
    let nodes = this.#listeners.get(channel);
    if (!nodes) {
      nodes = new Map();
      this.#listeners.set(channel, nodes);
    }
    nodes.set(nodeId, listener);
    await subscriber.subscribe(channel);
  }

  async #unlisten(channel: string, nodeId: string): Promise<void> {
    const nodes = this.#listeners.get(channel);
    nodes?.delete(nodeId);
    if (!nodes || nodes.size > 0) return;
    this.#listeners.delete(channel);
    const { subscriber } = await this.#open();
    await subscriber.unsubscribe(channel);
  }

  #receive(channel: string, text: string): void {
    let message: RunMessage;
    try {
      message = JSON.parse(text) as RunMessage;
    } catch {
      return;
    }
    this.#listeners.get(channel)?.get(message.nodeId)?.(message);
  }
}

/** The outputs of node `i`'s dependencies, by id. */
function depsOf(env: RunEnv, i: number): Record<string, unknown> {
  const deps = emptyRecord<unknown>();
  for (const d of env.graph.deps[i]!) {
    const id = env.graph.nodes[d]!.id;
    deps[id] = env.outputs[id];
  }
  return deps;
}

/** The run's own limits (`RunOptions.budget`), read from its budget figures; undefined when it has none. */
function runBudgetOf(env: RunEnv): NodeJobData['budget'] {
  const run = env.scope.budget().find((figures) => figures.level === 'run');
  if (run?.limitUsd === undefined && run?.limitTokens === undefined) return undefined;
  const budget: NonNullable<NodeJobData['budget']> = {};
  if (run.limitUsd !== undefined) budget.usd = run.limitUsd;
  if (run.limitTokens !== undefined) budget.tokens = run.limitTokens;
  return budget;
}

/** Books the worker's usage and cost on the caller's tallies. */
function book(env: RunEnv, i: number, reply: NodeReply): void {
  const tally = env.tallies[i]!;
  if (reply.attempts > 0 || reply.costUsd > 0) tally.add(reply.usage, reply.costUsd, reply.attempts, reply.model, reply.provider);
  if (reply.finishReason) tally.finishReason = reply.finishReason;
  for (const [model, totals] of Object.entries(reply.byModel)) {
    const mine = (env.models.byModel[model] ??= { usage: { ...ZERO_USAGE }, costUsd: 0, calls: 0 });
    mine.usage = addUsage(mine.usage, totals.usage);
    mine.costUsd += totals.costUsd;
    mine.calls += totals.calls;
  }
}
