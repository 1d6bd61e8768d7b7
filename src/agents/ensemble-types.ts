import type { TaskKind } from '../models/types.js';
import type { CallOptions } from '../call/call-types.js';
import type { EnsembleCandidate } from './node-detail.js';

/**
 * One member of an ensemble: a catalog model id, or call options of its own (`model` or `task`, and optionally
 * `system`, `temperature`, `maxOutputTokens`, `providers`) laid over the node's.
 */
export type EnsembleMember =
  | string
  | (Pick<CallOptions, 'system' | 'temperature' | 'maxOutputTokens' | 'providers'> &
      ({ model: string; task?: never } | { task: TaskKind; model?: never }));

/** How a judge merges: pick one candidate, or write a new answer from all of them. */
export interface JudgeOptions {
  /**
   * The work the judge does, routed by the task table (ignored when `model` is given).
   * @default 'research'
   */
  task?: TaskKind;
  /** A catalog model id to pin for the judge. */
  model?: string;
  /**
   * `'pick'`: the judge names the best candidate, whose output becomes the node's. `'synthesize'`: the judge
   * writes the final answer itself (validated by the node's `output`, when given).
   * @default 'pick'
   */
  mode?: 'pick' | 'synthesize';
  /** What the judge should value, added to its instructions (e.g. "prefer the most concise correct answer"). */
  criteria?: string;
  /** Most output tokens of the judge's call. */
  maxOutputTokens?: number;
}

/** A candidate as a custom reducer sees it: its output typed. */
export type EnsembleCandidateOf<Out> = Omit<EnsembleCandidate, 'output'> & { output?: Out };

/** The second argument of a custom reducer. */
export interface EnsembleMergeOptions<C> {
  /** What the node's callbacks see: `input` and the outputs of its dependencies. */
  context: C;
  signal: AbortSignal;
  runId: string;
  nodeId: string;
}

/** A custom merge: every candidate (failed and cancelled ones too, with their `status`) in, the node's output out. */
export type EnsembleReducer<Out, C, R = unknown> = (candidates: EnsembleCandidateOf<Out>[], options: EnsembleMergeOptions<C>) => R;

/**
 * How an ensemble merges its candidates:
 * - `'first'`: the first candidate to finish with a valid output wins; the others are aborted at once (their
 *   requests closed) and charged only for what they used.
 * - `'vote'`: the most frequent output (structured outputs compared as canonical JSON, text with whitespace
 *   collapsed); a tie goes to the answer whose first supporter comes earliest in `models`.
 * - `'judge'` or `{ judge: {...} }`: a judge model picks the best candidate or synthesizes an answer.
 * - `'concat'`: every successful candidate's output, as an array in candidate order.
 * - a function: your reducer.
 */
export type EnsembleMerge<Out = unknown, C = unknown, R = unknown> = EnsembleMergeStrategy | EnsembleReducer<Out, C, R>;

/** The built-in merges. */
export type EnsembleMergeStrategy = 'first' | 'vote' | 'concat' | 'judge' | { judge: JudgeOptions };

/** The output type of an ensemble with output `Out` merged by the built-in `M`, or by a reducer returning `R`. */
export type EnsembleOutput<Out, M, R = never> = [R] extends [never] ? (M extends 'concat' ? Out[] : Out) : Awaited<R>;
