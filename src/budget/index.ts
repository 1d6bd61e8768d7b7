export type {
  BudgetAmount,
  BudgetLedger,
  BudgetScope,
  InstanceLimits,
  MaybePromise,
  Reservation,
  ReserveRequest,
  ReserveResult,
  ScopeLimits,
  SettleResult,
} from './budget-ledger.js';
export type { BudgetWindow } from './budget-window.js';
export { budgetLeft } from './budget-left.js';
export { MemoryBudgetLedger } from './memory-budget-ledger.js';
export type { MemoryBudgetLedgerOptions } from './memory-budget-ledger.js';
