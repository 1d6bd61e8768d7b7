/**
 * Turns `target[key]` into a member made when first read: enumerable (JSON, spreads, `structuredClone` and deep
 * equality see it like any other) and writable, redefined in place so the keys keep their order. For figures that
 * will not change any more and that most callers never read.
 */
export function lazyMember<T extends object, K extends keyof T>(target: T, key: K, make: () => T[K]): T {
  let made = false;
  let value: T[K] | undefined;
  Object.defineProperty(target, key, {
    enumerable: true,
    configurable: true,
    get: () => {
      if (!made) {
        value = make();
        made = true;
      }
      return value;
    },
    set: (next: T[K]) => {
      value = next;
      made = true;
    },
  });
  return target;
}
