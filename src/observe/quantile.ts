/**
 * Nearest-rank quantile of `values`, which it reorders (no full sort: quickselect, O(n)); the median of an even
 * count is the mean of the middle two. The same figure as on the sorted values.
 */
export function quantile(values: Float64Array, q: number): number {
  const n = values.length;
  if (n === 0) return 0;
  if (q === 0.5 && n % 2 === 0) {
    const low = select(values, n / 2 - 1, 0);
    // Everything after the (n/2-1)-th is now at least as large: the next is the least of those.
    return (low + select(values, n / 2, n / 2)) / 2;
  }
  const rank = Math.min(n, Math.max(1, Math.ceil(q * n)));
  return select(values, rank - 1, 0);
}

/**
 * The k-th smallest (0-based) of `values[from..]` (Hoare's quickselect, median-of-three pivot). Afterwards no
 * value before index k is larger than it, and none after it smaller.
 */
function select(values: Float64Array, k: number, from: number): number {
  let lo = from;
  let hi = values.length - 1;
  while (lo < hi) {
    const pivot = medianOf3(values[lo]!, values[(lo + hi) >>> 1]!, values[hi]!);
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (values[i]! < pivot) i++;
      while (values[j]! > pivot) j--;
      if (i <= j) {
        const swap = values[i]!;
        values[i++] = values[j]!;
        values[j--] = swap;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return values[k]!; // between j and i: equal to the pivot
  }
  return values[k]!;
}

function medianOf3(a: number, b: number, c: number): number {
  return a < b ? (b < c ? b : a < c ? c : a) : a < c ? a : b < c ? c : b;
}
