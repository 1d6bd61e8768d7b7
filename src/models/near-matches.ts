/** Edit distance between two strings (Levenshtein, insert/delete/substitute each cost 1). */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution);
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

const normalize = (id: string) => id.toLowerCase().replace(/[\s_]+/g, '-');

/**
 * The candidates that look like a mistyped `query`, best first: ids within a small edit distance, and ids that
 * contain the query or are contained in it (so 'opus' finds 'claude-opus-4-7').
 */
export function nearMatches(query: string, candidates: Iterable<string>, limit = 3): string[] {
  const wanted = normalize(query);
  if (wanted.length === 0) return [];
  const scored: Array<{ id: string; score: number }> = [];
  for (const id of candidates) {
    const candidate = normalize(id);
    const distance = editDistance(wanted, candidate);
    const contains = candidate.includes(wanted) || wanted.includes(candidate);
    const close = distance <= Math.max(2, Math.floor(wanted.length / 3));
    if (!contains && !close) continue;
    // Containment ranks with a near-typo; otherwise closer ids first.
    scored.push({ id, score: contains ? Math.min(distance, 1.5) : distance });
  }
  scored.sort((x, y) => x.score - y.score || x.id.localeCompare(y.id));
  return scored.slice(0, limit).map((entry) => entry.id);
}
