/** A name the providers accept for tools and schemas (`^[a-zA-Z0-9_-]{1,64}$`). */
export function wireName(name: string): string {
  const cleaned = name.replace(/[^a-zA-Z0-9_-]/g, '_').slice(0, 64);
  return cleaned === '' ? 'output' : cleaned;
}

/** Whether a JSON Schema describes an object (tool inputs must; other output schemas get wrapped). */
export function isObjectSchema(schema: Record<string, unknown>): boolean {
  return schema['type'] === 'object';
}

/** The property a non-object output schema is wrapped in, where a provider needs an object. */
export const WRAPPED_OUTPUT_KEY = 'value';

/** Wraps a non-object schema as `{ value: schema }`; object schemas pass through. */
export function objectSchema(schema: Record<string, unknown>): Record<string, unknown> {
  if (isObjectSchema(schema)) return schema;
  return {
    type: 'object',
    properties: { [WRAPPED_OUTPUT_KEY]: schema },
    required: [WRAPPED_OUTPUT_KEY],
    additionalProperties: false,
  };
}

/** Unwraps a reply produced under `objectSchema`'s wrapper, back to the JSON text of the value itself. */
export function unwrapOutputText(text: string): string | undefined {
  try {
    const parsed = JSON.parse(text) as Record<string, unknown> | null;
    if (typeof parsed !== 'object' || parsed === null || !(WRAPPED_OUTPUT_KEY in parsed)) return undefined;
    return JSON.stringify(parsed[WRAPPED_OUTPUT_KEY]);
  } catch {
    return undefined;
  }
}
