import type { Message } from '../models/types.js';
import { addUsage, totalTokens, ZERO_USAGE } from '../models/usage.js';
import { SwitchyardError } from '../errors/switchyard-error.js';
import type { BudgetLimits, CallEventPayload, CallOptions, CallResult } from './call-types.js';
import type { RunEnv } from './run-env.js';
import { AbortScope } from './abort-scope.js';
import type { NodeTally } from './run-totals.js';
import type { CallMeter, CallPlace, CallTags, NodeIO } from '../agents/node-io.js';
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
export async function callModel(
  env: RunEnv,
  tally: NodeTally,
  options: CallOptions,
  messages: Message[],
  site: CallSite,
): Promise<CallResult> {
  const spent: CallMeter & { attempts: number } = { usage: ZERO_USAGE, costUsd: 0, attempts: 0 };
  const { hub } = env;
  const { nodeId, item, tags } = site;
  const emit = (payload: CallEventPayload) => {
    if (payload.type === 'budget' && payload.phase === 'settle') {
      spent.costUsd += payload.amountUsd;
      if (payload.usage) spent.usage = addUsage(spent.usage, payload.usage);
    }
    if (payload.attempt !== undefined && payload.attempt > spent.attempts) spent.attempts = payload.attempt;
    if (payload.model !== undefined && spent.model === undefined) {
      spent.model = payload.model;
      spent.provider = payload.provider;
    }
    hub.emit(tags ? { ...payload, ...tags } : payload, nodeId, item);
  };
  try {
    const result = await env.scope.call({ ...options, messages }, { runId: env.runId, nodeId, item, abort: site.abort, emit });
    tally.add(result.usage, result.costUsd, result.attempts, result.model, result.provider);
    tally.finishReason = result.finishReason;
    env.models.add(result.model, result.usage, result.costUsd);
    if (site.meter) Object.assign(site.meter, { usage: result.usage, costUsd: result.costUsd, model: result.model, provider: result.provider });
    return result;
  } catch (error) {
    tally.add(spent.usage, spent.costUsd, spent.attempts, spent.model, spent.provider);
    if (spent.model !== undefined) env.models.add(spent.model, spent.usage, spent.costUsd);
    if (site.meter) Object.assign(site.meter, { usage: spent.usage, costUsd: spent.costUsd, model: spent.model, provider: spent.provider });
    throw error;
  }
}

/** The engine side of `NodeIO`: calls and events of node `i` (and map item), under `scope`. */
export function nodeIO(env: RunEnv, i: number, scope: AbortScope, item?: number): NodeIO {
  const tally = env.tallies[i]!;
  const nodeId = env.graph.nodes[i]!.id;
  return {
    runId: env.runId,
    nodeId,
    get signal() {
      return scope.signal;
    },
    catalog: env.scope.catalog ?? defaultCatalog,
    call: (options, messages, place) => callOnNode(env, i, scope, options, messages, place, item),
    emit: (payload, tags) => env.hub.emit(tags ? { ...payload, ...tags } : payload, nodeId, item),
    spent: () => ({ usage: tally.usage, costUsd: tally.costUsd, calls: tally.calls }),
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
