import type { SwitchyardError } from '../errors/switchyard-error.js';
import type { FinishReason, ToolCall, Usage } from '../models/types.js';

/** One tool call of an agent step, with what the model got back. */
export interface AgentToolRecord extends ToolCall {
  /** False when the tool threw, was unknown, or its arguments failed the schema; `result` is then the error text. */
  ok: boolean;
  /** What the model received (bounded). */
  result: string;
  durationMs: number;
  /** For a tool that needs approval: what the person decided (a rejected call did not run). */
  approval?: 'approved' | 'rejected';
}

/** One step of an agent: a model call and the tools it asked for. */
export interface AgentStep {
  /** 1-based, counted over the whole node (rounds and cascade tiers included). */
  step: number;
  /** The verify round this step belongs to (1 without `verify`). */
  round: number;
  /** The reply text of the step. */
  text: string;
  toolCalls: AgentToolRecord[];
  model: string;
  provider: string;
  usage: Usage;
  costUsd: number;
  finishReason: FinishReason;
}

/** What a verifier said. */
export type Verdict = { ok: true } | { ok: false; feedback: string };

/** One round of a node with `verify`: what was produced, the verdict, and what the round cost. */
export interface VerifyRound {
  /** 1-based, counted over the whole node (cascade tiers included). */
  round: number;
  /** The cascade tier (0-based) the round ran on; 0 without `cascade`. */
  tier: number;
  /** The output the verifier judged. */
  output: unknown;
  verdict: Verdict;
  model: string;
  usage: Usage;
  /** USD spent on the round's model calls (failed attempts included). */
  costUsd: number;
}

/** One tier of a cascade as it ran. */
export interface CascadeTierRecord {
  /** The tier as configured: a model id, or `task:<kind>` for a tier routed by task. */
  tier: string;
  /** The model the tier ran on (its first call's). */
  model?: string;
  /** Whether the tier produced the node's output. */
  passed: boolean;
  /** Why the cascade moved on, when it did. */
  reason?: string;
  usage: Usage;
  costUsd: number;
}

/** What a cascade did and what it saved. */
export interface CascadeReport {
  tiers: CascadeTierRecord[];
  /** The model whose output the node returned. */
  model?: string;
  /** The strongest (last) tier's model, the baseline of the comparison. */
  baselineModel?: string;
  /**
   * The estimated cost of going straight to the strongest model: the usage of the tier that produced the
   * output, priced as `baselineModel` (when that tier was the strongest, its actual cost). Unset when the
   * strongest tier is routed by task and was never reached (its model is unknown).
   */
  baselineCostUsd?: number;
  /** `baselineCostUsd - costUsd` of the whole node: positive when the cascade saved money, negative when it cost more. */
  savingUsd?: number;
}

/** One candidate of an ensemble. */
export interface EnsembleCandidate {
  /** 0-based; events of this candidate carry `candidate: index`. */
  index: number;
  /** The model the candidate ran on (or the model it asked for, when it never ran). */
  model?: string;
  provider?: string;
  status: 'succeeded' | 'failed' | 'cancelled';
  /** The candidate's output (text, or the validated object with `output`). */
  output?: unknown;
  error?: SwitchyardError;
  usage: Usage;
  costUsd: number;
  /** Whether the merge used this candidate's output. */
  used: boolean;
}

/** How an ensemble merged its candidates. */
export interface EnsembleMergeRecord {
  strategy: 'first' | 'vote' | 'judge' | 'concat' | 'custom';
  /** Indexes of the candidates whose output the merge used. */
  chosen: number[];
  /** For `vote`: each distinct answer with the candidates that gave it, most votes first. */
  votes?: Array<{ output: unknown; candidates: number[] }>;
  /** For `judge`: the judge's model and its reason. */
  judge?: { model: string; reason?: string; costUsd: number };
}

/**
 * What agent, verifier, ensemble and cascade nodes add to their node result (`result.nodes[id]`), success or
 * failure.
 */
export interface NodeDetail {
  /** Agent nodes: every step, in order. */
  steps?: AgentStep[];
  /** Nodes with `verify`: every round's output, verdict and cost. */
  rounds?: VerifyRound[];
  /** Nodes with `verify`: whether the output passed (false when `acceptLast` returned an unverified output). */
  verified?: boolean;
  /** Nodes with `cascade`. */
  cascade?: CascadeReport;
  /** Ensemble nodes: every candidate. */
  candidates?: EnsembleCandidate[];
  /** Ensemble nodes: how they merged. */
  merge?: EnsembleMergeRecord;
}
