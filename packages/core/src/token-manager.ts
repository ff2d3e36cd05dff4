import * as E from 'fp-ts/lib/Either.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { authError, type GatewayError, invalidInput, isAuthError, transportError } from './errors.js';
import { MAX_TIMER_MS, optionalNumber } from './input.js';
import { observeTokenRenewal } from './observability.js';
import { createMemoryTokenStore, sameTokenSet, type StoreLock, type TokenSet, type TokenStore } from './tokens.js';

export interface TokenManagerOptions {
  /** The session's key in the store, e.g. `monerium:<clientId>:<userId>`. */
  readonly key: string;
  readonly store?: TokenStore;
  /** Exchanges a session's refresh token for a new set (refresh grant, with rotation). */
  readonly refresh?: (tokens: TokenSet) => TE.TaskEither<GatewayError, TokenSet>;
  /**
   * Starts a new session when there is none or it cannot be refreshed (client credentials,
   * a password or platform-JWT login). Absent for sessions only a user can start (PKCE).
   */
  readonly obtain?: () => TE.TaskEither<GatewayError, TokenSet>;
  /** Renew this long before `expiresAt`. Default 60 s. */
  readonly skewMs?: number;
  /**
   * The timeout of one token request (the adapter's HTTP timeout). The default lock TTL is
   * derived from it. Default 10 000.
   */
  readonly requestTimeoutMs?: number;
  /**
   * Time to live of the cross-process refresh lock: how long a crashed holder blocks the others.
   * A live holder renews the lock every third of it while the refresh runs (when the store's lock
   * has `extend`), so a slow token endpoint never outlives it. Default: the larger of 30 s and
   * two token requests plus 10 s (`2 × requestTimeoutMs + 10 000`, a refresh that falls back to
   * a new grant), which also covers a store whose lock cannot be extended.
   */
  readonly lockTtlMs?: number;
  /** How long the store should keep a session (the refresh token's lifetime), if known. */
  readonly retentionMs?: (tokens: TokenSet) => number | undefined;
  /** Attempts at writing a renewed set before the failure is reported. Default 3. */
  readonly storeWriteAttempts?: number;
  /**
   * How long a session this process last read from or wrote to the store is served without
   * reading the store again, while its access token is fresh. A store shared between processes
   * (Redis) costs a round trip and a decode per read; this bounds how late a sign-out or a
   * rotation by another process is seen here (a token another process already rotated is also
   * replaced at once when the provider answers `401 invalid_token`). 0 reads the store on every
   * call. Default 5 000 (ms), measured with `now`.
   */
  readonly cacheMs?: number;
  readonly now?: () => number;
}

export interface TokenManager {
  /** A currently valid access token, renewing first when needed. */
  getAccessToken(): TE.TaskEither<GatewayError, string>;
  getTokenSet(): TE.TaskEither<GatewayError, TokenSet>;
  /**
   * Stores a new session (after a sign-in), replacing whatever the store holds. If the store
   * refuses the write the set is kept in this process (see "store failures" below) and the
   * `TransportError { kind: 'store' }` says so.
   */
  setTokens(tokens: TokenSet): TE.TaskEither<GatewayError, void>;
  /** Signs out: waits for a renewal in flight, then deletes the session (under the store's lock when it has one). */
  clear(): TE.TaskEither<GatewayError, void>;
  /**
   * Renews the session because `staleAccessToken` was refused. If the store already holds a
   * different token (another caller renewed meanwhile) that one is used instead.
   */
  renew(staleAccessToken?: string): TE.TaskEither<GatewayError, TokenSet>;
  /**
   * Runs `request` with a valid token. RFC 6750: after `401 invalid_token` the session is
   * renewed and the request retried once; `403 insufficient_scope` is returned as it is.
   */
  withToken<A>(request: (accessToken: string) => TE.TaskEither<GatewayError, A>): TE.TaskEither<GatewayError, A>;
}

/**
 * A set this process obtained but could not write to the store. It stays usable here (with a
 * rotating refresh token it is the only live copy of the session) and the write is retried on
 * later calls. `replaces` is the stored set it was renewed from (fenced write), or `'any'` for a
 * new sign-in that replaces whatever is stored.
 */
interface Unsaved {
  readonly tokens: TokenSet;
  readonly replaces: TokenSet | undefined | 'any';
  retryAt: number;
}

