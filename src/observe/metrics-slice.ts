import { emptyRecord } from '../data/plain-record.js';
import type { Usage } from '../models/types.js';
import type { MetricsSummary } from './metrics-types.js';
import { addSample, mergeSamples, sampleStats, type SampleSlot } from './sample-slot.js';

/** The running figures of one slice (a node, a model, an endpoint, or the total). */
export class MetricsSlice {
  input = 0;
  cachedInput = 0;
  cacheWrite = 0;
  output = 0;
  reasoning = 0;
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
  /** Times to first token, ms. */
  ttft: SampleSlot;
  /** Attempt durations, ms. */
  latency: SampleSlot;

  /** Books one settled attempt: its usage and cost, and its timing when its start was seen. */
  settle(usage: Usage | undefined, costUsd: number, latencyMs: number | undefined, ttftMs: number | undefined): void {
    this.costUsd += costUsd;
    if (latencyMs !== undefined) this.latency = addSample(this.latency, latencyMs);
    if (ttftMs !== undefined) this.ttft = addSample(this.ttft, ttftMs);
    if (!usage) return;
    this.input += usage.inputTokens;
    this.cachedInput += usage.cachedInputTokens;
    this.cacheWrite += usage.cacheWriteTokens;
    this.output += usage.outputTokens;
    this.reasoning += usage.reasoningTokens;
  }

  /** Books an attempt replaced by a retry or fallback. */
  waste(costUsd: number): void {
    this.wastedAttempts++;
    this.wastedUsd += costUsd;
  }

  /** Adds another slice's figures to this one (`other` is left as it is). */
  merge(other: MetricsSlice): void {
    this.input += other.input;
    this.cachedInput += other.cachedInput;
    this.cacheWrite += other.cacheWrite;
    this.output += other.output;
    this.reasoning += other.reasoning;
    this.costUsd += other.costUsd;
    this.calls += other.calls;
    this.attempts += other.attempts;
    this.retries += other.retries;
    this.fallbacks += other.fallbacks;
    this.wastedAttempts += other.wastedAttempts;
    this.wastedUsd += other.wastedUsd;
    this.lookups += other.lookups;
    this.hits += other.hits;
    this.savedUsd += other.savedUsd;
    this.ttft = mergeSamples(this.ttft, other.ttft);
    this.latency = mergeSamples(this.latency, other.latency);
  }

  summary(): MetricsSummary {
    const { input, cachedInput, lookups, hits } = this;
    return {
      tokens: { input, cachedInput, cacheWrite: this.cacheWrite, output: this.output, reasoning: this.reasoning },
      costUsd: this.costUsd,
      calls: this.calls,
      attempts: this.attempts,
      retries: this.retries,
      fallbacks: this.fallbacks,
      wastedAttempts: this.wastedAttempts,
      wastedUsd: this.wastedUsd,
      ttftMs: sampleStats(this.ttft),
      latencyMs: sampleStats(this.latency),
      cacheHitRate: input > 0 ? cachedInput / input : 0,
      responseCache: { lookups, hits, hitRate: lookups > 0 ? hits / lookups : 0, savedUsd: this.savedUsd },
    };
  }
}

/** Slices by key, created on first use. */
export class SliceMap {
  readonly #slices = new Map<string, MetricsSlice>();
  /** The slice asked for last (events come in runs of one model and one endpoint). */
  #lastKey: string | undefined;
  #last: MetricsSlice | undefined;

  get(key: string): MetricsSlice {
    if (key === this.#lastKey) return this.#last!;
    let slice = this.#slices.get(key);
    if (!slice) {
      slice = new MetricsSlice();
      this.#slices.set(key, slice);
    }
    this.#lastKey = key;
    this.#last = slice;
    return slice;
  }

  /** Adds every slice of `other` to the slice of the same key here, with `prefix` before the key. */
  merge(other: SliceMap, prefix = ''): void {
    for (const [key, slice] of other.#slices) this.get(prefix + key).merge(slice);
  }

  /** The summary of every slice, keyed with `prefix` before the key, added to `out`. */
  summaries(prefix = '', out: Record<string, MetricsSummary> = emptyRecord()): Record<string, MetricsSummary> {
    for (const [key, slice] of this.#slices) out[prefix + key] = slice.summary();
    return out;
  }
}
