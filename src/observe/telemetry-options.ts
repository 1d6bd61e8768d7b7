/**
 * The part of an OpenTelemetry `Tracer` switchyard uses (any `Tracer` from `@opentelemetry/api` fits). Typed
 * structurally so that switchyard's types do not require the package.
 */
export interface TracerLike {
  startSpan(name: string, options?: object, context?: unknown): unknown;
}

/**
 * OpenTelemetry tracing (`createSwitchyard({ telemetry })`). Needs the optional peer `@opentelemetry/api`
 * (npm install @opentelemetry/api); without this option it is never loaded and tracing costs nothing.
 * @example { telemetry: { tracer: trace.getTracer('my-app') } }
 */
export interface TelemetryOptions {
  /**
   * Turns tracing off without removing the configuration.
   * @default true
   */
  enabled?: boolean;
  /**
   * The tracer spans are made with.
   * @default trace.getTracer('switchyard-ai') from the global tracer provider
   */
  tracer?: TracerLike;
  /**
   * Record prompts and replies as span attributes (`gen_ai.system_instructions`, `gen_ai.input.messages`,
   * `gen_ai.output.messages`). They may hold personal or confidential data: off unless you opt in.
   * @default false
   */
  recordContent?: boolean;
}
