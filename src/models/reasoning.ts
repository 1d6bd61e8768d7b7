import type { ModelInfo, ReasoningEffort } from './types.js';

/** Every reasoning effort, lowest first. */
export const REASONING_EFFORTS: readonly ReasoningEffort[] = ['none', 'minimal', 'low', 'medium', 'high', 'xhigh'];

/** The efforts a model accepts, lowest first: none for a model that does not reason. */
export function effortsOf(model: ModelInfo): readonly ReasoningEffort[] {
  if (!model.capabilities.reasoning) return [];
  const allowed = model.reasoningEfforts;
  return allowed === undefined ? REASONING_EFFORTS : REASONING_EFFORTS.filter((effort) => allowed.includes(effort));
}

/**
 * The allowed effort nearest to `asked` (itself when allowed); between two equally near, the higher one, so a
 * call never thinks less than asked for want of an exact match. Undefined when the model does not reason.
 */
export function nearestEffort(model: ModelInfo, asked: ReasoningEffort): ReasoningEffort | undefined {
  const allowed = effortsOf(model);
  if (allowed.includes(asked)) return asked;
  const rank = REASONING_EFFORTS.indexOf(asked);
  let best: ReasoningEffort | undefined;
  let bestDistance = Infinity;
  for (const effort of allowed) {
    const distance = Math.abs(REASONING_EFFORTS.indexOf(effort) - rank);
    if (distance <= bestDistance) {
      best = effort;
      bestDistance = distance;
    }
  }
  return best;
}
