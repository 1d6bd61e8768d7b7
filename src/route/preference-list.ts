import { defaultRoutes } from '../models/default-routes.js';
import type { RouteInput, RouteEndpoint, RouterConfig } from './route-types.js';

/** A catalog id to consider, with where it came from (for the candidate's reason). */
export interface Preference {
  id: string;
  source: string;
}

const ordinal = (n: number) => `${n}${n === 1 ? 'st' : n === 2 ? 'nd' : n === 3 ? 'rd' : 'th'}`;

/**
 * The ids to consider, first choice first, without duplicates: a pinned `model` first (then the task's list,
 * when a task is also given); else the route function's ids; else the task's list (instance override or
 * `defaultRoutes`); else the default task's list.
 */
export function preferenceList<E extends RouteEndpoint>(input: RouteInput, config: RouterConfig<E>): Preference[] {
  const out: Preference[] = [];
  const add = (id: string, source: string) => {
    if (!out.some((p) => p.id === id)) out.push({ id, source });
  };
  const task = input.task ?? (input.model === undefined && input.prefer === undefined ? (config.defaultTask ?? 'chat') : undefined);
  const taskList = task ? (config.routes?.[task] ?? defaultRoutes[task]) : [];
  if (input.model !== undefined) add(input.model, 'pinned model');
  if (input.prefer !== undefined) {
    const ids = typeof input.prefer === 'string' ? [input.prefer] : input.prefer;
    ids.forEach((id, i) => add(id, `route function's ${ordinal(i + 1)} choice`));
  } else if (task) {
    taskList.forEach((id, i) => add(id, `${ordinal(i + 1)} choice for ${task}`));
  }
  return out;
}
