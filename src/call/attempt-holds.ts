import type { SettleResult } from '../budget/budget-ledger.js';
import { releaseSignalOf } from '../budget/release-signal.js';
import { costOf, worstCaseCostOf } from '../models/cost.js';
import { countTextTokens, countTokens } from '../models/tokens.js';
import type { ModelRequest, Usage } from '../models/types.js';
import { addUsage, totalTokens } from '../models/usage.js';
import { capOf, outputText, type AttemptState } from './attempt.js';
import type { CandidateAttempt } from './candidate-attempt.js';
import type { SwitchyardEnv } from './call-env.js';
import type { JournaledHold } from './hold-journal.js';
import { OutputMeter, overrunMargin } from './output-meter.js';
import { settledUsage, type SettledUsage } from './settled-usage.js';

/** Output tokens an overrun allowance holds beyond the margin: room for the chunk that crosses it. */
const CROSSING_CHUNK = 16;

/** A hold on the ledger: its id and what it holds. */
export interface Held {
  id: string;
  usd: number;
  tokens: number;
}

/**
 * The budget holds of one attempt and their settlement: the reservation of its worst case; the overrun allowance
 * taken when its whole cap has certainly streamed (so what the attempt reads before it is cut is held too, and
 * `spent` cannot pass a limit on its account); the durable run's record of both; and the settlement of
 * everything to what the attempt consumed, which never throws.
 */
export class AttemptHolds {
  readonly meter: OutputMeter;
  #allowance: { reservation: Held; outputTokens: number } | undefined;
  #done = false;
  readonly #main: Held;

  /** `request` is the request as sent (its output cap is the one the stream is held to). */
  constructor(
    private readonly env: SwitchyardEnv,
    private readonly input: CandidateAttempt,
    private readonly request: ModelRequest,
    main: Held,
  ) {
    this.#main = main;
    this.meter = new OutputMeter(capOf(input.candidate.model, request));
  }

