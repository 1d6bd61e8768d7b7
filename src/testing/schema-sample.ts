type Schema = Record<string, unknown>;

const FORMATS: Readonly<Record<string, string>> = {
  'date-time': '2026-01-01T00:00:00Z',
  date: '2026-01-01',
  time: '00:00:00',
  duration: 'P1D',
  email: 'user@example.com',
  uri: 'https://example.com',
  url: 'https://example.com',
  hostname: 'example.com',
  ipv4: '127.0.0.1',
  ipv6: '::1',
  uuid: '00000000-0000-4000-8000-000000000000',
};

// Arrays get one item (or minItems) down to this depth, then only minItems; unions then prefer null: recursive
// schemas terminate. Past HARD_LIMIT levels the value is null whatever the schema says.
const MAX_DEPTH = 4;
const HARD_LIMIT = 32;

const isSchema = (value: unknown): value is Schema =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function resolveRef(ref: string, root: Schema): Schema {
  if (ref === '#') return root;
  let node: unknown = root;
  for (const part of ref.replace(/^#\//, '').split('/')) {
    node = isSchema(node) ? node[part.replace(/~1/g, '/').replace(/~0/g, '~')] : undefined;
  }
  return isSchema(node) ? node : {};
}

function sampleString(schema: Schema): string {
  let value = FORMATS[String(schema.format)] ?? 'example';
  const min = typeof schema.minLength === 'number' ? schema.minLength : 0;
  const max = typeof schema.maxLength === 'number' ? schema.maxLength : Infinity;
  if (value.length < min) value = value.padEnd(min, 'x');
  return value.slice(0, max);
}

function sampleNumber(schema: Schema, integer: boolean): number {
  const num = (key: string) => (typeof schema[key] === 'number' ? (schema[key] as number) : undefined);
  const step = integer ? 1 : 0.5;
  const low = num('minimum') ?? (num('exclusiveMinimum') ?? -Infinity) + step;
  const high = num('maximum') ?? (num('exclusiveMaximum') ?? Infinity) - step;
  const value = Math.min(Math.max(0, low), high);
  return integer ? Math.ceil(value) : value;
}

function sampleArray(schema: Schema, root: Schema, depth: number): unknown[] {
  if (Array.isArray(schema.prefixItems)) return schema.prefixItems.map((item) => sample(item, root, depth + 1));
  const min = typeof schema.minItems === 'number' ? schema.minItems : 0;
  const max = typeof schema.maxItems === 'number' ? schema.maxItems : Infinity;
  const count = Math.min(depth < MAX_DEPTH ? Math.max(1, min) : min, max);
  return Array.from({ length: count }, () => sample(schema.items, root, depth + 1));
}

function sampleObject(schema: Schema, root: Schema, depth: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const properties = isSchema(schema.properties) ? schema.properties : {};
  for (const [key, property] of Object.entries(properties)) out[key] = sample(property, root, depth + 1);
  return out;
}

function sampleType(type: unknown, schema: Schema, root: Schema, depth: number): unknown {
  switch (type) {
    case 'string':
      return sampleString(schema);
    case 'integer':
      return sampleNumber(schema, true);
    case 'number':
      return sampleNumber(schema, false);
    case 'boolean':
      return true;
    case 'null':
      return null;
    case 'array':
      return sampleArray(schema, root, depth);
    case 'object':
      return sampleObject(schema, root, depth);
    default:
      return isSchema(schema.properties) ? sampleObject(schema, root, depth) : 'example';
  }
}

function sample(node: unknown, root: Schema, depth: number): unknown {
  if (!isSchema(node)) return 'example';
  if (depth > HARD_LIMIT) return null;
  if (typeof node.$ref === 'string') {
    return sample({ ...resolveRef(node.$ref, root), ...node, $ref: undefined }, root, depth);
  }
  if ('const' in node) return node.const;
  if (Array.isArray(node.enum) && node.enum.length > 0) return node.enum[0];
  const alternatives = (node.anyOf ?? node.oneOf) as unknown;
  if (Array.isArray(alternatives) && alternatives.length > 0) {
    const wantNull = depth >= MAX_DEPTH;
    const pick = alternatives.find((alt) => isSchema(alt) && (alt.type === 'null') === wantNull) ?? alternatives[0];
    return sample(pick, root, depth);
  }
  if (Array.isArray(node.allOf)) {
    return sample(Object.assign({}, ...node.allOf.filter(isSchema), { ...node, allOf: undefined }), root, depth);
  }
  const type = Array.isArray(node.type) ? (node.type.find((t) => t !== 'null') ?? node.type[0]) : node.type;
  return sampleType(type, node, root, depth);
}

/**
 * A deterministic JSON value of the shape a JSON Schema describes: the first enum value or the const, 'example'
 * strings (or a sample of their `format`, padded to `minLength`), 0 numbers (moved inside min/max), true
 * booleans, arrays of one item (or `minItems`), objects with every property, the first non-null alternative of
 * a union. Local `$ref`s are followed; recursive schemas stop growing after a few levels. Patterns are not
 * honoured.
 */
export function sampleFromSchema(schema: Record<string, unknown>): unknown {
  return sample(schema, schema, 0);
}
