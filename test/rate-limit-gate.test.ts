import { describe, expect, it } from 'vitest';
import { EndpointGate, ManualClock, Semaphore, TokenBucket } from '../src/retry/index.js';
import { AbortScope } from '../src/call/abort-scope.js';

/** Records which of the promises (or values, settled at once) have settled, in order. */
function track<T>(promises: Record<string, T | Promise<T>>): string[] {
  const order: string[] = [];
  for (const [name, p] of Object.entries(promises)) Promise.resolve(p).then(() => order.push(name), () => order.push(`${name}:rejected`));
  return order;
}

describe('EndpointGate: Retry-After pauses every caller of the endpoint', () => {
  it('holds every call to the paused endpoint until the pause passes, and no other endpoint', async () => {
    const clock = new ManualClock(1_000);
    const gate = new EndpointGate({ clock });
    gate.pauseUntil('hub', 6_000);
    const order = track({ a: gate.wait('hub'), b: gate.wait('hub'), other: gate.wait('openai') });
    await clock.advance(0);
    expect(order).toEqual(['other']);
    expect(gate.pausedFor('hub')).toBe(5_000);
    await clock.advance(4_999);
    expect(order).toEqual(['other']);
    await clock.advance(1);
    expect(order).toEqual(['other', 'a', 'b']);
  });

  it('never shortens a longer pause, and a pause set while waiting extends the wait', async () => {
    const clock = new ManualClock();
    const gate = new EndpointGate({ clock });
    gate.pauseUntil('hub', 5_000);
    gate.pauseUntil('hub', 2_000);
    expect(gate.pausedFor('hub')).toBe(5_000);
    const order = track({ a: gate.wait('hub') });
    await clock.advance(4_000);
    gate.pauseUntil('hub', 8_000);
    await clock.advance(2_000);
    expect(order).toEqual([]);
    await clock.advance(2_000);
    expect(order).toEqual(['a']);
  });

  it('a wait is abortable', async () => {
    const clock = new ManualClock();
    const gate = new EndpointGate({ clock });
    gate.pauseUntil('hub', 60_000);
    const controller = new AbortController();
    const waiting = gate.wait('hub', controller.signal);
    controller.abort();
    await expect(waiting).rejects.toMatchObject({ kind: 'aborted' });
    expect(clock.pending).toBe(0);
  });
});

describe('EndpointGate: client-side limits', () => {
  it('spaces requests to the requests-per-minute limit after the initial burst', async () => {
    const clock = new ManualClock();
    const gate = new EndpointGate({ clock, limits: { hub: { requestsPerMinute: 2 } } });
    const passes = track({ a: gate.acquire('hub', 0), b: gate.acquire('hub', 0), c: gate.acquire('hub', 0), d: gate.acquire('hub', 0) });
    await clock.advance(0);
    expect(passes).toEqual(['a', 'b']);
    await clock.advance(29_999);
    expect(passes).toEqual(['a', 'b']);
    await clock.advance(1);
    expect(passes).toEqual(['a', 'b', 'c']);
    await clock.advance(30_000);
    expect(passes).toEqual(['a', 'b', 'c', 'd']);
  });

  it('counts tokens per minute, serving callers in order even when a later one is smaller', async () => {
    const clock = new ManualClock();
    const gate = new EndpointGate({ clock, limits: { hub: { tokensPerMinute: 60_000 } } });
    const order = track({ big: gate.acquire('hub', 50_000), bigger: gate.acquire('hub', 30_000), small: gate.acquire('hub', 1_000) });
    await clock.advance(0);
    expect(order).toEqual(['big']);
    await clock.advance(20_000); // 10k left + 20k refilled = 30k
    expect(order).toEqual(['big', 'bigger']);
    await clock.advance(1_000);
    expect(order).toEqual(['big', 'bigger', 'small']);
  });

  it('lets a request larger than the whole per-minute limit through once the bucket is full, in debt', async () => {
    const clock = new ManualClock();
    const bucket = new TokenBucket(1_000, 60_000, clock);
    await bucket.take(500);
    const order = track({ huge: bucket.take(5_000) });
    await clock.advance(30_000);
    expect(order).toEqual(['huge']);
    expect(bucket.available).toBe(-4_000);
  });

  it('limits calls in flight per endpoint; a released slot goes to the next waiter', async () => {
    const clock = new ManualClock();
    const gate = new EndpointGate({ clock, limits: { hub: { maxConcurrency: 2 } } });
    const a = await gate.acquire('hub', 0);
    const b = await gate.acquire('hub', 0);
    const order = track({ c: gate.acquire('hub', 0), d: gate.acquire('hub', 0) });
    await clock.advance(0);
    expect(order).toEqual([]);
    a.release();
    a.release(); // twice releases once
    await clock.advance(0);
    expect(order).toEqual(['c']);
    b.release();
    await clock.advance(0);
    expect(order).toEqual(['c', 'd']);
  });

  it('an aborted acquire gives back its concurrency slot and its request token', async () => {
    const clock = new ManualClock();
    const gate = new EndpointGate({ clock, limits: { hub: { maxConcurrency: 1, requestsPerMinute: 2, tokensPerMinute: 100 } } });
    const first = await gate.acquire('hub', 100);
    first.release();
    const controller = new AbortController();
    const blocked = gate.acquire('hub', 100, AbortScope.fromSignal(controller.signal)); // takes a request, then waits a minute for tokens
    await clock.advance(1_000);
    controller.abort();
    await expect(blocked).rejects.toMatchObject({ kind: 'aborted' });
    // slot free and request token refunded: a token-free call passes at once
    const order = track({ next: gate.acquire('hub', 0) });
    await clock.advance(0);
    expect(order).toEqual(['next']);
  });
});

describe('Semaphore', () => {
  it('serves waiters first come, first served and removes aborted ones', async () => {
    const semaphore = new Semaphore(1);
    const release = await semaphore.acquire();
    const controller = new AbortController();
    const order = track({ a: semaphore.acquire(controller.signal), b: semaphore.acquire() });
    expect(semaphore.waiting).toBe(2);
    controller.abort();
    await Promise.resolve();
    await Promise.resolve();
    expect(semaphore.waiting).toBe(1);
    release();
    await new Promise((r) => setImmediate(r));
    expect(order).toEqual(['a:rejected', 'b']);
    expect(semaphore.inUse).toBe(1);
  });

  it('under many concurrent holders never exceeds its limit', async () => {
    const semaphore = new Semaphore(3);
    let inside = 0;
    let most = 0;
    await Promise.all(
      Array.from({ length: 100 }, async (_, i) => {
        const release = await semaphore.acquire();
        inside++;
        most = Math.max(most, inside);
        for (let k = 0; k < i % 5; k++) await Promise.resolve();
        inside--;
        release();
      }),
    );
    expect(most).toBe(3);
    expect(semaphore.inUse).toBe(0);
  });
});
