import type { ResponseCacheStore } from './response-store.js';

/** Response caching for one call, node or run: `true`, `false`, or `true` with its own time to live. */
export type ResponseCacheSetting = boolean | { ttlMs?: number };

/**
 * Caching hints of one call or node (`cache` in `.llm`, `.map` items, `sy.generate`, `sy.stream`).
 * @example { response: true }                         // serve identical requests from the response cache
 * @example { key: 'support-faq', breakpoints: 'off' }  // group OpenAI prefix caching; no Anthropic breakpoints
 */
export interface CallCacheOptions {
  /**
   * Groups requests that share a long prefix so the provider routes them to the same cache: sent as OpenAI's
   * `prompt_cache_key`; other providers ignore it.
   */
  key?: string;
  /**
   * Anthropic prompt-cache breakpoints (`cache_control`): `'auto'` marks the stable prefixes — the tools, the
   * system prompt, and the conversation before the last message (put a long shared document in its own message
   * or in `system`) — when the prefix is long enough for the model to cache it; `'off'` sends none. OpenAI and
   * Gemini cache prefixes on their own and need no breakpoints.
   * @default 'auto'
   */
  breakpoints?: 'auto' | 'off';
  /**
   * Serve this call from the response cache when an identical request (same messages, system prompt, model,
   * tools, output schema and settings) was answered before and has not expired; a hit costs $0 and sends no
   * request. `{ ttlMs }` overrides the cache's time to live. Overrides the run's `cache.response`.
   * @default the run's setting, else false
   */
  response?: ResponseCacheSetting;
}

/** Caching options of a run (`sy.run(wf, input, { cache })`): defaults for its calls. */
export interface RunCacheOptions {
  /**
   * Response caching for every model call of the run whose node does not say otherwise.
   * @default false
   */
  response?: ResponseCacheSetting;
}

/** The response cache of an instance (`createSwitchyard({ responseCache })`). */
export interface ResponseCacheOptions {
  /**
   * Where cached replies live.
   * @default an in-memory store of 1,000 entries (least recently used evicted first)
   */
  store?: ResponseCacheStore;
  /**
   * How long a cached reply may be served.
   * @default 3_600_000 (one hour)
   */
  ttlMs?: number;
}
