import type { Verdict, VerifyRound } from './node-detail.js';

/** The second argument of a verifier. `C` is the node's context (its input and dependencies). */
export interface VerifyContext<C = unknown> {
  /** 1-based round being judged (counted over the whole node, cascade tiers included). */
  round: number;
  /** The rounds judged before this one. */
  previous: readonly VerifyRound[];
  /** What the node's callbacks see: `input` and the outputs of its dependencies. */
  context: C;
  /** Aborted when the run is cancelled, fails fast, or the node times out. Pass it to what the verifier starts. */
  signal: AbortSignal;
  runId: string;
  nodeId: string;
}

/**
 * Judges a node's output: `{ ok: true }` accepts it; `{ ok: false, feedback }` sends `feedback` back to the
 * model, which revises (up to `maxRounds`). May be async. A verifier that throws fails the node.
 * @example
 * verify: (answer) => (answer.includes('TODO') ? { ok: false, feedback: 'Remove the TODOs.' } : { ok: true })
 */
export type Verifier<Out = unknown, C = unknown> = (output: Out, ctx: VerifyContext<C>) => Verdict | Promise<Verdict>;

/** The verifier options of `.llm` and `.agent` nodes. */
export interface VerifyOptions<Out = unknown, C = unknown> {
  /**
   * Checks each output; on `{ ok: false, feedback }` the feedback is fed back and the node revises, up to
   * `maxRounds`, inside the budget. Built-ins: `verifiers.schema(zod)`, `verifiers.runTests({...})`.
   */
  verify?: Verifier<Out, C>;
  /**
   * Most rounds (generate → verify). In a cascade, rounds per tier.
   * @default 3, or 1 per tier with `cascade`
   */
  maxRounds?: number;
  /**
   * When the rounds are spent and the verifier still says no: return the last output, marked unverified
   * (`result.nodes[id].verified === false`), instead of failing the node with kind 'verification_failed'.
   * @default false
   */
  acceptLast?: boolean;
}