  /** Records the reservation in the durable run's journal before the request goes out (a promise only then). */
  journal(): Promise<void> | undefined {
    const journal = this.input.holds;
    if (journal === undefined) return undefined;
    const reservation = this.#main;
    return journal.held(this.#journaled(reservation)).catch((error: unknown) => {
      this.#done = true;
      void Promise.resolve(this.env.ledger.release(reservation.id)).then(
        () => releaseSignalOf(this.env.ledger).notify(),
        () => {},
      );
      throw error;
    });
  }

  /**
   * The whole cap has certainly streamed: hold the overrun allowance (the margin, and room for the chunk that
   * crosses it) at every level before reading on. False when a level cannot hold it: the attempt is then cut at
   * once, having read no more than its reservation covers (up to the last piece's extra tokens).
   */
  readonly onCapReached = (): boolean | Promise<boolean> => {
    const { candidate, scope } = this.input;
    const outputTokens = overrunMargin(this.meter.cap) + CROSSING_CHUNK;
    const input = candidate.inputTokens;
    const usd = worstCaseCostOf(candidate.model, input, outputTokens) - worstCaseCostOf(candidate.model, input, 0);
    const reserving = this.env.ledger.reserve({ scope, usd, tokens: outputTokens, model: candidate.model.id, provider: candidate.endpoint });
    const held = (result: Awaited<typeof reserving>): boolean | Promise<boolean> => {
      if (!result.ok) return false;
      this.#allowance = { reservation: result.reservation, outputTokens };
      const journaled = this.input.holds?.held(this.#journaled(result.reservation));
      return journaled === undefined ? true : journaled.then(() => true);
    };
    return reserving instanceof Promise ? reserving.then(held) : held(reserving as Awaited<typeof reserving>);
  };

  /** Settles every hold to what the attempt consumed and books it; a promise only when the ledger answers with one. */
  settle(state: AttemptState): Promise<void> | undefined {
    if (this.#done) return undefined;
    this.#done = true;
    const { usage, note, costUsd } = this.#consumed(state);
    const amount = { usd: costUsd, tokens: totalTokens(usage) };
    const allowance = this.#allowance?.reservation;
    let settled: SettleResult | undefined;
    const finish = (after?: SettleResult) => this.#booked(usage, note, costUsd, after?.applied ? after : settled, allowance);
    try {
      const settling = this.env.ledger.settle(this.#main.id, amount);
      if (!isPromise(settling)) {
        settled = settling;
        return this.#returnAllowance(allowance, finish);
      }
      return settling.then(
        (result) => {
          settled = result;
          return this.#returnAllowance(allowance, finish);
        },
        () => finish(),
      );
    } catch {
      finish();
      return undefined;
    }
  }

  /** What the attempt is charged (see `settledUsage`); the reserved worst case if that cannot be worked out. */
  #consumed(state: AttemptState): SettledUsage & { costUsd: number } {
    const { model } = this.input.candidate;
    const heldOutput = this.meter.cap + (this.#allowance?.outputTokens ?? 0);
    try {
      let floor: number | undefined;
      const settled = settledUsage({
        model,
        reported: state.reported,
        anything: state.events > 0,
        inputEstimate: () => countTokens(model, this.request),
        outputEstimate: () => countTextTokens(model, outputText(state)),
        reasoningEstimate: () => (state.reasoning ? countTextTokens(model, state.reasoning) : 0),
        outputFloor: () => (floor ??= this.meter.floor(() => outputText(state))),
        heldOutput,
      });
      return { ...settled, costUsd: costOf(model, settled.usage) };
    } catch (error) {
      const input = this.input.candidate.inputTokens;
      const usage: Usage = { inputTokens: input, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: heldOutput, reasoningTokens: 0, estimated: true };
      const why = error instanceof Error ? error.message : String(error);
      return { usage, costUsd: this.#main.usd + (this.#allowance?.reservation.usd ?? 0), note: `The attempt's usage could not be worked out (${why}); charged what was reserved.` };
    }
  }

  /**
   * Returns the overrun allowance (its spend is in the main settlement), then `finish`es with the figures after
   * both. Settled first, returned second: in between, a level counts the allowance twice (spent and held), which can
   * only refuse a reservation, never grant one it should not.
   */
  #returnAllowance(allowance: Held | undefined, finish: (after?: SettleResult) => void): Promise<void> | undefined {
    if (allowance === undefined) {
      finish();
      return undefined;
    }
    try {
      const released = this.env.ledger.release(allowance.id);
      if (!isPromise(released)) {
        finish(released);
        return undefined;
      }
      return released.then(finish, () => finish());
    } catch {
      // A ledger that cannot return it now still returns it when the run's scope closes.
      finish();
      return undefined;
    }
  }

  /** Books the settled attempt on the call's tally, the durable journal and the stream. */
  #booked(usage: Usage, note: string | undefined, costUsd: number, settled: SettleResult | undefined, allowance: Held | undefined): void {
    const { candidate, ctx, tally } = this.input;
    releaseSignalOf(this.env.ledger).notify();
    const journal = this.input.holds;
    if (journal !== undefined) {
      journal.settled(this.#journaled(this.#main), { usd: costUsd, tokens: totalTokens(usage) });
      if (allowance !== undefined) journal.settled(this.#journaled(allowance), { usd: 0, tokens: 0 });
    }
    tally.usage = addUsage(tally.usage, usage);
    tally.costUsd += costUsd;
    ctx.emit({
      type: 'budget',
      phase: 'settle',
      amountUsd: costUsd,
      usage,
      levels: settled?.levels ?? [],
      ...(note === undefined ? {} : { note }),
      attempt: tally.attempts,
      model: candidate.model.id,
      provider: candidate.endpoint,
    });
  }

  #journaled(reservation: Held): JournaledHold {
    return { id: reservation.id, nodeId: this.input.ctx.nodeId, usd: reservation.usd, tokens: reservation.tokens };
  }
}

function isPromise<T>(value: T | Promise<T>): value is Promise<T> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}
