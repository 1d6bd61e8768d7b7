import type { ZodType } from 'zod';
import { SwitchyardError } from '../errors/switchyard-error.js';
import type { ModelRequest, OutputSpec, ToolSpec } from '../models/types.js';
import type { CallSpec, ToolDefinition } from './call-types.js';
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

/** Resolves a call spec to the provider-neutral request adapters receive (without a signal). */
export function buildModelRequest(spec: CallSpec, output: OutputPlan | undefined): ModelRequest {
  if (spec.messages.length === 0) {
    throw new SwitchyardError({ kind: 'invalid_request', message: 'A model call needs a prompt or at least one message.' });
  }
  return {
    messages: spec.messages,
    system: spec.system,
    tools: toolSpecs(spec.tools),
    output: output?.spec,
    maxOutputTokens: spec.maxOutputTokens,
    temperature: spec.temperature,
    ...(spec.cache && (spec.cache.key !== undefined || spec.cache.breakpoints !== undefined)
      ? { cache: { key: spec.cache.key, breakpoints: spec.cache.breakpoints } }
      : {}),
  };
}
