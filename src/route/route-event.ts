import type { RouteCandidate } from './route-types.js';
import type { RouteEndpoint, RoutePlan } from './route-types.js';

/**
 * The payload of a `node-route` event for a plan: why the first candidate, and the rest in failover order,
 * stamped with the first candidate's model and endpoint.
 */
export function routeEventOf(plan: RoutePlan<RouteEndpoint>): {
  type: 'node-route';
  reason: string;
  candidates: RouteCandidate[];
  downgraded?: boolean;
  model: string;
  provider: string;
} {
  const all = plan.candidates;
  const candidates: RouteCandidate[] = [];
  for (let i = 1; i < all.length; i++) candidates.push({ model: all[i]!.model.id, provider: all[i]!.endpoint, reason: all[i]!.reason });
  const first = all[0]!;
  const event = { type: 'node-route' as const, reason: plan.reason, candidates, model: first.model.id, provider: first.endpoint };
  return plan.downgraded ? { ...event, downgraded: true } : event;
}
