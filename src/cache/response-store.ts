import type { FinishReason, ToolCall, Usage } from '../models/types.js';

/** One cached reply, as a store keeps it (plain JSON data). */
export interface CachedResponse {
  /** The key it was stored under (checked again on read). */
  key: string;
  /** The catalog model that produced it (checked again on read). */
  model: string;
  /** The endpoint that served it. */
  provider: string;
  text: string;
  toolCalls: ToolCall[];
  finishReason: FinishReason;
  /** What the original call consumed and cost (reported as saved on a hit). */
  usage: Usage;
  costUsd: number;
  /** Epoch ms when it was stored. */
  storedAt: number;
  /** Epoch ms after which it must not be served. */
  expiresAt: number;
}

/**
 * Where the response cache keeps replies. Implement it over Redis, a database or a file to share the cache
 * between processes; methods may be synchronous or return promises. A store that fails makes the call go to the
 * model as if the entry were missing (the failure never fails the call).
 */
export interface ResponseCacheStore {
  get(key: string): CachedResponse | undefined | Promise<CachedResponse | undefined>;
  /** Stores `entry`; `ttlMs` is how long it may be served (a store may expire it then). */
  set(key: string, entry: CachedResponse, ttlMs: number): void | Promise<void>;
  delete(key: string): void | Promise<void>;
}

/** Options of `memoryResponseStore`. */
export interface MemoryResponseStoreOptions {
  /**
   * Most entries kept; the least recently used is evicted first.
   * @default 1000
   */
  maxEntries?: number;
  /** The clock, in epoch ms (tests pass a fake one). @default Date.now */
  now?: () => number;
}

/** The in-memory store: least recently used entries evicted past `maxEntries`, expired entries dropped on read. */
export function memoryResponseStore(options: MemoryResponseStoreOptions = {}): ResponseCacheStore & { readonly size: number } {
  const maxEntries = options.maxEntries ?? 1000;
  const now = options.now ?? Date.now;
  const entries = new Map<string, CachedResponse>();
  return {
    get size() {
      return entries.size;
    },
    get(key) {
      const entry = entries.get(key);
      if (!entry) return undefined;
      entries.delete(key);
      if (entry.expiresAt <= now()) return undefined;
      entries.set(key, entry); // most recently used last
      return entry;
    },
    set(key, entry) {
      entries.delete(key);
      entries.set(key, entry);
      while (entries.size > maxEntries) entries.delete(entries.keys().next().value as string);
    },
    delete(key) {
      entries.delete(key);
    },
  };
}
