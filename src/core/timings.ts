// Phase timings for the benchmark: with PLEDGE_PROFILE set, every timed phase
// writes one line "profile<TAB>phase<TAB>milliseconds" to stderr, so a run can
// be broken down into parse, validation, versioning, status computation and
// rendering without a profiler attached. Without it, nothing is measured.
const enabled = () => Boolean(process.env.PLEDGE_PROFILE);

export async function timed<T>(phase: string, work: () => Promise<T>): Promise<T> {
  if (!enabled()) return work();
  const start = performance.now();
  try {
    return await work();
  } finally {
    process.stderr.write(`profile\t${phase}\t${(performance.now() - start).toFixed(1)}\n`);
  }
}

export function timedSync<T>(phase: string, work: () => T): T {
  if (!enabled()) return work();
  const start = performance.now();
  try {
    return work();
  } finally {
    process.stderr.write(`profile\t${phase}\t${(performance.now() - start).toFixed(1)}\n`);
  }
}
