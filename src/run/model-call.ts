import type { Message, Usage } from '../models/types.js';
import { addUsage, ZERO_USAGE } from '../models/usage.js';
import { SwitchyardError } from '../errors/switchyard-error.js';
import type { CallEventPayload, CallOptions, CallResult } from './call-types.js';
import type { RunEnv } from './run-env.js';
import type { NodeTally } from './run-totals.js';

/** Where a call belongs: its node, the map item (if any), and the node's signal. */
export interface CallSite {
  nodeId: string;
  item?: number;
  signal: AbortSignal;
}

/** What a failed call was charged, read from the call runner's `budget` settle events. */
interface Spent {
  usage: Usage;
  costUsd: number;
  attempts: number;
  model?: string;
  provider?: string;
}

/**
 * Makes one model call through the run scope, stamping its events with the node (and item), and books its
 * usage and cost on the node and per model — from the CallResult when it succeeds, from the settled budget
 * events when it fails (so aborted and failed attempts are still accounted for).
 */
export async function callModel(
  env: RunEnv,
  tally: NodeTally,
  options: CallOptions,
  messages: Message[],
  site: CallSite,
): Promise<CallResult> {
  const spent: Spent = { usage: ZERO_USAGE, costUsd: 0, attempts: 0 };
  const { hub } = env;
  const { nodeId, item } = site;
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
    hub.emit(payload, nodeId, item);
  };
  try {
    const result = await env.scope.call({ ...options, messages }, { runId: env.runId, nodeId, item, signal: site.signal, emit });
    tally.add(result.usage, result.costUsd, result.attempts, result.model, result.provider);
    tally.finishReason = result.finishReason;
    env.models.add(result.model, result.usage, result.costUsd);
    return result;
  } catch (error) {
    tally.add(spent.usage, spent.costUsd, spent.attempts, spent.model, spent.provider);
    if (spent.model !== undefined) env.models.add(spent.model, spent.usage, spent.costUsd);
    throw error;
  }
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
