import { defaultReasoning } from '../models/default-reasoning.js';
import { effortsOf, nearestEffort } from '../models/reasoning.js';
import type { ModelInfo, ReasoningEffort, ReasoningOptions, TaskKind } from '../models/types.js';

/** The reasoning one candidate model gets, and why, in words for the `node-route` event. */
export interface ReasoningChoice {
  /** What to send; unset: nothing (the provider's default, or a model that does not reason). */
  reasoning?: ReasoningOptions;
  /** Why, when anything was asked for. */
  reason?: string;
}

/** What the choice reads of the call. */
export interface ReasoningAsk {
  /** The call's own `reasoning`. */
  reasoning?: ReasoningOptions;
  /** The task whose default applies when the call sets none. */
  task?: TaskKind;
  /** Per-task efforts over `defaultReasoning`. */
  defaults?: Partial<Record<TaskKind, ReasoningEffort>>;
}

/**
 * The reasoning a model gets for a call: the call's own `reasoning`, else its task's default effort (from
 * `defaults`, else `defaultReasoning`), moved to the nearest effort the model allows. Nothing for a call with
 * neither (the provider's default), and nothing for a model that does not reason. Pure: a policy like `decide`.
 */
export function chooseReasoning(model: ModelInfo, ask: ReasoningAsk): ReasoningChoice {
  const task = ask.task;
  const wanted = ask.reasoning ?? (task === undefined ? undefined : { effort: ask.defaults?.[task] ?? defaultReasoning[task] });
  if (wanted === undefined) return {};
  const source = ask.reasoning !== undefined ? 'as asked' : `the default for ${task}`;
  const effort = nearestEffort(model, wanted.effort);
  if (effort === undefined) return { reason: `no reasoning (${model.id} does not reason)` };
  if (effort === wanted.effort) return { reasoning: wanted, reason: `reasoning ${effort}, ${source}` };
  const allowed = effortsOf(model).join(', ');
  return {
    reasoning: { ...wanted, effort },
    reason: `reasoning ${effort} (${wanted.effort} asked, ${source}; ${model.id} allows ${allowed})`,
  };
}
