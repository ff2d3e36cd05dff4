/** The results of an interleaved comparison, round by round. */
export interface Rounds<R> {
  readonly baseline: ReadonlyArray<R>;
  readonly candidate: ReadonlyArray<R>;
}

export interface RoundOptions {
  /** Measured rounds per contender. */
  readonly rounds: number;
  /** Unmeasured rounds per contender first (JIT, connection pools, caches). */
  readonly warmup: number;
}

/**
 * Runs every contender once per round, the order rotating from round to round (A B C, B C A,
 * C A B, …), so a machine that slows down or speeds up during the run (other processes, thermal
 * limits) weighs on all of them alike. Warm-up rounds rotate too and are discarded. Returns each
 * contender's results in round order.
 */
export const roundRobin = async <R>(contenders: ReadonlyArray<() => Promise<R>>, { rounds, warmup }: RoundOptions): Promise<R[][]> => {
  const results: R[][] = contenders.map(() => []);
  for (let round = -warmup; round < rounds; round++) {
    const offset = ((round % contenders.length) + contenders.length) % contenders.length;
    for (let k = 0; k < contenders.length; k++) {
      const index = (offset + k) % contenders.length;
      const result = await contenders[index]!();
      if (round >= 0) results[index]!.push(result);
    }
  }
  return results;
};

/** Two contenders alternating (baseline first in even rounds, candidate first in odd ones). */
export const interleave = async <R>(baseline: () => Promise<R>, candidate: () => Promise<R>, options: RoundOptions): Promise<Rounds<R>> => {
  const [a = [], b = []] = await roundRobin([baseline, candidate], options);
  return { baseline: a, candidate: b };
};

/** When `interleaveUntilStable` stops: the spread target, the minimum and the cap of measured rounds. */
export interface StableOptions {
  readonly minRounds: number;
  readonly maxRounds: number;
  readonly warmup: number;
  /** Relative spread to reach, e.g. `0.05` for 5 %. */
  readonly target?: number;
}

/** How stable a paired ratio was over the measured rounds. */
export interface Stability {
  /** One ratio per measured round (candidate ÷ baseline of the same round). */
  readonly ratios: ReadonlyArray<number>;
  readonly median: number;
  readonly min: number;
  readonly max: number;
  /** Half-width of the 95 % confidence interval of the mean ratio, relative to the mean (0.03 = ±3 %). */
  readonly spread: number;
  readonly target: number;
  /** True when the spread fell under the target; false when the cap of rounds was reached first. */
  readonly converged: boolean;
}

/** Two-sided 95 % Student t quantiles for 1…10 degrees of freedom; 2.0 beyond. */
const T95 = [Number.NaN, 12.71, 4.3, 3.18, 2.78, 2.57, 2.45, 2.36, 2.31, 2.26, 2.23];

/** Relative half-width of the 95 % confidence interval of the mean of `values`. */
export const relativeSpread = (values: ReadonlyArray<number>): number => {
  const n = values.length;
  if (n < 2) return Number.POSITIVE_INFINITY;
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const variance = values.reduce((sum, v) => sum + (v - mean) ** 2, 0) / (n - 1);
  const t = T95[n - 1] ?? 2.0;
  return (t * Math.sqrt(variance / n)) / Math.abs(mean);
};

const stabilityOf = (ratios: ReadonlyArray<number>, target: number, converged: boolean): Stability => {
  const sorted = [...ratios].sort((a, b) => a - b);
  return {
    ratios,
    median: sorted.length === 0 ? Number.NaN : (sorted[Math.ceil(sorted.length / 2) - 1] ?? Number.NaN),
    min: sorted[0] ?? Number.NaN,
    max: sorted[sorted.length - 1] ?? Number.NaN,
    spread: relativeSpread(ratios),
    target,
    converged,
  };
};

/**
 * `interleave`, with as many rounds as it takes: after `minRounds` measured rounds it stops as soon
 * as the per-round `ratio` (candidate ÷ baseline, e.g. CPU per operation) has a relative spread
 * (95 % confidence half-width of its mean) under `target`, or when `maxRounds` is reached.
 */
export const interleaveUntilStable = async <R>(
  baseline: () => Promise<R>,
  candidate: () => Promise<R>,
  ratio: (baseline: R, candidate: R) => number,
  { minRounds, maxRounds, warmup, target = 0.05 }: StableOptions,
): Promise<Rounds<R> & { readonly stability: Stability }> => {
  const a: R[] = [];
  const b: R[] = [];
  const ratios: number[] = [];
  for (let round = -warmup; round < maxRounds; round++) {
    const first = round % 2 === 0;
    const x = first ? await baseline() : undefined;
    const y = await candidate();
    const z = first ? (x as R) : await baseline();
    if (round < 0) continue;
    a.push(z);
    b.push(y);
    ratios.push(ratio(z, y));
    if (ratios.length >= minRounds && relativeSpread(ratios) < target) return { baseline: a, candidate: b, stability: stabilityOf(ratios, target, true) };
  }
  return { baseline: a, candidate: b, stability: stabilityOf(ratios, target, false) };
};

/** `±3.1 % (min–max 0.97–1.05×) after 5 rounds, under 5 %` or `… after 8 rounds, cap reached`. */
export const describeStability = (s: Stability): string =>
  s.ratios.length < 2
    ? `spread n/a: ${s.ratios.length} round`
    : `±${(s.spread * 100).toFixed(1)} % (rounds ${s.min.toFixed(2)}–${s.max.toFixed(2)}×) after ${s.ratios.length} rounds, ${
        s.converged ? `under ${(s.target * 100).toFixed(0)} %` : 'cap reached'
      }`;
