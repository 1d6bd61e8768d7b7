import type { WaitingEntry } from '../run/events.js';
import type { RestoredNode } from '../run/flow-context.js';

/**
 * How a checkpointed run stands: `'running'` until it ends (a crashed run stays `'running'`); `'waiting'` while it
 * is paused for a person.
 */
export type CheckpointStatus = 'running' | 'succeeded' | 'failed' | 'cancelled' | 'waiting';

/** What a paused run waits for, with the checkpoint key of the waiting node (what answers are matched to). */
export interface StoredWaiting extends WaitingEntry {
  /** The node's checkpoint key: its path, with the iteration of each loop on the way (`refine/2/approve`). */
  key: string;
}

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
  /** What the run waits for when it paused (status 'waiting'; also kept when a failed run had nodes waiting). */
  waiting?: StoredWaiting[];
  /** Epoch ms. */
  createdAt: number;
  updatedAt: number;
}

/**
 * One committed step of a node that has not completed: an agent's model call (`call:3`) or tool result
 * (`tool:3:call_abc`), a decision on a tool call (`approval:3:call_abc`), a verdict (`verdict:2`). A resumed run
 * replays them instead of requesting, paying or running them again.
 */
export interface StepCheckpoint {
  /** The node's checkpoint key (`fix`, `legal/fix`, `refine/2/fix`). */
  nodeKey: string;
  op: string;
  /** What the step produced (JSON-serializable). */
  value: unknown;
  /** Epoch ms. */
  at: number;
}

/** One completed node: its output (JSON-serializable) and what it cost, committed the moment it finished. */
export interface NodeCheckpoint extends RestoredNode {
  /** The node's id; for a node of a nested workflow, its checkpoint key (`legal/check`, `refine/2/draft`). */
  nodeId: string;
  /** Epoch ms. */
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
  /** Completed nodes by id (nested ones by checkpoint key). */
  nodes: Record<string, NodeCheckpoint>;
  /** Committed steps of nodes, by node key, then by step name. */
  steps: Record<string, Record<string, unknown>>;
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
 * output, usage and cost the moment the node finishes, each step of an agent (model calls, tool results) as it
 * completes, and each attempt's settled spend as it is charged.
 * `sy.resume(runId, workflow)` reads it back. Writes must be durable when their promise resolves.
 */
export interface CheckpointStore {
  /** Creates or replaces the run record (nodes and spend already saved are kept). */
  saveRun(run: RunCheckpoint): Promise<void>;
  /** Commits one completed node. Saving a node again replaces it. */
  saveNodeResult(runId: string, node: NodeCheckpoint): Promise<void>;
  /** Records what one attempt was charged. */
  saveSpend(runId: string, spend: SpendRecord): Promise<void>;
  /** Commits one step of a node (saving the same step again replaces it). */
  saveStep(runId: string, step: StepCheckpoint): Promise<void>;
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
