import type { Outputs } from '../workflow/workflow-types.js';
import type { EventHub } from './event-hub.js';
import type { RunEvent, RunEventType } from './events.js';
import type { Run, RunEventHandler, RunResult } from './run-types.js';

type AnyHandler = (event: RunEvent) => void;

/** The `Run` users hold: the hub's stream and emitter, the result promise, and cancel. */
export class RunHandle<O extends Outputs> implements Run<O> {
  readonly runId: string;
  readonly result: Promise<RunResult<O>>;
  readonly #hub: EventHub;
  readonly #cancel: (reason?: string) => void;

  constructor(hub: EventHub, result: Promise<RunResult<O>>, cancel: (reason?: string) => void) {
    this.runId = hub.runId;
    this.#hub = hub;
    this.result = result;
    this.#cancel = cancel;
    // A run whose result nobody awaits must not crash the process when it cannot start.
    result.catch(() => {});
  }

  on<T extends RunEventType | '*'>(type: T, handler: RunEventHandler<T>): this {
    this.#hub.emitter.on(type, handler as AnyHandler);
    return this;
  }

  once<T extends RunEventType | '*'>(type: T, handler: RunEventHandler<T>): this {
    this.#hub.emitter.once(type, handler as AnyHandler);
    return this;
  }

  off<T extends RunEventType | '*'>(type: T, handler?: RunEventHandler<T>): this {
    this.#hub.emitter.off(type, handler as AnyHandler | undefined);
    return this;
  }

  cancel(reason?: string): void {
    this.#cancel(reason);
  }

  /** A new consumer of the merged stream: it sees every event emitted from now on. */
  [Symbol.asyncIterator](): AsyncIterator<RunEvent> {
    return this.#hub.subscribe();
  }
}
