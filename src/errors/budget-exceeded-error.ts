import { SwitchyardError } from './switchyard-error.js';

/** Which budget refused a reservation. */
export type BudgetLevel = 'instance' | 'run' | 'node';

export interface BudgetExceededDetails {
  level: BudgetLevel;
  /** The unit that ran out. */
  unit: 'usd' | 'tokens';
  /** The limit in that unit. */
  limit: number;
  /** Settled spend at that level when the reservation was refused. */
  spent: number;
  /** Reservations in flight at that level. */
  reserved: number;
  /** The reservation that was asked for. */
  requested: number;
  model?: string;
  provider?: string;
}

/** A call could not start because its worst-case cost does not fit a budget. Never retried. */
export class BudgetExceededError extends SwitchyardError {
  readonly level: BudgetLevel;
  readonly unit: 'usd' | 'tokens';
  readonly limit: number;
  readonly spent: number;
  readonly reserved: number;
  readonly requested: number;

  constructor(details: BudgetExceededDetails) {
    const fmt = (n: number) => (details.unit === 'usd' ? `$${n.toFixed(6)}` : `${n} tokens`);
    super({
      kind: 'budget_exceeded',
      retryable: false,
      provider: details.provider,
      model: details.model,
      message:
        `The ${details.level} budget cannot cover this call: it needs up to ${fmt(details.requested)}, ` +
        `${fmt(details.spent)} of ${fmt(details.limit)} is spent and ${fmt(details.reserved)} reserved. ` +
        `Raise the ${details.level} budget, lower maxOutputTokens, or allow a cheaper model (downgrade: true).`,
    });
    this.name = 'BudgetExceededError';
    this.level = details.level;
    this.unit = details.unit;
    this.limit = details.limit;
    this.spent = details.spent;
    this.reserved = details.reserved;
    this.requested = details.requested;
  }

  /** Plain data for events and traces, with the figures of the refusal. */
  override toJSON(): Record<string, unknown> {
    const { level, unit, limit, spent, reserved, requested } = this;
    return { ...super.toJSON(), level, unit, limit, spent, reserved, requested };
  }

  static override isInstance(value: unknown): value is BudgetExceededError {
    return SwitchyardError.isInstance(value) && value.kind === 'budget_exceeded';
  }
}
