import { createRequire } from 'node:module';

/**
 * A `require` that works from the ESM and the CJS build alike (`__filename` exists only in CommonJS; bundlers turn
 * a bare `require` in ESM output into a stub that throws, so it is not used). For what is loaded synchronously on
 * first use only: the tokenizer's ranks, the OpenTelemetry API.
 */
export function nodeRequire(): NodeJS.Require {
  return createRequire(typeof __filename === 'string' ? __filename : import.meta.url);
}
