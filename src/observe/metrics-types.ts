/** Token counts summed over attempts (every figure as the providers reported it, or as estimated). */
export interface TokenTotals {
  /** All input tokens, cached and cache-written ones included. */
  input: number;
  /** Input tokens read from a provider's prompt cache. */
  cachedInput: number;
  /** Input tokens written to a provider's prompt cache (Anthropic bills them above the input price). */
  cacheWrite: number;
  /** All output tokens, reasoning included. */
  output: number;
  /** Output tokens spent on hidden reasoning. */
  reasoning: number;
}

/** Median and 95th percentile of a set of durations, in ms. `count` is 0 (and the figures 0) when nothing was measured. */
export interface LatencyStats {
  count: number;
  median: number;
  p95: number;
  max: number;
}

/** Response-cache lookups (only calls that opted in are looked up). */
export interface ResponseCacheStats {
  lookups: number;
  hits: number;
  /** `hits / lookups`; 0 when there was no lookup. */
  hitRate: number;
  /** What the replies served from the cache cost when they were first made. */
  savedUsd: number;
}

/** Usage, cost, timing and reliability figures for one slice (a node, a model, an endpoint, or everything). */
export interface MetricsSummary {
  tokens: TokenTotals;
  /** USD charged, failed and discarded attempts included. */
  costUsd: number;
  /** Model calls routed (a call counts once however many attempts it took; a structured-output repair is its own call). */
  calls: number;
  /** Attempts sent to a provider (each one reserved budget). */
  attempts: number;
  /** `node-retry` events: the same call tried again. */
  retries: number;
  /** `node-fallback` events: the call moved to another model or endpoint. */
  fallbacks: number;
  /** Attempts replaced by a retry or fallback (their output, if any, was discarded). */
  wastedAttempts: number;
  /** What those replaced attempts cost. */
  wastedUsd: number;
  /** Time to first token: first streamed text or tool call of an attempt, from the attempt's start. */
  ttftMs: LatencyStats;
  /** Attempt duration: from its start (budget reserved) to its end (budget settled). */
  latencyMs: LatencyStats;
  /** Prompt-cache hit rate: `cachedInput / input`; 0 when there was no input. */
  cacheHitRate: number;
  responseCache: ResponseCacheStats;
}

/** How the nodes of the observed runs ended. */
export interface NodeCounts {
  /** Nodes declared by the runs' workflows. */
  total: number;
  started: number;
  succeeded: number;
  failed: number;
  cancelled: number;
  skipped: number;
  /** Succeeded nodes whose every model call was served from the response cache. */
  cached: number;
}

/** Usage, cost, latency and cache figures of one run (`run.result.metrics`), in total and per node, model and endpoint. */
export interface RunMetrics {
  total: MetricsSummary;
  byNode: Record<string, MetricsSummary>;
  /** Keyed by catalog model id. */
  byModel: Record<string, MetricsSummary>;
  /** Keyed by endpoint name. */
  byEndpoint: Record<string, MetricsSummary>;
  nodes: NodeCounts;
}

/**
 * The same figures over every run of an instance so far (`sy.metrics()`), in-flight runs included; nodes are
 * keyed as `workflow/nodeId`.
 */
export interface InstanceMetrics extends RunMetrics {
  /** Runs started, and how many have ended. */
  runs: { started: number; ended: number };
}
