import type { ProviderState } from '../models/types.js';

/**
 * Who may read the provider state of a reply: the endpoint, its wire API and the wire model. Signatures and
 * encrypted reasoning are only valid where they were made, so an adapter sends back only state it owns, and
 * leaves out the rest (an agent that failed over to another endpoint or model continues without it).
 */
export function stateOwner(endpoint: string, api: string, wireModel: string): string {
  return `${endpoint}|${api}|${wireModel}`;
}

/** Wraps an adapter's data as provider state. */
export function ownedState(owner: string, data: unknown): ProviderState {
  return { owner, data };
}

/** The data of `state` when `owner` made it; undefined for state from anywhere else (or none). */
export function ownData<T>(state: ProviderState | undefined, owner: string): T | undefined {
  return state !== undefined && state.owner === owner ? (state.data as T) : undefined;
}
