import type { Random } from './context.js';

/**
 * FNV-1a over the UTF-16 code units, so `1` and `'1'` (a CLI `--seed 1`) give the same stream
 * and a named sub-stream (`'1/monerium'`) is independent of the others.
 */
const hashSeed = (seed: string): number => {
  let hash = 0x811c9dc5;
  for (let i = 0; i < seed.length; i++) {
    hash ^= seed.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
};

/** mulberry32: tiny, fast and good enough for fixtures and fault draws (not for real secrets). */
const mulberry32 = (state: number): (() => number) => {
  let a = state;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
};

/** A deterministic `Random` for a seed; the same seed always yields the same sequence. */
export const createRandom = (seed: number | string): Random => {
  const next = mulberry32(hashSeed(String(seed)));
  const byte = (): number => Math.floor(next() * 256);
  const hex = (n: number): string => {
    let out = '';
    for (let i = 0; i < n; i++) out += byte().toString(16).padStart(2, '0');
    return out;
  };
  return {
    next,
    hex,
    uuid: () => {
      const h = hex(16);
      // RFC 4122 §4.4: version nibble 4, variant bits 10xx.
      const variant = ((Number.parseInt(h.charAt(16), 16) & 0x3) | 0x8).toString(16);
      return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
    },
  };
};
