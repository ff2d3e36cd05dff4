import * as E from 'fp-ts/lib/Either.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { authError, type GatewayError, isAuthError } from './errors.js';
import { observeTokenRenewal } from './observability.js';
import { createMemoryTokenStore, type StoreLock, type TokenSet, type TokenStore } from './tokens.js';

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
  /** How long a cross-process refresh lock may be held. Default 30 s. */
  readonly lockTtlMs?: number;
  /** How long the store should keep a session (the refresh token's lifetime), if known. */
  readonly retentionMs?: (tokens: TokenSet) => number | undefined;
  readonly now?: () => number;
}

export interface TokenManager {
  /** A currently valid access token, renewing first when needed. */
  getAccessToken(): TE.TaskEither<GatewayError, string>;
  getTokenSet(): TE.TaskEither<GatewayError, TokenSet>;
  setTokens(tokens: TokenSet): TE.TaskEither<GatewayError, void>;
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
 * Renewals in flight, per store and session key, shared by every TokenManager of this process:
 * two clients built on the same store and key still run one refresh, not two (with rotating
 * refresh tokens the second would lose the session).
 */
const inFlight = new WeakMap<TokenStore, Map<string, Promise<E.Either<GatewayError, TokenSet>>>>();

const inFlightFor = (store: TokenStore) => {
  let map = inFlight.get(store);
  if (map === undefined) {
    map = new Map();
    inFlight.set(store, map);
  }
  return map;
};

export const createTokenManager = (options: TokenManagerOptions): TokenManager => {
  const {
    key,
    store = createMemoryTokenStore(),
    refresh,
    obtain,
    skewMs = 60_000,
    lockTtlMs = 30_000,
    retentionMs = () => undefined,
    now = Date.now,
  } = options;

  const isFresh = (tokens: TokenSet): boolean => tokens.expiresAt === undefined || tokens.expiresAt - skewMs > now();

  const save = (tokens: TokenSet): TE.TaskEither<GatewayError, TokenSet> =>
    TE.map(() => tokens)(store.set(key, tokens, retentionMs(tokens)));

  const refreshOrObtain = async (current: TokenSet | undefined): Promise<E.Either<GatewayError, TokenSet>> => {
    if (current?.refreshToken !== undefined && refresh !== undefined) {
      const refreshed = await refresh(current)();
      if (E.isRight(refreshed)) {
        // A server that does not rotate omits refresh_token: the old one stays good. Fields only
        // the first grant carried (Monerium's profile and userId) are kept unless replaced.
        const merged: TokenSet = {
          ...refreshed.right,
          refreshToken: refreshed.right.refreshToken ?? current.refreshToken,
          extra: { ...current.extra, ...refreshed.right.extra },
        };
        return save(merged)();
      }
      const error = refreshed.left;
      if (isAuthError(error) && (error.reason === 'invalid_grant' || error.oauthError === 'invalid_grant')) {
        await store.delete(key)();
        return E.left(
          authError({
            reason: 'refresh_failed',
            oauthError: 'invalid_grant',
            ...(error.status === undefined ? {} : { status: error.status }),
            message: 'The session could not be refreshed (invalid_grant) and was cleared; sign in again',
          }),
        );
      }
      return E.left(error);
    }
    if (obtain !== undefined) {
      const obtained = await obtain()();
      return E.isRight(obtained) ? save(obtained.right)() : obtained;
    }
    return E.left(
      authError({
        reason: current === undefined ? 'no_session' : 'session_expired',
        message:
          current === undefined
            ? 'There is no session; complete a sign-in first'
            : 'The session expired and cannot be refreshed; sign in again',
      }),
    );
  };

  const renewHoldingLock = async (stale: string | undefined): Promise<E.Either<GatewayError, TokenSet>> => {
    let lock: StoreLock | undefined;
    if (store.lock !== undefined) {
      const acquired = await store.lock(key, lockTtlMs)();
      if (E.isLeft(acquired)) return acquired;
      lock = acquired.right;
    }
    try {
      // Re-read under the lock: another process may have renewed while we waited.
      const current = await store.get(key)();
      if (E.isLeft(current)) return current;
      const tokens = current.right;
      if (tokens !== undefined && tokens.accessToken !== stale && isFresh(tokens)) return E.right(tokens);
      const grant = tokens?.refreshToken !== undefined && refresh !== undefined ? 'refresh' : 'obtain';
      return await observeTokenRenewal(key, grant, () => refreshOrObtain(tokens));
    } finally {
      if (lock !== undefined) await lock.release()();
    }
  };

  const renew =
    (stale?: string): TE.TaskEither<GatewayError, TokenSet> =>
    () => {
      const flights = inFlightFor(store);
      const running = flights.get(key);
      if (running !== undefined) return running;
      const flight = renewHoldingLock(stale).finally(() => flights.delete(key));
      flights.set(key, flight);
      return flight;
    };

  const getTokenSet = (): TE.TaskEither<GatewayError, TokenSet> => async () => {
    const flight = inFlightFor(store).get(key);
    if (flight !== undefined) return flight;
    const current = await store.get(key)();
    if (E.isLeft(current)) return current;
    const tokens = current.right;
    if (tokens !== undefined && isFresh(tokens)) return E.right(tokens);
    return renew(tokens?.accessToken)();
  };

  const getAccessToken = () => TE.map((tokens: TokenSet) => tokens.accessToken)(getTokenSet());

  const withToken =
    <A>(request: (accessToken: string) => TE.TaskEither<GatewayError, A>): TE.TaskEither<GatewayError, A> =>
    async () => {
      const token = await getAccessToken()();
      if (E.isLeft(token)) return token;
      const first = await request(token.right)();
      if (E.isRight(first) || !(isAuthError(first.left) && first.left.reason === 'invalid_token')) return first;
      const renewed = await renew(token.right)();
      if (E.isLeft(renewed)) return renewed;
      return request(renewed.right.accessToken)();
    };

  return {
    getAccessToken,
    getTokenSet,
    setTokens: (tokens) => TE.map(() => undefined)(save(tokens)),
    clear: () => store.delete(key),
    renew,
    withToken,
  };
};
