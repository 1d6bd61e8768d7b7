export { createSwitchyard } from './switchyard.js';
export type { CallRequest, CallStream, GenerateResult, Switchyard } from './switchyard.js';
export type { SwitchyardOptions } from './switchyard-options.js';
export { SwitchyardError, BudgetExceededError } from './errors/index.js';
export type { BudgetExceededDetails, BudgetLevel, ErrorKind, ProviderErrorKind } from './errors/index.js';
export {
  createCatalog,
  isCatalog,
  defaultCatalog,
  defaultRoutes,
  costOf,
  costBreakdownOf,
  priceTierFor,
  worstCaseCostOf,
  countTokens,
  countTextTokens,
  TASK_KINDS,
} from './models/index.js';
export type {
  Capabilities,
  Catalog,
  CatalogOverrides,
  CostBreakdown,
  FinishReason,
  Message,
  ModelEvent,
  ModelInfo,
  ModelOverride,
  ModelRequest,
  PriceTier,
  Pricing,
  ProviderFamily,
  TaskKind,
  ToolCall,
  Usage,
} from './models/index.js';
export { addUsage, ZERO_USAGE } from './models/usage.js';
export { openai, anthropic, google } from './providers/index.js';
export type { AnthropicProviderOptions, GoogleProviderOptions, MaxTokensField, OpenAIProviderOptions } from './providers/index.js';
export type { EndpointOptions, Provider, ProviderCall } from './providers/types.js';
export { workflow } from './workflow/index.js';
export type {
  ErrorPolicy,
  MapItemOptions,
  NodeDefinition,
  NodeRunOptions,
  Workflow,
  WorkflowBuilder,
  WorkflowConfig,
} from './workflow/index.js';
export type { BudgetLimits, CallOptions, CallResult, RouteContext, RouteFunction, ToolDefinition } from './call/call-types.js';
export { jsonSchema } from './call/tool-parameters.js';
export type { JsonSchemaOptions, JsonSchemaParameters, ToolArgsCheck, ToolParameters } from './call/tool-parameters.js';
export { tool, verifiers, extractCode } from './agents/index.js';
export type {
  AgentStep,
  AgentTool,
  AgentToolRecord,
  AgentTools,
  AgentToolsInput,
  CascadeReport,
  CascadeTier,
  CascadeTierRecord,
  EnsembleCandidate,
  EnsembleCandidateOf,
  EnsembleMember,
  EnsembleMerge,
  EnsembleMergeOptions,
  EnsembleMergeRecord,
  JudgeOptions,
  NodeDetail,
  RunTestsOptions,
  ToolRunOptions,
  ToolSet,
  Verdict,
  Verifier,
  VerifyContext,
  VerifyRound,
} from './agents/index.js';
export { runInSandbox } from './sandbox/index.js';
export type { SandboxEnforcement, SandboxOptions, SandboxResult, SandboxStatus } from './sandbox/index.js';
export type {
  BudgetFigures,
  RouteCandidate,
  RunEvent,
  RunEventOf,
  RunEventType,
  RunStatus,
} from './run/events.js';
export type { ModelTotals, NodeResult, NodeStatus, Run, RunError, RunEventHandler, RunOptions, RunResult } from './run/run-types.js';
export { memoryStore, MemoryCheckpointStore, sqliteStore, SqliteCheckpointStore } from './durable/index.js';
export type {
  CheckpointStatus,
  CheckpointStore,
  ListRunsFilter,
  NodeCheckpoint,
  NodeShape,
  RunCheckpoint,
  RunSummary,
  SpendRecord,
  SqliteStoreOptions,
  StoredRun,
} from './durable/index.js';
export type { ErrorAction, RetryDecider, RetryDecision, RetryOptions, RetryState } from './retry/index.js';
export type { CircuitBreakerOptions, EndpointLimits, RetryBudgetOptions, SharedEndpointState, SharedRateLimits } from './retry/index.js';
export type { BudgetWindow, InstanceLimits } from './budget/index.js';
export type { RouteMode } from './route/index.js';
export { liveProgress, parseTrace, progressLine, readTrace, reportHtml, writeReport, MetricsCollector } from './observe/index.js';
export type {
  InstanceMetrics,
  LatencyStats,
  MetricsSummary,
  NodeCounts,
  ParsedTrace,
  ProgressBudget,
  ProgressStream,
  ReportOptions,
  ResponseCacheStats,
  RunMetrics,
  TelemetryOptions,
  TokenTotals,
  TraceHeader,
  TraceNode,
  TraceRecord,
  TraceTarget,
  TraceWriter,
  TracerLike,
  WrittenReport,
} from './observe/index.js';
export { memoryResponseStore, responseCacheKey } from './cache/index.js';
export type { CachedResponse, CallCacheOptions, ResponseCacheOptions, ResponseCacheSetting, ResponseCacheStore, RunCacheOptions } from './cache/index.js';
