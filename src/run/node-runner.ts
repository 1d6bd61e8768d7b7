import { SwitchyardError } from '../errors/switchyard-error.js';
import type { LlmNodeDefinition, NodeDefinition } from '../workflow/node-definition.js';
import type { NodeRunOptions } from '../workflow/node-spec.js';
import { MapFailure, runMap, type ItemError } from './map-runner.js';
import { buildMessages, callModel } from './model-call.js';
import { invoke, raceAbort, type AbortScope } from './abort-scope.js';
import type { RunEnv } from './run-env.js';
import type { NodeEnd } from './scheduler.js';

/** How a node that was started ended. */
export interface NodeOutcome {
  end: NodeEnd;
  output?: unknown;
  error?: SwitchyardError;
  skipReason?: string;
  /** A map's failed items. */
  itemErrors?: Array<{ item: number; error: SwitchyardError }>;
  partialOutput?: unknown[];
}

/** What callbacks see: the input and the outputs of the declared dependencies (undefined when skipped). */
function contextOf(env: RunEnv, i: number): Record<string, unknown> {
  const ctx: Record<string, unknown> = { input: env.input };
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

async function runLlm(env: RunEnv, node: LlmNodeDefinition, ctx: unknown, options: NodeRunOptions, i: number) {
  const { kind: _k, id, after: _a, when: _w, onError: _o, timeoutMs: _t, prompt, messages, ...call } = node;
  const built = await raceAbort(buildMessages({ prompt, messages }, [ctx, options], `Node '${id}'`), options.signal);
  const result = await callModel(env, env.tallies[i]!, call, built, { nodeId: id, signal: options.signal });
  return call.output ? result.object : result.text;
}

function execute(env: RunEnv, node: NodeDefinition, ctx: unknown, options: NodeRunOptions, i: number, scope: AbortScope) {
  switch (node.kind) {
    case 'llm':
      return runLlm(env, node, ctx, options, i);
    case 'step':
      return raceAbort(invoke(() => node.run(ctx as never, options)), options.signal);
    case 'map':
      return runMap(env, node, ctx, options, scope, env.tallies[i]!, env.policy(i));
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

function failure(error: unknown, scope: AbortScope, env: RunEnv, nodeId: string): NodeOutcome {
  const timeout = scope.timedOut;
  if (timeout) return { end: 'failed', error: timeout };
  const run = env.abort.signal;
  if (run.aborted) return { end: 'cancelled', error: toSwitchyardError(run.reason, nodeId) };
  if (error instanceof MapFailure) return mapFailure(error, nodeId);
  return { end: 'failed', error: toSwitchyardError(error, nodeId) };
}

/**
 * Runs node `i` to its end: evaluates `when`, emits `node-start`, executes the node under its signal (run
 * signal + own timeout), and returns how it ended. Never throws.
 */
export async function runNode(env: RunEnv, i: number): Promise<NodeOutcome> {
  const node = env.graph.nodes[i]!;
  const scope = env.abort.child();
  if (node.timeoutMs !== undefined) scope.timeout(node.timeoutMs, `Node '${node.id}'`);
  const options: NodeRunOptions = { signal: scope.signal, runId: env.runId, nodeId: node.id };
  const ctx = contextOf(env, i);
  try {
    if (node.when) {
      const when = node.when;
      const go = await raceAbort(invoke(() => when(ctx as never, options)), scope.signal);
      if (!go) return { end: 'skipped', skipReason: '`when` returned false' };
    }
    env.started(i);
    return { end: 'succeeded', output: await execute(env, node, ctx, options, i, scope) };
  } catch (error) {
    return failure(error, scope, env, node.id);
  } finally {
    scope.dispose();
  }
}
