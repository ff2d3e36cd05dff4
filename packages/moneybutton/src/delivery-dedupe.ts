/**
 * Remembers which webhook deliveries were already handled, so a redelivered notification (Money
 * Button retries until it sees a 2xx, and a network hiccup can make it send twice) reaches the
 * application once. Bounded: the least recently seen key is forgotten first.
 */
export interface DeliveryDedupe {
  /** True the first time `key` is seen (and marks it), false while it is remembered. */
  claim(key: string): boolean;
  /** Forgets `key`, so a delivery whose handling failed is processed again when redelivered. */
  release(key: string): void;
  readonly size: number;
}

export const DEFAULT_DEDUPE_CAPACITY = 10_000;

export const createDeliveryDedupe = (capacity: number = DEFAULT_DEDUPE_CAPACITY): DeliveryDedupe => {
  // A Map iterates in insertion order, so re-inserting on a hit keeps the oldest entry first.
  const seen = new Map<string, true>();
  return {
    claim: (key) => {
      if (seen.has(key)) {
        seen.delete(key);
        seen.set(key, true);
        return false;
      }
      seen.set(key, true);
      while (seen.size > capacity) {
        const oldest = seen.keys().next();
        if (oldest.done === true) break;
        seen.delete(oldest.value);
      }
      return true;
    },
    release: (key) => {
      seen.delete(key);
    },
    get size() {
      return seen.size;
    },
  };
};
