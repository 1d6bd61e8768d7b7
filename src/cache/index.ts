export type { CallCacheOptions, ResponseCacheOptions, ResponseCacheSetting, RunCacheOptions } from './cache-options.js';
export { memoryResponseStore } from './response-store.js';
export type { CachedResponse, MemoryResponseStoreOptions, ResponseCacheStore } from './response-store.js';
export { responseCacheKey } from './response-key.js';
export { minCacheableTokens, planBreakpoints } from './anthropic-breakpoints.js';
export type { BreakpointPlan } from './anthropic-breakpoints.js';
