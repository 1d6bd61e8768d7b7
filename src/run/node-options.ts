import { WithLazySignal, type AbortScope } from '../call/abort-scope.js';
import type { MapItemOptions, NodeRunOptions } from '../workflow/node-spec.js';

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
