import { emptyRecord, recordOf } from '../data/plain-record.js';
import { storedJson } from '../data/stored-json.js';
import type {
  CheckpointStore,
  HoldRecord,
  ListRunsFilter,
  NodeCheckpoint,
  RunCheckpoint,
  RunSummary,
  SpendRecord,
  StepCheckpoint,
  StoredRun,
} from './checkpoint-store.js';

interface Entry {
  run: RunCheckpoint;
  nodes: Map<string, NodeCheckpoint>;
  steps: Map<string, Map<string, unknown>>;
  spent: { usd: number; tokens: number };
  byNode: Record<string, { usd: number; tokens: number }>;
  holds: Map<string, HoldRecord>;
}

/**
 * A checkpoint store in this process's memory: resume after a failed or cancelled run in the same process, and
 * tests. Values are copied through JSON on the way in, as a durable store would, so a later mutation of an output
 * does not change its checkpoint.
 */
export class MemoryCheckpointStore implements CheckpointStore {
  private readonly runs = new Map<string, Entry>();

  async saveRun(run: RunCheckpoint): Promise<void> {
    const entry = this.runs.get(run.runId);
    if (entry) entry.run = copy(run, 'the run input');
    else this.runs.set(run.runId, { run: copy(run, 'the run input'), nodes: new Map(), steps: new Map(), spent: { usd: 0, tokens: 0 }, byNode: emptyRecord(), holds: new Map() });
  }

  async saveNodeResult(runId: string, node: NodeCheckpoint): Promise<void> {
    this.entry(runId).nodes.set(node.nodeId, copy(node, `the result of node '${node.nodeId}'`));
  }

  async saveStep(runId: string, step: StepCheckpoint): Promise<void> {
    const { steps } = this.entry(runId);
    let node = steps.get(step.nodeKey);
    if (!node) steps.set(step.nodeKey, (node = new Map()));
    node.set(step.op, copy(step.value, `step '${step.op}' of '${step.nodeKey}'`));
  }

  async saveSpend(runId: string, spend: SpendRecord): Promise<void> {
    const { spent, byNode } = this.entry(runId);
    const node = (byNode[spend.nodeId] ??= { usd: 0, tokens: 0 });
    for (const sum of [spent, node]) {
      sum.usd += spend.usd;
      sum.tokens += spend.tokens;
    }
  }

  async saveHold(runId: string, hold: HoldRecord): Promise<void> {
    this.entry(runId).holds.set(hold.holdId, copy(hold, 'a budget hold'));
  }

  async settleHold(runId: string, holdId: string, spend: SpendRecord): Promise<void> {
    this.entry(runId).holds.delete(holdId);
    if (spend.usd > 0 || spend.tokens > 0) await this.saveSpend(runId, spend);
  }

  async loadRun(runId: string): Promise<StoredRun | undefined> {
    const entry = this.runs.get(runId);
    if (!entry) return undefined;
    const run = copy(entry.run, 'the run');
    const steps: StoredRun['steps'] = emptyRecord();
    for (const [key, ops] of entry.steps) steps[key] = recordOf([...ops].map(([op, value]) => [op, copy(value, 'an agent step')] as const));
    return {
      ...run,
      nodes: recordOf([...entry.nodes].map(([id, node]) => [id, copy(node, 'a node result')] as const)),
      steps,
      spent: { ...entry.spent },
      spentByNode: recordOf(copy(entry.byNode, 'spend')),
      holds: [...entry.holds.values()].map((hold) => ({ ...hold })),
    };
  }

  /** Whether the store has a checkpoint of the run. */
  has(runId: string): boolean {
    return this.runs.has(runId);
  }

  /** Forgets a run (the instance's in-process store of paused runs drops the ones that ended). */
  async deleteRun(runId: string): Promise<void> {
    this.runs.delete(runId);
  }

  async listRuns(filter: ListRunsFilter = {}): Promise<RunSummary[]> {
    const rows = [...this.runs.values()]
      .filter(({ run }) => (!filter.status || run.status === filter.status) && (!filter.workflow || run.workflow === filter.workflow))
      .map(({ run, nodes, spent }) => ({
        runId: run.runId,
        workflow: run.workflow,
        status: run.status,
        completed: nodes.size,
        spentUsd: spent.usd,
        createdAt: run.createdAt,
        updatedAt: run.updatedAt,
      }));
    rows.sort((a, b) => b.createdAt - a.createdAt);
    return rows.slice(0, filter.limit ?? 100);
  }

  private entry(runId: string): Entry {
    const entry = this.runs.get(runId);
    if (!entry) throw new Error(`Run ${runId} has no checkpoint record; saveRun must come first.`);
    return entry;
  }
}

/** A deep copy through JSON, as a durable store would keep it (a value JSON cannot hold is refused: see storedJson). */
function copy<T>(value: T, what: string): T {
  return value === undefined ? value : (JSON.parse(storedJson(value, what)) as T);
}

/** A checkpoint store in memory (see `MemoryCheckpointStore`). */
export function memoryStore(): CheckpointStore {
  return new MemoryCheckpointStore();
}
