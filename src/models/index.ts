export type {
  Capabilities,
  FinishReason,
  Message,
  ModelEvent,
  ModelInfo,
  ModelRequest,
  OutputSpec,
  PriceTier,
  Pricing,
  ProviderFamily,
  ProviderState,
  ReasoningEffort,
  ReasoningOptions,
  TaskKind,
  ToolCall,
  ToolSpec,
  Usage,
  WireApi,
} from './types.js';
export { createCatalog, isCatalog } from './catalog.js';
export type { Catalog, CatalogOverrides, ModelOverride } from './catalog.js';
export { defaultCatalog } from './default-catalog.js';
export { costBreakdownOf, costOf, priceTierFor, worstCaseCostOf } from './cost.js';
export type { CostBreakdown, ResolvedPrices } from './cost.js';
export { countTextTokens, countTokens, countedExactly, DEFAULT_TOKEN_FACTOR } from './tokens.js';
export { inputTokenBound, inputTokenEstimate } from './token-bound.js';
export type { TokenCountRequest } from './token-bound.js';
export { RequestTokens } from './request-tokens.js';
export { o200kLoaded } from './o200k.js';
export { defaultRoutes } from './default-routes.js';
export { defaultReasoning } from './default-reasoning.js';
export { REASONING_EFFORTS } from './reasoning.js';
export { TASK_KINDS } from './model-validation.js';
