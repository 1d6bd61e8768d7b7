import { emptyRecord } from '../data/plain-record.js';
import { SwitchyardError } from '../errors/switchyard-error.js';
import type { NodeDetail } from '../agents/node-detail.js';
import { AwaitingApproval } from '../agents/tool-approval.js';
import { runEnsemble, type EnsemblePlan } from '../agents/run-ensemble.js';
import { runModelNode, type ModelNodePlan } from '../agents/run-model-node.js';
import type {
  AgentNodeDefinition,
  EnsembleNodeDefinition,
  LlmNodeDefinition,
  NodeDefinition,
} from '../workflow/node-definition.js';
import type { NodeRunOptions } from '../workflow/node-spec.js';
import type { Message } from '../models/types.js';
import type { StepLog } from '../agents/node-io.js';
import { MapFailure, runMap, type ItemError } from './map-runner.js';
import { buildMessages, callForOutput, nodeIO } from './model-call.js';
import { invoke, raceAbort, type AbortScope } from '../call/abort-scope.js';
import { NodeOptions } from './node-options.js';
import type { RunEnv } from './run-env.js';
import type { NodeEnd } from './scheduler.js';
import type { FlowDetail } from './flow-detail.js';
import { pathIn, type Waiting } from './flow-context.js';
import { runFlowNode } from './flow-node.js';
import { NodePaused } from './node-paused.js';
import { matchWhen } from './when-match.js';
import { toolApprovalSchema } from './answer-schemas.js';

/** How a node that was started ended. */
export interface NodeOutcome {
  end: NodeEnd;
  output?: unknown;
  error?: SwitchyardError;
  skipReason?: string;
  /** A map's failed items. */
  itemErrors?: Array<{ item: number; error: SwitchyardError }>;
  partialOutput?: unknown[];
  /** For `end: 'waiting'`: what the node (or the nodes inside it) waits for. */
  waiting?: Waiting[];
  /**
   * What agent, ensemble, verifier and cascade nodes add to the node result (steps, rounds, candidates...), and
   * control-flow nodes (children, iterations).
   */
  detail?: NodeDetail & FlowDetail;
}

/** What callbacks see: the input and the outputs of the declared dependencies (undefined when skipped). */
function contextOf(env: RunEnv, i: number): Record<string, unknown> {
  const ctx = emptyRecord<unknown>();
  ctx['input'] = env.input;
  const { nodes, deps } = env.graph;
  for (const d of deps[i]!) {
    const id = nodes[d]!.id;
    ctx[id] = env.outputs[id];
  }
  return ctx;
}

