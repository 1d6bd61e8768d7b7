const marker = Symbol.for('switchyard.error');

/** What went wrong with a provider call. */
export type ProviderErrorKind =
  | 'rate_limit'
  | 'overloaded'
  | 'server'
  | 'timeout'
  | 'network'
  | 'context_length'
  | 'content_filter'
  | 'auth'
  | 'bad_request'
  | 'quota'
  | 'aborted';

/** Every error switchyard throws carries one of these kinds; callers switch on it, never on messages. */
export type ErrorKind =
  | ProviderErrorKind
  | 'budget_exceeded'
  | 'invalid_config'
  | 'invalid_request'
  | 'invalid_workflow'
  | 'invalid_input'
  | 'invalid_output'
  | 'unknown_model'
  | 'no_provider'
  | 'missing_dependency'
  | 'node_failed'
  /** A node's verifier still rejected the output when its rounds (and cascade tiers) were spent. */
  | 'verification_failed'
  /** An agent node reached `maxSteps` while the model was still calling tools. */
  | 'max_steps'
  /** A `.loop` with `onMaxIterations: 'fail'` ran `maxIterations` iterations and `until` never said stop. */
  | 'max_iterations'
  /** A checkpoint store or Redis could not be reached (or refused a write). */
  | 'store_unavailable'
  /** A resumed run's workflow changed, since its checkpoint, in a node that had completed. */
  | 'checkpoint_mismatch'
  /** A tool reported that it failed (an MCP tool's error result, or the server refused the call). */
  | 'tool_error';

export interface SwitchyardErrorOptions {
  kind: ErrorKind;
  message: string;
  status?: number;
  retryable?: boolean;
  retryAfterMs?: number;
  requestId?: string;
  provider?: string;
  model?: string;
  cause?: unknown;
}

const RETRYABLE_BY_DEFAULT: ReadonlySet<ErrorKind> = new Set([
  'rate_limit',
  'overloaded',
  'server',
  'timeout',
  'network',
]);

/**
 * The one error class of switchyard. Provider failures, invalid graphs and budget refusals all arrive as a
 * `SwitchyardError` (or a subclass) with a `kind` to switch on. Messages never contain API keys.
 */
export class SwitchyardError extends Error {
  readonly [marker] = true;
  readonly kind: ErrorKind;
  /** HTTP status, when the failure came from an HTTP response. */
  readonly status?: number;
  /** Whether trying the same call again may succeed. */
  readonly retryable: boolean;
  /** How long the provider asked us to wait before the next call (from Retry-After headers). */
  readonly retryAfterMs?: number;
  /** The provider's request id, for support tickets. */
  readonly requestId?: string;
  /** The endpoint name (e.g. 'openai', 'hub'). */
  readonly provider?: string;
  /** The catalog model id. */
  readonly model?: string;

  constructor(options: SwitchyardErrorOptions) {
    super(options.message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'SwitchyardError';
    this.kind = options.kind;
    this.status = options.status;
    this.retryable = options.retryable ?? RETRYABLE_BY_DEFAULT.has(options.kind);
    this.retryAfterMs = options.retryAfterMs;
    this.requestId = options.requestId;
    this.provider = options.provider;
    this.model = options.model;
  }

  /** True for any switchyard error, even one thrown by another copy of the package. */
  static isInstance(value: unknown): value is SwitchyardError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[marker] === true;
  }

  /** A plain object for logs and events (no stack, no cause chain). */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      kind: this.kind,
      message: this.message,
      status: this.status,
      retryable: this.retryable,
      retryAfterMs: this.retryAfterMs,
      requestId: this.requestId,
      provider: this.provider,
      model: this.model,
    };
  }
}
