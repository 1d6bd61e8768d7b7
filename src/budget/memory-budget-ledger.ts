import { BudgetExceededError, type BudgetExceededDetails, type BudgetLevel } from '../errors/budget-exceeded-error.js';
import { SwitchyardError } from '../errors/switchyard-error.js';
import type { BudgetFigures } from './budget-figures.js';
import type {
  BudgetAmount,
  BudgetLedger,
  BudgetScope,
  FittedOutput,
  InstanceLimits,
  OutputFitSpec,
  Reservation,
  ReserveRequest,
  ReserveResult,
  ScopeLimits,
  SettleResult,
} from './budget-ledger.js';
import { fromNano, nanoUp } from './nano-usd.js';
import { ScopeAccount, type Held } from './scope-account.js';
import { checkFitSpec, fitOutputTokens } from './fit-output.js';

export interface MemoryBudgetLedgerOptions {
  /**
   * Limits of the instance scope, shared by every run.
   * @default unlimited
   */
  limits?: InstanceLimits;
  /**
   * Clock for spend windows (ms since the epoch).
   * @default Date.now
   */
  now?: () => number;
}

interface HoldRecord {
  account: ScopeAccount;
  amount: Held;
  /** 'closed': its scope closed and returned the hold; a late settle still charges what was consumed. */
  state: 'held' | 'closed';
}

const NOTHING: Held = { nano: 0, tokens: 0 };

/**
 * The default ledger: one process, synchronous inside. `reserve` checks every level and holds at every level
 * with no `await` in between, so concurrent callers in one process can never both pass a check that only one
 * of them fits.
 */
export class MemoryBudgetLedger implements BudgetLedger {
  readonly root: BudgetScope;
  private readonly accounts = new WeakSet<ScopeAccount>();
  private readonly records = new Map<string, HoldRecord>();
  private readonly now: () => number;
  private nextId = 0;

  constructor(options: MemoryBudgetLedgerOptions = {}) {
    this.now = options.now ?? Date.now;
    this.root = this.open('instance', undefined, options.limits ?? {});
  }

  scope(parent: BudgetScope, level: BudgetLevel, limits: ScopeLimits = {}): BudgetScope {
    const account = this.accountOf(parent);
    if (account.closed) throw closedScope(account);
    return this.open(level, account, { usd: limits.usd, tokens: limits.tokens });
  }

  reserve(request: ReserveRequest): ReserveResult {
    const account = this.accountOf(request.scope);
    if (account.closed) throw closedScope(account);
    const chain = this.rolledChain(account);
    // The fit reads the figures and the hold below changes them with no await in between: siblings in this
    // process fit against each other's holds.
    const fit = request.fitOutput ? fitOnChain(chain, toHeld(request, 'reserve'), request.fitOutput) : undefined;
    if (fit && !fit.ok) return refused(chain[fit.index]!.refusal(fit.requested)!, request);
    const amount = fit ? fit.amount : toHeld(request, 'reserve');
    for (const level of chain) {
      const refusal = level.refusal(amount);
      if (refusal) return refused(refusal, request);
    }
    for (const level of chain) level.hold(amount);
    const id = `${account.id}:r${++this.nextId}`;
    this.records.set(id, { account, amount, state: 'held' });
    account.held.add(id);
    const reservation: Reservation = { id, usd: fromNano(amount.nano), tokens: amount.tokens, levels: chain.map((a) => a.figures()) };
    if (fit) reservation.fitted = fit.fitted;
    return { ok: true, reservation };
  }

  settle(reservationId: string, actual: BudgetAmount): SettleResult {
    return this.finish(reservationId, toHeld(actual, 'settle'));
  }

  release(reservationId: string): SettleResult {
    return this.finish(reservationId, NOTHING);
  }

  snapshot(scope: BudgetScope = this.root): BudgetFigures[] {
    return this.rolledChain(this.accountOf(scope)).map((a) => a.figures());
  }

  private open(level: BudgetLevel, parent: ScopeAccount | undefined, limits: InstanceLimits): ScopeAccount {
    const id = parent ? `${parent.id}/${level[0]}${++this.nextId}` : 'instance';
    const account = new ScopeAccount(id, level, parent, limits, (a) => this.closeAccount(a));
    account.roll(this.now());
    this.accounts.add(account);
    parent?.children.add(account);
    return account;
  }

