/**
 * Iteration counts. `BENCH_QUICK=1` is a smoke run (a few seconds per benchmark, numbers not
 * meant to be quoted); `BENCH_SCALE=<factor>` multiplies every full-run count (e.g. `0.5` on a
 * slow machine, `2` for tighter medians). Minimums keep a scaled-down run meaningful.
 */
export const QUICK = process.env.BENCH_QUICK === '1' || process.env.BENCH_QUICK === 'true';

const scaleFactor = (): number => {
  const raw = process.env.BENCH_SCALE;
  if (raw === undefined || raw === '') return 1;
  const factor = Number(raw);
  if (!Number.isFinite(factor) || factor <= 0) throw new RangeError(`BENCH_SCALE must be a positive number, got ${raw}`);
  return factor;
};

export const SCALE = scaleFactor();

/** `full` scaled by BENCH_SCALE, or `quick` under BENCH_QUICK; never below `minimum`. */
export const count = (full: number, quick: number, minimum = 1): number =>
  Math.max(minimum, Math.round(QUICK ? quick : full * SCALE));

/** Unmeasured warm-up rounds before the measured ones: one in a full run, none in the quick smoke run. */
export const WARMUP_ROUNDS = QUICK ? 0 : 1;
