import { SwitchyardError } from '../errors/switchyard-error.js';
import { totalTokens, ZERO_USAGE } from '../models/usage.js';
import type { EventHub } from '../run/event-hub.js';
import type { StepLog } from '../agents/node-io.js';
import type { Checkpoints } from '../run/flow-context.js';
import type { RunEventOf, RunStatus } from '../run/events.js';
import type { RunScope } from '../call/run-scope.js';
import type { NodeTally } from '../run/run-totals.js';
import type { CompiledWorkflow } from '../workflow/compile-workflow.js';
import type { CheckpointStore, NodeCheckpoint, RunCheckpoint, StoredRun, StoredWaiting } from './checkpoint-store.js';
import { changedUnfinished, incompatibleChanges, workflowShape } from './node-shape.js';
import type { HoldJournal } from '../call/hold-journal.js';

/** What the engine passes to open a journal. */
export interface JournalOptions {
  store: CheckpointStore;
  runId: string;
  graph: CompiledWorkflow;
  /** The run input (ignored when resuming: the checkpoint's input is used). */
  input: unknown;
  /** Resume the checkpoint of `runId` instead of starting a new one. */
  resume: boolean;
}

/** Turns a store failure into a typed error that says what could not be saved or read. */
async function guarded<T>(what: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (SwitchyardError.isInstance(error)) throw error;
    throw new SwitchyardError({
      kind: 'store_unavailable',
      retryable: true,
      message: `The checkpoint store failed to ${what}: ${(error as Error)?.message ?? String(error)}`,
      cause: error,
    });
  }
}

/** Whether `key` is node `id` or one of the nodes nested in it (`legal/check`, `refine/2/draft`). */
function within(key: string, id: string): boolean {
  return key === id || key.startsWith(`${id}/`);
}

/** The keys of the nodes that hold `key` (`refine/2/draft` → `refine`, `refine/2`). */
function ancestors(key: string): string[] {
  const parts = key.split('/');
  return parts.slice(1).map((_p, n) => parts.slice(0, n + 1).join('/'));
}

/**
 * The durable side of one run: its checkpoint record, node and step commits, spend records, and, on resume, the
 * nodes, steps and spend restored from the checkpoint. Nodes are addressed by key (see `Checkpoints`).
 */
export class RunJournal implements Checkpoints {
  readonly #store: CheckpointStore;
  readonly #record: RunCheckpoint;
  readonly #graph: CompiledWorkflow;
  readonly #restored = new Map<string, NodeCheckpoint>();
  readonly #steps = new Map<string, Record<string, unknown>>();
  readonly #stored: StoredRun | undefined;
  #pending: Promise<void> = Promise.resolve();
  #spendError: unknown;

  private constructor(store: CheckpointStore, record: RunCheckpoint, graph: CompiledWorkflow, stored?: StoredRun, dropped: readonly string[] = []) {
    this.#store = store;
    this.#record = record;
    this.#graph = graph;
    this.#stored = stored;
    const kept = (key: string) => !dropped.some((id) => within(key, id));
    for (const [key, node] of Object.entries(stored?.nodes ?? {})) if (kept(key)) this.#restored.set(key, node);
    for (const [key, ops] of Object.entries(stored?.steps ?? {})) if (kept(key)) this.#steps.set(key, ops);
  }

  /** Starts a checkpoint, or loads and checks the one to resume. */
  static async open(options: JournalOptions): Promise<RunJournal> {
    const { store, runId, graph } = options;
    const shape = workflowShape(graph);
    const now = Date.now();
    if (!options.resume) {
      const record: RunCheckpoint = { runId, workflow: graph.name, input: options.input, shape, status: 'running', createdAt: now, updatedAt: now };
      await guarded(`save run ${runId}`, () => store.saveRun(record));
      return new RunJournal(store, record, graph);
    }
    const stored = await guarded(`load run ${runId}`, async () => settleOrphanedHolds(store, runId, await store.loadRun(runId)));
    if (!stored) {
      throw new SwitchyardError({ kind: 'invalid_request', message: `No checkpoint of run '${runId}' in this store; check the run id (store.listRuns() lists them).` });
    }
    checkCompatible(stored, graph.name, shape);
    const dropped = changedUnfinished(stored.shape, shape, new Set(Object.keys(stored.nodes)));
    // Nodes that had not completed may have changed: the checkpoint takes the new shape from now on.
    const record: RunCheckpoint = { ...stored, shape: { ...stored.shape, ...shape }, status: 'running', updatedAt: now };
    delete (record as Partial<StoredRun>).nodes;
    delete (record as Partial<StoredRun>).steps;
    delete (record as Partial<StoredRun>).spent;
    delete (record as Partial<StoredRun>).spentByNode;
    await guarded(`save run ${runId}`, () => store.saveRun(record));
    return new RunJournal(store, record, graph, stored, dropped);
  }

