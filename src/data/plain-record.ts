/**
 * Names that reach into an object's prototype chain when used as a key (`record['__proto__'] = x` replaces the
 * prototype; `constructor` and `prototype` name what every object inherits or what classes carry). Node ids,
 * endpoint names and model ids may not be one of them.
 */
export const RESERVED_NAMES: readonly string[] = ['__proto__', 'constructor', 'prototype'];

/** Whether `name` is one of `RESERVED_NAMES`. */
export function isReservedName(name: string): boolean {
  return RESERVED_NAMES.includes(name);
}

/**
 * An empty record with no prototype: every string is an ordinary key (`__proto__` included) and nothing is
 * inherited, so `record[id]` is only ever what was stored under `id`. Every record keyed by node ids, model ids or
 * endpoint names is made with it.
 */
export function emptyRecord<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}

/** A prototype-free record of `entries` (or of an object's own enumerable members, e.g. one read back from JSON). */
export function recordOf<T>(entries: Iterable<readonly [string, T]> | Readonly<Record<string, T>>): Record<string, T> {
  const out = emptyRecord<T>();
  const list = Symbol.iterator in entries ? (entries as Iterable<readonly [string, T]>) : Object.entries(entries);
  for (const [key, value] of list) out[key] = value;
  return out;
}
