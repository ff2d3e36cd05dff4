import type { Clock } from './context.js';

/** Wall-clock time. */
export const systemClock: Clock = { now: () => Date.now() };

/** A clock tests can move forward (or back) without touching the clock it reads from. */
export interface AdjustableClock extends Clock {
  advance(ms: number): void;
}

export const createAdjustableClock = (base: Clock): AdjustableClock => {
  let offset = 0;
  return {
    now: () => base.now() + offset,
    advance: (ms: number) => {
      if (!Number.isFinite(ms)) throw new RangeError(`clock.advance needs a finite number of ms, got ${ms}`);
      offset += ms;
    },
  };
};

/** `base` shifted by a skew read on every call (the skew may change while the clock is in use). */
export const skewedClock = (base: Clock, skewMs: () => number): Clock => ({
  now: () => base.now() + skewMs(),
});
