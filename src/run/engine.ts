import { randomUUID } from 'node:crypto';
import type { Workflow } from '../workflow/workflow.js';
import type { Outputs } from '../workflow/workflow-types.js';
import { EventHub } from './event-hub.js';
import { RunEngine } from './run-engine.js';
import { RunHandle } from './run-handle.js';
import type { EngineHost } from './engine-host.js';
import type { Run, RunOptions } from './run-types.js';
import { attachTrace } from '../observe/attach-trace.js';

/** The next turn of the event loop (setImmediate where it exists). */
const nextTurn: (fn: () => void) => void =
  typeof setImmediate === 'function' ? (fn) => void setImmediate(fn) : (fn) => void setTimeout(fn, 0);

/**
 * Starts a run of `wf` on `input` and returns its handle at once. The engine starts on the next turn of the
 * event loop, so consumers attached right after this call (a `for await` loop, `run.on(...)`) see every event
 * from `run-start` on. Invalid workflows, inputs and options reject `run.result` (and end the stream with that
 * error) before any node runs.
 */
export function startRun<I, O extends Outputs, In = any>(
  host: EngineHost,
  wf: Workflow<I, O, In>,
  input: unknown,
  options: RunOptions = {},
): Run<O> {
  const t0 = performance.now();
  const hub = new EventHub(options.runId ?? `run_${randomUUID()}`, t0);
  const engine = new RunEngine<O>(host, wf, input, options, hub);
  const run = new RunHandle<O>(hub, engine.result, (reason) => engine.cancel(reason));
  if (options.trace !== undefined) attachTrace(run, options.trace, wf, engine.result);
  host.onRun?.(run, wf.name, engine.metrics, hub.epochT0);
  nextTurn(() => void engine.start());
  return run;
}
