// How far apart two names are, for "did you mean": an export header against the canonical
// names (src/ingest/profiles.ts), an unknown SQL column against the ones DuckDB lists
// (src/models/sql-errors.ts).

/** Levenshtein distance, on code points (a CJK header counts one edit per character). */
export function editDistance(a: string, b: string): number {
  const x = [...a], y = [...b];
  let prev = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const cur = [i];
    for (let j = 1; j <= y.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (x[i - 1] === y[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[y.length];
}
