import type { EventSink, StampedPayload } from './events.js';

/**
 * The event sink of a nested workflow: every event of its nodes goes to the run's hub with the node id prefixed
 * by the path of the node that holds it (`legal/check`), stamped with that `parent` and, inside a `.loop` body,
 * the `iteration`. Made over the run's own hub (not chained), so a deeper nesting stamps its full path once.
 */
export class PathSink implements EventSink {
  readonly runId: string;
  readonly #parent: EventSink;
  readonly #path: string;
  readonly #iteration: number | undefined;

  /** `root`: the run's hub; `path`: the full path of the holding node ('legal', 'outer/inner'). */
  constructor(root: EventSink, path: string, iteration?: number) {
    this.runId = root.runId;
    this.#parent = root;
    this.#path = path;
    this.#iteration = iteration;
  }

  emit(payload: StampedPayload, nodeId?: string, item?: number): void {
    const stamped: StampedPayload = { ...payload, parent: this.#path };
    if (this.#iteration !== undefined && payload.iteration === undefined) stamped.iteration = this.#iteration;
    this.#parent.emit(stamped, nodeId === undefined ? this.#path : `${this.#path}/${nodeId}`, item);
  }
}
