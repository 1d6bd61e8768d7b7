import { emptyRecord } from '../data/plain-record.js';
import type { EnsembleCandidate } from './node-detail.js';

/** Object keys sorted at every level, so equal structured outputs stringify equally. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value === null || typeof value !== 'object') return value;
  const sorted = emptyRecord<unknown>();
  for (const key of Object.keys(value).sort()) sorted[key] = canonical((value as Record<string, unknown>)[key]);
  return sorted;
}

/** The key two outputs agree on: text with whitespace collapsed, anything else as canonical JSON. */
export function voteKey(output: unknown): string {
  if (typeof output === 'string') return `text:${output.trim().replace(/\s+/g, ' ')}`;
  return `json:${JSON.stringify(canonical(output))}`;
}

/** What a vote decided. */
export interface VoteOutcome {
  output: unknown;
  chosen: number[];
  votes: Array<{ output: unknown; candidates: number[] }>;
}

/**
 * Plurality vote over the successful candidates' outputs. Ties go to the answer whose first supporter comes
 * earliest in candidate order (the order of `models`). `votes` lists every distinct answer, most votes first.
 */
export function voteMerge(succeeded: readonly EnsembleCandidate[]): VoteOutcome {
  const groups = new Map<string, { output: unknown; candidates: number[] }>();
  for (const candidate of [...succeeded].sort((a, b) => a.index - b.index)) {
    const key = voteKey(candidate.output);
    const group = groups.get(key);
    if (group) group.candidates.push(candidate.index);
    else groups.set(key, { output: candidate.output, candidates: [candidate.index] });
  }
  // Array.prototype.sort is stable: equal counts keep first-appearance (candidate) order.
  const votes = [...groups.values()].sort((a, b) => b.candidates.length - a.candidates.length);
  const winner = votes[0]!;
  return { output: winner.output, chosen: winner.candidates, votes };
}
