import { SwitchyardError } from '../errors/switchyard-error.js';
import type { MapNodeDefinition } from '../workflow/node-definition.js';
import type { ErrorPolicy, MapItemOptions, NodeRunOptions } from '../workflow/node-spec.js';
import { buildMessages, callModel, describeValue } from './model-call.js';
import { invoke, raceAbort, type AbortScope } from '../call/abort-scope.js';
import type { RunEnv } from './run-env.js';
import { LAUNCH_BATCH } from './scheduler.js';
import { ItemOptions } from './node-options.js';
import type { NodeTally } from './run-totals.js';

/** One failed item of a map. */
export interface ItemError {
  item: number;
  error: unknown;
}

/** A map that failed: the item errors and what the other items produced. */
export class MapFailure extends Error {
  constructor(
    readonly itemErrors: ItemError[],
    readonly partialOutput: unknown[],
    readonly total: number,
  ) {
    super(`${itemErrors.length} of ${total} items failed`);
  }
}

/**
 * Runs a `.map` node: calls `over`, then one sub-call per item with at most `concurrency` in flight, outputs in
 * item order. Under 'fail-fast' the first item failure aborts the other items; under 'continue' every item
 * runs. Either way a failed item fails the node (a MapFailure carrying the item errors and partial outputs).
 */
export async function runMap(
  env: RunEnv,
  node: MapNodeDefinition,
  ctx: unknown,
  options: NodeRunOptions,
  scope: AbortScope,
  tally: NodeTally,
  policy: ErrorPolicy,
): Promise<unknown[]> {
  const list: unknown = await raceAbort(invoke(() => node.over(ctx as never, options)), scope);
  if (!Array.isArray(list)) {
    throw new SwitchyardError({
      kind: 'invalid_workflow',
      message: `Map node '${node.id}': \`over\` returned ${describeValue(list)}; it must return an array.`,
    });
  }
  const items = scope.child();
  const outputs = new Array<unknown>(list.length);
  const itemErrors: ItemError[] = [];
  let next = 0;
  const worker = async () => {
    while (next < list.length && !items.aborted) {
      const index = next++;
      const own = items.child();
      try {
        const itemOptions = new ItemOptions(options.runId, options.nodeId, index, own);
        outputs[index] = await runItem(env, node, list[index], index, ctx, itemOptions, own, tally);
      } catch (error) {
        if (items.aborted) continue;
        itemErrors.push({ item: index, error });
        if (policy === 'fail-fast') items.abort(error);
      } finally {
        own.dispose();
      }
    }
  };
  const workers = Math.min(node.concurrency ?? list.length, list.length);
  try {
    // Workers start a batch per turn of the event loop, as the scheduler starts nodes (see LAUNCH_BATCH).
    const running: Promise<void>[] = [];
    for (let w = 0; w < workers; w++) {
      if (w > 0 && w % LAUNCH_BATCH === 0) await turnEnd();
      running.push(worker());
    }
    await Promise.all(running);
  } finally {
    items.dispose();
  }
  if (scope.aborted) throw scope.reason;
  if (itemErrors.length > 0) throw new MapFailure(itemErrors, outputs, list.length);
  return outputs;
}

async function runItem(
  env: RunEnv,
  node: MapNodeDefinition,
  item: unknown,
  index: number,
  ctx: unknown,
  options: MapItemOptions,
  scope: AbortScope,
  tally: NodeTally,
): Promise<unknown> {
  const spec = node.node;
  if (spec.run !== undefined) {
    const run = spec.run;
    return raceAbort(invoke(() => run(item, ctx as never, options)), scope);
  }
  const { prompt, messages, run: _run, ...call } = spec;
  const what = `Map node '${node.id}' item ${index}`;
  const built = await raceAbort(buildMessages({ prompt, messages }, [item, ctx, options], what), scope);
  const result = await callModel(env, tally, call, built, { nodeId: node.id, item: index, abort: scope });
  return call.output ? result.object : result.text;
}

/** Resolves when this turn of the event loop ends (after its microtasks). */
function turnEnd(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
