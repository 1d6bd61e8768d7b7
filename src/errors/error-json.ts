import { SwitchyardError, type ErrorKind } from './switchyard-error.js';

/** An error as it travels in events and traces: plain data, no stack, no secrets. */
export interface SwitchyardErrorJSON {
  name: string;
  kind: ErrorKind | 'unknown';
  message: string;
  status?: number;
  retryable?: boolean;
  retryAfterMs?: number;
  requestId?: string;
  provider?: string;
  model?: string;
  /** For kind 'budget_exceeded': the refusal's figures (see BudgetExceededError). */
  level?: 'instance' | 'run' | 'node';
  unit?: 'usd' | 'tokens';
  limit?: number;
  spent?: number;
  reserved?: number;
  requested?: number;
}

/** Turns anything thrown into event-safe data. */
export function errorToJSON(error: unknown): SwitchyardErrorJSON {
  if (SwitchyardError.isInstance(error)) return error.toJSON() as unknown as SwitchyardErrorJSON;
  if (error instanceof Error) return { name: error.name, kind: 'unknown', message: error.message };
  return { name: 'Error', kind: 'unknown', message: String(error) };
}
