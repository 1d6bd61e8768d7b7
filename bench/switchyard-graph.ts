import { z } from 'zod';
import { createSwitchyard, workflow, type Provider, type ProviderCall, type Switchyard, type Workflow } from '../src/index.js';
import { simulated, type SimulatedProvider } from '../src/testing/index.js';
import type { NodeDefinition } from '../src/workflow/index.js';
import type { Graph } from './graphs.js';
import { sleep } from './stats.js';

/**
 * How a benchmark node runs on switchyard: an `.llm` node (the whole stack: routing, budget ledger, call runner,
 * attempt, provider stream, events), or a `.step` node (the scheduler and node runner alone).
 */
export type SwitchyardNodeKind = 'llm' | 'step';

/** Every llm node pins this model, so routing is a table look-up rather than a policy decision. */
export const BENCH_MODEL = 'gpt-5.5';

const LATENCY = /^sleep (\d+)$/;

/** The latency a prompt `sleep <ms>` asks for (0 for any other prompt). */
const latencyOf = (prompt: string): number => Number(LATENCY.exec(prompt)?.[1] ?? 0);

/**
 * The graph as an untyped switchyard workflow. An llm node's prompt is `sleep <ms>`, which `latencyProvider`
 * turns into the simulated model's time to first token; a step node sleeps `latencyMs` itself (no timer at 0),
 * calling `onStepStart` first when given.
 */
export function toWorkflow(graph: Graph, kind: SwitchyardNodeKind, onStepStart?: () => void): Workflow<undefined> {
  const nodes: NodeDefinition[] = graph.nodes.map((node): NodeDefinition => {
    if (kind === 'llm') return { kind: 'llm', id: node.id, after: node.deps, model: BENCH_MODEL, prompt: `sleep ${node.latencyMs}` };
    const ms = node.latencyMs;
    if (ms > 0 && onStepStart) return { kind: 'step', id: node.id, after: node.deps, run: () => (onStepStart(), sleep(ms).then(() => 1)) };
    return { kind: 'step', id: node.id, after: node.deps, run: ms > 0 ? () => sleep(ms).then(() => 1) : () => 1 };
  });
  return workflow({ name: graph.name, input: z.undefined(), nodes });
}

/**
 * The simulated provider with each reply delayed by the latency in its prompt (`firstTokenMs`); one-word replies
 * with no pacing, so only that one timer is set per call. `onWait` is called as each request that waits arrives.
 */
export function latencyProvider(onWait?: () => void): SimulatedProvider {
  return simulated({
    name: 'sim-latency',
    reply: (info) => {
      const firstTokenMs = latencyOf(info.text);
      if (firstTokenMs > 0) onWait?.();
      return { text: 'ok', firstTokenMs };
    },
  });
}

/** Default simulated() timing (no timers at all) and a one-word reply: zero model latency. */
export function zeroLatencyProvider(): SimulatedProvider {
  return simulated({ name: 'sim-zero', reply: { text: 'ok' } });
}

/**
 * The least a provider can do: one text-delta, fixed usage, finish — no token counting, no request record,
 * no signals — so that the llm-node figures can be split into engine time and simulated-provider time. With
 * `wait`, each call first awaits the promise it returns (when it returns one).
 */
export function bareProvider(wait?: (call: ProviderCall) => Promise<void> | undefined): Provider {
  const usage = { inputTokens: 3, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 1, reasoningTokens: 0 };
  return {
    name: 'bare',
    family: 'simulated',
    serves: () => true,
    async *stream(call) {
      const waiting = wait?.(call);
      if (waiting) await waiting;
      yield { type: 'text-delta', text: 'ok' };
      yield { type: 'usage', usage };
      yield { type: 'finish', reason: 'stop' };
    },
  };
}

/**
 * `bareProvider` whose calls first wait the latency in their prompt (`sleep <ms>`, a plain timer; none at 0):
 * the waiting fan-out on the least a provider can do, for switchyard and the essential floor alike.
 */
export function timedBareProvider(onWait?: () => void): Provider {
  return bareProvider((call) => {
    const first = call.request.messages[0];
    const ms = latencyOf(typeof first?.content === 'string' ? first.content : '');
    if (ms === 0) return undefined;
    onWait?.();
    return sleep(ms);
  });
}

/** A switchyard instance over one provider. */
export function switchyardOn(provider: Provider): Switchyard {
  return createSwitchyard({ providers: [provider] });
}

/**
 * A repetition on a simulated provider: its record of past requests is dropped first (simulated() keeps every
 * request until `reset()`; left alone, that record would grow the live heap, and GC time, rep after rep).
 */
export function runFresh(sy: Switchyard, sim: SimulatedProvider, wf: Workflow<undefined>): Promise<void> {
  sim.reset();
  return runToEnd(sy, wf);
}

/** Runs the workflow to its end and throws unless every node succeeded (a benchmark of a broken run is void). */
export async function runToEnd(sy: Switchyard, wf: Workflow<undefined>): Promise<void> {
  const result = await sy.run(wf, undefined).result;
  if (result.status !== 'succeeded') {
    const first = result.errors[0];
    throw new Error(`Benchmark run of '${wf.name}' ended ${result.status}: ${first ? `${first.nodeId}: ${first.error.message}` : ''}`);
  }
}
