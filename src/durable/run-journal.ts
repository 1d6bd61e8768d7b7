import { SwitchyardError } from '../errors/switchyard-error.js';
import { totalTokens, ZERO_USAGE } from '../models/usage.js';
import type { EventHub } from '../run/event-hub.js';
import type { NodeOutcome } from '../run/node-runner.js';
import type { RunEventOf, RunStatus } from '../run/events.js';
import type { RunScope } from '../call/run-scope.js';
import type { ModelBook, NodeTally } from '../run/run-totals.js';
import type { NodeResult } from '../run/run-types.js';
import type { CompiledWorkflow } from '../workflow/compile-workflow.js';
import type { CheckpointStore, NodeCheckpoint, RunCheckpoint, StoredRun } from './checkpoint-store.js';
import { incompatibleChanges, workflowShape } from './node-shape.js';
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

/**
 * The durable side of one run: its checkpoint record, node commits, spend records, and, on resume, the nodes and
 * spend restored from the checkpoint.
 */
export class RunJournal {
  readonly #store: CheckpointStore;
  readonly #record: RunCheckpoint;
  readonly #graph: CompiledWorkflow;
  readonly #restored: Map<number, NodeCheckpoint>;
  readonly #stored: StoredRun | undefined;
  #pending: Promise<void> = Promise.resolve();
  #spendError: unknown;

  private constructor(store: CheckpointStore, record: RunCheckpoint, graph: CompiledWorkflow, stored?: StoredRun) {
    this.#store = store;
    this.#record = record;
    this.#graph = graph;
    this.#stored = stored;
    this.#restored = new Map();
    for (const [id, node] of Object.entries(stored?.nodes ?? {})) {
      const i = graph.index.get(id);
      if (i !== undefined) this.#restored.set(i, node);
    }
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
    // Nodes that had not completed may have changed: the checkpoint takes the new shape from now on.
    const record: RunCheckpoint = { ...stored, shape: { ...stored.shape, ...shape }, status: 'running', updatedAt: now };
    delete (record as Partial<StoredRun>).nodes;
    delete (record as Partial<StoredRun>).spent;
    delete (record as Partial<StoredRun>).spentByNode;
    await guarded(`save run ${runId}`, () => store.saveRun(record));
    return new RunJournal(store, record, graph, stored);
  }

  /** The run input: the checkpoint's when resuming. */
  get input(): unknown {
    return this.#record.input;
  }

  /** The checkpoint of node `i` when it completed before (it is not run again). */
  restored(i: number): NodeCheckpoint | undefined {
    return this.#restored.get(i);
  }

  /** Charges what the checkpoint says was spent to the run's budget, interrupted attempts included. */
  async chargeRestored(scope: RunScope): Promise<void> {
    const spent = this.#stored?.spent;
    if (spent && (spent.usd > 0 || spent.tokens > 0)) await scope.charge?.(spent);
  }

  /** Books the restored nodes' usage and cost (and interrupted attempts' spend) on the tallies and results. */
  restoreTallies(tallies: readonly NodeTally[], models: ModelBook, results: NodeResult[]): void {
    const stored = this.#stored;
    if (!stored) return;
    this.#graph.nodes.forEach((node, i) => {
      const done = this.#restored.get(i);
      const tally = tallies[i]!;
      if (done) {
        tally.add(done.usage, done.costUsd, done.attempts, done.model, done.provider);
        if (done.model !== undefined) models.add(done.model, done.usage, done.costUsd);
        if (done.startedAt !== undefined) results[i]!.startedAt = done.startedAt;
      }
      const spent = Object.hasOwn(stored.spentByNode, node.id) ? stored.spentByNode[node.id] : undefined;
      const extra = (spent?.usd ?? 0) - (done?.costUsd ?? 0);
      if (extra > 1e-9) tally.add(ZERO_USAGE, extra, 0);
    });
  }

  /** Commits a node that succeeded; a commit that fails fails the node (kind 'store_unavailable'). */
  async commitOutcome(i: number, outcome: NodeOutcome, tally: NodeTally, startedAt: number | undefined): Promise<NodeOutcome> {
    if (outcome.end !== 'succeeded') return outcome;
    try {
      await this.commit(i, outcome.output, tally, startedAt);
      return outcome;
    } catch (error) {
      return { end: 'failed', error: error as SwitchyardError };
    }
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

  /** Commits node `i`'s output, usage and cost. Resolves once the store has it. */
  async commit(i: number, output: unknown, tally: NodeTally, startedAt: number | undefined): Promise<void> {
    const nodeId = this.#graph.nodes[i]!.id;
    await this.#pending;
    if (this.#spendError !== undefined) {
      const error = this.#spendError;
      this.#spendError = undefined;
      await guarded(`record the spend of node '${nodeId}'`, () => Promise.reject(error));
    }
    const node: NodeCheckpoint = {
      nodeId,
      output,
      usage: tally.usage,
      costUsd: tally.costUsd,
      attempts: tally.attempts,
      ...(tally.model !== undefined && { model: tally.model, provider: tally.provider }),
      ...(startedAt !== undefined && { startedAt }),
      endedAt: Date.now(),
    };
    await guarded(`commit node '${nodeId}'`, () => this.#store.saveNodeResult(this.#record.runId, node));
  }

  /** Marks the checkpoint with how the run ended. Best effort: the run's outcome does not depend on it. */
  async finish(status: RunStatus): Promise<void> {
    await this.#pending;
    await this.#store.saveRun({ ...this.#record, status, updatedAt: Date.now() }).catch(() => {});
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
    if (options.resume) throw new SwitchyardError({ kind: 'invalid_request', message: 'Run option resume needs a checkpoint store: pass store as well.' });
    return { input: await parse(rawInput) };
  }
  if (options.resume) {
    const journal = await RunJournal.open({ store, runId, graph, input: undefined, resume: true });
    return { journal, input: await parse(journal.input) };
  }
  const input = await parse(rawInput);
  return { journal: await RunJournal.open({ store, runId, graph, input, resume: false }), input };
}
