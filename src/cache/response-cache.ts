import type { FinishReason, ModelRequest, ToolCall, Usage } from '../models/types.js';
import type { CacheEventPayload } from './cache-events.js';
import type { ResponseCacheOptions, ResponseCacheSetting, RunCacheOptions } from './cache-options.js';
import { cacheKeyOf } from './response-key.js';
import { memoryResponseStore, type CachedResponse, type ResponseCacheStore } from './response-store.js';

const DEFAULT_TTL_MS = 3_600_000;
/** Only complete replies are cached: a reply cut by the length limit or a content filter is not reused. */
const CACHEABLE: ReadonlySet<FinishReason> = new Set(['stop', 'tool-calls']);

/** The instance's response cache: a store and a default time to live. */
export class ResponseCache {
  readonly store: ResponseCacheStore;
  readonly ttlMs: number;

  constructor(options: ResponseCacheOptions = {}, readonly now: () => number = Date.now) {
    this.store = options.store ?? memoryResponseStore();
    this.ttlMs = options.ttlMs ?? DEFAULT_TTL_MS;
  }

  /** Reads an entry; a failing store, an expired entry or one stored for another key or model reads as a miss. */
  async read(key: string, model: string): Promise<CachedResponse | undefined> {
    try {
      const entry = await this.store.get(key);
      if (!entry || entry.key !== key || entry.model !== model || entry.expiresAt <= this.now()) return undefined;
      return entry;
    } catch {
      return undefined;
    }
  }

  /** Writes an entry; a failing store is ignored (the call already succeeded). */
  write(entry: CachedResponse, ttlMs: number): void {
    try {
      void Promise.resolve(this.store.set(entry.key, entry, ttlMs)).catch(() => {});
    } catch {
      // ignored: see above
    }
  }
}

/** What the call runner hands back for a hit: the cached reply in the shape of a finished attempt. */
export interface CachedExchange {
  state: { text: string; reasoning: string; toolCalls: ToolCall[]; finishReason: FinishReason; events: number };
  model: string;
  provider: string;
}

/** A finished call, as the call runner reports it for storing. */
export interface FinishedCall {
  text: string;
  toolCalls: ToolCall[];
  finishReason: FinishReason;
  model: string;
  provider: string;
  usage: Usage;
  costUsd: number;
  /** Attempts sent to a provider for this call (0 when the reply came from the cache). */
  attempts: number;
}

interface Lookup {
  request: ModelRequest;
  ttlMs: number;
  hit: boolean;
}

/** The call's context (one object per call, which keys its lookup) and a way to emit its events. */
export interface CacheCallSite {
  emit(payload: CacheEventPayload): void;
}

/**
 * The response cache as one run sees it: which calls opted in (call setting, else the run's), one lookup per
 * call (keyed by its context object, so a structured-output repair is not looked up again), and storing what
 * the call finally returned under the key of the model that produced it.
 */
export class ResponseCacheScope {
  readonly #calls = new WeakMap<CacheCallSite, Lookup>();

  constructor(
    private readonly cache: ResponseCache | undefined,
    private readonly run: RunCacheOptions | undefined,
  ) {}

  /**
   * Looks the call up when it opted in; on a hit emits `cache-lookup` and the cached text and tool calls. A call
   * that did not opt in gets `undefined` at once, not a promise.
   */
  lookup(
    site: CacheCallSite,
    hint: { response?: ResponseCacheSetting } | undefined,
    request: ModelRequest,
    model: string,
  ): Promise<CachedExchange | undefined> | undefined {
    const setting = hint?.response ?? this.run?.response;
    if (!this.cache || !setting || this.#calls.has(site)) return undefined;
    return this.#read(this.cache, setting, site, request, model);
  }

  async #read(
    cache: ResponseCache,
    setting: ResponseCacheSetting,
    site: CacheCallSite,
    request: ModelRequest,
    model: string,
  ): Promise<CachedExchange | undefined> {
    const ttlMs = typeof setting === 'object' && setting.ttlMs !== undefined ? setting.ttlMs : cache.ttlMs;
    const key = cacheKeyOf(request, model);
    if (key === undefined) return undefined; // nested too deep to key: not cached
    const entry = await cache.read(key, model);
    this.#calls.set(site, { request, ttlMs, hit: entry !== undefined });
    if (!entry) {
      site.emit({ type: 'cache-lookup', hit: false, key, model });
      return undefined;
    }
    const stamp = { model: entry.model, provider: entry.provider };
    const ageMs = Math.max(0, cache.now() - entry.storedAt);
    site.emit({ type: 'cache-lookup', hit: true, key, ageMs, savedUsd: entry.costUsd, ...stamp });
    if (entry.text !== '') site.emit({ type: 'text-delta', text: entry.text, ...stamp });
    for (const toolCall of entry.toolCalls) site.emit({ type: 'tool-call', call: toolCall, ...stamp });
    const events = (entry.text === '' ? 0 : 1) + entry.toolCalls.length;
    return { state: { text: entry.text, reasoning: '', toolCalls: entry.toolCalls, finishReason: entry.finishReason, events }, ...stamp };
  }

  /**
   * Called once the call's reply is final (validated): stores it on a miss; returns `{ cached: true }` when it
   * came from the cache.
   */
  settle(site: CacheCallSite, reply: FinishedCall): { cached?: true } {
    const lookup = this.#calls.get(site);
    if (!lookup || !this.cache) return {};
    // A hit whose reply failed validation (a refinement the JSON Schema cannot carry) was repaired by the model:
    // that reply is stored in its place.
    if (lookup.hit && reply.attempts === 0) return { cached: true };
    if (!CACHEABLE.has(reply.finishReason) || lookup.ttlMs <= 0) return {};
    const key = cacheKeyOf(lookup.request, reply.model);
    if (key === undefined) return {};
    const storedAt = this.cache.now();
    const { attempts: _attempts, ...stored } = reply;
    this.cache.write({ key, ...stored, toolCalls: [...reply.toolCalls], storedAt, expiresAt: storedAt + lookup.ttlMs }, lookup.ttlMs);
    return {};
  }
}
