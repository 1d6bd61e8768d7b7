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
  OutputCap,
} from './call-types.js';
export { DEFAULT_MIN_OUTPUT_TOKENS } from './output-cap.js';
export type { SwitchyardEnv } from './call-env.js';
export type { RunScope, RunScopeOptions } from './run-scope.js';
export { jsonSchema, isJsonSchemaParameters, isToolParameters, checkToolArgs } from './tool-parameters.js';
export type { JsonSchemaOptions, JsonSchemaParameters, ToolArgsCheck, ToolArgsOf, ToolParameters } from './tool-parameters.js';
