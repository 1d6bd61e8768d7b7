import type { RunEventBase } from '../run/events.js';

/**
 * The call site an event belongs to: its node, map item and ensemble candidate — the calls that may run at the
 * same time. Attempts of one site follow each other.
 */
export function siteOf(event: RunEventBase): string {
  const node = event.nodeId ?? '';
  if (event.item === undefined && event.candidate === undefined) return node;
  return `${node}#${event.item ?? ''}#${event.candidate ?? ''}`;
}
