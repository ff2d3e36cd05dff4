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