/** Per-store, per-key process state shared by every TokenManager of this process. */
const processState = <V>() => {
  const maps = new WeakMap<TokenStore, Map<string, V>>();
  return (store: TokenStore): Map<string, V> => {
    let map = maps.get(store);
    if (map === undefined) {
      map = new Map();
      maps.set(store, map);
    }
    return map;
  };
};

/** The options checked before anything is built; a NaN skew would make every token look fresh. */
const checkManagerOptions = (options: unknown): E.Either<GatewayError, void> => {
  if (typeof options !== 'object' || options === null) return E.left(invalidInput('options', 'must be an object'));
  const o = options as Partial<Record<keyof TokenManagerOptions, unknown>>;
  if (typeof o.key !== 'string' || o.key.length === 0) return E.left(invalidInput('key', 'must be a non-empty string'));
  for (const name of ['refresh', 'obtain', 'retentionMs', 'now'] as const) {
    if (o[name] !== undefined && typeof o[name] !== 'function') return E.left(invalidInput(name, 'must be a function'));
  }
  if (o.store !== undefined) {
    const store = o.store as Partial<Record<string, unknown>> | null;
    if (typeof store !== 'object' || store === null || !['get', 'set', 'delete'].every((m) => typeof store[m] === 'function')) {
      return E.left(invalidInput('store', 'must be a TokenStore (get, set, delete)'));
    }
  }
  const numbers = [
    optionalNumber(o.skewMs, 0, 'skewMs', { min: 0, max: MAX_TIMER_MS }),
    optionalNumber(o.lockTtlMs, 0, 'lockTtlMs', { min: 1, max: MAX_TIMER_MS }),
    optionalNumber(o.requestTimeoutMs, 0, 'requestTimeoutMs', { min: 1, max: MAX_TIMER_MS }),
    optionalNumber(o.storeWriteAttempts, 0, 'storeWriteAttempts', { min: 1, max: 100 }),
    optionalNumber(o.cacheMs, 0, 'cacheMs', { min: 0, max: MAX_TIMER_MS }),
  ];
  const bad = numbers.find(E.isLeft);
  return bad === undefined ? E.right(undefined) : bad;
};

/** A manager built from options that cannot work: every call answers the refusal. */
const refusedManager = (error: GatewayError): TokenManager => {
  const fail = () => TE.left(error);
  return { getAccessToken: fail, getTokenSet: fail, setTokens: fail, clear: fail, renew: fail, withToken: fail };
};

/**
 * Renewals in flight: two clients built on the same store and key still run one refresh, not
 * two (with rotating refresh tokens the second would lose the session).
 */
const inFlightFor = processState<Promise<E.Either<GatewayError, TokenSet>>>();
const unsavedFor = processState<Unsaved>();

/** Between retries of a failed store write while an unsaved set is in use. */
const UNSAVED_RETRY_MS = 1_000;

type Written = { readonly written: true } | { readonly written: false; readonly stored: TokenSet | undefined };

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Hands out valid tokens for one session and keeps the store right, whatever races:
 * - one renewal at a time per store and key in this process, and under the store's lock across
 *   processes; the lock is renewed while the token request runs;
 * - fencing: a renewed set is written, and a refused one deleted, only if the store still holds
 *   the set that was renewed (`compareAndSet`). A set written meanwhile by someone else (a new
 *   sign-in) wins; an entry deleted meanwhile (another process whose refresh with the same,
 *   already rotated token failed) is replaced by the renewed set;
 * - store failures: a renewed set the store refuses is kept in this process, used by every later
 *   call and written again on them; the call that renewed reports `TransportError { kind: 'store' }`
 *   saying the session is still usable.
 */
