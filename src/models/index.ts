export type {
  AttachmentData,
  Capabilities,
  ContentPart,
  FilePart,
  FinishReason,
  ImagePart,
  Message,
  MessageContent,
  ModelEvent,
  ModelInfo,
  ModelRequest,
  OutputSpec,
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
export { textOf } from './content.js';
export { attachmentTokens, MAX_PDF_PAGES, PDF_TEXT_TOKENS_PER_PAGE } from './attachment-tokens.js';
export type { AttachmentInfo, AttachmentSource } from './attachment.js';