  /** The run input: the checkpoint's when resuming. */
  get input(): unknown {
    return this.#record.input;
  }

  /** What the checkpoint's run waited for when it paused (empty for a new run). */
  get waiting(): readonly StoredWaiting[] {
    return this.#record.waiting ?? [];
  }

  restored(key: string): NodeCheckpoint | undefined {
    return this.#restored.get(key);
  }

  waitingSince(key: string): number | undefined {
    return this.#record.waiting?.find((w) => w.key === key)?.since;
  }

  steps(key: string): StepLog {
    const recorded = this.#steps.get(key);
    const runId = this.#record.runId;
    return {
      recall: (op) => (recorded !== undefined && Object.hasOwn(recorded, op) ? recorded[op] : undefined),
      commit: (op, value) =>
        guarded(`commit step ${op} of node '${key}'`, () => this.#store.saveStep(runId, { nodeKey: key, op, value, at: Date.now() })),
    };
  }

  /** Charges what the checkpoint says was spent to the run's budget, interrupted attempts included. */
  async chargeRestored(scope: RunScope): Promise<void> {
    const spent = this.#stored?.spent;
    if (spent && (spent.usd > 0 || spent.tokens > 0)) await scope.charge?.(spent);
  }

  /**
   * Books on each top node what the checkpoint recorded as spent under it that the run will not book again by
   * restoring nodes or replaying steps: the attempts in flight at the interruption, failed calls, and the work of
   * nodes that changed since.
   */
  restoreInterrupted(tallies: readonly NodeTally[]): void {
    const stored = this.#stored;
    if (!stored) return;
    this.#graph.nodes.forEach((node, i) => {
      let spent = 0;
      for (const [key, sum] of Object.entries(stored.spentByNode)) if (within(key, node.id)) spent += sum.usd;
      const extra = spent - this.#rebooked(node.id);
      if (extra > 1e-9) tallies[i]!.add(ZERO_USAGE, extra, 0);
    });
  }

  /** What restoring node `id` (or what it holds) and replaying its steps books again. */
  #rebooked(id: string): number {
    const done = this.#restored.get(id);
    if (done) return done.costUsd;
    const live = (key: string) => within(key, id) && !ancestors(key).some((a) => this.#restored.has(a));
    let sum = 0;
    for (const [key, node] of this.#restored) if (key !== id && live(key)) sum += node.costUsd;
    for (const [key, ops] of this.#steps) {
      if (!live(key) || this.#restored.has(key)) continue;
      for (const [op, value] of Object.entries(ops)) if (op.startsWith('call:')) sum += (value as { costUsd?: number }).costUsd ?? 0;
    }
    return sum;
  }

  /**
   * Where the run's attempts record their holds before their requests go out (and then their spend), when the
   * store can keep holds; otherwise undefined, and spend is recorded from the settle events (see `watch`).
   */
  get holds(): HoldJournal | undefined {
    const store = this.#store;
    if (store.saveHold === undefined || store.settleHold === undefined) return undefined;
    return (this.#holds ??= {
      held: (hold) =>
        guarded(`record the budget hold of an attempt of node '${hold.nodeId}'`, () =>
          store.saveHold!(this.#record.runId, { holdId: hold.id, nodeId: hold.nodeId, usd: hold.usd, tokens: hold.tokens, at: Date.now() }),
        ),
      settled: (hold, spend) => {
        const record = { nodeId: hold.nodeId, usd: spend.usd, tokens: spend.tokens, at: Date.now() };
        this.#queue(store.settleHold!(this.#record.runId, hold.id, record));
      },
    });
  }

  #holds: HoldJournal | undefined;

  /** Keeps a spend write in order before the next commit; its failure fails that commit. */
  #queue(write: Promise<void>): void {
    const kept = write.catch((error: unknown) => {
      this.#spendError ??= error;
    });
    this.#pending = this.#pending.then(() => kept);
  }

  /**
   * Records each attempt's settled spend as it is charged, from the run's settle events, for a store that keeps
   * no holds (with one, `holds` records the spend). Returns the unsubscribe function.
   */
  watch(hub: EventHub): () => void {
    if (this.holds !== undefined) return () => {};
    const onBudget = (event: RunEventOf<'budget'>) => {
      if (event.phase !== 'settle' || event.nodeId === undefined) return;
      const tokens = event.usage ? totalTokens(event.usage) : 0;
      if (event.amountUsd <= 0 && tokens <= 0) return;
      const spend = { nodeId: event.nodeId, usd: event.amountUsd, tokens, at: Date.now() };
      this.#queue(this.#store.saveSpend(this.#record.runId, spend));
    };
    hub.emitter.on('budget', onBudget);
    return () => hub.emitter.off('budget', onBudget);
  }

  /** Commits the node at `key`: its output, usage and cost. Resolves once the store has it. */
  async commit(key: string, output: unknown, tally: NodeTally, startedAt: number | undefined): Promise<void> {
    await this.#pending;
    if (this.#spendError !== undefined) {
      const error = this.#spendError;
      this.#spendError = undefined;
      await guarded(`record the spend of node '${key}'`, () => Promise.reject(error));
    }
    const node: NodeCheckpoint = {
      nodeId: key,
      output,
      usage: tally.usage,
      costUsd: tally.costUsd,
      attempts: tally.attempts,
      ...(tally.model !== undefined && { model: tally.model, provider: tally.provider }),
      ...(startedAt !== undefined && { startedAt }),
      endedAt: Date.now(),
    };
    await guarded(`commit node '${key}'`, () => this.#store.saveNodeResult(this.#record.runId, node));
  }

  /**
   * Marks the checkpoint with how the run ended, and what it waits for when it paused. Best effort: the run's
   * outcome does not depend on it.
   */
  async finish(status: RunStatus, waiting: readonly StoredWaiting[] = []): Promise<void> {
    await this.#pending;
    const record: RunCheckpoint = { ...this.#record, status, updatedAt: Date.now() };
    if (waiting.length > 0) record.waiting = [...waiting];
    else delete record.waiting;
    await this.#store.saveRun(record).catch(() => {});
  }
}

/**
 * The holds a crash left unsettled (attempts that were on the wire when the process died) become spend at their
 * amount, the attempt's worst case: the provider may have billed up to it, and it is the only figure that cannot
 * undercount. Returns the run as it stands afterwards.
 */
async function settleOrphanedHolds(store: CheckpointStore, runId: string, stored: StoredRun | undefined): Promise<StoredRun | undefined> {
  if (!stored?.holds?.length || store.settleHold === undefined) return stored;
  for (const hold of stored.holds) {
    await store.settleHold(runId, hold.holdId, { nodeId: hold.nodeId, usd: hold.usd, tokens: hold.tokens, at: Date.now() });
  }
  return store.loadRun(runId);
}

function checkCompatible(stored: StoredRun, name: string, shape: RunCheckpoint['shape']): void {
  const problems = incompatibleChanges(stored.shape, shape, Object.keys(stored.nodes));
  if (stored.workflow !== name) problems.unshift(`the workflow is named '${name}', the checkpoint's is '${stored.workflow}'`);
  if (problems.length === 0) return;
  throw new SwitchyardError({
    kind: 'checkpoint_mismatch',
    message:
      `Cannot resume run '${stored.runId}': the workflow changed since its checkpoint, so completed outputs would not ` +
      `match it: ${problems.join('; ')}. Resume with the workflow as it was, or start a new run.`,
  });
}

/** What a run's options ask of durability. */
interface DurableOptions {
  store?: CheckpointStore;
  resume?: boolean;
}

/**
 * Opens the run's journal when `options.store` is set, and parses the input: the caller's, or the checkpoint's
 * when resuming (`options.resume`).
 */
export async function openJournal(
  options: DurableOptions,
  runId: string,
  graph: CompiledWorkflow,
  rawInput: unknown,
  parse: (raw: unknown) => Promise<unknown>,
): Promise<{ journal?: RunJournal; input: unknown }> {
  const { store } = options;
  if (!store) {
    if (options.resume) {
      throw new SwitchyardError({
        kind: 'invalid_request',
        message:
          'Run option resume needs a checkpoint store: pass store as well. (A run that paused without a store can be ' +
          'resumed only by the switchyard instance it ran on, until it ends.)',
      });
    }
    return { input: await parse(rawInput) };
  }
  if (options.resume) {
    const journal = await RunJournal.open({ store, runId, graph, input: undefined, resume: true });
    return { journal, input: await parse(journal.input) };
  }
  const input = await parse(rawInput);
  return { journal: await RunJournal.open({ store, runId, graph, input, resume: false }), input };
}
