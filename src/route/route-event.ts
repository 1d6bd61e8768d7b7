import type { RouteCandidate } from '../run/events.js';
import type { RouteEndpoint, RoutePlan } from './route-types.js';

/** The payload of a `node-route` event for a plan: why the first candidate, and the rest in failover order. */
export function routeEventOf(plan: RoutePlan<RouteEndpoint>): {
  type: 'node-route';
  reason: string;
  candidates: RouteCandidate[];
  downgraded?: boolean;
} {
  return {
    type: 'node-route',
    reason: plan.reason,
    candidates: plan.candidates.slice(1).map((c) => ({ model: c.model.id, provider: c.endpoint, reason: c.reason })),
    ...(plan.downgraded ? { downgraded: true } : {}),
  };
}
