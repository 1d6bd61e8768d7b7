import type { BudgetFigures } from '../budget/budget-figures.js';
import type { CacheLookupPayload } from '../cache/cache-events.js';
import type { SwitchyardErrorJSON } from '../errors/error-json.js';
import type { ToolCall, Usage } from '../models/types.js';
import type { AttachmentInfo } from '../models/attachment.js';
import type { RouteCandidate, RouteSkip } from '../route/route-types.js';
import type { OutputCap } from './output-cap.js';

/** The events one model call emits: routing, streamed output, retries, failover, budget, cache, circuits. */
export type CallEvent =
  | {
      type: 'node-route';
      /** Why this model and endpoint were chosen. */
      reason: string;
      /** Other candidates in order, kept for failover. */
      candidates: RouteCandidate[];
      /** True when a cheaper model was taken because the preferred one did not fit the budget. */
      downgraded?: boolean;
      /**
       * Models (or endpoints) the router skipped, and why: no vision for an image, a window too small, an endpoint
       * that does not speak the API a model needs or cannot take an attachment, …
       */
      skipped?: RouteSkip[];
      /** The request's images and files: type, media type, size and SHA-256 (never their bytes). */
      attachments?: AttachmentInfo[];
    }
  | { type: 'text-delta'; text: string }
  | {
      /** Reasoning text (a summary or the model's thinking), streamed apart from the node's text output. */
      type: 'reasoning-delta';
      text: string;
    }
  | { type: 'tool-call'; call: ToolCall }
  | {
      type: 'node-retry';
      /** Consumers must drop every text-delta (and reasoning-delta) of the previous attempt when true. */
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
      /**
       * Phase 'reserve': the output cap the attempt sends to the provider, and why — the call's maxOutputTokens,
       * the model's max output, or (`fitted: true`) what the budget could spare, when the call set none.
       */
      outputCap?: OutputCap;
      usage?: Usage;
      levels: BudgetFigures[];
      /**
       * Phase 'settle': set when the provider's usage report was not sound (a figure missing, negative, not a
       * number, or inconsistent) and part of it was replaced by an estimate; says what and by what. The usage is
       * then marked `estimated`.
       */
      note?: string;
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
  | CacheLookupPayload;

/** A call event as the call runner emits it; the engine stamps runId, nodeId and seq. */
export type CallEventPayload = CallEvent & { attempt?: number; model?: string; provider?: string };
