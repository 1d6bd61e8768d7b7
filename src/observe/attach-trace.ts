import type { RunEvent } from '../run/events.js';
import type { NodeDefinition } from '../workflow/node-definition.js';
import { JsonlTraceFile } from './jsonl-trace-file.js';
import type { TraceHeader, TraceNode, TraceTarget, TraceWriter } from './trace-types.js';

/** What a trace needs from the run: its events. */
interface EventSource {
  on(type: '*', handler: (event: RunEvent) => void): unknown;
}

/** What a trace needs from the workflow: its name and nodes. */
interface WorkflowShape {
  readonly name: string;
  readonly nodes: readonly NodeDefinition[];
}

function describeNodes(nodes: readonly NodeDefinition[]): TraceNode[] {
  const out: TraceNode[] = [];
  for (const node of nodes) {
    if (node === null || typeof node !== 'object' || typeof node.id !== 'string') continue;
    const entry: TraceNode = { id: node.id, kind: String(node.kind) };
    if (Array.isArray(node.after) && node.after.length > 0) entry.after = node.after.map(String);
    const call = node as { model?: unknown; task?: unknown };
    if (typeof call.model === 'string') entry.model = call.model;
    if (typeof call.task === 'string') entry.task = call.task;
    out.push(entry);
  }
  return out;
}

/**
 * Sends a run's trace to `target`: the header (workflow, nodes and their dependencies) at once, then every event
 * as it is emitted, and closes the writer when `done` settles. A path opens a JSON-lines file (see
 * `JsonlTraceFile`); a file that cannot be opened throws here, before the run starts. A writer that throws on a
 * record loses that record, never the run (or the process: events are delivered inside the run's emitter).
 */
export function attachTrace(run: EventSource & { runId: string }, target: TraceTarget, wf: WorkflowShape, done: Promise<unknown>): void {
  const writer: TraceWriter = typeof target === 'string' ? new JsonlTraceFile(target) : target;
  let nodes: TraceNode[] = [];
  try {
    nodes = describeNodes(wf.nodes);
  } catch {
    // an invalid workflow: the run will reject with the reason; the header lists no nodes
  }
  const header: TraceHeader = { type: 'trace-start', version: 1, runId: run.runId, workflow: String(wf.name), startedAt: Date.now(), nodes };
  let open = true;
  const close = () => {
    if (!open) return;
    open = false;
    try {
      void Promise.resolve(writer.close?.()).catch(() => {});
    } catch {
      // as for write: the writer's failure stays the writer's
    }
  };
  const write = (record: TraceHeader | RunEvent) => {
    try {
      writer.write(record);
    } catch {
      // the writer's own failure: this record is lost, the run goes on
    }
  };
  write(header);
  run.on('*', (event) => {
    if (!open) return;
    write(event);
    if (event.type === 'run-end') close();
  });
  done.then(close, close);
}
