import type { Message, Usage } from '../models/types.js';
import { addUsage, totalTokens, ZERO_USAGE } from '../models/usage.js';
import { SwitchyardError } from '../errors/switchyard-error.js';
import type { BudgetLimits, CallContext, CallOptions, CallResult } from '../call/call-types.js';
import type { StampedPayload } from './events.js';
import type { RunEnv } from './run-env.js';
import { AbortScope } from '../call/abort-scope.js';
import type { NodeTally } from './run-totals.js';
import type { CallMeter, CallPlace, CallTags, NodeIO, StepLog } from '../agents/node-io.js';
import { defaultCatalog } from '../models/default-catalog.js';

/** Where a call belongs: its node, the map item (if any), its abort scope, event tags and an optional meter. */
export interface CallSite {
  nodeId: string;
  item?: number;
  abort: AbortScope;
  /** Extra fields stamped on every event of the call (ensemble candidate, agent step, verify round). */
  tags?: CallTags;
  /** Filled with what the call cost, whether it succeeded or not. */
  meter?: CallMeter;
}

/**
 * Makes one model call through the run scope, stamping its events with the node (and item, and tags), and books
 * its usage and cost on the node and per model — from the CallResult when it succeeds, from the settled budget
 * events when it fails (so aborted and failed attempts are still accounted for).
 */
export function callModel(env: RunEnv, tally: NodeTally, options: CallOptions, messages: Message[], site: CallSite): Promise<CallResult> {
  return bookedCall(new CallBooking(env, tally, site), options, messages) as Promise<CallResult>;
}

/** What a booked call resolves to: its result, or (for a plain `.llm` node) its output alone. */
type Pick = 'result' | 'text' | 'object';

// Promise callbacks rather than an async function: nothing of this frame stays suspended while the call streams.
function bookedCall(booking: CallBooking, options: CallOptions, messages: Message[]): Promise<unknown> {
  return booking.env.scope.call({ ...options, messages }, booking).then(
    (result) => booking.succeeded(result),
    (error: unknown) => booking.failed(error),
  );
}

/**
 * One call's context (the run scope's `CallContext`: where its events go) and its booking: what it spent so far
 * (from its settled budget events), and how its outcome is booked on the node.
 */
class CallBooking implements CallMeter, CallContext {
  usage: Usage = ZERO_USAGE;
  costUsd = 0;
  attempts = 0;
  model?: string;
  provider?: string;
  readonly runId: string;
  readonly nodeId: string;
  readonly item: number | undefined;
  readonly abort: AbortScope;
  readonly #tags: CallTags | undefined;
  readonly #meter: CallMeter | undefined;

  constructor(
    readonly env: RunEnv,
    private readonly tally: NodeTally,
    site: CallSite,
    private readonly pick: Pick = 'result',
  ) {
    this.runId = env.runId;
    this.nodeId = site.nodeId;
    this.item = site.item;
    this.abort = site.abort;
    this.#tags = site.tags;
    this.#meter = site.meter;
  }

  /** The call's event sink: notes what was spent, then stamps and emits. */
  readonly emit = (payload: StampedPayload): void => {
    if (payload.type === 'budget') {
      if (payload.phase === 'settle') {
        this.costUsd += payload.amountUsd;
        if (payload.usage) this.usage = addUsage(this.usage, payload.usage);
      } else if (payload.outputCap) this.tally.outputCap = payload.outputCap;
    }
    if (payload.attempt !== undefined && payload.attempt > this.attempts) this.attempts = payload.attempt;
    if (payload.model !== undefined && this.model === undefined) {
      this.model = payload.model;
      this.provider = payload.provider;
    }
    const tags = this.#tags;
    this.env.hub.emit(tags ? { ...payload, ...tags } : payload, this.nodeId, this.item);
  };

