/**
 * Whether OpenAI's strict structured outputs accept a JSON Schema (`strict: true` for response formats and
 * function tools). Strict mode guarantees the reply matches the schema, but takes only a subset of JSON Schema:
 * every object closed (`additionalProperties: false`) with every property required, and only the keywords
 * below. A schema outside that subset is sent with `strict: false` (the model is asked to follow it, and
 * switchyard validates the reply) rather than rejected.
 */
export function isStrictCompatible(schema: Record<string, unknown>): boolean {
  return schema['type'] === 'object' && strictNode(schema, 0);
}

const KEYWORDS = new Set([
  'type', 'properties', 'required', 'additionalProperties', 'items', 'enum', 'const', 'anyOf', '$ref', '$defs',
  'definitions', 'description', 'title', 'pattern', 'format', 'minimum', 'maximum', 'exclusiveMinimum',
  'exclusiveMaximum', 'multipleOf', 'minItems', 'maxItems',
]);
const FORMATS = new Set(['date-time', 'time', 'date', 'duration', 'email', 'hostname', 'ipv4', 'ipv6', 'uuid']);
/** OpenAI allows up to 10 levels of nesting. */
const MAX_DEPTH = 10;

type Schema = Record<string, unknown>;
const isSchema = (value: unknown): value is Schema => typeof value === 'object' && value !== null && !Array.isArray(value);

function strictNode(node: unknown, depth: number): boolean {
  if (typeof node === 'boolean') return false;
  if (!isSchema(node) || depth > MAX_DEPTH) return false;
  if (!Object.keys(node).every((key) => KEYWORDS.has(key))) return false;
  if (node['format'] !== undefined && !FORMATS.has(String(node['format']))) return false;
  const types = Array.isArray(node['type']) ? node['type'] : [node['type']];
  if ((types.includes('object') || isSchema(node['properties'])) && !strictObject(node, depth)) return false;
  if (node['items'] !== undefined && !strictNode(node['items'], depth + 1)) return false;
  if (node['anyOf'] !== undefined && !(Array.isArray(node['anyOf']) && node['anyOf'].every((alt) => strictNode(alt, depth + 1)))) return false;
  for (const defs of [node['$defs'], node['definitions']]) {
    if (defs !== undefined && !(isSchema(defs) && Object.values(defs).every((def) => strictNode(def, depth + 1)))) return false;
  }
  return true;
}

function strictObject(node: Schema, depth: number): boolean {
  if (node['additionalProperties'] !== false) return false;
  const properties = isSchema(node['properties']) ? node['properties'] : {};
  const required = Array.isArray(node['required']) ? node['required'] : [];
  const keys = Object.keys(properties);
  if (keys.length !== required.length || !keys.every((key) => required.includes(key))) return false;
  return keys.every((key) => strictNode(properties[key], depth + 1));
}
