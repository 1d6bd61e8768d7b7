export type {
  BudgetAmount,
  BudgetLedger,
  BudgetScope,
  FittedOutput,
  InstanceLimits,
  MaybePromise,
  OutputFitSpec,
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
export { fitOutputTokens } from './fit-output.js';
export type { FitLimit, FixedHold, LevelRoom, OutputFit, OutputFitRequest } from './fit-output.js';
