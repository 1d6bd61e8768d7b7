import type { SwitchyardErrorJSON } from './error-json.js';
import type { FinishReason, ToolCall, Usage } from '../models/types.js';

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
}

/** Budget figures in USD at one level, after a reservation or a settlement. */
export interface BudgetFigures {
  level: 'instance' | 'run' | 'node';
  limitUsd?: number;
  spentUsd: number;
  reservedUsd: number;
  /** `limitUsd - spentUsd - reservedUsd`, when there is a limit. */
  remainingUsd?: number;
  limitTokens?: number;
  spentTokens: number;
  reservedTokens: number;
}

/** A candidate the router considered, with why it was or was not chosen. */
export interface RouteCandidate {
  model: string;
  provider: string;
  reason: string;
}

export type RunEventPayload =
  | { type: 'run-start'; workflow: string; nodes: number }
  | { type: 'node-start'; kind: string }
  | {
      type: 'node-route';
      /** Why this model and endpoint were chosen. */
      reason: string;
      /** Other candidates in order, kept for failover. */
      candidates: RouteCandidate[];
      /** True when a cheaper model was taken because the preferred one did not fit the budget. */
      downgraded?: boolean;
    }
  | { type: 'text-delta'; text: string }
  | { type: 'tool-call'; call: ToolCall }
  | {
      type: 'node-retry';
      /** Consumers must drop every text-delta of the previous attempt when true. */
      discard: boolean;
      /** The error that ended the previous attempt. */
      error: SwitchyardErrorJSON;
      /** How long the node waits before the next attempt. */
      delayMs: number;
    }
  | {
      type: 'node-fallback';
      from: { model: string; provider: string };
      to: { model: string; provider: string };
      reason: string;
      discard: boolean;
      error?: SwitchyardErrorJSON;
    }
  | {
      type: 'budget';
      phase: 'reserve' | 'settle';
      /** USD reserved (phase 'reserve') or charged (phase 'settle') for this attempt. */
      amountUsd: number;
      usage?: Usage;
      levels: BudgetFigures[];
    }
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
      /** A circuit breaker (endpoint × model) changed state after this run's attempt. */
      type: 'circuit';
      endpoint: string;
      circuitModel: string;
      from: 'closed' | 'open' | 'half-open';
      to: 'closed' | 'open' | 'half-open';
      reason: string;
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
