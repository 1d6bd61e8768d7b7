import type { RunEvent } from '../../run/events.js';

/** What the report knows of nesting: the loops seen so far (by node path). */
export interface Nesting {
  loops: Set<string>;
}

/**
 * The report row an event belongs to: its node path, and for a node inside a loop body its iteration too
 * (`refine/revise#2`: one row per iteration). A loop's own iteration events stay on the loop's row.
 */
export function rowKey(event: RunEvent): string | undefined {
  const { nodeId } = event;
  if (nodeId === undefined) return undefined;
  if (event.type === 'iteration-start' || event.type === 'iteration-end') return nodeId;
  return event.parent !== undefined && event.iteration !== undefined ? `${nodeId}#${event.iteration}` : nodeId;
}

/** The row of the node that holds an event's node (its loop, or its nested workflow in that iteration). */
export function parentKey(event: RunEvent, nesting: Nesting): string | undefined {
  const { parent, iteration } = event;
  if (parent === undefined) return undefined;
  if (iteration === undefined || nesting.loops.has(parent)) return parent;
  return `${parent}#${iteration}`;
}

/** A nested row's label: its own id (the path's last part), with its iteration. */
export function rowLabel(key: string): string {
  const [path, iteration] = key.split('#') as [string, string?];
  const own = path.slice(path.lastIndexOf('/') + 1);
  return iteration === undefined ? own : `${own} #${iteration}`;
}

/** Adds what nested rows cost to the rows that hold them, deepest first. */
export function rollUp<T extends { cost: number; tin: number; tcached: number; tout: number; parent?: number; depth: number }>(rows: T[]): void {
  const order = rows.map((_r, i) => i).sort((a, b) => rows[b]!.depth - rows[a]!.depth);
  for (const i of order) {
    const row = rows[i]!;
    if (row.parent === undefined) continue;
    const up = rows[row.parent]!;
    up.cost += row.cost;
    up.tin += row.tin;
    up.tcached += row.tcached;
    up.tout += row.tout;
  }
}
