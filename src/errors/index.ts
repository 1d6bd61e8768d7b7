export { SwitchyardError } from './switchyard-error.js';
export type { ErrorKind, ProviderErrorKind, SwitchyardErrorOptions } from './switchyard-error.js';
export { BudgetExceededError } from './budget-exceeded-error.js';
export type { BudgetExceededDetails, BudgetLevel } from './budget-exceeded-error.js';
export { errorToJSON } from './error-json.js';
export type { SwitchyardErrorJSON } from './error-json.js';
