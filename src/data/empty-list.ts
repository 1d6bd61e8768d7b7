/**
 * Empties an array and keeps its storage for the next items. `list.length = 0` gives the storage up (V8 drops the
 * backing store of an array cut to nothing), so a list emptied and refilled on a hot path (once per streamed chunk,
 * once per drained queue) would allocate it again each time; popping does not.
 */
export function emptyList(list: unknown[]): void {
  while (list.length > 0) list.pop();
}
