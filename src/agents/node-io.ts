import type { Catalog } from '../models/catalog.js';
import type { Message, Usage } from '../models/types.js';
import type { CallOptions, CallResult } from '../call/call-types.js';
import type { StampedPayload } from '../run/events.js';

/** Fields that tag the events of one call (or one agent event) beyond its node and map item. */
export interface CallTags {
  candidate?: number;
  step?: number;
  round?: number;
}

/** What one call cost, filled in whether the call succeeded, failed or was aborted. */
export interface CallMeter {
  usage: Usage;
  costUsd: number;
  model?: string;
  provider?: string;
}

/** Where a call runs: its event tags, its own signal (defaults to the node's), a meter to fill, its budget share. */
export interface CallPlace {
  tags?: CallTags;
  signal?: AbortSignal;
  meter?: CallMeter;
  /**
   * How many calls of the node run at once with this one (ensemble candidates): each gets that share of what is
   * left of the node's `budget`.
   * @default 1
   */
  budgetShare?: number;
}

/**
 * The durable log of one node's steps (a run with a checkpoint store): each completed model call, tool result
 * and verdict is committed under a name (`call:3`, `tool:2:call_abc`, `verdict:1`); a resumed run replays them
 * instead of requesting, paying or running them again.
 */
export interface StepLog {
  /** What operation `op` produced in an earlier attempt of the run, when it was committed. */
  recall(op: string): unknown;
  /** Commits what operation `op` produced; resolves once the store has it. */
  commit(op: string, value: unknown): Promise<void>;
}

/**
 * What agent, verifier, ensemble and cascade runners get from the engine for one node: model calls through the
 * run scope (routing, budget reserve/settle, retries, failover, structured output and its repair — never a
 * provider directly), booked on the node; events stamped with the node (and map item); and the node's signal.
 */
export interface NodeIO {
  readonly runId: string;
  readonly nodeId: string;
  /** Aborted when the run is cancelled, fails fast, or the node times out. */
  readonly signal: AbortSignal;
  /** Prices for cascade savings. */
  readonly catalog: Catalog;
  /** Makes one model call through the run scope; its usage and cost are booked on the node. */
  call(options: CallOptions, messages: Message[], place?: CallPlace): Promise<CallResult>;
  /** Emits one event into the run's merged stream, stamped with the node (and item) and `tags`. */
  emit(payload: StampedPayload, tags?: CallTags): void;
  /** Everything the node's calls cost so far (failed and aborted attempts included), and the calls made. */
  spent(): { usage: Usage; costUsd: number; calls: number };
  /** The node's step log, when the run is durable: tool results and verdicts are committed to it. */
  readonly steps?: StepLog;
  /** The answer a person gave this node when the run was resumed (decisions on tool calls), if any. */
  readonly answer?: unknown;
}
