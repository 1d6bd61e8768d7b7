export type { CallCacheOptions, ResponseCacheOptions, ResponseCacheSetting, RunCacheOptions } from './cache-options.js';
export { memoryResponseStore } from './response-store.js';
export type { CachedResponse, MemoryResponseStoreOptions, ResponseCacheStore } from './response-store.js';
export { responseCacheKey } from './response-key.js';
export { minCacheableTokens, planBreakpoints } from '../providers/anthropic-breakpoints.js';
export type { BreakpointPlan } from '../providers/anthropic-breakpoints.js';
