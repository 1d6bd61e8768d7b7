export { createSwitchyard } from './switchyard.js';
export type { CallRequest, CallStream, GenerateResult, ResumeOptions, Switchyard } from './switchyard.js';
export type { SwitchyardOptions } from './switchyard-options.js';
export { SwitchyardError, BudgetExceededError } from './errors/index.js';
export type { BudgetExceededDetails, BudgetLevel, ErrorKind, ProviderErrorKind } from './errors/index.js';
export {
  createCatalog,
  isCatalog,
  defaultCatalog,
  defaultRoutes,
  defaultReasoning,
  REASONING_EFFORTS,
  costOf,
  costBreakdownOf,
  priceTierFor,
  worstCaseCostOf,
  countTokens,
  countTextTokens,
  inputTokenBound,
  inputTokenEstimate,
  TASK_KINDS,
  textOf,
  attachmentTokens,
} from './models/index.js';
export type {
  AttachmentData,
  AttachmentInfo,
  AttachmentSource,
  Capabilities,
  Catalog,
  CatalogOverrides,
  ContentPart,
  CostBreakdown,
  FilePart,
  FinishReason,
  ImagePart,
  Message,
  MessageContent,
  ModelEvent,
  ModelInfo,
  ModelOverride,
  ModelRequest,
  PriceTier,
  Pricing,
  ProviderFamily,
  ProviderFileRef,
  ProviderState,
  ReasoningEffort,
  ReasoningOptions,
  TaskKind,
  TextPart,
  ToolCall,
  Usage,
  WireApi,
} from './models/index.js';
export { addUsage, ZERO_USAGE } from './models/usage.js';
export { openai, anthropic, google } from './providers/index.js';
export type {
  AnthropicProviderOptions,
  GoogleProviderOptions,
  MaxTokensField,
  OpenAIApi,
  OpenAIProviderOptions,
  ReasoningSummary,
} from './providers/index.js';
export type { EndpointOptions, Provider, ProviderCall } from './providers/types.js';
export { workflow } from './workflow/index.js';
export type {
  AnswersOf,
  ApprovalNodeSpec,
  BranchNodeSpec,
  ErrorPolicy,
  LoopInputOptions,
  LoopNodeSpec,
  MapItemOptions,
  NodeDefinition,
  NodeRunOptions,
  OutputsOf,
  WhenMatch,
  Workflow,
  WorkflowBuilder,
  WorkflowConfig,
  WorkflowNodeSpec,
} from './workflow/index.js';
export type { BudgetLimits, CallOptions, CallResult, OutputCap, RouteContext, RouteFunction, ToolDefinition } from './call/call-types.js';
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
  StepLog,
  ToolApprovalAnswer,
  ToolDecision,
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
  RouteSkip,
  RunEvent,
  RunEventOf,
  RunEventType,
  RunStatus,
  WaitingEntry,
} from './run/events.js';
export type { FlowDetail, LoopIteration } from './run/flow-detail.js';
export type {
  CancelledRunResult,
  FailedRunResult,
  ModelTotals,
  NodeResult,
  NodeStatus,
  PartialOutputs,
  Run,
  RunError,
  RunEventHandler,
  RunOptions,
  RunResult,
  RunResultBase,
  SucceededRunResult,
  WaitingRunResult,
} from './run/run-types.js';
export { memoryStore, MemoryCheckpointStore, sqliteStore, SqliteCheckpointStore } from './durable/index.js';
export type {
  CheckpointStatus,
  CheckpointStore,
  HoldRecord,
  ListRunsFilter,
  NodeCheckpoint,
  NodeShape,
  RunCheckpoint,
  RunSummary,
  SpendRecord,
  SqliteStoreOptions,
  StepCheckpoint,
  StoredRun,
  StoredWaiting,
} from './durable/index.js';
export type { ErrorAction, RetryDecider, RetryDecision, RetryOptions, RetryState } from './retry/index.js';
export type { CircuitBreakerOptions, EndpointLimits, RetryBudgetOptions, SharedEndpointState, SharedRateLimits } from './retry/index.js';
export type { Clock } from './retry/index.js';
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
