/**
 * How deep JSON that came from a model may nest. Real tool arguments and structured outputs stay within a few
 * dozen levels; 128 (serde_json's default recursion limit) leaves room for any of them while keeping every
 * recursive consumer — `JSON.stringify`, `structuredClone`, schema validation, the SDKs' request encoders — far
 * from the stack limit (V8's `JSON.stringify` overflows between 2,000 and 5,000 levels; `structuredClone` earlier).
 */
export const MAX_JSON_DEPTH = 128;

/**
 * Whether `value` nests objects or arrays more than `limit` levels deep (a scalar is depth 0, `{}` depth 1). Walks
 * without recursion, so no value can overflow the stack here; a circular reference counts as nesting without end.
 * Shared sub-objects are walked once per depth at most, so a value built to blow up a naive walk cannot.
 */
export function exceedsDepth(value: unknown, limit: number = MAX_JSON_DEPTH): boolean {
  if (!isContainer(value)) return false;
  const deepestSeen = new Map<object, number>();
  const stack: Array<[object, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (depth > limit) return true;
    if ((deepestSeen.get(node) ?? 0) >= depth) continue;
    deepestSeen.set(node, depth);
    for (const child of childrenOf(node)) if (isContainer(child)) stack.push([child, depth + 1]);
  }
  return false;
}

function isContainer(value: unknown): value is object {
  return typeof value === 'object' && value !== null;
}

function childrenOf(node: object): unknown[] {
  try {
    return Array.isArray(node) ? node : Object.values(node);
  } catch {
    return []; // a throwing getter or proxy trap: nothing below it that JSON could reach either
  }
}
