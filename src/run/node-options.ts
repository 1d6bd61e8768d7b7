import { WithLazySignal, type AbortScope } from '../call/abort-scope.js';
import type { LoopInputOptions, MapItemOptions, NodeRunOptions } from '../workflow/node-spec.js';

/** A node's `options` argument; its `signal` is made on first read. */
export class NodeOptions extends WithLazySignal implements NodeRunOptions {
  constructor(
    readonly runId: string,
    readonly nodeId: string,
    scope: AbortScope,
  ) {
    super(scope);
  }
}

/** A map item's `options` argument: its node's, with the item's index and its own signal. */
export class ItemOptions extends NodeOptions implements MapItemOptions {
  constructor(
    runId: string,
    nodeId: string,
    readonly index: number,
    scope: AbortScope,
  ) {
    super(runId, nodeId, scope);
  }
}

/** A loop's `input` options: its node's, with the iteration being built. */
export class IterationOptions extends NodeOptions implements LoopInputOptions {
  constructor(
    runId: string,
    nodeId: string,
    readonly iteration: number,
    scope: AbortScope,
  ) {
    super(runId, nodeId, scope);
  }
}
