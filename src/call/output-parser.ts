import { exceedsDepth, MAX_JSON_DEPTH } from '../data/json-depth.js';
import { SwitchyardError } from '../errors/switchyard-error.js';
import { WRAPPED_OUTPUT_KEY, type OutputPlan } from './request-builder.js';

function stripFences(text: string): string {
  const trimmed = text.trim();
  const fenced = /^```(?:json)?\s*([\s\S]*?)\s*```$/i.exec(trimmed);
  return fenced?.[1] ?? trimmed;
}

function describeIssues(issues: ReadonlyArray<{ path: PropertyKey[]; message: string }>): string {
  return issues
    .slice(0, 10)
    .map((issue) => `${issue.path.length ? issue.path.map(String).join('.') : '(root)'}: ${issue.message}`)
    .join('; ');
}

/**
 * Parses a model's structured reply and validates it against the output schema. Throws SwitchyardError
 * kind 'invalid_output' with the validation problems, which are what a repair prompt feeds back.
 */
export function parseOutput(text: string, plan: OutputPlan, where: { model: string; provider: string }): unknown {
  let json: unknown;
  try {
    json = JSON.parse(stripFences(text));
  } catch {
    throw new SwitchyardError({
      kind: 'invalid_output',
      retryable: false,
      ...where,
      message: `The reply is not valid JSON (first 200 characters: ${JSON.stringify(text.slice(0, 200))}).`,
    });
  }
  if (exceedsDepth(json, MAX_JSON_DEPTH)) {
    throw new SwitchyardError({
      kind: 'invalid_output',
      retryable: false,
      ...where,
      message: `The reply nests deeper than ${MAX_JSON_DEPTH} levels; answer with flatter JSON.`,
    });
  }
  if (plan.wrapped && typeof json === 'object' && json !== null && WRAPPED_OUTPUT_KEY in json) {
    json = (json as Record<string, unknown>)[WRAPPED_OUTPUT_KEY];
  }
  const parsed = plan.schema.safeParse(json);
  if (!parsed.success) {
    throw new SwitchyardError({
      kind: 'invalid_output',
      retryable: false,
      ...where,
      message: `The reply does not match the output schema: ${describeIssues(parsed.error.issues)}.`,
    });
  }
  return parsed.data;
}

/** The user turn that asks a model to repair a reply that failed validation. */
export function repairPrompt(error: SwitchyardError): string {
  return (
    `Your previous reply was rejected: ${error.message}\n` +
    'Reply again with only JSON that matches the requested schema exactly.'
  );
}
