import type { BudgetFigures } from '../budget/budget-figures.js';
import type { CallEvent } from '../call/call-events.js';
import type { SwitchyardErrorJSON } from '../errors/error-json.js';
import type { FinishReason, Usage } from '../models/types.js';
import type { RouteCandidate } from '../route/route-types.js';

export type { BudgetFigures, RouteCandidate };

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
  | { type: 'node-error'; error: SwitchyardErrorJSON; status: 'failed' | 'cancelled' }
  | { type: 'run-end'; status: RunStatus; usage: Usage; costUsd: number };

/** How a run ended. */
export type RunStatus = 'succeeded' | 'failed' | 'cancelled';

/** Every event of a run's merged stream. */
export type RunEvent = RunEventBase & RunEventPayload;

/** The event types, for `run.on(type, handler)`. */
export type RunEventType = RunEvent['type'];

/** The event of one type. */
export type RunEventOf<T extends RunEventType> = Extract<RunEvent, { type: T }>;

/** A payload as node runners emit it (any run event without its stamps); the engine adds runId, nodeId and seq. */
export type StampedPayload = RunEventPayload & { attempt?: number; model?: string; provider?: string };
