import type { RunEventBase } from '../run/events.js';
import type { MetricsSlice } from './metrics-slice.js';

/**
 * The call site an event belongs to: its node, map item and ensemble candidate — the calls that may run at the
 * same time. Attempts of one site follow each other.
 */
export function siteOf(event: RunEventBase): string {
  const node = event.nodeId ?? '';
  if (event.item === undefined && event.candidate === undefined) return node;
  return `${node}#${event.item ?? ''}#${event.candidate ?? ''}`;
}

/**
 * What a metrics collector keeps of one call site of a run, reused by every call and attempt made there: the
 * open attempt (between its reservation and its settlement) and the last settled one (until the site's next
 * call: a retry or fallback before then marks it wasted). A node's own site also holds its items' and
 * candidates' sites.
 */
export class CallSite {
  /** An attempt is open (reserved, not yet settled). */
  open = false;
  /** When the open attempt started. */
  start = 0;
  /** When the open attempt's first token came; undefined until then. */
  firstToken: number | undefined;
  /** The last settled attempt can still be replaced (it is booked as wasted when it is). */
  replaceable = false;
  lastCostUsd = 0;
  /** The model and endpoint slices the last settled attempt was booked in. */
  lastModel: MetricsSlice | undefined;
  lastEndpoint: MetricsSlice | undefined;
  /** The sites of the node's map items and ensemble candidates, by `item#candidate`. */
  sub: Map<string, CallSite> | undefined;

  /** @param node the node's slice (undefined for events of no node). */
  constructor(readonly node: MetricsSlice | undefined) {}

  /** An attempt of this site, or of one of its items or candidates, is open. */
  busy(): boolean {
    if (this.open) return true;
    if (this.sub) for (const site of this.sub.values()) if (site.open) return true;
    return false;
  }

  /** The site of an item or candidate of this node's site, made on first use when `create`. */
  subSite(item: number | undefined, candidate: number | undefined, create: boolean): CallSite | undefined {
    const key = `${item ?? ''}#${candidate ?? ''}`;
    let site = this.sub?.get(key);
    if (!site && create) {
      site = new CallSite(this.node);
      (this.sub ??= new Map()).set(key, site);
    }
    return site;
  }
}
