import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { CircuitChange } from '../retry/circuit-breaker.js';
import type { CircuitBreakers } from '../retry/circuit-breakers.js';
import type { EndpointGate } from '../retry/endpoint-gate.js';
import { abortedError } from '../retry/aborted-error.js';
import type { SharedEndpointState, SharedRateLimits } from '../retry/shared-endpoint-state.js';
import { sleep } from '../retry/sleep.js';
import { TAKE } from './rate-scripts.js';
import { openRedis, type RedisConnection } from './redis-connection.js';

/** Options of `redisShared`. */
export interface RedisSharedOptions {
  /** Where the shared state lives: a `redis://` URL, ioredis options, or an ioredis client (not closed by `close()`). */
  connection: RedisConnection;
  /**
   * Namespace of the keys and channel: processes with the same prefix share endpoint state.
   * @default 'switchyard:endpoints:'
   */
  prefix?: string;
}

/** Endpoint state shared through Redis (see `redisShared`). */
export interface RedisShared extends SharedEndpointState {
  /** Resolves once this process is subscribed to what others publish (after `createSwitchyard` attached it). */
  ready(): Promise<void>;
}

/** A message on the shared channel. `ms` is the pause left when it was sent (clock-skew free). */
type Message =
  | { origin: string; type: 'pause'; endpoint: string; ms: number }
  | { origin: string; type: 'open'; endpoint: string; model: string; reason: string };

/** Sets a pause key unless a longer pause is already there. KEYS: the key. ARGV: ms. */
const PAUSE = `
local left = redis.call('PTTL', KEYS[1])
if left < tonumber(ARGV[1]) then redis.call('SET', KEYS[1], '1', 'PX', ARGV[1]) end
return 1
`;

/**
 * Endpoint state shared through Redis by every process with the same `prefix`: a Retry-After pause in one
 * process holds back every process's calls to that endpoint (a key per endpoint whose time to live is the pause,
 * read before each call, plus pub/sub so waiting calls learn at once), a circuit that opens in one process
 * opens in all (pub/sub; each process then probes after its own cool-down), and the `requestsPerMinute` /
 * `tokensPerMinute` limits of `createSwitchyard({ limits })` count the calls of all processes together (a token
 * bucket per endpoint in Redis, taken atomically by a Lua script; give every process the same limits). Pass it as
 * `createSwitchyard({ shared: redisShared({ connection }) })`.
 *
 * When Redis is unreachable, calls are not refused: each process falls back to its own pauses and circuits
 * (the budget ledger, not this, is what must never be wrong).
 */
export function redisShared(options: RedisSharedOptions): RedisShared {
  return new RedisSharedState(options);
}

class RedisSharedState implements RedisShared {
  readonly #prefix: string;
  readonly #origin = randomUUID();
  readonly #client: Promise<{ client: Redis; owned: boolean }>;
  #subscriber: Promise<Redis> | undefined;
  #gate: EndpointGate | undefined;
  #breakers: CircuitBreakers | undefined;
  /** The latest pause deadline (epoch ms) known per endpoint, so applying a remote pause does not echo it. */
  readonly #known = new Map<string, number>();
  #applying = false;
  #closed = false;

  constructor(options: RedisSharedOptions) {
    this.#prefix = options.prefix ?? 'switchyard:endpoints:';
    this.#client = openRedis(options.connection, 'redisShared');
    this.#client.catch(() => {});
  }

