import type { CircuitBreakers } from './circuit-breakers.js';
import type { CircuitChange } from './circuit-breaker.js';
import type { EndpointGate, EndpointLimits } from './endpoint-gate.js';

/** The rate limits of one endpoint that processes share. */
export type SharedRateLimits = Pick<EndpointLimits, 'requestsPerMinute' | 'tokensPerMinute'>;

/**
 * Endpoint state shared with other processes (e.g. `redisShared()` from 'switchyard-ai/redis'): a Retry-After pause
 * or an opened circuit in one process holds back every process. Passed as `createSwitchyard({ shared })`.
 */
export interface SharedEndpointState {
  /** Connects this instance's gate and breakers, so pauses and opens from elsewhere reach them (called once). */
  attach(local: { gate: EndpointGate; breakers: CircuitBreakers }): void;
  /** A pause set in this process (a Retry-After) until `until` (epoch ms): share it. Never throws. */
  pause(endpoint: string, until: number): void;
  /** Before a call passes the gate: learn the endpoint's pause set elsewhere. Never rejects. */
  refresh(endpoint: string): Promise<void>;
  /**
   * Takes one request and `tokens` tokens from the endpoint's rate limits shared by every process (per minute, as
   * in `EndpointLimits`), waiting (abortably) until they are there. Resolves false when the shared limits cannot
   * be reached (the gate then applies its own limits in this process). Optional: without it, limits are per process.
   */
  take?(endpoint: string, limits: SharedRateLimits, tokens: number, signal?: AbortSignal): Promise<boolean>;
  /** A circuit change in this process: share it (opens only). Never throws. */
  circuitChanged(change: CircuitChange): void;
  /** Closes the connections it opened. */
  close(): Promise<void>;
}
