import { SwitchyardError } from '../errors/switchyard-error.js';
import type { Message } from '../models/types.js';
import { ZERO_USAGE } from '../models/usage.js';
import type { CallOptions } from '../call/call-types.js';
import { errorToJSON } from '../errors/error-json.js';
import type { EnsembleMember, EnsembleMerge } from './ensemble-types.js';
import { judgeMerge } from './merge-judge.js';
import { voteMerge } from './merge-vote.js';
import type { EnsembleCandidate, EnsembleMergeRecord, NodeDetail } from './node-detail.js';
import type { CallMeter, NodeIO } from './node-io.js';

/** An `.ensemble` node reduced to what its runner needs. */
export interface EnsemblePlan {
  /** The node's call options (routing, system, limits, `output`). */
  call: CallOptions;
  models?: readonly EnsembleMember[];
  candidates?: number;
  merge: EnsembleMerge<any, any>;
  /** The node's context, for a custom reducer. */
  context: unknown;
}

/** The call options of each candidate: a member's model or task replaces the node's routing. */
export function memberCalls(plan: EnsemblePlan): CallOptions[] {
  const base = plan.call;
  if (plan.models === undefined) return Array.from({ length: plan.candidates ?? 1 }, () => base);
  return plan.models.map((member) => {
    if (typeof member === 'string') return { ...base, model: member, task: undefined, route: undefined };
    const routing = member.model !== undefined ? { model: member.model, task: undefined } : { task: member.task, model: undefined };
    return { ...base, ...member, ...routing, route: undefined };
  });
}

function candidateStatus(error: unknown, own: AbortSignal, io: NodeIO): 'failed' | 'cancelled' {
  const aborted = SwitchyardError.isInstance(error) && error.kind === 'aborted';
  return aborted && (own.aborted || io.signal.aborted) ? 'cancelled' : 'failed';
}

/** Books a candidate's end on its record and announces it with a `candidate-end` event. */
function settleCandidate(io: NodeIO, record: EnsembleCandidate, meter: CallMeter): void {
  Object.assign(record, { usage: meter.usage, costUsd: meter.costUsd });
  const where = meter.model === undefined ? {} : { model: meter.model, provider: meter.provider };
  Object.assign(record, where);
  const error = record.error === undefined ? {} : { error: errorToJSON(record.error) };
  const { index, status } = record;
  io.emit({ type: 'candidate-end', candidate: index, status, costUsd: meter.costUsd, ...error, ...where }, { candidate: index });
}

/** Runs every candidate at once; with `first`, the first valid one aborts the others. Never rejects. */
async function runCandidates(io: NodeIO, plan: EnsemblePlan, messages: Message[], records: EnsembleCandidate[]): Promise<number | undefined> {
  const calls = memberCalls(plan);
  const controllers = calls.map(() => new AbortController());
  let winner: number | undefined;
  const runOne = async (call: CallOptions, index: number) => {
    const record = records[index]!;
    const meter: CallMeter = { usage: { ...ZERO_USAGE }, costUsd: 0 };
    const own = controllers[index]!.signal;
    const place = { tags: { candidate: index }, signal: AbortSignal.any([io.signal, own]), meter, budgetShare: calls.length };
    try {
      const result = await io.call(call, messages, place);
      Object.assign(record, { status: 'succeeded', output: call.output ? result.object : result.text });
      if (plan.merge !== 'first' || winner !== undefined) return;
      winner = index;
      const message = `Candidate ${index} finished first (merge 'first').`;
      const reason = new SwitchyardError({ kind: 'aborted', retryable: false, message });
      controllers.forEach((c, i) => i !== index && c.abort(reason));
    } catch (error) {
      record.status = candidateStatus(error, own, io);
      record.error = SwitchyardError.isInstance(error)
        ? error
        : new SwitchyardError({ kind: 'node_failed', message: String(error), cause: error });
    } finally {
      settleCandidate(io, record, meter);
    }
  };
  await Promise.all(calls.map(runOne));
  return winner;
}

function allFailed(io: NodeIO, records: readonly EnsembleCandidate[]): SwitchyardError {
  const errors = records.map((r) => r.error).filter((e): e is SwitchyardError => e !== undefined);
  if (errors.length > 0 && errors.every((e) => e.kind === errors[0]!.kind)) return errors[0]!;
  return new SwitchyardError({
    kind: 'node_failed',
    cause: errors[0],
    message:
      `Ensemble '${io.nodeId}': no candidate produced a valid output (` +
      records.map((r) => `candidate ${r.index} (${r.model ?? '?'}): ${r.error?.message ?? r.status}`).join('; ') +
      ').',
  });
}

async function merge(io: NodeIO, plan: EnsemblePlan, messages: Message[], records: EnsembleCandidate[], winner: number | undefined) {
  const succeeded = records.filter((r) => r.status === 'succeeded');
  const strategy = plan.merge;
  if (strategy === 'first') return { output: records[winner!]!.output, record: { strategy, chosen: [winner!] } };
  if (strategy === 'vote') {
    const { output, chosen, votes } = voteMerge(succeeded);
    return { output, record: { strategy, chosen, votes } };
  }
  if (strategy === 'concat') return { output: succeeded.map((r) => r.output), record: { strategy, chosen: succeeded.map((r) => r.index) } };
  if (strategy === 'judge' || typeof strategy === 'object') {
    const options = strategy === 'judge' ? {} : strategy.judge;
    const { output, chosen, judge } = await judgeMerge(io, options, plan.call, messages, succeeded);
    return { output, record: { strategy: 'judge' as const, chosen, judge } };
  }
  const options = { context: plan.context, signal: io.signal, runId: io.runId, nodeId: io.nodeId };
  const output: unknown = await strategy(records.map((r) => ({ ...r })), options);
  return { output, record: { strategy: 'custom' as const, chosen: succeeded.map((r) => r.index) } };
}

/**
 * Runs an `.ensemble` node: the same request on every member at once (each call through the run scope, its
 * events tagged `candidate: index`), then the merge. Every candidate's output, cost and whether it was used are
 * recorded in `detail.candidates`, success or failure. Fails when no candidate produced a valid output.
 */
export async function runEnsemble(io: NodeIO, plan: EnsemblePlan, messages: Message[], detail: NodeDetail): Promise<unknown> {
  const count = plan.models?.length ?? plan.candidates ?? 1;
  const records: EnsembleCandidate[] = Array.from({ length: count }, (_, index) => {
    const member = plan.models?.[index];
    const model = typeof member === 'string' ? member : member?.model;
    return { index, ...(model !== undefined && { model }), status: 'failed', usage: { ...ZERO_USAGE }, costUsd: 0, used: false };
  });
  detail.candidates = records;
  const winner = await runCandidates(io, plan, messages, records);
  io.signal.throwIfAborted();
  if (!records.some((r) => r.status === 'succeeded')) throw allFailed(io, records);
  const { output, record } = await merge(io, plan, messages, records, winner);
  detail.merge = record as EnsembleMergeRecord;
  for (const index of record.chosen) records[index]!.used = true;
  return output;
}
