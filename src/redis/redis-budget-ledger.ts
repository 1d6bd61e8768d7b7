import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type {
  BudgetAmount,
  BudgetLedger,
  BudgetScope,
  InstanceLimits,
  ReserveRequest,
  ReserveResult,
  ScopeLimits,
  SettleResult,
} from '../budget/budget-ledger.js';
import { checkBudgetLimits } from '../budget/budget-limits.js';
import { windowLengthMs } from '../budget/budget-window.js';
import { fromNano, nanoDown, nanoUp } from '../budget/nano-usd.js';
import { BudgetExceededError, type BudgetLevel } from '../errors/budget-exceeded-error.js';
import { SwitchyardError } from '../errors/switchyard-error.js';
import type { BudgetFigures } from '../budget/budget-figures.js';
import { DROP, FIGURES, RENEW, RESERVE, SETTLE } from './ledger-scripts.js';
import { openRedis, viaRedis, type RedisConnection } from './redis-connection.js';
import { closedScope, RedisScope, toFigures } from './redis-scope.js';

/** Options of `RedisBudgetLedger`. */
export interface RedisBudgetLedgerOptions {
  /** Where the ledger lives: a `redis://` URL, ioredis options, or an ioredis client (not closed by `close()`). */
  connection: RedisConnection;
  /**
   * Limits of the instance scope, shared by every process that uses the same `prefix`. Every process should pass
   * the same limits (each checks against the limits it was given). With a `window`, spend is counted per window
   * (by Redis's clock) as in the in-memory ledger: it resets when a window rolls over, holds carry over.
   * @default unlimited
   */
  limits?: InstanceLimits;
  /**
   * Namespace of the ledger's keys: processes with the same prefix share one budget.
   * @default 'switchyard:budget:'
   */
  prefix?: string;
  /**
   * How long a reservation stays held without its holder renewing it. The ledger renews its holds every
   * `leaseMs / 3` while the process lives; when the process dies, its holds return after at most `leaseMs`.
   * @default 30_000
   */
  leaseMs?: number;
  /**
   * How long run and node scope figures stay in Redis after their last reservation.
   * @default 7 days
   */
  scopeTtlMs?: number;
}

/**
 * A budget ledger in Redis, shared by every process that uses the same `prefix`: reserve, settle and release are
 * single Lua scripts, so `spent + reserved <= limit` holds at every level however many processes reserve at once.
 * Reservations carry a lease, renewed while the holder lives; a crashed holder's reservations return after the
 * lease. Redis failures reject with kind 'store_unavailable': no reservation, no call.
 */
export class RedisBudgetLedger implements BudgetLedger {
  readonly root: BudgetScope;
  /** Spend lives in Redis: a resumed run's earlier spend is already counted there. */
  readonly persistent = true;
  readonly #prefix: string;
  readonly #leaseMs: number;
  readonly #ttlMs: number;
  readonly #client: Promise<{ client: Redis; owned: boolean }>;
  readonly #scopes = new WeakSet<RedisScope>();
  readonly #holders = new Map<string, RedisScope>();
  /** The instance window's length in ms (0: no window). */
  readonly #windowMs: number;
  #renewTimer: ReturnType<typeof setInterval> | undefined;

  constructor(options: RedisBudgetLedgerOptions) {
    checkBudgetLimits(options.limits, 'instance'); // before a connection is opened
    const window = options.limits?.window;
    this.#windowMs = window === undefined ? 0 : windowLengthMs(window);
    this.#prefix = options.prefix ?? 'switchyard:budget:';
    this.#leaseMs = options.leaseMs ?? 30_000;
    this.#ttlMs = options.scopeTtlMs ?? 7 * 24 * 3600_000;
    this.#client = openRedis(options.connection, 'RedisBudgetLedger');
    this.#client.catch(() => {});
    const limits = options.limits ?? {};
    this.root = this.#open('instance', 'instance', undefined, limits);
  }

  /**
   * Opens a child scope. A run scope opened with a `key` (switchyard passes the run's id) is the same scope in
   * every process that shares the ledger: the nodes of one run, on any number of workers, reserve under one run
   * budget. Its figures stay in Redis for `scopeTtlMs` after its last reservation.
   */
  scope(parent: BudgetScope, level: BudgetLevel, limits: ScopeLimits = {}, key?: string): BudgetScope {
    const owner = this.#own(parent);
    if (owner.closed) throw closedScope(owner);
    const name = key === undefined ? randomUUID() : encodeURIComponent(key);
    const id = level === 'run' ? `run:${name}` : `${owner.id}/${level[0]}:${randomUUID().slice(0, 8)}`;
    return this.#open(id, level, owner, limits);
  }

