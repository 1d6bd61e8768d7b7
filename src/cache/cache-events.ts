import type { ToolCall } from '../models/types.js';

/** The event a response-cache lookup emits. */
export type CacheLookupPayload = {
  /** A response-cache lookup, for a call that opted in with `cache: { response: true }` (node, call or run). */
  type: 'cache-lookup';
  /** True when the reply was served from the cache: no request was sent and the call cost $0. */
  hit: boolean;
  /** The cache key: a hash of the normalized request, model, tools and output schema (no prompt text). */
  key: string;
  /** On a hit: the age of the cached reply in ms. */
  ageMs?: number;
  /** On a hit: what the cached reply cost when it was made. */
  savedUsd?: number;
};

/** What the response cache emits into a call's stream: the lookup, and on a hit the cached text and tool calls. */
export type CacheEventPayload = (CacheLookupPayload | { type: 'text-delta'; text: string } | { type: 'tool-call'; call: ToolCall }) & {
  attempt?: number;
  model?: string;
  provider?: string;
};