  succeeded(result: CallResult): unknown {
    bookCall(this.env, this.tally, result, this.#meter);
    return this.pick === 'result' ? result : this.pick === 'text' ? result.text : result.object;
  }

  failed(error: unknown): never {
    const { tally, env } = this;
    tally.add(this.usage, this.costUsd, this.attempts, this.model, this.provider);
    if (this.model !== undefined) env.models.add(this.model, this.usage, this.costUsd);
    if (this.#meter) Object.assign(this.#meter, { usage: this.usage, costUsd: this.costUsd, model: this.model, provider: this.provider });
    throw error;
  }
}

/** Books a call that succeeded (or was replayed from the node's step log) on the node, per model, and on its meter. */
export function bookCall(env: RunEnv, tally: NodeTally, result: CallResult, meter?: CallMeter): CallResult {
  tally.add(result.usage, result.costUsd, result.attempts, result.model, result.provider);
  tally.finishReason = result.finishReason;
  env.models.add(result.model, result.usage, result.costUsd);
  if (meter) Object.assign(meter, { usage: result.usage, costUsd: result.costUsd, model: result.model, provider: result.provider });
  return result;
}

/** What a durable node's NodeIO adds: its step log, and the answer it was resumed with. */
export interface DurableSteps {
  steps?: StepLog;
  answer?: unknown;
}

/** The engine side of `NodeIO`: calls and events of node `i` (and map item), under `scope`. */
export function nodeIO(env: RunEnv, i: number, scope: AbortScope, item?: number, durable: DurableSteps = {}): NodeIO {
  const tally = env.tallies[i]!;
  const nodeId = env.graph.nodes[i]!.id;
  const call: NodeIO['call'] = (options, messages, place) => callOnNode(env, i, scope, options, messages, place, item);
  return {
    runId: env.runId,
    nodeId,
    get signal() {
      return scope.signal;
    },
    catalog: env.scope.catalog ?? defaultCatalog,
    call: durable.steps ? replayingCalls(env, tally, durable.steps, call) : call,
    emit: (payload, tags) => env.hub.emit(tags ? { ...payload, ...tags } : payload, nodeId, item),
    spent: () => ({ usage: tally.usage, costUsd: tally.costUsd, calls: tally.calls }),
    steps: durable.steps,
    answer: durable.answer,
  };
}

/**
 * The calls of a durable node: the n-th call is committed to the step log as `call:n` once it succeeds, and a
 * resumed run replays a committed one (booked on the node as it was, neither requested nor paid again). The
 * node's code is deterministic given its inputs and the replayed results, so the n-th call is the same call.
 */
function replayingCalls(env: RunEnv, tally: NodeTally, steps: StepLog, call: NodeIO['call']): NodeIO['call'] {
  let n = 0;
  return (options, messages, place) => {
    const op = `call:${++n}`;
    const recalled = steps.recall(op) as CallResult | undefined;
    if (recalled !== undefined) return Promise.resolve(bookCall(env, tally, recalled, place?.meter));
    return call(options, messages, place).then(async (result) => {
      await steps.commit(op, result);
      return result;
    });
  };
}

/**
 * One model call of node `i` (and map item), booked on the node, under `scope` or the place's own signal.
 * A node budget gives the call what is left of it (see `remainingBudget`).
 */
export function callOnNode(
  env: RunEnv,
  i: number,
  scope: AbortScope,
  options: CallOptions,
  messages: Message[],
  place?: CallPlace,
  item?: number,
): Promise<CallResult> {
  const tally = env.tallies[i]!;
  const budget = options.budget && remainingBudget(options.budget, tally, place?.budgetShare ?? 1);
  const call = budget ? { ...options, budget } : options;
  const own = place?.signal === undefined ? undefined : AbortScope.fromSignal(place.signal);
  const site: CallSite = { nodeId: env.graph.nodes[i]!.id, item, tags: place?.tags, meter: place?.meter, abort: own ?? scope };
  if (own === undefined) return callModel(env, tally, call, messages, site);
  return callModel(env, tally, call, messages, site).finally(() => own.dispose());
}

/** The one call of a plain `.llm` node: its output (the text, or the object for `output`) once booked on the node. */
export function callForOutput(env: RunEnv, i: number, scope: AbortScope, options: CallOptions, messages: Message[]): Promise<unknown> {
  const site: CallSite = { nodeId: env.graph.nodes[i]!.id, abort: scope };
  return bookedCall(new CallBooking(env, env.tallies[i]!, site, options.output === undefined ? 'text' : 'object'), options, messages);
}

/**
 * A node budget spans all the node's calls (agent steps, verify rounds, cascade tiers, ensemble candidates): each
 * call gets what the node has not spent yet, divided by `share` for calls made at once (ensemble candidates), so
 * the node's spend never passes its limit.
 */
function remainingBudget(limits: BudgetLimits, tally: NodeTally, share: number): BudgetLimits {
  if (tally.calls === 0 && share === 1) return limits;
  const left: BudgetLimits = {};
  if (limits.usd !== undefined) left.usd = Math.max(0, limits.usd - tally.costUsd) / share;
  if (limits.tokens !== undefined) left.tokens = Math.floor(Math.max(0, limits.tokens - totalTokens(tally.usage)) / share);
  return left;
}

type PromptSource = { prompt?: unknown; messages?: unknown };

/** Builds the message list of an `.llm` node or a map item from its `prompt` or `messages`. */
export async function buildMessages(source: PromptSource, args: unknown[], what: string): Promise<Message[]> {
  if (typeof source.messages === 'function') {
    const messages: unknown = await source.messages(...args);
    if (!Array.isArray(messages)) {
      throw new SwitchyardError({
        kind: 'invalid_request',
        message: `${what}: \`messages\` returned ${describeValue(messages)}; return an array of messages.`,
      });
    }
    return messages as Message[];
  }
  const prompt: unknown = typeof source.prompt === 'function' ? await source.prompt(...args) : source.prompt;
  if (typeof prompt !== 'string') {
    throw new SwitchyardError({
      kind: 'invalid_request',
      message: `${what}: \`prompt\` returned ${describeValue(prompt)}; return a string.`,
    });
  }
  return [{ role: 'user', content: prompt }];
}

/** A short description of a value for error messages ("a string (\"abc\")", "an object", "undefined"). */
export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === 'string') return `a string (${JSON.stringify(value.slice(0, 40))})`;
  if (typeof value === 'object') return `an object (${Object.keys(value).slice(0, 5).join(', ') || 'no keys'})`;
  return `a ${typeof value} (${String(value).slice(0, 40)})`;
}