  async reserve(request: ReserveRequest): Promise<ReserveResult> {
    const scope = this.#own(request.scope);
    if (scope.closed) throw closedScope(scope);
    const n = nanoUp(request.usd);
    const t = Math.ceil(request.tokens);
    const chain = scope.chain();
    const id = randomUUID();
    const args = [this.#prefix, id, n, t, this.#leaseMs, this.#ttlMs, this.#windowMs];
    for (const level of chain) args.push(level.limitNano ?? -1, level.limitTokens ?? -1);
    const reply = (await this.#eval('reserve budget', RESERVE, chain.map((s) => this.#key(s)), args)) as Array<number | string>;
    if (reply[0] === 0) {
      const level = chain[Number(reply[1]) - 1]!;
      const usd = reply[2] === 'usd';
      const [spent, reserved] = [Number(reply[3]), Number(reply[4])];
      return {
        ok: false,
        error: new BudgetExceededError({
          level: level.level,
          unit: usd ? 'usd' : 'tokens',
          limit: usd ? fromNano(level.limitNano!) : level.limitTokens!,
          spent: usd ? fromNano(spent) : spent,
          reserved: usd ? fromNano(reserved) : reserved,
          requested: usd ? fromNano(n) : t,
          model: request.model,
          provider: request.provider,
        }),
      };
    }
    scope.held.add(id);
    this.#holders.set(id, scope);
    this.#startRenewing();
    return { ok: true, reservation: { id, usd: fromNano(n), tokens: t, levels: this.#remember(chain, reply.slice(1) as number[]) } };
  }

  settle(reservationId: string, actual: BudgetAmount): Promise<SettleResult> {
    return this.#finish(reservationId, nanoUp(actual.usd), Math.ceil(actual.tokens));
  }

  release(reservationId: string): Promise<SettleResult> {
    return this.#finish(reservationId, 0, 0);
  }

  snapshot(scope: BudgetScope = this.root): BudgetFigures[] {
    return this.#own(scope).chain().map((s) => s.figures);
  }

  /** Reads the current figures of a scope's chain from Redis (what `snapshot` answers from memory). */
  async refresh(scope: BudgetScope = this.root): Promise<BudgetFigures[]> {
    const chain = this.#own(scope).chain();
    const reply = (await this.#eval('read budget figures', FIGURES, chain.map((s) => this.#key(s)), [this.#windowMs])) as number[];
    return this.#remember(chain, reply);
  }

  /** Stops renewing leases and closes the connection switchyard opened (not one you passed in). */
  async close(): Promise<void> {
    if (this.#renewTimer) clearInterval(this.#renewTimer);
    this.#renewTimer = undefined;
    const { client, owned } = await this.#client;
    if (owned) await client.quit().catch(() => client.disconnect());
  }

  async #finish(id: string, n: number, t: number): Promise<SettleResult> {
    const scope = this.#holders.get(id);
    this.#holders.delete(id);
    scope?.held.delete(id);
    const reply = (await this.#eval('settle budget', SETTLE, [], [this.#prefix, id, n, t])) as number[];
    if (reply[0] === 0) return { id, applied: false, chargedUsd: 0, chargedTokens: 0, levels: [] };
    const levels = scope ? this.#remember(scope.chain(), reply.slice(1)) : [];
    return { id, applied: true, chargedUsd: fromNano(n), chargedTokens: t, levels };
  }

  #open(id: string, level: BudgetLevel, parent: RedisScope | undefined, limits: ScopeLimits): RedisScope {
    checkBudgetLimits(limits, level);
    const limitNano = limits.usd === undefined ? undefined : nanoDown(limits.usd);
    const limitTokens = limits.tokens === undefined ? undefined : Math.floor(limits.tokens);
    const scope = new RedisScope(id, level, parent, limitNano, limitTokens, (s) => this.#closeScope(s));
    this.#scopes.add(scope);
    parent?.children.add(scope);
    return scope;
  }

  async #closeScope(scope: RedisScope): Promise<void> {
    const ids: string[] = [];
    const visit = (s: RedisScope) => {
      for (const id of s.held) {
        ids.push(id);
        this.#holders.delete(id);
      }
      s.held.clear();
      for (const child of s.children) visit(child);
    };
    visit(scope);
    scope.parent?.children.delete(scope);
    if (ids.length > 0) await this.#eval('release budget of a closed scope', DROP, [], [this.#prefix, ...ids]);
  }

  #startRenewing(): void {
    if (this.#renewTimer) return;
    this.#renewTimer = setInterval(() => {
      const ids = [...this.#holders.keys()];
      if (ids.length === 0) {
        clearInterval(this.#renewTimer);
        this.#renewTimer = undefined;
        return;
      }
      // A failed renewal is retried at the next tick; if Redis stays away, the lease ends and the hold returns.
      this.#eval('renew leases', RENEW, [], [this.#prefix, this.#leaseMs, ...ids]).catch(() => {});
    }, Math.max(50, Math.floor(this.#leaseMs / 3)));
    this.#renewTimer.unref?.();
  }

  #remember(chain: RedisScope[], flat: number[]): BudgetFigures[] {
    return chain.map((scope, i) => (scope.figures = toFigures(scope, flat.slice(i * 4, i * 4 + 4).map(Number))));
  }

  #key(scope: RedisScope): string {
    return `${this.#prefix}scope:${scope.id}`;
  }

  async #eval(what: string, script: string, keys: string[], args: Array<string | number>): Promise<unknown> {
    return viaRedis(what, async () => {
      const { client } = await this.#client;
      return client.eval(script, keys.length, ...keys, ...args);
    });
  }

  #own(scope: BudgetScope): RedisScope {
    if (scope instanceof RedisScope && this.#scopes.has(scope)) return scope;
    throw new SwitchyardError({
      kind: 'invalid_request',
      message: `Budget scope ${scope.id} does not belong to this ledger; open scopes with ledger.scope(parent, level, limits).`,
    });
  }
}
