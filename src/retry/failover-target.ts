import type { ErrorKind } from '../errors/switchyard-error.js';
import type { RetryCandidate, RetryState } from './retry-decision.js';

/** What the next candidate must offer that the current one does not. */
export type FailoverNeed = 'any' | 'larger-window' | 'other-vendor' | 'other-endpoint' | 'same-model-elsewhere';

/** A later candidate that can succeed where the current one failed, with why it qualifies. */
export interface FailoverTarget {
  next: number;
  why: string;
}

const NEEDS: Record<FailoverNeed, { test: (c: RetryCandidate, cur: RetryCandidate) => boolean; what: string }> = {
  any: { test: () => true, what: 'another candidate' },
  'larger-window': { test: (c, cur) => c.model.contextWindow > cur.model.contextWindow, what: 'a larger context window' },
  'other-vendor': { test: (c, cur) => c.model.provider !== cur.model.provider, what: "another vendor's model" },
  'other-endpoint': { test: (c, cur) => c.endpoint !== cur.endpoint, what: 'another endpoint' },
  'same-model-elsewhere': {
    test: (c, cur) => c.model.id === cur.model.id && c.endpoint !== cur.endpoint,
    what: 'the same model on another endpoint',
  },
};

/** What a failover after an error of this kind needs. */
export function failoverNeed(kind: ErrorKind): FailoverNeed {
  if (kind === 'context_length') return 'larger-window';
  if (kind === 'content_filter') return 'other-vendor';
  if (kind === 'auth' || kind === 'quota') return 'other-endpoint';
  return 'any';
}

/** The first available candidate after the current one that offers what is needed, or undefined. */
export function failoverTarget(state: RetryState, need: FailoverNeed): FailoverTarget | undefined {
  const current = state.candidates[state.current];
  if (!current) return undefined;
  const { test, what } = NEEDS[need];
  for (let i = state.current + 1; i < state.candidates.length; i++) {
    const candidate = state.candidates[i]!;
    if (state.available && !state.available(candidate)) continue;
    if (test(candidate, current)) return { next: i, why: need === 'any' ? 'the next candidate' : what };
  }
  return undefined;
}

/** The need in words, for messages ("no remaining candidate offers a larger context window"). */
export function describeNeed(need: FailoverNeed): string {
  return NEEDS[need].what;
}
