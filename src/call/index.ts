export { CallRunner } from './call-runner.js';
export type { CallEvent, CallEventPayload } from './call-events.js';
export type {
  CallOptions,
  CallSpec,
  CallResult,
  CallContext,
  BudgetLimits,
  ToolDefinition,
  RouteContext,
  RouteFunction,
} from './call-types.js';
export type { SwitchyardEnv } from './call-env.js';
export type { RunScope, RunScopeOptions } from './run-scope.js';
