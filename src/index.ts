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
export type { EndpointOptions, Provider, ProviderCall } from './providers/types.js';
export { workflow } from './workflow/index.js';
export type { Workflow } from './workflow/index.js';
export type { BudgetLimits, CallOptions, CallResult, RouteContext, RouteFunction, ToolDefinition } from './run/call-types.js';
export type {
  BudgetFigures,
  RouteCandidate,
  RunEvent,
  RunEventOf,
  RunEventType,
  RunStatus,
} from './run/events.js';
export type { ModelTotals, NodeResult, NodeStatus, Run, RunError, RunOptions, RunResult } from './run/run-types.js';
