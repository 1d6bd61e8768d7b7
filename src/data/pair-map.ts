/**
 * A map keyed by a pair of strings (an endpoint × a model), as a map of maps: a look-up reads two long-lived
 * strings whose hashes V8 keeps, where one `${a}\0${b}` key would build (and hash) a new string on every call.
 */
export class PairMap<V> {
  readonly #outer = new Map<string, Map<string, V>>();

  get(a: string, b: string): V | undefined {
    return this.#outer.get(a)?.get(b);
  }

  set(a: string, b: string, value: V): void {
    let inner = this.#outer.get(a);
    if (inner === undefined) this.#outer.set(a, (inner = new Map()));
    inner.set(b, value);
  }

  /** Every value, in the order their pairs were first set (grouped by the first string). */
  *values(): IterableIterator<V> {
    for (const inner of this.#outer.values()) yield* inner.values();
  }
}
