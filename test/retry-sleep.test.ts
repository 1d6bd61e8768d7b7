import { describe, expect, it } from 'vitest';
import { SwitchyardError } from '../src/errors/index.js';
import { ManualClock, sleep } from '../src/retry/index.js';

describe('sleep', () => {
  it('waits the given time on the injected clock', async () => {
    const clock = new ManualClock();
    let done = false;
    const slept = sleep(1_000, undefined, clock).then(() => (done = true));
    await clock.advance(999);
    expect(done).toBe(false);
    await clock.advance(1);
    await slept;
    expect(done).toBe(true);
    expect(clock.pending).toBe(0);
  });

  it('rejects at once with kind aborted when the signal aborts, and leaves no timer or listener behind', async () => {
    const clock = new ManualClock();
    const controller = new AbortController();
    let listeners = 0;
    const signal = controller.signal;
    const add = signal.addEventListener.bind(signal);
    const remove = signal.removeEventListener.bind(signal);
    signal.addEventListener = ((...args: Parameters<typeof add>) => (listeners++, add(...args))) as typeof add;
    signal.removeEventListener = ((...args: Parameters<typeof remove>) => (listeners--, remove(...args))) as typeof remove;
    const slept = sleep(60_000, signal, clock);
    expect(listeners).toBe(1);
    controller.abort();
    await expect(slept).rejects.toMatchObject({ kind: 'aborted' });
    expect(listeners).toBe(0);
    expect(clock.pending).toBe(0);
  });

  it('removes its listener when it ends normally', async () => {
    const controller = new AbortController();
    let removed = 0;
    const remove = controller.signal.removeEventListener.bind(controller.signal);
    controller.signal.removeEventListener = ((...args: Parameters<typeof remove>) => (removed++, remove(...args))) as typeof remove;
    await sleep(1, controller.signal);
    expect(removed).toBe(1);
  });

  it('rejects before waiting when the signal is already aborted', async () => {
    const clock = new ManualClock();
    await expect(sleep(10, AbortSignal.abort(), clock)).rejects.toSatisfy(SwitchyardError.isInstance);
    expect(clock.pending).toBe(0);
  });

  it("passes a SwitchyardError abort reason through (a deadline's 'timeout')", async () => {
    const controller = new AbortController();
    const slept = sleep(60_000, controller.signal);
    controller.abort(new SwitchyardError({ kind: 'timeout', message: 'deadline' }));
    await expect(slept).rejects.toMatchObject({ kind: 'timeout' });
  });

  it('ends promptly on the real clock when cancelled during a long backoff', async () => {
    const controller = new AbortController();
    const started = performance.now();
    setTimeout(() => controller.abort(), 5);
    await expect(sleep(30_000, controller.signal)).rejects.toMatchObject({ kind: 'aborted' });
    expect(performance.now() - started).toBeLessThan(10_000); // a third of the sleep it cut short, whatever the load
  });
});
