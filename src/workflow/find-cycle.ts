/**
 * Finds a cycle in a dependency graph (`deps[i]` = nodes that `i` waits for) in O(nodes + edges). Returns the
 * cycle in dataflow order, first node repeated at the end (`[a, b, c, a]`: b after a, c after b, a after c),
 * or undefined when the graph is acyclic.
 */
export function findCycle(deps: readonly (readonly number[])[]): number[] | undefined {
  const n = deps.length;
  const pending = new Int32Array(n);
  const dependents: number[][] = Array.from({ length: n }, () => []);
  deps.forEach((own, i) => {
    pending[i] = own.length;
    for (const j of own) dependents[j]!.push(i);
  });
  const queue: number[] = [];
  for (let i = 0; i < n; i++) if (pending[i] === 0) queue.push(i);
  for (let head = 0; head < queue.length; head++) {
    for (const k of dependents[queue[head]!]!) if (--pending[k]! === 0) queue.push(k);
  }
  if (queue.length === n) return undefined;
  // Every node left has a dependency that is also left: walking dependencies must come back to a node.
  let current = pending.findIndex((p) => p > 0);
  const seenAt = new Map<number, number>();
  const walk: number[] = [];
  while (!seenAt.has(current)) {
    seenAt.set(current, walk.length);
    walk.push(current);
    current = deps[current]!.find((j) => pending[j]! > 0)!;
  }
  const cycle = walk.slice(seenAt.get(current)).reverse();
  return [...cycle, cycle[0]!];
}
