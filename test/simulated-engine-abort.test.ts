import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createSwitchyard, workflow, type SwitchyardError } from '../src/index.js';
import { simulated } from '../src/testing/index.js';

// simulated() waits on the engine's call through its abort scope (no AbortSignal is made for a timer): these check
// that a wait inside the engine still ends the moment the call is cancelled or its attempt times out.
describe('simulated() waits inside the engine end on cancellation', () => {
  it('a run cancelled during a first-token wait ends at once, its request recorded as failed with kind aborted', async () => {
    const sim = simulated({ reply: { text: 'late', firstTokenMs: 60_000 } });
    const sy = createSwitchyard({ providers: [sim] });
    const call = sy.stream({ model: 'gpt-5.5', prompt: 'wait' });
    const types: string[] = [];
    const reading = (async () => {
      for await (const event of call) types.push(event.type);
    })();
    while (sim.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    const cancelledAt = performance.now();
    call.cancel('stop waiting');
    const error = (await call.result.catch((e: unknown) => e)) as SwitchyardError;
    await reading;
    // Well before the 60 s the reply would have waited (a margin no loaded machine comes near).
    expect(performance.now() - cancelledAt).toBeLessThan(30_000);
    expect(error.kind).toBe('aborted');
    expect(types).not.toContain('text-delta');
    expect(sim.requests[0]).toMatchObject({ outcome: 'error' });
    expect(sim.requests[0]?.error?.kind).toBe('aborted');
  });

  it('an attempt whose first token does not come within firstTokenTimeoutMs is cut, and the retry is served', async () => {
    const sim = simulated({ reply: (info) => (info.index === 0 ? { text: 'late', firstTokenMs: 60_000 } : { text: 'fresh reply' }) });
    const sy = createSwitchyard({ providers: [sim], retry: { firstTokenTimeoutMs: 50, baseDelayMs: 0 } });
    const result = await sy.generate({ model: 'gpt-5.5', prompt: 'wait' });
    expect(result.text).toBe('fresh reply');
    expect(result.attempts).toBe(2);
    expect(sim.requests.map((r) => r.outcome)).toEqual(['error', 'ok']);
    expect(sim.requests[0]?.error?.kind).toBe('aborted');
  });

  it('a fail-fast run stops a sibling that hangs mid-stream, and its request does not stay open', async () => {
    const sim = simulated({
      reply: (info) =>
        info.text.startsWith('hang') ? { text: 'one two three', fault: { type: 'hang', afterTokens: 1 } } : { text: 'ok', fault: { type: 'http', status: 400 } },
    });
    const sy = createSwitchyard({ providers: [sim] });
    const wf = workflow({
      name: 'hang-and-fail',
      input: z.undefined(),
      nodes: [
        { kind: 'llm', id: 'slow', model: 'gpt-5.5', prompt: 'hang here' },
        { kind: 'llm', id: 'bad', model: 'gpt-5.5', prompt: 'fail now' },
      ],
    });
    const result = await sy.run(wf, undefined).result;
    expect(result.status).toBe('failed');
    expect(result.nodes.slow?.status).toBe('cancelled');
    const hung = sim.requests.find((r) => r.request.messages[0]?.content === 'hang here');
    expect(hung?.outcome).toBe('error');
    expect(hung?.error?.kind).toBe('aborted');
  });
});
