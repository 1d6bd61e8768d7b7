import type { RunScope, RunScopeOptions } from '../call/run-scope.js';
import type { MetricsCollector } from '../observe/metrics-collector.js';
import type { Run } from './run-types.js';

/** The dependency the engine is given by `createSwitchyard`. */
export interface EngineHost {
  openRun(options: RunScopeOptions): RunScope;
  /**
   * Called with every run as it is created, before its first event (the instance's metrics and telemetry attach
   * here); `metrics` is the run's own collector (behind `run.result.metrics`), already attached; `epochT0` is when
   * the run began on its clock (epoch ms; an event's `t` is ms since then).
   */
  onRun?(run: Run, workflow: string, metrics: MetricsCollector, epochT0: number): void;
}
