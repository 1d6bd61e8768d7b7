import { MAX_JSON_DEPTH } from './json-depth.js';

/** How much of a value `boundedJson` keeps. */
export interface JsonBounds {
  /**
   * Deepest nesting kept; anything below it is replaced by a marker.
   * @default 128
   */
  maxDepth?: number;
  /**
   * About how many characters the JSON may take; past it, strings are cut and remaining members replaced by a
   * marker (the result can pass the bound by the markers' own length).
   * @default 1_000_000
   */
  maxChars?: number;
}

/** Where the copy stands: characters left, and the containers on the current path (to find cycles). */
interface Walk {
  readonly maxDepth: number;
  room: number;
  readonly path: Set<object>;
}

const cut = (what: string) => `[cut: ${what}]`;

/**
 * JSON text of any value, within `bounds`, never throwing: what `JSON.stringify` gives for plain data, and for
 * anything it cannot serialize a marker saying what was cut — `[cut: nested deeper than 128 levels]`,
 * `[cut: circular reference]`, `[cut: 5000 more characters]`, `[cut: 12 more items]`, `[cut: bigint 12]`,
 * `[cut: threw …]` — in place of that part only. For traces, events on the wire, reports and span attributes:
 * what observes a run must never be what brings it down.
 */
export function boundedJson(value: unknown, bounds: JsonBounds = {}): string {
  const walk: Walk = { maxDepth: bounds.maxDepth ?? MAX_JSON_DEPTH, room: bounds.maxChars ?? 1_000_000, path: new Set() };
  const copy = copyValue(value, 0, walk);
  return JSON.stringify(copy === undefined ? null : copy);
}

/** A short description of any value for an error message: its bounded JSON, or `String(value)` where JSON has none. */
export function describeValue(value: unknown, maxChars = 200): string {
  if (value === undefined || typeof value === 'function' || typeof value === 'symbol') return String(value);
  return boundedJson(value, { maxChars, maxDepth: 8 });
}

/** A JSON-safe copy of `value`: plain objects, arrays and scalars only (undefined: omitted, as JSON omits it). */
function copyValue(value: unknown, depth: number, walk: Walk): unknown {
  switch (typeof value) {
    case 'string':
      return copyString(value, walk);
    case 'number':
    case 'boolean':
      walk.room -= 8;
      return value;
    case 'bigint':
      return cut(`bigint ${value}`);
    case 'object':
      return value === null ? null : copyObject(value, depth, walk, true);
    default:
      return undefined; // functions, symbols, undefined: JSON leaves them out
  }
}

function copyString(text: string, walk: Walk): string {
  const room = Math.max(0, walk.room);
  walk.room -= text.length + 2;
  if (text.length <= room) return text;
  return `${text.slice(0, room)}${cut(`${text.length - room} more characters`)}`;
}

/** Copies an object or array; `useToJson`: first replace it by its `toJSON()` (once, as JSON.stringify does). */
function copyObject(value: object, depth: number, walk: Walk, useToJson: boolean): unknown {
  if (walk.path.has(value)) return cut('circular reference');
  const json = useToJson ? toJsonOf(value) : undefined;
  if (json !== undefined) {
    if (!json.ok) return json.marker;
    const replaced = json.value;
    return typeof replaced === 'object' && replaced !== null ? copyObject(replaced, depth, walk, false) : copyValue(replaced, depth, walk);
  }
  if (depth >= walk.maxDepth) return cut(`nested deeper than ${walk.maxDepth} levels`);
  walk.path.add(value);
  try {
    return Array.isArray(value) ? copyArray(value, depth, walk) : copyMembers(value, depth, walk);
  } catch (error) {
    return cut(`threw ${describeError(error)}`);
  } finally {
    walk.path.delete(value);
  }
}

function copyArray(items: readonly unknown[], depth: number, walk: Walk): unknown[] {
  const out: unknown[] = [];
  for (let i = 0; i < items.length; i++) {
    if (walk.room <= 0) {
      out.push(cut(`${items.length - i} more items`));
      break;
    }
    walk.room -= 1;
    out.push(copyValue(items[i], depth + 1, walk) ?? null);
  }
  return out;
}

function copyMembers(value: object, depth: number, walk: Walk): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const keys = Object.keys(value);
  for (let i = 0; i < keys.length; i++) {
    if (walk.room <= 0) {
      out['[cut]'] = cut(`${keys.length - i} more keys`);
      break;
    }
    const key = keys[i]!;
    walk.room -= key.length + 4;
    let member: unknown;
    try {
      member = copyValue((value as Record<string, unknown>)[key], depth + 1, walk);
    } catch (error) {
      member = cut(`threw ${describeError(error)}`);
    }
    // defineProperty: a key named `__proto__` stays a plain member of the copy.
    if (member !== undefined) Object.defineProperty(out, key, { value: member, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

type JsonOf = { ok: true; value: unknown } | { ok: false; marker: string };

/** What `JSON.stringify` would use for an object with a `toJSON` method (Dates); undefined when it has none. */
function toJsonOf(value: object): JsonOf | undefined {
  try {
    const method: unknown = (value as { toJSON?: unknown }).toJSON;
    if (typeof method !== 'function') return undefined;
    return { ok: true, value: (method as () => unknown).call(value) };
  } catch (error) {
    return { ok: false, marker: cut(`threw ${describeError(error)}`) };
  }
}

function describeError(error: unknown): string {
  try {
    const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    return text.length > 200 ? `${text.slice(0, 200)}…` : text;
  } catch {
    return 'an error';
  }
}
