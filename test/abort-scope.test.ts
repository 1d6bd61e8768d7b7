import { describe, expect, it } from 'vitest';
import { AbortScope, raceAbort } from '../src/call/abort-scope.js';

describe('AbortScope listeners', () => {
  it('calls each listener once, in the order added, with the reason', () => {
    const scope = new AbortScope();
    const calls: string[] = [];
    scope.onAbort((reason) => calls.push(`a:${String(reason)}`));
    scope.onAbort((reason) => calls.push(`b:${String(reason)}`));
    scope.abort('stop');
    scope.abort('again');
    expect(calls).toEqual(['a:stop', 'b:stop']);
  });

  it('does not call a listener removed before the abort, or removed by an earlier listener during it', () => {
    const scope = new AbortScope();
    const calls: string[] = [];
    const removeFirst = scope.onAbort(() => calls.push('first'));
    let removeThird = () => {};
    scope.onAbort(() => {
      calls.push('second');
      removeThird();
    });
    removeThird = scope.onAbort(() => calls.push('third'));
    scope.onAbort(() => calls.push('fourth'));
    removeFirst();
    removeFirst(); // idempotent
    scope.abort(new Error('x'));
    expect(calls).toEqual(['second', 'fourth']);
  });

  it('calls a child scope’s listeners when the parent aborts, and none added during or after the abort', () => {
    const parent = new AbortScope();
    const child = parent.child();
    const calls: string[] = [];
    child.onAbort(() => {
      calls.push('child');
      child.onAbort(() => calls.push('added during'));
    });
    parent.abort('cancelled');
    child.onAbort(() => calls.push('added after'));
    expect(calls).toEqual(['child']);
    expect(child.reason).toBe('cancelled');
  });

  it('removes listeners in any order without disturbing the others (thousands on one scope)', () => {
    const scope = new AbortScope();
    const called = new Set<number>();
    const listening = Array.from({ length: 5_000 }, (_, i) => scope.watchAbort(() => called.add(i)));
    // Remove every even one, from both ends toward the middle.
    for (let lo = 0, hi = 4_998; lo <= hi; lo += 2, hi -= 2) {
      listening[lo]!.off();
      listening[hi]!.off();
    }
    scope.abort('stop');
    expect(called.size).toBe(2_500);
    expect([...called].every((i) => i % 2 === 1)).toBe(true);
  });

  it('raceAbort: settles with the work, or rejects with the reason as soon as the scope aborts', async () => {
    const scope = new AbortScope();
    await expect(raceAbort(Promise.resolve(7), scope)).resolves.toBe(7);
    const never = new Promise<number>(() => {});
    const raced = raceAbort(never, scope);
    scope.abort(new Error('cancelled'));
    await expect(raced).rejects.toThrow('cancelled');
    await expect(raceAbort(Promise.resolve(1), scope)).rejects.toThrow('cancelled');
  });
});
