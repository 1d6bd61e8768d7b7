import { abortedError } from './aborted-error.js';
import { systemClock, type Clock } from './clock.js';
import { Semaphore } from './semaphore.js';
import { sleep } from './sleep.js';
import { TokenBucket } from './token-bucket.js';
import type { Cancellable } from './cancellable.js';
import type { SharedEndpointState, SharedRateLimits } from './shared-endpoint-state.js';

/** Client-side limits of one endpoint. */
export interface EndpointLimits {
  /**
   * Most requests started per minute (a token bucket: bursts up to this many, then evenly spaced).
   * @default unlimited
   */
  requestsPerMinute?: number;
  /**
   * Most tokens per minute, counted as each call's estimate (input + maxOutputTokens, as providers count them).
   * @default unlimited
   */
  tokensPerMinute?: number;
  /**
   * Most calls in flight at once.
   * @default unlimited
   */
  maxConcurrency?: number;
}

export interface EndpointGateOptions {
  /** Limits by endpoint name. */
  limits?: Readonly<Record<string, EndpointLimits>>;
  /** @default systemClock */
  clock?: Clock;
  /**
   * Pauses shared with other processes: local pauses are published, and each call first learns the pauses set
   * elsewhere. When it has `take`, requests- and tokens-per-minute limits are counted for all processes together.
   * @default not shared
   */
  shared?: Pick<SharedEndpointState, 'pause' | 'refresh' | 'take'>;
}

/** A pass through the gate: holds a concurrency slot until released (releasing twice releases once). */
export interface GatePass {
  release(): void;
}

const FREE_PASS: GatePass = Object.freeze({ release: () => {} });

interface Lane {
  pausedUntil: number;
  requests?: TokenBucket;
  tokens?: TokenBucket;
  /** The per-minute limits, when any (for the shared limits). */
  rates?: SharedRateLimits;
  slots?: Semaphore;
}

/**
 * What every call to an endpoint passes before its HTTP request: a pause shared by all callers (a Retry-After
 * from one call holds back every call to that endpoint until it passes), client-side requests- and
 * tokens-per-minute limits, and a concurrency limit. Every wait is abortable.
 */
export class EndpointGate {
  private readonly lanes = new Map<string, Lane>();
  private readonly clock: Clock;
  private readonly shared: EndpointGateOptions['shared'];

  constructor(options: EndpointGateOptions = {}) {
    this.clock = options.clock ?? systemClock;
    this.shared = options.shared;
    for (const [endpoint, limits] of Object.entries(options.limits ?? {})) this.configure(endpoint, limits);
  }

  /** Sets (replaces) the limits of an endpoint. Calls already waiting keep the limits they started with. */
  configure(endpoint: string, limits: EndpointLimits): void {
    const lane = this.lane(endpoint);
    lane.requests = limits.requestsPerMinute ? new TokenBucket(limits.requestsPerMinute, 60_000, this.clock) : undefined;
    lane.tokens = limits.tokensPerMinute ? new TokenBucket(limits.tokensPerMinute, 60_000, this.clock) : undefined;
    lane.slots = limits.maxConcurrency ? new Semaphore(limits.maxConcurrency) : undefined;
    const { requestsPerMinute, tokensPerMinute } = limits;
    lane.rates = requestsPerMinute || tokensPerMinute ? { requestsPerMinute, tokensPerMinute } : undefined;
  }

  /** Holds every call to `endpoint` until `at` (`clock.now()` scale). A pause never shortens an earlier, longer one. */
  pauseUntil(endpoint: string, at: number): void {
    const lane = this.lane(endpoint);
    if (at > lane.pausedUntil) this.shared?.pause(endpoint, at);
    lane.pausedUntil = Math.max(lane.pausedUntil, at);
  }

  /** Milliseconds until the endpoint's pause ends (0 when it is not paused). */
  pausedFor(endpoint: string): number {
    return Math.max(0, (this.lanes.get(endpoint)?.pausedUntil ?? 0) - this.clock.now());
  }

  /** Resolves when the endpoint is not paused (a pause set while waiting extends the wait). */
  async wait(endpoint: string, signal?: AbortSignal): Promise<void> {
    for (let ms = this.pausedFor(endpoint); ms > 0; ms = this.pausedFor(endpoint)) await sleep(ms, signal, this.clock);
    if (signal?.aborted) throw abortedError(signal, `endpoint ${endpoint}`);
  }

  /**
   * Waits for a concurrency slot, the end of any pause, and the rate limits (one request and `tokens` tokens),
   * in that order. Release the pass when the call ends. With nothing to wait for or take (no limits, no pause,
   * not aborted) the pass comes back at once, not as a promise; `abort.signal` is only read when there is a wait.
   */
  acquire(endpoint: string, tokens: number, abort?: Cancellable): GatePass | Promise<GatePass> {
    if (!this.shared && !abort?.aborted) {
      const lane = this.lane(endpoint);
      if (!lane.slots && !lane.requests && !lane.tokens && this.pausedFor(endpoint) <= 0) return FREE_PASS;
    }
    return this.waitForPass(endpoint, tokens, abort?.signal);
  }

  private async waitForPass(endpoint: string, tokens: number, signal: AbortSignal | undefined): Promise<GatePass> {
    if (this.shared) await this.shared.refresh(endpoint);
    const lane = this.lane(endpoint);
    const release = lane.slots ? await lane.slots.acquire(signal) : () => {};
    const { requests, tokens: tokenBucket, rates } = lane;
    let tookRequest = false;
    try {
      await this.wait(endpoint, signal);
      // Shared limits (all processes together) replace this process's own, unless they cannot be reached.
      if (!(rates && this.shared?.take && (await this.shared.take(endpoint, rates, tokens, signal)))) {
        await requests?.take(1, signal);
        tookRequest = true;
        await tokenBucket?.take(tokens, signal);
      }
      await this.wait(endpoint, signal);
      return { release };
    } catch (error) {
      if (tookRequest) requests?.refund(1);
      release();
      throw error;
    }
  }

  private lane(endpoint: string): Lane {
    let lane = this.lanes.get(endpoint);
    if (!lane) {
      lane = { pausedUntil: 0 };
      this.lanes.set(endpoint, lane);
    }
    return lane;
  }
}
