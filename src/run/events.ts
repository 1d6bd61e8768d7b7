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
  /** For the calls of an `.ensemble` node: the 0-based index of the candidate (its position in `models`). */
  candidate?: number;
  /** For an `.agent` node: the 1-based step (model call of the tool loop) the event belongs to. */
  step?: number;
  /** For a node with `verify`: the 1-based round (generate → verify) the event belongs to. */
  round?: number;
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
      /** A response-cache lookup, for a call that opted in with `cache: { response: true }` (node, call or run). */
      type: 'cache-lookup';
      /** True when the reply was served from the cache: no request was sent and the call cost $0. */
      hit: boolean;
      /** The cache key: a hash of the normalized request, model, tools and output schema (no prompt text). */
      key: string;
      /** On a hit: the age of the cached reply in ms. */
      ageMs?: number;
      /** On a hit: what the cached reply cost when it was made. */
      savedUsd?: number;
    }
  | {
      /** An agent's tool finished (or failed: its error text is what the model receives). */
      type: 'tool-result';
      call: { id: string; name: string };
      ok: boolean;
      /** What the model receives as the tool's result (bounded). */
      result: string;
      durationMs: number;
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