export const createTokenManager = (options: TokenManagerOptions): TokenManager => {
  const refused = checkManagerOptions(options);
  if (E.isLeft(refused)) return refusedManager(refused.left);
  const {
    key,
    store = createMemoryTokenStore(),
    refresh,
    obtain,
    skewMs = 60_000,
    retentionMs = () => undefined,
    storeWriteAttempts = 3,
    now = Date.now,
  } = options;
  const { requestTimeoutMs } = options;
  // Adapters validate their timeout; anything unusable here falls back to core's default of 10 s.
  const timeout = requestTimeoutMs !== undefined && Number.isFinite(requestTimeoutMs) && requestTimeoutMs > 0 ? requestTimeoutMs : 10_000;
  const lockTtlMs = options.lockTtlMs ?? Math.max(30_000, 2 * timeout + 10_000);
  const unsaved = unsavedFor(store);
  const cacheMs = options.cacheMs ?? 5_000;
  // The set this manager last read from or wrote to the store, and when. `epoch` counts the
  // operations that change the session (a sign-in, a renewal, a sign-out): a read begun before
  // one of them may not fill the cache after it.
  const cache: { tokens: TokenSet | undefined; at: number; epoch: number } = { tokens: undefined, at: 0, epoch: 0 };

  const isFresh = (tokens: TokenSet): boolean => tokens.expiresAt === undefined || tokens.expiresAt - skewMs > now();

  /** The cached set if it may be used without a store read: young, fresh, nothing unsaved or renewing. */
  const cachedTokens = (): TokenSet | undefined => {
    const { tokens } = cache;
    if (tokens === undefined) return undefined;
    const age = now() - cache.at;
    if (age < 0 || age >= cacheMs || !isFresh(tokens) || unsaved.has(key) || inFlightFor(store).has(key)) return undefined;
    return tokens;
  };
  /** Starts an operation that changes the session: drops the cache and fences out older reads. */
  const beginChange = (): number => {
    cache.tokens = undefined;
    cache.epoch += 1;
    return cache.epoch;
  };
  /** Caches what a read or write begun at `epoch` saw, unless the session changed since. */
  const remember = (epoch: number, tokens: TokenSet | undefined): void => {
    if (cache.epoch !== epoch) return;
    cache.tokens = tokens;
    cache.at = now();
  };

  const compareAndSet = (expected: TokenSet | undefined, next: TokenSet | undefined): TE.TaskEither<GatewayError, boolean> => {
    const ttl = next === undefined ? undefined : retentionMs(next);
    if (store.compareAndSet !== undefined) return store.compareAndSet(key, expected, next, ttl);
    // A store without compareAndSet: the check and the write are two steps (documented weaker guarantee).
    return async () => {
      const stored = await store.get(key)();
      if (E.isLeft(stored)) return stored;
      if (!sameTokenSet(stored.right, expected)) return E.right(false);
      const written = next === undefined ? await store.delete(key)() : await store.set(key, next, ttl)();
      return E.isLeft(written) ? written : E.right(true);
    };
  };

  /** Writes `next` over `replaces`, or into an empty entry; reports what is stored when neither holds. */
  const fencedWrite = async (replaces: TokenSet | undefined | 'any', next: TokenSet): Promise<E.Either<GatewayError, Written>> => {
    if (replaces === 'any') {
      const set = await store.set(key, next, retentionMs(next))();
      return E.isLeft(set) ? set : E.right({ written: true });
    }
    let expected = replaces;
    for (let step = 0; step < 2; step++) {
      const swapped = await compareAndSet(expected, next)();
      if (E.isLeft(swapped)) return swapped;
      if (swapped.right) return E.right({ written: true });
      const stored = await store.get(key)();
      if (E.isLeft(stored)) return stored;
      if (stored.right !== undefined) return E.right({ written: false, stored: stored.right });
      expected = undefined;
    }
    return E.right({ written: false, stored: undefined });
  };

  /** Saves a set this process just obtained; on a store failure keeps it here and says so. */
  const commit = async (replaces: TokenSet | undefined | 'any', next: TokenSet): Promise<E.Either<GatewayError, TokenSet>> => {
    let failure: GatewayError | undefined;
    for (let attempt = 1; attempt <= storeWriteAttempts; attempt++) {
      const written = await fencedWrite(replaces, next);
      if (E.isRight(written)) {
        unsaved.delete(key);
        const result = written.right;
        // Someone stored a newer session meanwhile: it wins. Ours is still valid for this call.
        return E.right(result.written || result.stored === undefined || !isFresh(result.stored) ? next : result.stored);
      }
      failure = written.left;
      if (attempt < storeWriteAttempts) await sleep(50 * attempt);
    }
    unsaved.set(key, { tokens: next, replaces, retryAt: Date.now() + UNSAVED_RETRY_MS });
    return E.left(
      transportError({
        kind: 'store',
        attempts: storeWriteAttempts,
        message:
          "The token store could not save the session's new tokens" +
          `${failure === undefined ? '' : ` (${failure.message})`}; ` +
          'the session is still usable: this process keeps the new tokens, uses them for later calls and writes them again',
      }),
    );
  };

  /**
   * The session as this process should use it (`tokens`) and the stored set a renewal must
   * replace (`stored`). An unsaved set wins over the store; its write is retried first.
   */
  const current = async (): Promise<E.Either<GatewayError, { tokens?: TokenSet; stored?: TokenSet }>> => {
    const pending = unsaved.get(key);
    if (pending !== undefined) {
      if (Date.now() >= pending.retryAt) {
        const written = await fencedWrite(pending.replaces, pending.tokens);
        if (E.isRight(written) && unsaved.get(key) === pending) {
          unsaved.delete(key);
          const result = written.right;
          if (result.written) return E.right({ tokens: pending.tokens, stored: pending.tokens });
          return E.right(result.stored === undefined ? {} : { tokens: result.stored, stored: result.stored });
        }
        pending.retryAt = Date.now() + UNSAVED_RETRY_MS;
      }
      return E.right({
        tokens: pending.tokens,
        ...(pending.replaces === 'any' || pending.replaces === undefined ? {} : { stored: pending.replaces }),
      });
    }
    const stored = await store.get(key)();
    if (E.isLeft(stored)) return stored;
    return E.right(stored.right === undefined ? {} : { tokens: stored.right, stored: stored.right });
  };

  /** Runs `work` holding the store's lock (renewed while it runs), or as it is for a store without one. */
  const holdingLock = async <A>(work: () => Promise<E.Either<GatewayError, A>>): Promise<E.Either<GatewayError, A>> => {
    if (store.lock === undefined) return work();
    const acquired = await store.lock(key, lockTtlMs)();
    if (E.isLeft(acquired)) return acquired;
    const lock: StoreLock = acquired.right;
    const renewal =
      lock.extend === undefined
        ? undefined
        : setInterval(() => void lock.extend?.(lockTtlMs)(), Math.max(1, Math.floor(lockTtlMs / 3)));
    try {
      return await work();
    } finally {
      clearInterval(renewal);
      await lock.release()();
    }
  };

  /** `invalid_grant`: the session is dead, unless the store meanwhile holds another one. */
  const discard = async (refused: TokenSet, stored: TokenSet | undefined, status: number | undefined) => {
    if (unsaved.get(key)?.tokens === refused) unsaved.delete(key);
    const deleted = await compareAndSet(stored, undefined)();
    if (E.isRight(deleted) && !deleted.right) {
      const newer = await store.get(key)();
      if (E.isRight(newer) && newer.right !== undefined && isFresh(newer.right)) return E.right(newer.right);
    }
    const cleared = E.isRight(deleted) && deleted.right;
    return E.left(
      authError({
        reason: 'refresh_failed',
        oauthError: 'invalid_grant',
        ...(status === undefined ? {} : { status }),
        message: `The session could not be refreshed (invalid_grant)${cleared ? ' and was cleared' : ''}; sign in again`,
      }),
    );
  };

  const refreshOrObtain = async (tokens: TokenSet | undefined, stored: TokenSet | undefined): Promise<E.Either<GatewayError, TokenSet>> => {
    if (tokens?.refreshToken !== undefined && refresh !== undefined) {
      const refreshed = await refresh(tokens)();
      if (E.isRight(refreshed)) {
        // A server that does not rotate omits refresh_token: the old one stays good. Fields only
        // the first grant carried (Monerium's profile and userId) are kept unless replaced.
        const merged: TokenSet = {
          ...refreshed.right,
          refreshToken: refreshed.right.refreshToken ?? tokens.refreshToken,
          extra: { ...tokens.extra, ...refreshed.right.extra },
        };
        return commit(stored, merged);
      }
      const error = refreshed.left;
      if (isAuthError(error) && (error.reason === 'invalid_grant' || error.oauthError === 'invalid_grant')) {
        return discard(tokens, stored, error.status);
      }
      return E.left(error);
    }
    if (obtain !== undefined) {
      const obtained = await obtain()();
      return E.isRight(obtained) ? commit(stored, obtained.right) : obtained;
    }
    return E.left(
      authError({
        reason: tokens === undefined ? 'no_session' : 'session_expired',
        message:
          tokens === undefined
            ? 'There is no session; complete a sign-in first'
            : 'The session expired and cannot be refreshed; sign in again',
      }),
    );
  };

  const renewHoldingLock = (stale: string | undefined): Promise<E.Either<GatewayError, TokenSet>> =>
    holdingLock(async () => {
      // Re-read under the lock: another process may have renewed while we waited.
      const read = await current();
      if (E.isLeft(read)) return read;
      const { tokens, stored } = read.right;
      if (tokens !== undefined && tokens.accessToken !== stale && isFresh(tokens)) return E.right(tokens);
      const grant = tokens?.refreshToken !== undefined && refresh !== undefined ? 'refresh' : 'obtain';
      return observeTokenRenewal(key, grant, () => refreshOrObtain(tokens, stored));
    });

  /** The renewal in flight for this store and key (another manager's too), or a new one. */
  const flightFor = (stale: string | undefined): Promise<E.Either<GatewayError, TokenSet>> => {
    const flights = inFlightFor(store);
    const running = flights.get(key);
    if (running !== undefined) return running;
    const flight = renewHoldingLock(stale).finally(() => flights.delete(key));
    flights.set(key, flight);
    return flight;
  };

  /** Joins `flight` and caches its result, unless the session changed since `epoch`. */
  const joined = async (flight: Promise<E.Either<GatewayError, TokenSet>>, epoch: number) => {
    const renewed = await flight;
    if (E.isRight(renewed)) remember(epoch, renewed.right);
    return renewed;
  };

  // Drops the cache even when it joins another manager's renewal: the cached token may be the refused one.
  const renew =
    (stale?: string): TE.TaskEither<GatewayError, TokenSet> =>
    () => {
      const epoch = beginChange();
      return joined(flightFor(stale), epoch);
    };

  /** The session from the cache, or read (and renewed when due) from the store. */
  const readTokenSet = async (): Promise<E.Either<GatewayError, TokenSet>> => {
    const hit = cachedTokens();
    if (hit !== undefined) return E.right(hit);
    const epoch = cache.epoch;
    const flight = inFlightFor(store).get(key);
    if (flight !== undefined) return joined(flight, epoch);
    const read = await current();
    if (E.isLeft(read)) return read;
    const { tokens } = read.right;
    if (tokens !== undefined && isFresh(tokens)) {
      remember(epoch, tokens);
      return E.right(tokens);
    }
    return renew(tokens?.accessToken)();
  };

  const getTokenSet = (): TE.TaskEither<GatewayError, TokenSet> => readTokenSet;

  const getAccessToken = (): TE.TaskEither<GatewayError, string> => async () => {
    const read = await readTokenSet();
    return E.isLeft(read) ? read : E.right(read.right.accessToken);
  };

  const withToken =
    <A>(request: (accessToken: string) => TE.TaskEither<GatewayError, A>): TE.TaskEither<GatewayError, A> =>
    async () => {
      // A cached session is taken synchronously: no store read, no extra promise on the common path.
      let token = cachedTokens()?.accessToken;
      if (token === undefined) {
        const read = await readTokenSet();
        if (E.isLeft(read)) return read;
        token = read.right.accessToken;
      }
      const first = await request(token)();
      if (E.isRight(first) || !(isAuthError(first.left) && first.left.reason === 'invalid_token')) return first;
      // renew() drops the cache and re-reads the store under the lock: a token another process
      // already rotated is picked up instead of refreshing again.
      const renewed = await renew(token)();
      if (E.isLeft(renewed)) return renewed;
      return request(renewed.right.accessToken)();
    };

  const clear = (): TE.TaskEither<GatewayError, void> => async () => {
    beginChange();
    await inFlightFor(store).get(key);
    unsaved.delete(key);
    const locked = await holdingLock(async () => {
      unsaved.delete(key);
      return store.delete(key)();
    });
    // A lock that cannot be had (a stuck holder) must not keep a user signed in.
    const cleared =
      E.isLeft(locked) && isAuthError(locked.left) && locked.left.reason === 'lock_timeout' ? await store.delete(key)() : locked;
    // A read begun while the session was being deleted may not cache it.
    beginChange();
    return cleared;
  };

  const setTokens = (tokens: TokenSet): TE.TaskEither<GatewayError, void> => async () => {
    const epoch = beginChange();
    const saved = await commit('any', tokens);
    if (E.isLeft(saved)) return saved;
    remember(epoch, saved.right);
    return E.right(undefined);
  };

  return {
    getAccessToken,
    getTokenSet,
    setTokens,
    clear,
    renew,
    withToken,
  };
};
