import type { OutputSpec, ToolSpec } from '../models/types.js';
import { isObjectSchema, objectSchema, wireName } from './json-schema.js';
import { isStrictCompatible } from './strict-schema.js';

/** Which Chat Completions request field carries the output cap. */
export type MaxTokensField = 'max_completion_tokens' | 'max_tokens';

/** A function tool as both OpenAI APIs describe it (Chat nests it under `function`, Responses does not). */
export interface FunctionFields {
  name: string;
  description?: string;
  parameters: Record<string, unknown>;
  /** Strict mode where the schema allows it (the Responses API makes tools strict unless told otherwise). */
  strict: boolean;
}

/** The fields of one function tool. */
export function functionFields(tool: ToolSpec): FunctionFields {
  return {
    name: tool.name,
    parameters: tool.parameters,
    strict: isStrictCompatible(tool.parameters),
    ...(tool.description === undefined ? {} : { description: tool.description }),
  };
}

/** How a structured output travels on either OpenAI API. */
export interface OutputFormat {
  name: string;
  /** The schema sent: an object (non-object schemas are wrapped as `{ value: schema }`). */
  schema: Record<string, unknown>;
  /** Strict structured outputs, where the schema allows them (see `isStrictCompatible`). */
  strict: boolean;
  /** The schema was wrapped: the reply must be unwrapped. */
  wrapped: boolean;
}

/** The JSON-schema response format of a structured-output request. */
export function outputFormat(output: OutputSpec): OutputFormat {
  const schema = objectSchema(output.schema);
  return { name: wireName(output.name), schema, strict: isStrictCompatible(schema), wrapped: !isObjectSchema(output.schema) };
}