/** Any thrown value as a SwitchyardError; foreign errors become kind 'node_failed' with the original as cause. */
export function toSwitchyardError(error: unknown, nodeId: string, item?: number): SwitchyardError {
  if (SwitchyardError.isInstance(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  const where = item === undefined ? `Node '${nodeId}'` : `Node '${nodeId}' item ${item}`;
  return new SwitchyardError({ kind: 'node_failed', message: `${where} failed: ${message}`, cause: error });
}

/** Model node plans without their context, per node definition (a definition does not change once built). */
const plans = new WeakMap<LlmNodeDefinition | AgentNodeDefinition, Omit<ModelNodePlan, 'context'>>();

/** Splits a model node into its call options and the agent, verifier and cascade fields around them. */
function modelPlan(node: LlmNodeDefinition | AgentNodeDefinition): Omit<ModelNodePlan, 'context'> {
  let plan = plans.get(node);
  if (plan !== undefined) return plan;
  const { kind, id: _i, after: _a, when: _w, onError: _o, timeoutMs: _t, prompt: _p, messages: _m, ...rest } = node;
  const { verify, maxRounds, acceptLast, cascade, ...call } = rest as typeof rest & Partial<AgentNodeDefinition>;
  const { tools, maxSteps, maxToolResultChars, ...options } = call;
  plan = { kind, call: kind === 'llm' ? { ...options, tools } : options };
  Object.assign(plan, kind === 'agent' && { tools, maxSteps, maxToolResultChars }, { verify, maxRounds, acceptLast, cascade });
  plans.set(node, plan);
  return plan;
}

function ensemblePlan(node: EnsembleNodeDefinition, context: unknown): EnsemblePlan {
  const { kind: _k, id: _i, after: _a, when: _w, onError: _o, timeoutMs: _t, prompt: _p, messages: _m, ...rest } = node;
  const { models, candidates, merge, ...call } = rest;
  return { call, models, candidates, merge, context };
}

/** The node's messages; a plain string prompt needs no promise (nor a race with the node's signal). */
function messagesOf(node: LlmNodeDefinition | AgentNodeDefinition | EnsembleNodeDefinition, run: NodeRun): Message[] | Promise<Message[]> {
  const { scope } = run;
  if (typeof node.prompt === 'string' && typeof node.messages !== 'function') {
    if (scope.aborted) throw scope.reason;
    return [{ role: 'user', content: node.prompt }];
  }
  return raceAbort(buildMessages(node, [run.ctx, run.options], `Node '${node.id}'`), scope);
}

/**
 * Runs a model node (`.llm`, `.agent`, `.ensemble`); a plain `.llm` is one call, as it always was. Promise
 * callbacks rather than an async function: nothing of this frame stays suspended while the call streams.
 */
function runModel(run: NodeRun, node: LlmNodeDefinition | AgentNodeDefinition | EnsembleNodeDefinition): Promise<unknown> {
  const messages = messagesOf(node, run);
  return messages instanceof Promise ? messages.then((built) => modelWith(run, node, built)) : modelWith(run, node, messages);
}

function modelWith(run: NodeRun, node: LlmNodeDefinition | AgentNodeDefinition | EnsembleNodeDefinition, built: Message[]): Promise<unknown> {
  const { env, i, scope, detail } = run;
  if (node.kind === 'ensemble') return raceAbort(runEnsemble(nodeIO(env, i, scope), ensemblePlan(node, run.ctx), built, detail), scope);
  const plan = modelPlan(node);
  if (node.kind === 'llm' && !plan.verify && !plan.cascade) return callForOutput(env, i, scope, plan.call, built);
  return raceAbort(runModelNode(nodeIO(env, i, scope, undefined, durableSteps(env, i)), { ...plan, context: run.ctx }, built, detail), scope);
}

/** An agent's (or verified node's) step log and the answer it was resumed with, when the run is durable. */
function durableSteps(env: RunEnv, i: number): { steps?: StepLog; answer?: unknown } {
  const { checkpoints, answers, key } = env.flow;
  if (checkpoints === undefined) return {};
  const at = key + env.graph.nodes[i]!.id;
  return { steps: checkpoints.steps(at), answer: answers.get(at) };
}

/** Where a started node's outcome goes (the graph that runs it). */
export interface NodeSink {
  /** Node `i` ended this way (called once, never synchronously from `runNode`). */
  settle(i: number, outcome: NodeOutcome): void;
  /** An engine bug: the graph cannot go on. */
  crash(error: unknown): void;
}

/** What executing one node needs. */
export class NodeRun {
  /** Filled by agent, ensemble, verifier, cascade and control-flow nodes; kept in the node result. */
  readonly detail: NodeDetail & FlowDetail = {};
  #options: NodeRunOptions | undefined;
  #ctx: Record<string, unknown> | undefined;

  constructor(
    readonly env: RunEnv,
    readonly i: number,
    readonly scope: AbortScope,
    readonly sink: NodeSink,
  ) {}

  /** The `options` argument of the node's callbacks (made on first read: a plain `.llm` node has no callback). */
  get options(): NodeRunOptions {
    return (this.#options ??= new NodeOptions(this.env.runId, this.env.graph.nodes[this.i]!.id, this.scope));
  }

  /** What callbacks see (made on first read). */
  get ctx(): Record<string, unknown> {
    return (this.#ctx ??= contextOf(this.env, this.i));
  }
}

function execute(run: NodeRun, node: NodeDefinition) {
  const { env, i, scope } = run;
  switch (node.kind) {
    case 'llm':
    case 'agent':
    case 'ensemble':
      return runModel(run, node);
    case 'step':
      return raceAbort(invoke(() => node.run(run.ctx as never, run.options)), scope);
    case 'map':
      return runMap(env, node, run.ctx, run.options, scope, env.tallies[i]!, env.policy(i));
    default:
      return runFlowNode(run, node);
  }
}

function mapFailure(failure: MapFailure, nodeId: string): NodeOutcome {
  const itemErrors = failure.itemErrors.map(({ item, error }: ItemError) => ({
    item,
    error: toSwitchyardError(error, nodeId, item),
  }));
  const first = itemErrors[0]!;
  const error =
    itemErrors.length === 1
      ? first.error
      : new SwitchyardError({
          kind: 'node_failed',
          cause: first.error,
          message:
            `Map node '${nodeId}': ${itemErrors.length} of ${failure.total} items failed (` +
            itemErrors.slice(0, 5).map((e) => `item ${e.item}: ${e.error.message}`).join('; ') +
            (itemErrors.length > 5 ? '; …)' : ')'),
        });
  return { end: 'failed', error, itemErrors, partialOutput: failure.partialOutput };
}

function withDetail(outcome: NodeOutcome, detail: NodeDetail & FlowDetail): NodeOutcome {
  return Object.keys(detail).length > 0 ? { ...outcome, detail } : outcome;
}

function failure(error: unknown, scope: AbortScope, env: RunEnv, nodeId: string): NodeOutcome {
  const timeout = scope.timedOut;
  if (timeout) return { end: 'failed', error: timeout };
  if (env.abort.aborted) return { end: 'cancelled', error: toSwitchyardError(env.abort.reason, nodeId) };
  if (error instanceof MapFailure) return mapFailure(error, nodeId);
  if (error instanceof NodePaused) return { end: 'waiting', waiting: error.waiting };
  if (error instanceof AwaitingApproval) return { end: 'waiting', waiting: [toolWait(env, nodeId, error)] };
  return { end: 'failed', error: toSwitchyardError(error, nodeId) };
}

/** What an agent that paused before tools that need approval waits for. */
function toolWait(env: RunEnv, nodeId: string, paused: AwaitingApproval): Waiting {
  const key = env.flow.key + nodeId;
  const waiting: Waiting = {
    key,
    nodeId: pathIn(env.flow, nodeId),
    kind: 'tool',
    prompt: paused.prompt,
    step: paused.step,
    toolCalls: [...paused.toolCalls],
    answerSchema: toolApprovalSchema(),
    since: env.flow.checkpoints?.waitingSince(key) ?? Date.now(),
  };
  if (env.flow.iteration !== undefined) waiting.iteration = env.flow.iteration;
  return waiting;
}

/**
 * Runs node `i` to its end: evaluates `when`, emits `node-start`, executes the node under its signal (run
 * signal + own timeout), and gives how it ended to `sink` (on a later microtask, never from within this call).
 */
export function runNode(env: RunEnv, i: number, sink: NodeSink): void {
  const node = env.graph.nodes[i]!;
  const scope = env.abort.child();
  if (node.timeoutMs !== undefined) scope.timeout(node.timeoutMs, `Node '${node.id}'`);
  const run = new NodeRun(env, i, scope, sink);
  if (node.when) {
    runGuarded(run, node, node.when).catch((error: unknown) => sink.crash(error));
    return;
  }
  env.started(i);
  executeToEnd(run, node);
}

/** A node with a `when`: skipped when it says no, else executed. */
async function runGuarded(run: NodeRun, node: NodeDefinition, when: NonNullable<NodeDefinition['when']>): Promise<void> {
  const { env, i, scope } = run;
  // An object `when` is decided at once: still, the outcome goes to the sink on a later microtask.
  await undefined;
  let skipReason: string | undefined;
  try {
    if (typeof when === 'function') {
      const go = await raceAbort(invoke(() => when(run.ctx as never, run.options)), scope);
      if (!go) skipReason = '`when` returned false';
    } else skipReason = matchWhen(when, run.ctx);
  } catch (error) {
    scope.dispose();
    run.sink.settle(i, withDetail(failure(error, scope, env, node.id), run.detail));
    return;
  }
  if (skipReason !== undefined) {
    scope.dispose();
    run.sink.settle(i, { end: 'skipped', skipReason });
    return;
  }
  env.started(i);
  executeToEnd(run, node);
}

/**
 * Executes a started node, then disposes of its scope and gives its outcome to the sink. One promise reaction per
 * node, and nothing above it: the node's own work is the only thing that stays suspended while it runs.
 */
function executeToEnd(run: NodeRun, node: NodeDefinition): void {
  let work: Promise<unknown>;
  try {
    work = Promise.resolve(execute(run, node));
  } catch (error) {
    work = Promise.reject(error);
  }
  work.then(
    (output) => ended(run, node, true, output),
    (error: unknown) => ended(run, node, false, error),
  );
}

function ended(run: NodeRun, node: NodeDefinition, ok: boolean, value: unknown): void {
  const { env, scope, sink } = run;
  try {
    scope.dispose();
    const outcome: NodeOutcome = ok ? { end: 'succeeded', output: value } : failure(value, scope, env, node.id);
    sink.settle(run.i, withDetail(outcome, run.detail));
  } catch (error) {
    sink.crash(error);
  }
}
