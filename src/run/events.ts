import type { BudgetFigures } from '../budget/budget-figures.js';
import type { CallEvent } from '../call/call-events.js';
import type { SwitchyardErrorJSON } from '../errors/error-json.js';
import type { FinishReason, Usage } from '../models/types.js';
import type { RouteCandidate, RouteSkip } from '../route/route-types.js';

export type { BudgetFigures, RouteCandidate, RouteSkip };

/** Fields every run event carries. */
export interface RunEventBase {
  /** The run this event belongs to. */
  runId: string;
  /** Monotonic within a run, starting at 1. */
  seq: number;
  /** Milliseconds since the run started (monotonic clock). */
  t: number;
  /** The node, for node events. */
  nodeId?: string;
  /** 1-based attempt number of the node's current model call. */
  attempt?: number;
  /** Catalog model id of the current attempt. */
  model?: string;
  /** Endpoint name of the current attempt. */
  provider?: string;
  /** For the sub-calls of a `.map` node: the index of the item. */
  item?: number;
  /** For the calls of an `.ensemble` node: the 0-based index of the candidate (its position in `models`). */
  candidate?: number;
  /** For an `.agent` node: the 1-based step (model call of the tool loop) the event belongs to. */
  step?: number;
  /** For a node with `verify`: the 1-based round (generate → verify) the event belongs to. */
  round?: number;
  /**
   * For the nodes of a nested workflow (`.workflow`, a `.loop` body): the path of the node that holds them
   * ('legal', 'refine', 'outer/inner'). Their `nodeId` is the full path: 'legal/check'.
   */
  parent?: string;
  /** For the nodes of a `.loop` body (and the loop's own iteration events): the 1-based iteration. */
  iteration?: number;
}

export type RunEventPayload =
  | CallEvent
  | { type: 'run-start'; workflow: string; nodes: number }
  | { type: 'node-start'; kind: string }
  | {
      type: 'node-end';
      status: 'succeeded';
      usage: Usage;
      costUsd: number;
      finishReason?: FinishReason;
      /** Whether a cached or checkpointed result was reused. */
      cached?: boolean;
    }
  | { type: 'node-skip'; reason: string }
  | {
      /** An agent's tool finished (or failed: its error text is what the model receives). */
      type: 'tool-result';
      call: { id: string; name: string };
      ok: boolean;
      /** What the model receives as the tool's result (bounded). */
      result: string;
      durationMs: number;
      /**
       * Why the tool failed, when it threw: e.g. kind 'timeout' or 'network' for an MCP server that hung or died,
       * 'tool_error' for a tool that reported an error (the message is bounded).
       */
      error?: SwitchyardErrorJSON;
    }
  | {
      /** An agent step ended: one model call, and the tools it asked for have run. */
      type: 'agent-step';
      step: number;
      toolCalls: number;
      finishReason: FinishReason;
      usage: Usage;
      costUsd: number;
    }
  | {
      /** A verifier judged a round's output. `ok: false` starts another round (or escalates, or fails the node). */
      type: 'node-round';
      round: number;
      ok: boolean;
      feedback?: string;
      costUsd: number;
    }
  | {
      /** A cascade moves to its next (stronger) tier; what the previous tier streamed is superseded. */
      type: 'node-escalate';
      from: string;
      to: string;
      reason: string;
    }
  | {
      /** An ensemble candidate ended. */
      type: 'candidate-end';
      candidate: number;
      status: 'succeeded' | 'failed' | 'cancelled';
      costUsd: number;
      error?: SwitchyardErrorJSON;
    }
  | {
      /** A `.loop` starts an iteration of its body (`iteration` is set). */
      type: 'iteration-start';
    }
  | {
      /** An iteration of a `.loop` ended; `stop` says whether the loop ends with it (`until` said so, or `maxIterations`). */
      type: 'iteration-end';
      status: 'succeeded' | 'failed' | 'cancelled' | 'waiting';
      stop: boolean;
      costUsd: number;
    }
  | {
      /**
       * A node waits for a person: an `.approval` node for its answer, an agent for a decision on a tool call. The
       * nodes that hold it (a `.workflow`, a `.loop`) announce it too, with the same entries. See `sy.resume`.
       */
      type: 'node-wait';
      waiting: WaitingEntry[];
    }
  | { type: 'node-error'; error: SwitchyardErrorJSON; status: 'failed' | 'cancelled' }
  | { type: 'run-end'; status: RunStatus; usage: Usage; costUsd: number };

/**
 * How a run ended. `'waiting'`: it paused for a person (an `.approval` node, a tool that needs approval) and
 * everything that did not depend on the answer has finished; `result.waiting` lists what it waits for and
 * `sy.resume(runId, workflow, { answers })` continues it.
 */
export type RunStatus = 'succeeded' | 'failed' | 'cancelled' | 'waiting';

/** One thing a paused run waits for (`result.waiting`, `node-wait` events). */
export interface WaitingEntry {
  /** The waiting node's path from the top ('approve', 'legal/approve'): the key of its answer in `sy.resume`. */
  nodeId: string;
  /** `'approval'`: an `.approval` node's answer; `'tool'`: a decision on tool calls an agent wants to make. */
  kind: 'approval' | 'tool';
  /** What to ask the person. */
  prompt: string;
  /** For a node inside a `.loop` body: the iteration that waits. */
  iteration?: number;
  /** JSON Schema of the answer `sy.resume` accepts for this node. */
  answerSchema?: unknown;
  /** For kind 'tool': the agent step that waits. */
  step?: number;
  /** For kind 'tool': the calls that wait for a decision (none of the step's tools has run yet). */
  toolCalls?: Array<{ id: string; name: string; args: unknown }>;
  /** Epoch ms since when the node waits. */
  since: number;
}

/** Every event of a run's merged stream. */
export type RunEvent = RunEventBase & RunEventPayload;

/** The event types, for `run.on(type, handler)`. */
export type RunEventType = RunEvent['type'];

/** The event of one type. */
export type RunEventOf<T extends RunEventType> = Extract<RunEvent, { type: T }>;

/** A payload as node runners emit it (any run event without its stamps); the engine adds runId, nodeId and seq. */
export type StampedPayload = RunEventPayload & { attempt?: number; model?: string; provider?: string; parent?: string; iteration?: number };

/** Where node runners emit: the run's hub, or a nested workflow's view of it (which prefixes the node ids). */
export interface EventSink {
  readonly runId: string;
  /** Stamps and delivers one event; `nodeId` and `item` are added when given. */
  emit(payload: StampedPayload, nodeId?: string, item?: number): void;
}
