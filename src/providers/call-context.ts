import type { ProviderFamily } from '../models/types.js';

/** What an adapter knows about one call, for error messages and cancellation. */
export interface CallContext {
  /** Endpoint name (e.g. 'openai', 'hub'). */
  provider: string;
  family: ProviderFamily;
  /** Catalog model id. */
  model: string;
  /** The model id sent on the wire. */
  wireModel: string;
  /** Where requests go, for "not found" messages. */
  baseURL: string;
  /** The environment variable the key defaults from, for "check your key" messages. */
  envVar: string;
  /** Strings that must never appear in an error (the API key). */
  secrets: readonly string[];
  /** Aborts the HTTP request: fires when the caller aborts or the consumer stops reading. */
  signal: AbortSignal;
  /** True once the caller (not our own cleanup) aborted. */
  callerAborted(): boolean;
}
