export { MetricsCollector } from './metrics-collector.js';
export type { MetricsCollectorOptions } from './metrics-collector.js';
export type {
  InstanceMetrics,
  LatencyStats,
  MetricsSummary,
  NodeCounts,
  ResponseCacheStats,
  RunMetrics,
  TokenTotals,
} from './metrics-types.js';
export { JsonlTraceFile } from './jsonl-trace-file.js';
export { parseTrace, readTrace } from './read-trace.js';
export type { ParsedTrace } from './read-trace.js';
export type { TraceHeader, TraceNode, TraceRecord, TraceTarget, TraceWriter } from './trace-types.js';
export type { TelemetryOptions, TracerLike } from './telemetry-options.js';
export { liveProgress, progressLine } from './progress-line.js';
export type { ProgressBudget, ProgressStream } from './progress-line.js';
export { reportHtml, writeReport } from './report/index.js';
export type { ReportOptions, WrittenReport } from './report/index.js';
