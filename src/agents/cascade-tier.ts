import type { TaskKind } from '../models/types.js';
import type { CallOptions } from '../call/call-types.js';

/** One tier of a cascade: a catalog model id, `{ model }`, or `{ task }` (routed by the task table). */
export type CascadeTier = string | { model: string; task?: never } | { task: TaskKind; model?: never };

/** The cascade option of `.llm` and `.agent` nodes. */
export interface CascadeOptions {
  /**
   * Cheap first: run the node on the first tier; when the verifier still rejects its output after the tier's
   * rounds, or its structured output does not validate (after the one repair), or an agent runs out of steps,
   * escalate to the next tier. The node result's `cascade` reports each tier and the saving against going
   * straight to the last (strongest) tier. Replaces `model`/`task`/`route` on the node; needs `verify` or
   * `output` (something to escalate on).
   * @example
   * cascade: ['gpt-5.4', 'gpt-5.5']
   */
  cascade?: readonly CascadeTier[];
}

/** A readable name for a tier (`gpt-5.4`, `task:classification`). */
export function tierName(tier: CascadeTier): string {
  if (typeof tier === 'string') return tier;
  return tier.model !== undefined ? tier.model : `task:${tier.task}`;
}

/** The call options of one tier: the tier's model or task replaces the node's routing. */
export function tierCall(base: CallOptions, tier: CascadeTier | undefined): CallOptions {
  if (tier === undefined) return base;
  if (typeof tier === 'string' || tier.model !== undefined) {
    return { ...base, model: typeof tier === 'string' ? tier : tier.model, task: undefined, route: undefined };
  }
  return { ...base, task: tier.task, model: undefined, route: undefined };
}

/** The model a tier names, when it names one. */
export function tierModel(tier: CascadeTier): string | undefined {
  return typeof tier === 'string' ? tier : tier.model;
}
