import net from 'node:net';
import fc from 'fast-check';

/**
 * Hostile values: what a JavaScript caller, `JSON.parse` or `Number(process.env.X)` can hand a
 * public function. Objects are built with `defineProperty`, so `__proto__` and `constructor` are
 * own data properties exactly as `JSON.parse` makes them.
 */
export const SPECIAL: ReadonlyArray<unknown> = [
  null,
  undefined,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  1e21,
  -1e21,
  -1,
  -0,
  0,
  1.5,
  2 ** 53 + 2,
  10n,
  -1n,
  true,
  '',
  ' ',
  '.',
  '..',
  '__proto__',
  'constructor',
  '%2e%2e',
  '../x',
  'a/b',
  'a#b',
  '?a=1',
  'NaN',
  '1e21',
  '-1',
  '0.1',
  'EUR',
  'wss://127.0.0.1:1/#frag',
  'ws://example.com',
  'http://example.com',
  'https://example.com/#f',
  'http://127.0.0.1:1',
  'javascript:alert(1)',
  '\u0000',
  '\ud800',
  '\u202e💸',
  'x'.repeat(70_000),
  [],
  {},
  () => undefined,
];

const KEYS = ['__proto__', 'constructor', 'prototype', 'toJSON', 'valueOf', 'id', 'amount', 'currency', 'baseUrl', 'kind', 'state'];

const key = fc.oneof(fc.constantFrom(...KEYS), fc.string({ maxLength: 8 }));

const objectFrom = (entries: ReadonlyArray<readonly [string, unknown]>): Record<string, unknown> => {
  const out: Record<string, unknown> = {};
  for (const [k, v] of entries) Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
  return out;
};

const scalar = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...SPECIAL) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.integer() },
  { weight: 1, arbitrary: fc.double() },
);

export const hostile: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { maxDepth: 3, depthSize: 'small' },
    scalar,
    fc.array(tie('value'), { maxLength: 3 }),
    fc.array(fc.tuple(key, tie('value')), { maxLength: 4 }).map(objectFrom),
  ),
})).value;

/** Every path to a value inside `seed` (objects and arrays, three levels deep). */
const pathsOf = (seed: unknown, prefix: ReadonlyArray<string | number> = [], depth = 0): Array<ReadonlyArray<string | number>> => {
  if (depth > 3 || typeof seed !== 'object' || seed === null) return [];
  const out: Array<ReadonlyArray<string | number>> = [];
  for (const k of Object.keys(seed)) {
    const path = [...prefix, Array.isArray(seed) ? Number(k) : k];
    out.push(path, ...pathsOf((seed as Record<string, unknown>)[k], path, depth + 1));
  }
  return out;
};

/** A copy of `seed` with the value at `path` replaced (functions and class instances are kept as they are). */
const replaceAt = (seed: unknown, path: ReadonlyArray<string | number>, value: unknown): unknown => {
  if (path.length === 0) return value;
  const [head, ...rest] = path as [string | number, ...Array<string | number>];
  if (Array.isArray(seed)) return seed.map((v, i) => (i === head ? replaceAt(v, rest, value) : v));
  if (typeof seed !== 'object' || seed === null) return seed;
  const entries = Object.entries(seed).map(([k, v]): [string, unknown] => [k, k === head ? replaceAt(v, rest, value) : v]);
  return objectFrom(entries);
};

/**
 * Argument lists for a function: fully random ones, and (when valid `seeds` are known) a valid
 * argument list with one value anywhere inside it replaced by a hostile one — that reaches the
 * checks deep inside a function, not only its first line.
 */
export const argumentsFor = (seeds: ReadonlyArray<ReadonlyArray<unknown>>): fc.Arbitrary<unknown[]> => {
  const random = fc.array(hostile, { maxLength: 4 });
  if (seeds.length === 0) return random;
  const mutated = fc
    .tuple(fc.nat(seeds.length - 1), fc.nat(), hostile)
    .map(([which, pick, value]) => {
      const seed = seeds[which] ?? [];
      const paths = pathsOf(seed);
      const path = paths[pick % Math.max(1, paths.length)] ?? [0];
      return replaceAt(seed, path, value) as unknown[];
    });
  return fc.oneof(random, mutated, fc.constantFrom(...seeds.map((s) => [...s])));
};

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost', '::ffff:127.0.0.1']);

/**
 * No network: any connection to a host that is not loopback fails at once with ECONNREFUSED
 * (got, fetch/undici, ioredis and ws all connect through `net.Socket#connect`). Returns the list
 * of refused destinations.
 */
export const refuseNonLoopback = (): string[] => {
  const refused: string[] = [];
  const original = net.Socket.prototype.connect;
  net.Socket.prototype.connect = function connect(this: net.Socket, ...args: unknown[]) {
    const [first, second] = args;
    const host =
      typeof first === 'object' && first !== null
        ? (first as { host?: string; path?: string }).path === undefined
          ? ((first as { host?: string }).host ?? 'localhost')
          : 'localhost'
        : typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))
          ? typeof second === 'string'
            ? second
            : 'localhost'
          : 'localhost';
    if (LOOPBACK.has(host.replace(/^\[|\]$/g, ''))) return original.apply(this, args as never);
    refused.push(host);
    const error = Object.assign(new Error(`fuzz: no network (${host})`), { code: 'ECONNREFUSED' });
    process.nextTick(() => this.destroy(error));
    return this;
  } as typeof original;
  return refused;
};

/** A loopback port with nothing listening: connections are refused at once. */
export const closedPort = async (): Promise<number> => {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
};
