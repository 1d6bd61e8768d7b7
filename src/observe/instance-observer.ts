import type { Provider, ProviderCall } from '../providers/types.js';
import type { RunEvent, RunEventType } from '../run/events.js';
import type { Run } from '../run/run-types.js';
import { InstanceMetricsBook } from './instance-metrics-book.js';
import type { MetricsCollector } from './metrics-collector.js';
import type { InstanceMetrics } from './metrics-types.js';
import { loadOtelApi, type OtelApi } from './otel-api.js';
import { OtelRunBridge } from './otel-run-bridge.js';
import type { TelemetryOptions, TracerLike } from './telemetry-options.js';

const TRACER_NAME = 'switchyard-ai';

/**
 * The events spans are made of. Handlers are attached per type, before any of the user's (a run is observed as
 * it is created). Metrics come from the run's own collector, which the engine attaches per type before this
 * observer, so a user's `run.on('node-end', …)` already sees `sy.metrics()` up to date.
 */
const OBSERVED: readonly RunEventType[] = [
  'run-start', 'node-start', 'node-route', 'budget', 'text-delta', 'tool-call', 'node-retry', 'node-fallback',
  'cache-lookup', 'node-end', 'node-skip', 'node-error', 'circuit', 'run-end',
];

interface Telemetry {
  api: OtelApi;
  tracer: TracerLike;
  recordContent: boolean;
}

/**
 * What an instance observes of all its runs: live metrics (`sy.metrics()`) and, when configured, OpenTelemetry
 * spans. `@opentelemetry/api` is loaded only when `telemetry` is given and enabled.
 */
export class InstanceObserver {
  readonly #metrics = new InstanceMetricsBook();
  readonly #telemetry: Telemetry | undefined;
  readonly #families = new Map<string, string>();
  /** The bridge of the run whose attempt started last (prompts are recorded on that attempt). */
  #latest: OtelRunBridge | undefined;

  constructor(providers: readonly Provider[], telemetry?: TelemetryOptions) {
    for (const provider of providers) this.#families.set(provider.name, provider.family);
    if (telemetry && telemetry.enabled !== false) {
      const api = loadOtelApi();
      const tracer = telemetry.tracer ?? (api.trace.getTracer(TRACER_NAME) as TracerLike);
      this.#telemetry = { api, tracer, recordContent: telemetry.recordContent ?? false };
    }
  }

  /**
   * Attaches to a run as it is created (before its first event). `metrics` is the run's own collector: read live
   * by `metrics()` until the run settles, then merged into the instance's figures once.
   */
  readonly onRun = (run: Run, workflow: string, metrics: MetricsCollector, epochT0: number): void => {
    const { end } = this.#metrics.track(metrics, workflow);
    run.result.then(end, end);
    const telemetry = this.#telemetry;
    if (!telemetry) return;
    const bridge = new OtelRunBridge({
      ...telemetry,
      parent: telemetry.api.context.active(),
      base: epochT0,
      workflow,
      families: this.#families,
    });
    const observe = (event: RunEvent) => {
      bridge.observe(event);
      if (event.type === 'budget' && event.phase === 'reserve') this.#latest = bridge;
    };
    for (const type of OBSERVED) run.on(type, observe);
  };

  /** Metrics over every run so far, in-flight runs included. */
  metrics(): InstanceMetrics {
    return this.#metrics.snapshot();
  }

  /**
   * With `recordContent`, wraps the endpoints so each request's prompt is recorded on its attempt span (the
   * provider is called synchronously right after the attempt's reservation event); otherwise returns them as-is.
   */
  wrapProviders(providers: readonly Provider[]): readonly Provider[] {
    if (!this.#telemetry?.recordContent) return providers;
    return providers.map((provider) => withPromptCapture(provider, (call) => this.#latest?.noteInput(call.request)));
  }
}

/** The same endpoint, telling `onCall` about each call before making it. */
function withPromptCapture(provider: Provider, onCall: (call: ProviderCall) => void): Provider {
  const stream = (call: ProviderCall) => {
    onCall(call);
    return provider.stream(call);
  };
  return new Proxy(provider, {
    get(target, key) {
      if (key === 'stream') return stream;
      const value: unknown = Reflect.get(target, key, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}
