export { startRun } from './engine.js';
export type { Run, RunOptions, RunResult, NodeResult, NodeStatus, ModelTotals, RunError, RunEventHandler } from './run-types.js';
export type {
  RunEvent,
  RunEventBase,
  RunEventPayload,
  RunEventType,
  RunEventOf,
  RunStatus,
  BudgetFigures,
  RouteCandidate,
} from './events.js';
export type {
  CallOptions,
  CallSpec,
  CallResult,
  CallContext,
  CallEventPayload,
  BudgetLimits,
  ToolDefinition,
  RouteContext,
  RouteFunction,
} from './call-types.js';
export type { EngineHost, RunScope, RunScopeOptions } from './run-scope.js';
export { errorToJSON } from './error-json.js';
export type { SwitchyardErrorJSON } from './error-json.js';
