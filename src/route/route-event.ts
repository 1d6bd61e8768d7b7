import { attachmentInfo, type Attachment, type AttachmentInfo } from '../models/attachment.js';
import type { RouteCandidate, RouteEndpoint, RoutePlan, RouteSkip } from './route-types.js';

/**
 * The payload of a `node-route` event for a plan: why the first candidate, the rest in failover order, the models
 * (or endpoints) skipped and why, and the request's attachments as metadata (never their bytes); stamped with the
 * first candidate's model and endpoint.
 */
export function routeEventOf(
  plan: RoutePlan<RouteEndpoint>,
  attachments?: readonly Attachment[],
): {
  type: 'node-route';
  reason: string;
  candidates: RouteCandidate[];
  downgraded?: boolean;
  skipped?: RouteSkip[];
  attachments?: AttachmentInfo[];
  model: string;
  provider: string;
} {
  const all = plan.candidates;
  const candidates: RouteCandidate[] = [];
  for (let i = 1; i < all.length; i++) candidates.push({ model: all[i]!.model.id, provider: all[i]!.endpoint, reason: all[i]!.reason });
  const first = all[0]!;
  const event: ReturnType<typeof routeEventOf> = { type: 'node-route', reason: plan.reason, candidates, model: first.model.id, provider: first.endpoint };
  if (plan.downgraded) event.downgraded = true;
  if (plan.rejected.length > 0) {
    event.skipped = plan.rejected.map((r) => (r.endpoint === undefined ? { model: r.model, reason: r.reason } : { model: r.model, provider: r.endpoint, reason: r.reason }));
  }
  if (attachments !== undefined && attachments.length > 0) event.attachments = attachments.map(attachmentInfo);
  return event;
}
