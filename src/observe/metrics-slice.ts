import type { Usage } from '../models/types.js';
import type { MetricsSummary, TokenTotals } from './metrics-types.js';
import { Samples } from './samples.js';

/** The running figures of one slice (a node, a model, an endpoint, or the total). */
export class MetricsSlice {
  readonly tokens: TokenTotals = { input: 0, cachedInput: 0, cacheWrite: 0, output: 0, reasoning: 0 };
  costUsd = 0;
  calls = 0;
  attempts = 0;
  retries = 0;
  fallbacks = 0;
  wastedAttempts = 0;
  wastedUsd = 0;
  lookups = 0;
  hits = 0;
  savedUsd = 0;
  readonly ttft = new Samples();
  readonly latency = new Samples();

  /** Books one settled attempt. */
  settle(usage: Usage | undefined, costUsd: number): void {
    this.costUsd += costUsd;
    if (!usage) return;
    const t = this.tokens;
    t.input += usage.inputTokens;
    t.cachedInput += usage.cachedInputTokens;
    t.cacheWrite += usage.cacheWriteTokens;
    t.output += usage.outputTokens;
    t.reasoning += usage.reasoningTokens;
  }

  summary(): MetricsSummary {
    const t = this.tokens;
    return {
      tokens: { ...t },
      costUsd: this.costUsd,
      calls: this.calls,
      attempts: this.attempts,
      retries: this.retries,
      fallbacks: this.fallbacks,
      wastedAttempts: this.wastedAttempts,
      wastedUsd: this.wastedUsd,
      ttftMs: this.ttft.stats(),
      latencyMs: this.latency.stats(),
      cacheHitRate: t.input > 0 ? t.cachedInput / t.input : 0,
      responseCache: {
        lookups: this.lookups,
        hits: this.hits,
        hitRate: this.lookups > 0 ? this.hits / this.lookups : 0,
        savedUsd: this.savedUsd,
      },
    };
  }
}

/** Slices by key, created on first use. */
export class SliceMap {
  readonly #slices = new Map<string, MetricsSlice>();

  get(key: string): MetricsSlice {
    let slice = this.#slices.get(key);
    if (!slice) {
      slice = new MetricsSlice();
      this.#slices.set(key, slice);
    }
    return slice;
  }

  summaries(): Record<string, MetricsSummary> {
    const out: Record<string, MetricsSummary> = {};
    for (const [key, slice] of this.#slices) out[key] = slice.summary();
    return out;
  }
}
