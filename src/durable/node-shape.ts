import { emptyRecord } from '../data/plain-record.js';
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { CompiledWorkflow } from '../workflow/compile-workflow.js';
import type { NodeShape } from './checkpoint-store.js';

/** Fields that do not change what a node outputs, so changing them never blocks a resume. */
const NEUTRAL = new Set(['id', 'kind', 'after', 'onError', 'timeoutMs', 'retry', 'budget', 'concurrency', 'signal', 'downgrade']);

function hash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

function isSchema(value: unknown): value is z.ZodType {
  return typeof value === 'object' && value !== null && '_zod' in value;
}

/** A workflow (a `.workflow` node's, a `.loop`'s body): its nodes live behind a getter, not in own fields. */
function isWorkflow(value: object): value is { name: unknown; inputSchema: unknown; nodes: readonly unknown[] } {
  return 'inputSchema' in value && Array.isArray((value as { nodes?: unknown }).nodes);
}

/** A stable text for a field value: functions by source, zod schemas by JSON Schema, the rest as sorted JSON. */
function describe(value: unknown, seen = new WeakSet<object>()): string {
  if (typeof value === 'function') return `fn:${value.toString()}`;
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? String(value);
  if (isSchema(value)) {
    try {
      return `schema:${JSON.stringify(z.toJSONSchema(value, { unrepresentable: 'any' }))}`;
    } catch {
      return `schema:${value._zod.def.type}`;
    }
  }
  if (seen.has(value)) return '[circular]';
  seen.add(value);
  if (isWorkflow(value)) return `workflow:${String(value.name)}:${describe(value.inputSchema, seen)}:${describe(value.nodes, seen)}`;
  if (Array.isArray(value)) return `[${value.map((v) => describe(v, seen)).join(',')}]`;
  const keys = Object.keys(value).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${describe((value as Record<string, unknown>)[k], seen)}`).join(',')}}`;
}

/** The shape of every node of a workflow: kind, dependencies and a hash per output-shaping field. */
export function workflowShape(graph: CompiledWorkflow): Record<string, NodeShape> {
  const shape = emptyRecord<NodeShape>();
  graph.nodes.forEach((node, i) => {
    const fields: Record<string, string> = {};
    for (const [key, value] of Object.entries(node)) {
      if (!NEUTRAL.has(key) && value !== undefined) fields[key] = hash(describe(value));
    }
    const deps = graph.deps[i]!.map((d) => graph.nodes[d]!.id).sort();
    shape[node.id] = { kind: node.kind, deps, fields };
  });
  return shape;
}

/** What changed in one node since the checkpoint, in words ('' when nothing did). */
function nodeChange(before: NodeShape, after: NodeShape | undefined): string {
  if (!after) return 'was removed';
  if (before.kind !== after.kind) return `changed kind from ${before.kind} to ${after.kind}`;
  const changes: string[] = [];
  if (before.deps.join() !== after.deps.join()) {
    changes.push(`its dependencies changed from [${before.deps.join(', ')}] to [${after.deps.join(', ')}]`);
  }
  const keys = new Set([...Object.keys(before.fields), ...Object.keys(after.fields)]);
  for (const key of [...keys].sort()) {
    if (before.fields[key] === after.fields[key]) continue;
    if (!(key in after.fields)) changes.push(`\`${key}\` was removed`);
    else if (!(key in before.fields)) changes.push(`\`${key}\` was added`);
    else changes.push(`\`${key}\` changed`);
  }
  return changes.join(', ');
}

/**
 * The nodes that had not completed and changed since the checkpoint: what they committed inside (agent steps,
 * nodes of a nested workflow or loop) no longer matches them, so they start over.
 */
export function changedUnfinished(before: Record<string, NodeShape>, after: Record<string, NodeShape>, completed: ReadonlySet<string>): string[] {
  return Object.keys(before).filter((id) => !completed.has(id) && Object.hasOwn(after, id) && nodeChange(before[id]!, after[id]) !== '');
}

/**
 * The changes that make a checkpoint unusable: a node that had completed was removed, or its kind, dependencies
 * or an output-shaping field (prompt, model, task, output schema, run function...) changed. Nodes that had not
 * completed may change freely (that is how a bug is fixed before resuming), and new nodes may be added.
 */
export function incompatibleChanges(before: Record<string, NodeShape>, after: Record<string, NodeShape>, completed: Iterable<string>): string[] {
  const problems: string[] = [];
  for (const id of completed) {
    const was = before[id];
    if (!was) continue;
    const change = nodeChange(was, after[id]);
    if (change) problems.push(`completed node '${id}' ${change}`);
  }
  return problems;
}
