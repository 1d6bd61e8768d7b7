import { SwitchyardError } from '../errors/switchyard-error.js';
import { unknownModelError } from '../models/unknown-model.js';
import { downgrade } from './downgrade.js';
import { formatTokens } from './format.js';
import { orderByMode } from './order.js';
import { preferenceList } from './preference-list.js';
import { expandEndpoints, qualifyModel } from './qualify.js';
import { chooseReasoning } from './reasoning-choice.js';
import type { RouteEndpoint, RouteInput, RoutePlan, RouteRejection, RouteState, RoutedCandidate, RouterConfig } from './route-types.js';

/**
 * Turns a call and the live state into an ordered list of candidates (model × endpoint), each with a reason.
 * Pure: the same input, state and config give the same plan.
 *
 * 1. Preference list: pinned model, route function result, or the task's list.
 * 2. Hard filters per model: usable input, window fits input + output, capabilities, max price (worst case,
 *    priced at the tier the input falls into); then per endpoint: the wire API the model needs, allowed
 *    providers, open circuits. Each model gets the reasoning effort it allows nearest to the one asked.
 * 3. Order by mode, keeping each model's endpoints together.
 * 4. With `downgrade`, candidates that fit the budget left move ahead of those that do not.
 *
 * @throws SwitchyardError kind 'no_provider' when nothing qualifies, listing every candidate and why not;
 *   kind 'unknown_model' for a pinned model that is not in the catalog.
 */
export function route<E extends RouteEndpoint>(input: RouteInput, state: RouteState, config: RouterConfig<E>): RoutePlan<E> {
  const rejected: RouteRejection[] = [];
  const groups: RoutedCandidate<E>[][] = [];
  const ask = { reasoning: input.reasoning, task: reasoningTask(input, config), defaults: config.reasoning };
  for (const { id, source } of preferenceList(input, config)) {
    const model = config.catalog.find(id);
    if (!model) {
      if (source === 'pinned model') throw unknownModel(id, config);
      rejected.push({ model: id, reason: 'not in the catalog' });
      continue;
    }
    const qualified = qualifyModel(model, input);
    if (typeof qualified === 'string') {
      rejected.push({ model: id, reason: qualified });
      continue;
    }
    qualified.reasoning = chooseReasoning(model, ask);
    const group = expandEndpoints(qualified, source, config.endpoints, input, state, rejected);
    if (group.length > 0) groups.push(group);
  }
  const ordered = orderByMode(groups, input.mode ?? 'quality');
  if (ordered.length === 0) throw noProvider(input, rejected);
  const { candidates, note } = input.downgrade ? downgrade(ordered, state) : { candidates: ordered, note: undefined };
  const downgraded = candidates[0] !== ordered[0];
  const first = candidates[0]!;
  const reason = downgraded || !note ? first.reason : `${first.reason}; ${note}`;
  return { candidates, rejected, downgraded, reason };
}

/** A router bound to one configuration: `(input, state) => plan`. */
export function createRouter<E extends RouteEndpoint>(config: RouterConfig<E>): (input: RouteInput, state?: RouteState) => RoutePlan<E> {
  return (input, state = {}) => route(input, state, config);
}

/** The task whose default reasoning applies: the call's, or the default task of a call that names nothing. */
function reasoningTask(input: RouteInput, config: RouterConfig<RouteEndpoint>) {
  if (input.task !== undefined) return input.task;
  return input.model === undefined && input.prefer === undefined ? (config.defaultTask ?? 'chat') : undefined;
}

function noProvider(input: RouteInput, rejected: RouteRejection[]): SwitchyardError {
  const what = input.model ? `model ${input.model}` : input.task ? `task ${input.task}` : 'this call';
  const lines = rejected.map((r) => `${r.model}${r.endpoint ? ` on ${r.endpoint}` : ''}: ${r.reason}`);
  return new SwitchyardError({
    kind: 'no_provider',
    model: input.model,
    message:
      `No candidate can serve ${what}${typeof input.inputTokens === 'number' ? ` (${formatTokens(input.inputTokens)} input tokens)` : ''}. ` +
      (lines.length > 0 ? `${lines.join('; ')}. ` : 'The preference list is empty. ') +
      'Add an endpoint that serves one of these models, widen the allowed providers or maxPriceUsd, or shorten the input.',
  });
}

function unknownModel(id: string, config: RouterConfig<RouteEndpoint>): SwitchyardError {
  return unknownModelError(id, config.catalog.nearMatches?.(id, 3) ?? []);
}
