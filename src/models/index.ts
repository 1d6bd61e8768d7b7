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
  TaskKind,
  TextPart,
  ToolCall,
  ToolSpec,
  Usage,
} from './types.js';
export { createCatalog, isCatalog } from './catalog.js';
export type { Catalog, CatalogOverrides, ModelOverride } from './catalog.js';
export { defaultCatalog } from './default-catalog.js';
export { costBreakdownOf, costOf, priceTierFor, worstCaseCostOf } from './cost.js';
export type { CostBreakdown, ResolvedPrices } from './cost.js';
export { countTextTokens, countTokens, DEFAULT_TOKEN_FACTOR, requestTokenCounter } from './tokens.js';
export type { TokenCountRequest } from './tokens.js';
export { defaultRoutes } from './default-routes.js';
export { TASK_KINDS } from './model-validation.js';
export { textOf } from './content.js';
export { attachmentTokens, MAX_PDF_PAGES, PDF_TEXT_TOKENS_PER_PAGE } from './attachment-tokens.js';
export type { AttachmentInfo, AttachmentSource } from './attachment.js';