  get #channel(): string {
    return `${this.#prefix}events`;
  }

  attach(local: { gate: EndpointGate; breakers: CircuitBreakers }): void {
    this.#gate = local.gate;
    this.#breakers = local.breakers;
    this.#subscriber ??= this.#subscribe();
    this.#subscriber.catch(() => {});
  }

  /** Resolves once this process receives what others publish (useful before the first call in tests). */
  async ready(): Promise<void> {
    await this.#subscriber;
  }

  pause(endpoint: string, until: number): void {
    if (until <= (this.#known.get(endpoint) ?? 0)) return;
    this.#known.set(endpoint, until);
    const ms = Math.ceil(until - Date.now());
    if (ms <= 0) return;
    void this.#client
      .then(async ({ client }) => {
        await client.eval(PAUSE, 1, this.#pauseKey(endpoint), ms);
        await client.publish(this.#channel, JSON.stringify({ origin: this.#origin, type: 'pause', endpoint, ms } satisfies Message));
      })
      .catch(() => {});
  }

  async refresh(endpoint: string): Promise<void> {
    try {
      const { client } = await this.#client;
      const left = await client.pttl(this.#pauseKey(endpoint));
      if (left > 0) this.#applyPause(endpoint, Date.now() + left);
    } catch {
      // Redis is away: this process keeps its own view of the endpoint.
    }
  }

  async take(endpoint: string, limits: SharedRateLimits, tokens: number, signal?: AbortSignal): Promise<boolean> {
    const keys = [this.#rateKey(endpoint, 'requests'), this.#rateKey(endpoint, 'tokens')];
    const args = [limits.requestsPerMinute ?? 0, limits.tokensPerMinute ?? 0, Math.max(0, Math.ceil(tokens)), 60_000];
    for (;;) {
      if (signal?.aborted) throw abortedError(signal, `the shared rate limits of ${endpoint}`);
      let waitMs: number;
      try {
        const { client } = await this.#client;
        waitMs = Number(await client.eval(TAKE, 2, ...keys, ...args));
      } catch {
        return false; // Redis is away: this process applies the limits on its own.
      }
      if (!(waitMs > 0)) return true;
      // Every waiting process asks again when the buckets should fit; a little jitter spreads the askers out.
      await sleep(waitMs + Math.floor(Math.random() * Math.min(50, 1 + waitMs / 4)), signal);
    }
  }

  circuitChanged(change: CircuitChange): void {
    if (this.#applying || change.to !== 'open') return;
    const message: Message = { origin: this.#origin, type: 'open', endpoint: change.endpoint, model: change.model, reason: change.reason };
    void this.#client.then(({ client }) => client.publish(this.#channel, JSON.stringify(message))).catch(() => {});
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const subscriber = await this.#subscriber?.catch(() => undefined);
    subscriber?.disconnect();
    const { client, owned } = await this.#client;
    if (owned) await client.quit().catch(() => client.disconnect());
  }

  async #subscribe(): Promise<Redis> {
    const { client } = await this.#client;
    const subscriber = client.duplicate();
    subscriber.on('error', () => {});
    subscriber.on('message', (_channel: string, text: string) => this.#receive(text));
    await subscriber.subscribe(this.#channel);
    return subscriber;
  }

  #receive(text: string): void {
    let message: Message;
    try {
      message = JSON.parse(text) as Message;
    } catch {
      return;
    }
    if (message.origin === this.#origin) return;
    if (message.type === 'pause') this.#applyPause(message.endpoint, Date.now() + message.ms);
    else this.#applyOpen(message.endpoint, message.model, message.reason);
  }

  #applyPause(endpoint: string, until: number): void {
    if (until <= (this.#known.get(endpoint) ?? 0)) return;
    this.#known.set(endpoint, until);
    this.#gate?.pauseUntil(endpoint, until);
  }

  #applyOpen(endpoint: string, model: string, reason: string): void {
    if (!this.#breakers) return;
    this.#applying = true;
    try {
      this.#breakers.get(endpoint, model).trip(`another process opened it: ${reason}`);
    } finally {
      this.#applying = false;
    }
  }

  #rateKey(endpoint: string, unit: 'requests' | 'tokens'): string {
    return `${this.#prefix}rate:${endpoint}:${unit}`;
  }

  #pauseKey(endpoint: string): string {
    return `${this.#prefix}pause:${endpoint}`;
  }
}
