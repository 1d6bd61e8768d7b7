import { createRequire } from 'node:module';
import { SwitchyardError } from '../errors/switchyard-error.js';

/** The parts of `@opentelemetry/api` the bridge uses. */
export interface OtelApi {
  context: { active(): unknown };
  trace: { setSpan(context: unknown, span: unknown): unknown; getTracer(name: string, version?: string): unknown };
  SpanKind: { INTERNAL: number; CLIENT: number };
  SpanStatusCode: { OK: number; ERROR: number };
}

let loaded: OtelApi | undefined;

/**
 * A `require` that works from the ESM and the CJS build alike (`__filename` exists only in CommonJS; bundlers turn
 * a bare `require` in ESM output into a stub that throws, so it is not used).
 */
function nodeRequire(): NodeJS.Require {
  return createRequire(typeof __filename === 'string' ? __filename : import.meta.url);
}

/**
 * Loads `@opentelemetry/api` on first use (only when telemetry is configured), synchronously so that a run's
 * spans can be parented to the context active when the run starts. The API keeps its state in a global
 * registry, so this copy and the application's share the tracer provider and context manager.
 */
export function loadOtelApi(): OtelApi {
  if (loaded) return loaded;
  try {
    loaded = nodeRequire()('@opentelemetry/api') as OtelApi;
    return loaded;
  } catch (error) {
    throw new SwitchyardError({
      kind: 'missing_dependency',
      retryable: false,
      message:
        "Telemetry needs the '@opentelemetry/api' package, which is not installed. Install it next to switchyard-ai " +
        '(npm install @opentelemetry/api@1), or remove the `telemetry` option.',
      cause: error,
    });
  }
}
