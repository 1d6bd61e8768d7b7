export { createRouter, route } from './route.js';
export { routeEventOf } from './route-event.js';
export { LatencyTracker } from './latency-tracker.js';
export type {
  RouteEndpoint,
  RouteInput,
  RouteMode,
  RoutePlan,
  RouteRejection,
  RouteSkip,
  RouteState,
  RoutedCandidate,
  RouterConfig,
} from './route-types.js';
