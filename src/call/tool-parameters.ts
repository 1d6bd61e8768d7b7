import { toJSONSchema, type output, type ZodType } from 'zod';
import { SwitchyardError } from '../errors/switchyard-error.js';

/** The outcome of checking a model's tool arguments: the arguments to run with, or what is wrong with them. */
export type ToolArgsCheck<T> = { success: true; data: T } | { success: false; issues: string[] };

/**
 * Tool arguments described by a JSON Schema instead of zod: the schema is sent to the model as it is, and
 * `validate` checks the model's arguments before the tool runs. Made by `jsonSchema()`; MCP tools use it.
 */
export interface JsonSchemaParameters<T = Record<string, unknown>> {
  /** The JSON Schema of the arguments object, as the model receives it. */
  readonly jsonSchema: Readonly<Record<string, unknown>>;
  /** Checks the model's arguments; each issue is sent back to the model, which may try again. */
  validate(args: unknown): ToolArgsCheck<T>;
}

/** What a tool's `parameters` may be: a zod schema, or a JSON Schema made with `jsonSchema()`. */
export type ToolParameters = ZodType | JsonSchemaParameters<any>;

/** The arguments `execute` receives for these parameters. */
export type ToolArgsOf<S> = S extends ZodType ? output<S> : S extends JsonSchemaParameters<infer T> ? T : never;

/** Options of `jsonSchema()`. */
export interface JsonSchemaOptions<T> {
  /**
   * Checks the model's arguments before the tool runs (e.g. an Ajv validator of the schema).
   * @default a check that the arguments are a JSON object; the tool itself checks the rest
   */
  validate?: (args: unknown) => ToolArgsCheck<T>;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function objectArgs<T>(args: unknown): ToolArgsCheck<T> {
  return isRecord(args) ? { success: true, data: args as T } : { success: false, issues: ['(root): expected an object of arguments'] };
}

/**
 * Tool parameters from a JSON Schema (an object schema), for tools whose schema is data rather than zod — an MCP
 * server's tools, or a schema loaded from a file. The schema goes to the model as it is (minus `$schema`).
 *
 * @example
 * const search = tool({
 *   parameters: jsonSchema<{ q: string }>({ type: 'object', properties: { q: { type: 'string' } }, required: ['q'] }),
 *   execute: ({ q }) => index.search(q),
 * });
 */
export function jsonSchema<T = Record<string, unknown>>(
  schema: Readonly<Record<string, unknown>>,
  options: JsonSchemaOptions<T> = {},
): JsonSchemaParameters<T> {
  if (!isRecord(schema) || schema['type'] !== 'object') {
    throw new SwitchyardError({
      kind: 'invalid_request',
      message: "jsonSchema() needs the JSON Schema of an arguments object ({ type: 'object', properties, ... }).",
    });
  }
  const { $schema: _dialect, ...sent } = schema;
  return { jsonSchema: sent, validate: options.validate ?? objectArgs };
}

/** True for parameters made by `jsonSchema()` (anything else is taken for a zod schema). */
export function isJsonSchemaParameters(parameters: unknown): parameters is JsonSchemaParameters<any> {
  const p = parameters as Partial<JsonSchemaParameters<unknown>> | null;
  return typeof p === 'object' && p !== null && isRecord(p.jsonSchema) && typeof p.validate === 'function';
}

/** True for parameters an agent can use: a zod schema or `jsonSchema()`. */
export function isToolParameters(parameters: unknown): parameters is ToolParameters {
  const zod = parameters as { safeParse?: unknown } | null;
  return isJsonSchemaParameters(parameters) || typeof zod?.safeParse === 'function';
}

/** A zod schema as JSON Schema (without `$schema`); `what` names it in the error when it cannot be converted. */
export function zodJsonSchema(schema: ZodType, what: string): Record<string, unknown> {
  try {
    const json = toJSONSchema(schema, { unrepresentable: 'any' }) as Record<string, unknown>;
    delete json.$schema;
    return json;
  } catch (error) {
    throw new SwitchyardError({
      kind: 'invalid_request',
      message: `${what} cannot be expressed as JSON Schema (${(error as Error).message}); use plain zod types.`,
      cause: error,
    });
  }
}

/** The JSON Schema sent for a tool's arguments. */
export function parametersJsonSchema(parameters: ToolParameters, name: string): Record<string, unknown> {
  if (isJsonSchemaParameters(parameters)) return { ...parameters.jsonSchema };
  return zodJsonSchema(parameters, `Tool "${name}"`);
}

function zodIssues(issues: ReadonlyArray<{ path: PropertyKey[]; message: string }>): string[] {
  return issues.map((issue) => `${issue.path.length ? issue.path.map(String).join('.') : '(root)'}: ${issue.message}`);
}

/** Checks a model's arguments against a tool's parameters (zod or JSON Schema). */
export function checkToolArgs(parameters: ToolParameters, args: unknown): ToolArgsCheck<unknown> {
  if (isJsonSchemaParameters(parameters)) return parameters.validate(args);
  const parsed = parameters.safeParse(args);
  return parsed.success ? { success: true, data: parsed.data } : { success: false, issues: zodIssues(parsed.error.issues) };
}
