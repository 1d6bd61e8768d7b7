import { emptyRecord } from '../data/plain-record.js';
import type { Redis } from 'ioredis';
import type { Job, Worker } from 'bullmq';
import { defaultOf, loadOptional } from '../durable/load-optional.js';
import { boundedJson } from '../data/bounded-json.js';
import { storedJson } from '../data/stored-json.js';
import { SwitchyardError } from '../errors/switchyard-error.js';
import { errorToJSON } from '../errors/error-json.js';
import { ZERO_USAGE } from '../models/usage.js';
import { openRedis, type RedisConnection } from '../redis/redis-connection.js';
import type { RunEvent } from '../run/events.js';
import type { Switchyard } from '../switchyard.js';
import type { Workflow } from '../workflow/workflow.js';
import { bullConnection } from './bull-connection.js';
import { DEFAULT_NAMES, resultKey, runChannel, type ExecutorNames, type NodeJobData, type NodeReply, type RunMessage } from './node-job.js';
import { runOneNode } from './run-one-node.js';

/** Options of `createWorker`. */
export interface WorkerOptions {
  /** The Redis the callers' `bullmq({ connection })` executor uses: a `redis://` URL, ioredis options, or a client. */
  connection: RedisConnection;
  /** The switchyard nodes run on: its providers, routes, retry policy and (shared, e.g. Redis) budget ledger. */
  switchyard: Switchyard;
  /** The workflows this worker can run nodes of, matched by name (deploy the same definitions as the callers). */
  workflows: readonly Workflow<any, any, any>[];
  /**
   * Queue name; must match the executor's.
   * @default 'switchyard-nodes'
   */
  queue?: string;
  /**
   * Key prefix of committed node results and run channels; must match the executor's.
   * @default 'switchyard:exec:'
   */
  prefix?: string;
  /**
   * Nodes this worker runs at once (model calls are I/O-bound: many fit on one core).
   * @default 16
   */
  concurrency?: number;
  /**
   * How long a worker holds a job without renewing its lock; a worker that dies loses the job to another after
   * about this long (BullMQ stalled-job handling).
   * @default 30_000
   */
  lockDuration?: number;
  /**
   * How often this worker looks for jobs whose worker died.
   * @default 30_000
   */
  stalledInterval?: number;
  /**
   * How many times a job may be taken back from a dead worker before it fails.
   * @default 3
   */
  maxStalledCount?: number;
  /**
   * How long committed node results stay in Redis (they make a re-delivered job free).
   * @default 7 days
   */
  resultTtlMs?: number;
  /** Called as each job starts (for logs). */
  onJob?: (job: NodeJobData) => void;
}

/** A running worker. */
export interface SwitchyardWorker {
  /** The BullMQ worker. */
  readonly worker: Worker;
  /** Stops taking jobs, waits for running ones, and closes the connections it opened. */
  close(): Promise<void>;
}

/**
 * Starts a worker that runs the nodes callers send with `sy.run(wf, input, { executor: bullmq({ connection }) })`.
 * Each job is one node: if a result for it is already committed (a worker died after committing it), that result
 * is sent back and nothing is called again; otherwise the node runs on `switchyard`, its events stream to the
 * caller, and its result is committed to Redis before the job completes. A worker killed mid-node loses nothing:
 * BullMQ hands the job to another worker once its lock expires.
 */
export async function createWorker(options: WorkerOptions): Promise<SwitchyardWorker> {
  const names: ExecutorNames = { prefix: options.prefix ?? DEFAULT_NAMES.prefix, queue: options.queue ?? DEFAULT_NAMES.queue };
  const workflows = new Map(options.workflows.map((wf) => [wf.name, wf as Workflow]));
  const bull = await loadOptional('bullmq@6', 'createWorker', () => import('bullmq'));
  const WorkerClass = (bull as { Worker?: typeof Worker }).Worker ?? defaultOf<{ Worker: typeof Worker }>(bull).Worker;
  const { client, owned } = await openRedis(options.connection, 'createWorker');
  const ttl = options.resultTtlMs ?? 7 * 24 * 3600_000;
  const publish = (runId: string, text: string) => client.publish(runChannel(names, runId), text);
  // Events are bounded (boundedJson): one that JSON cannot hold reaches the caller with a marker, never a throw.
  const publishEvent = (runId: string, nodeId: string, event: RunEvent) =>
    publish(runId, boundedJson({ type: 'event', nodeId, event: { ...event } } satisfies RunMessage));
  const publishDone = (runId: string, nodeId: string, replyText: string) =>
    publish(runId, `{"type":"done","nodeId":${JSON.stringify(nodeId)},"reply":${replyText}}`);

  const process = async (job: Job<NodeJobData>): Promise<void> => {
    const data = job.data;
    options.onJob?.(data);
    const key = resultKey(names, data.runId, data.nodeId);
    let text = await client.get(key);
    if (text === null) {
      const reply = await runJob(options.switchyard, workflows, data, (event) => void publishEvent(data.runId, data.nodeId, event).catch(() => {}));
      text = replyText(reply, data.nodeId);
      // Committed before the job completes: a job re-delivered after this point is never paid for again.
      if (reply.outcome.end !== 'cancelled') await client.set(key, text, 'PX', ttl);
    }
    await publishDone(data.runId, data.nodeId, text);
  };

  const worker = new WorkerClass<NodeJobData>(names.queue, process, {
    connection: bullConnection(options.connection),
    concurrency: options.concurrency ?? 16,
    lockDuration: options.lockDuration ?? 30_000,
    stalledInterval: options.stalledInterval ?? 30_000,
    maxStalledCount: options.maxStalledCount ?? 3,
  });
  worker.on('error', () => {}); // connection trouble: BullMQ reconnects; an unhandled 'error' would crash
  // A job that failed for good (taken back too often, or an infrastructure error): tell the caller.
  worker.on('failed', (job, error) => {
    if (!job || job.attemptsMade < (job.opts.attempts ?? 1)) return;
    void publishDone(job.data.runId, job.data.nodeId, JSON.stringify(failedReply(error))).catch(() => {});
  });
  await worker.waitUntilReady();
  return {
    worker,
    async close() {
      await worker.close();
      if (owned) await (client as Redis).quit().catch(() => client.disconnect());
    },
  };
}

async function runJob(sy: Switchyard, workflows: Map<string, Workflow>, data: NodeJobData, forward: Parameters<typeof runOneNode>[3]): Promise<NodeReply> {
  const wf = workflows.get(data.workflow);
  try {
    if (!wf) {
      throw new SwitchyardError({
        kind: 'invalid_workflow',
        message: `This worker does not know workflow '${data.workflow}': pass it in createWorker({ workflows }).`,
      });
    }
    return await runOneNode(sy, wf, data, forward);
  } catch (error) {
    return failedReply(error);
  }
}

/**
 * The reply as JSON. A node whose output JSON cannot hold (a step returning a circular object or a BigInt) fails
 * with that reason (kind 'invalid_output'); what it cost is kept.
 */
function replyText(reply: NodeReply, nodeId: string): string {
  try {
    return storedJson(reply, `the result of node '${nodeId}'`);
  } catch (error) {
    return JSON.stringify({ ...reply, outcome: { end: 'failed', error: errorToJSON(error) } } satisfies NodeReply);
  }
}

function failedReply(error: unknown): NodeReply {
  return { outcome: { end: 'failed', error: errorToJSON(error) }, usage: { ...ZERO_USAGE }, costUsd: 0, attempts: 0, byModel: emptyRecord() };
}
