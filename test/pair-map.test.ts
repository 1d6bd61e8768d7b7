import { describe, expect, test } from 'vitest';
import { PairMap } from '../src/data/pair-map.js';
import { CircuitBreakers } from '../src/retry/circuit-breakers.js';

describe('PairMap (endpoint × model state)', () => {
  test('pairs are told apart by both strings, whatever characters they hold', () => {
    const map = new PairMap<number>();
    map.set('a\u0000b', 'c', 1);
    map.set('a', 'b\u0000c', 2);
    map.set('a', 'b', 3);
    expect([map.get('a\u0000b', 'c'), map.get('a', 'b\u0000c'), map.get('a', 'b'), map.get('b', 'a')]).toEqual([1, 2, 3, undefined]);
    map.set('a', 'b', 4);
    expect([...map.values()]).toEqual([1, 2, 4]);
  });

  test('each endpoint × model has its own circuit breaker, made once', () => {
    const breakers = new CircuitBreakers({ failureThreshold: 1 });
    const open = breakers.get('east', 'gpt-5.5');
    expect(breakers.get('east', 'gpt-5.5')).toBe(open);
    open.trip('test');
    expect(breakers.isOpen('east', 'gpt-5.5')).toBe(true);
    expect(breakers.isOpen('east', 'gpt-5.4')).toBe(false);
    expect(breakers.isOpen('west', 'gpt-5.5')).toBe(false);
    expect(breakers.states().map((s) => [s.endpoint, s.model, s.state])).toEqual([
      ['east', 'gpt-5.5', 'open'],
      ['east', 'gpt-5.4', 'closed'],
      ['west', 'gpt-5.5', 'closed'],
    ]);
  });
});
