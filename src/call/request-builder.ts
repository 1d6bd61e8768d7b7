import type { ZodType } from 'zod';
import { SwitchyardError } from '../errors/switchyard-error.js';
import { REASONING_EFFORTS } from '../models/reasoning.js';
import type { ModelRequest, OutputSpec, ReasoningOptions, ToolSpec } from '../models/types.js';
import type { CallSpec, ToolDefinition } from './call-types.js';
import { checkMessages } from './validate-messages.js';
import { parametersJsonSchema, zodJsonSchema } from './tool-parameters.js';

/** The property a non-object output schema is wrapped in (providers require an object at the root). */
export const WRAPPED_OUTPUT_KEY = 'value';

/** How a structured output travels: the JSON Schema sent, and whether the reply must be unwrapped. */
export interface OutputPlan {
  spec: OutputSpec;
  wrapped: boolean;
  schema: ZodType;
}

/** Plans the structured output of a call, wrapping non-object schemas as `{ value: ... }`. */
export function planOutput(schema: ZodType | undefined): OutputPlan | undefined {
  if (!schema) return undefined;
  const json = zodJsonSchema(schema, 'The output schema');
  const isObject = json.type === 'object';
  const wrappedSchema = {
    type: 'object',
    properties: { [WRAPPED_OUTPUT_KEY]: json },
    required: [WRAPPED_OUTPUT_KEY],
    additionalProperties: false,
  };
  return { spec: { name: 'output', schema: isObject ? json : wrappedSchema }, wrapped: !isObject, schema };
}

/** Converts tools (zod or JSON Schema parameters) to the JSON Schema specs adapters send. */
export function toolSpecs(tools: Record<string, ToolDefinition> | undefined): ToolSpec[] | undefined {
  if (!tools) return undefined;
  return Object.entries(tools).map(([name, tool]) => {
    if (!/^[a-zA-Z0-9_-]{1,64}$/.test(name)) {
      throw new SwitchyardError({
        kind: 'invalid_request',
        message: `Tool name "${name}" is not accepted by providers: use 1-64 letters, digits, '_' or '-'.`,
      });
    }
    return { name, description: tool.description, parameters: parametersJsonSchema(tool.parameters, name) };
  });
}

/** Checks a call's `reasoning` option; returns it unchanged. */
export function checkReasoning(reasoning: ReasoningOptions | undefined): ReasoningOptions | undefined {
  if (reasoning === undefined) return undefined;
  const effort = (reasoning as { effort?: unknown } | null)?.effort;
  if (!REASONING_EFFORTS.includes(effort as never)) {
    throw new SwitchyardError({
      kind: 'invalid_request',
      message: `reasoning.effort must be one of ${REASONING_EFFORTS.join(', ')} (got ${JSON.stringify(effort)}).`,
    });
  }
  const budget = reasoning.budgetTokens;
  if (budget !== undefined && !(Number.isInteger(budget) && budget > 0)) {
    throw new SwitchyardError({
      kind: 'invalid_request',
      message: `reasoning.budgetTokens must be a positive integer of tokens, or unset (got ${JSON.stringify(budget)}).`,
    });
  }
  return reasoning;
}

/**
 * Resolves a call spec to the provider-neutral request adapters receive (without a signal). The messages are
 * checked (see `checkMessages`): a bad part is refused here, before routing, reservation or any request.
 */
export function buildModelRequest(spec: CallSpec, output: OutputPlan | undefined): ModelRequest {
  if (Array.isArray(spec.messages) && spec.messages.length === 0) {
    throw new SwitchyardError({ kind: 'invalid_request', message: 'A model call needs a prompt or at least one message.' });
  }
  const least = spec.minOutputTokens;
  if (least !== undefined && !(Number.isSafeInteger(least) && least >= 1)) {
    throw new SwitchyardError({
      kind: 'invalid_request',
      message: `minOutputTokens must be a whole number of tokens >= 1; got ${typeof least === 'string' ? `the string ${JSON.stringify(least)}` : String(least)}.`,
    });
  }
  return {
    messages: checkMessages(spec.messages),
    system: spec.system,
    tools: toolSpecs(spec.tools),
    output: output?.spec,
    maxOutputTokens: spec.maxOutputTokens,
    temperature: spec.temperature,
    ...(spec.reasoning === undefined ? {} : { reasoning: checkReasoning(spec.reasoning) }),
    ...(spec.cache && (spec.cache.key !== undefined || spec.cache.breakpoints !== undefined)
      ? { cache: { key: spec.cache.key, breakpoints: spec.cache.breakpoints } }
      : {}),
  };
}
