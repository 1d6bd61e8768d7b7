import { SwitchyardError } from '../errors/switchyard-error.js';
import type { CallContext } from './call-context.js';
import { unwrapOutputText } from './json-schema.js';

function invalidOutput(ctx: CallContext, what: string): SwitchyardError {
  return new SwitchyardError({
    kind: 'invalid_output',
    provider: ctx.provider,
    model: ctx.model,
    message: `${ctx.model} on '${ctx.provider}' returned ${what} that is not valid JSON.`,
  });
}

/** Parses streamed tool-call arguments (empty → `{}`); invalid JSON is an `invalid_output` error. */
export function parseToolArgs(text: string, toolName: string, ctx: CallContext): unknown {
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw invalidOutput(ctx, `arguments for tool '${toolName}'`);
  }
}

/** The JSON text of a structured reply that was requested wrapped as `{ value }` (non-object schemas). */
export function unwrappedOutput(text: string, ctx: CallContext): string {
  const unwrapped = unwrapOutputText(text);
  if (unwrapped === undefined) throw invalidOutput(ctx, 'structured output');
  return unwrapped;
}