  private finish(id: string, charge: Held): SettleResult {
    const record = this.records.get(id);
    if (!record) return { id, applied: false, chargedUsd: 0, chargedTokens: 0, levels: [] };
    this.records.delete(id);
    record.account.held.delete(id);
    const chain = this.rolledChain(record.account);
    for (const level of chain) {
      if (record.state === 'held') level.unhold(record.amount);
      level.charge(charge);
    }
    return {
      id,
      applied: true,
      chargedUsd: fromNano(charge.nano),
      chargedTokens: charge.tokens,
      levels: chain.map((a) => a.figures()),
    };
  }

  /** Returns every hold of the scope and its descendants; the records stay so a late settle is charged. */
  private closeAccount(account: ScopeAccount): void {
    for (const child of [...account.children]) child.close();
    for (const id of account.held) {
      const record = this.records.get(id);
      if (record?.state !== 'held') continue;
      for (const level of account.chain()) level.unhold(record.amount);
      record.state = 'closed';
    }
    account.held.clear();
    account.parent?.children.delete(account);
  }

  private rolledChain(account: ScopeAccount): readonly ScopeAccount[] {
    const chain = account.chain();
    if (account.windowed) {
      const now = this.now();
      for (const level of chain) level.roll(now);
    }
    return chain;
  }

  private accountOf(scope: BudgetScope): ScopeAccount {
    if (scope instanceof ScopeAccount && this.accounts.has(scope)) return scope;
    throw new SwitchyardError({
      kind: 'invalid_request',
      message: `Budget scope ${scope.id} does not belong to this ledger; open scopes with ledger.scope(parent, level, limits).`,
    });
  }
}

function refused(refusal: Omit<BudgetExceededDetails, 'model' | 'provider'>, request: ReserveRequest): ReserveResult {
  return { ok: false, error: new BudgetExceededError({ ...refusal, model: request.model, provider: request.provider }) };
}

type ChainFit = { ok: true; amount: Held; fitted: FittedOutput } | { ok: false; index: number; requested: Held };

/** Fits the output cap on the chain's current figures (see `fitOutputTokens`). */
function fitOnChain(chain: readonly ScopeAccount[], fixed: Held, spec: OutputFitSpec): ChainFit {
  checkFitSpec(spec);
  const nanoPerToken = nanoUp(spec.usdPerToken);
  const rooms = chain.map((level) => level.room());
  const fit = fitOutputTokens(rooms, fixed, { minTokens: spec.minTokens, maxTokens: spec.maxTokens, nanoPerToken });
  if (!fit.ok) return { ok: false, index: fit.refusedBy.index, requested: fit.requested };
  const amount = { nano: fixed.nano + fit.tokens * nanoPerToken, tokens: fixed.tokens + fit.tokens };
  const fitted: FittedOutput = { tokens: fit.tokens };
  if (fit.limitedBy) {
    const { index, unit } = fit.limitedBy;
    const room = rooms[index]!;
    fitted.limitedBy = { level: chain[index]!.level, unit, left: unit === 'usd' ? fromNano(room.nano!) : room.tokens! };
  }
  return { ok: true, amount, fitted };
}

function checkAmount(value: number, unit: 'usd' | 'tokens', what: 'reserve' | 'settle'): void {
  if (Number.isFinite(value) && value >= 0) return;
  throw new SwitchyardError({
    kind: 'invalid_request',
    message: `Cannot ${what} ${String(value)} ${unit}: budget amounts must be finite numbers >= 0.`,
  });
}

function toHeld(amount: BudgetAmount, what: 'reserve' | 'settle'): Held {
  checkAmount(amount.usd, 'usd', what);
  checkAmount(amount.tokens, 'tokens', what);
  return { nano: nanoUp(amount.usd), tokens: Math.ceil(amount.tokens) };
}

function closedScope(account: ScopeAccount): SwitchyardError {
  return new SwitchyardError({
    kind: 'aborted',
    message: `The ${account.level} budget scope ${account.id} is closed (its run or node has ended); no reservation can be made in it.`,
  });
}
