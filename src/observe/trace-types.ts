import type { RunEvent } from '../run/events.js';

/** One node of the traced workflow, as the trace header describes it. */
export interface TraceNode {
  id: string;
  kind: string;
  /** Ids of the nodes it waits for. */
  after?: string[];
  /** The model it names, when it names one (else the router picks: see its `node-route` events). */
  model?: string;
  task?: string;
}

/** The first line of a trace file: what was run, and when. */
export interface TraceHeader {
  type: 'trace-start';
  /** Trace format version. */
  version: 1;
  runId: string;
  workflow: string;
  /** Epoch ms of the run's start; each event's `t` counts from here. */
  startedAt: number;
  nodes: TraceNode[];
}

/** A line of a trace file: the header, then every run event in order. */
export type TraceRecord = TraceHeader | RunEvent;

/**
 * Where a run's trace goes: receives the header, then every event as it is emitted. `close` is called once the
 * run has ended (or could not start).
 */
export interface TraceWriter {
  write(record: TraceRecord): void;
  close?(): void | Promise<void>;
}

/**
 * A run's trace: a file path (JSON lines, appended as the run goes: a crash keeps every line written) or a
 * writer of your own.
 * @example sy.run(wf, input, { trace: 'runs/triage.jsonl' })
 */
export type TraceTarget = string | TraceWriter;
