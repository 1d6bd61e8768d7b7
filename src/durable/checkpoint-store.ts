import type { Usage } from '../models/types.js';

/** How a checkpointed run stands: `'running'` until it ends (a crashed run stays `'running'`). */
export type CheckpointStatus = 'running' | 'succeeded' | 'failed' | 'cancelled';

/** What a checkpoint remembers of one node's definition, to refuse a resume with a changed workflow. */
export interface NodeShape {
  kind: string;
  /** Ids of the node's dependencies, sorted. */
  deps: string[];
  /** A short hash per field that shapes the node's output (`prompt`, `model`, `run`, `output`, ...). */
  fields: Record<string, string>;
}

/** The run-level record of a checkpoint. */
export interface RunCheckpoint {
  runId: string;
  /** The workflow's name. */
  workflow: string;
  /** The parsed run input (JSON-serializable). */
  input: unknown;
  /** The workflow's shape when the run started, by node id. */
  shape: Record<string, NodeShape>;
  status: CheckpointStatus;
  /** Epoch ms. */
  createdAt: number;
  updatedAt: number;
}

/** One completed node: its output and what it cost, committed the moment it finished. */
export interface NodeCheckpoint {
  nodeId: string;
  /** The node's output (JSON-serializable). */
  output: unknown;
  usage: Usage;
  costUsd: number;
  attempts: number;
  model?: string;
  provider?: string;
  /** Epoch ms. */
  startedAt?: number;
  endedAt?: number;
}

/** Spend settled by one model-call attempt, recorded as it happens (so a crash mid-node keeps it counted). */
export interface SpendRecord {
  nodeId: string;
  usd: number;
  tokens: number;
  /** Epoch ms. */
  at: number;
}

/**
 * A budget hold of one attempt, recorded before its request went out and replaced by its spend once it settled.
 * One that is still there when a run is resumed belonged to an attempt in flight at a crash: the provider may
 * have billed it, so it is charged at its amount (the attempt's worst case).
 */
export interface HoldRecord {
  holdId: string;
  nodeId: string;
  usd: number;
  tokens: number;
  /** Epoch ms. */
  at: number;
}

/** Everything a store knows of one run. */
export interface StoredRun extends RunCheckpoint {
  /** Completed nodes by id. */
  nodes: Record<string, NodeCheckpoint>;
  /** Sum of every settled attempt of the run, completed nodes and interrupted ones alike. */
  spent: { usd: number; tokens: number };
  /** The same sum per node. */
  spentByNode: Record<string, { usd: number; tokens: number }>;
  /** Holds never settled: attempts that were in flight when the run's process stopped. */
  holds?: HoldRecord[];
}

/** A line of `listRuns`. */
export interface RunSummary {
  runId: string;
  workflow: string;
  status: CheckpointStatus;
  /** Nodes completed so far. */
  completed: number;
  spentUsd: number;
  createdAt: number;
  updatedAt: number;
}

/** Which runs `listRuns` returns (newest first). */
export interface ListRunsFilter {
  status?: CheckpointStatus;
  workflow?: string;
  /** @default 100 */
  limit?: number;
}

/**
 * Where durable runs commit their progress. A run with `store` saves its run record when it starts, each node's
 * output, usage and cost the moment the node finishes, and each attempt's settled spend as it is charged.
 * `sy.resume(runId, workflow)` reads it back. Writes must be durable when their promise resolves.
 */
export interface CheckpointStore {
  /** Creates or replaces the run record (nodes and spend already saved are kept). */
  saveRun(run: RunCheckpoint): Promise<void>;
  /** Commits one completed node. Saving a node again replaces it. */
  saveNodeResult(runId: string, node: NodeCheckpoint): Promise<void>;
  /** Records what one attempt was charged. */
  saveSpend(runId: string, spend: SpendRecord): Promise<void>;
  /**
   * Records an attempt's budget hold before its request goes out; durable when the promise resolves. Optional
   * (with `settleHold`): a store without them cannot charge the attempts in flight at a crash. Both built-in stores
   * have them.
   */
  saveHold?(runId: string, hold: HoldRecord): Promise<void>;
  /** Replaces a hold by the spend it settled at, in one write (nothing is saved for a spend of zero). */
  settleHold?(runId: string, holdId: string, spend: SpendRecord): Promise<void>;
  /** The run with its completed nodes and spend, or undefined when the store does not know it. */
  loadRun(runId: string): Promise<StoredRun | undefined>;
  listRuns(filter?: ListRunsFilter): Promise<RunSummary[]>;
  /** Releases the store's resources (the SQLite file handle). */
  close?(): Promise<void>;
}
