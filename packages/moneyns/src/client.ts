import {
  checkHttpSettings,
  createHttpClient,
  createMemoryTokenStore,
  createTokenManager,
  finiteNumber,
  type GatewayError,
  type HttpClientOptions,
  type HttpRequest,
  invalidInput,
  isAuthError,
  parseServiceUrl,
  requireRecord,
  type TokenSet,
  type TokenStore,
} from '@paygate/core';
import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import type * as t from 'io-ts/lib/index.js';
import { isPlatformAuth, login, type MoneyNsAuth, normalizePem, sessionOwner, validateAuth } from './auth.js';
import {
  buildCheckoutUrl,
  type CheckoutOptions,
  DEFAULT_CHECKOUT_URL,
  DEVELOPMENT_CHECKOUT_URL,
  parseSecureUrl,
  validateCheckoutOptions,
} from './checkout.js';
import {
  buildCheckoutToken,
  CHECKOUT_ALGORITHMS,
  type CheckoutAlgorithm,
  type CheckoutSigningKey,
} from './checkout-token.js';
import { mapMoneyNsError, PROVIDER } from './errors.js';
import { type MoneyNsSession, sessionFromTokenSet, sessionToTokenSet } from './session.js';

/** Production API (moneyns-public.md §1). The sandbox's is `${sandbox.urls.moneyns}/api/v1`. */
export const DEFAULT_BASE_URL = 'https://appapi-public.cryptocoin.pro/api/v1';
/** Development API of the older generated reference (moneyns-public.md §1). */
export const DEVELOPMENT_BASE_URL = 'https://dev-api-public.infra.cryptocoin.pro/api/v1';

/** The API and checkout hosts of each MoneyNS environment; `baseUrl`/`checkoutUrl` override them. */
export const MONEYNS_ENVIRONMENTS = {
  production: { baseUrl: DEFAULT_BASE_URL, checkoutUrl: DEFAULT_CHECKOUT_URL },
  development: { baseUrl: DEVELOPMENT_BASE_URL, checkoutUrl: DEVELOPMENT_CHECKOUT_URL },
} as const;
export type MoneyNsEnvironment = keyof typeof MONEYNS_ENVIRONMENTS;

/** How checkout tokens are signed (the algorithm is the one chosen in the MoneyNS Partner dashboard). */
export interface MoneyNsCheckoutSettings {
  /** Default RS512. */
  readonly algorithm?: CheckoutAlgorithm;
  /** For RS*: the platform's RSA private key; default the platform login key (`auth.privateKeyPem`). */
  readonly privateKeyPem?: string;
  /** For HS*: the shared secret. */
  readonly secret?: string;
  /** Seconds until the token's `expire`; default 3600. */
  readonly tokenLifetimeSeconds?: number;
}
export const DEFAULT_RENEW_BEFORE_SECONDS = 60;

/** Transport settings passed to core's HTTP client (timeouts, retries of idempotent calls, your own got). */
export type MoneyNsHttpSettings = Omit<HttpClientOptions, 'provider' | 'baseUrl' | 'mapError' | 'random'>;

export interface MoneyNsClientSettings {
  /** `production` (default) or `development`: picks the default API and checkout hosts. */
  readonly environment?: MoneyNsEnvironment;
  /** API base, default the environment's (`https://appapi-public.cryptocoin.pro/api/v1`). https only, except on loopback. */
  readonly baseUrl?: string;
  /** The hosted checkout page, default the environment's (`https://checkout.cryptocoin.pro/`, see docs/moneyns.md). */
  readonly checkoutUrl?: string;
  /** Signing of checkout tokens. */
  readonly checkout?: MoneyNsCheckoutSettings;
  readonly auth: MoneyNsAuth;
  /** Where the session is kept; default in memory. Share one (e.g. Redis) between instances to share a session. */
  readonly tokenStore?: TokenStore;
  readonly http?: MoneyNsHttpSettings;
  /** Log in again this long before the session ends (there is no refresh token). Default 60. */
  readonly renewBeforeSeconds?: number;
  /** Clock for session expiry and the JWT `expire` claim, ms since epoch. Default `Date.now`. */
  readonly now?: () => number;
}

export interface MoneyNsClient {
  readonly provider: typeof PROVIDER;
  readonly baseUrl: string;
  readonly checkoutBaseUrl: string;
  /** The current session, logging in first when there is none or it is about to end. */
  session(): TE.TaskEither<GatewayError, MoneyNsSession>;
  /** The logged-in user's id (`data.userId`). */
  userId(): TE.TaskEither<GatewayError, string>;
  /** Logs in now, replacing the stored session (concurrent callers share one login). */
  login(): TE.TaskEither<GatewayError, MoneyNsSession>;
  /**
   * Runs `use` with the current session. If it fails with AuthError `invalid_token` (the session
   * was refused), logs in again once and runs it once more. `use` reports failure as a Left;
   * it must not reject.
   */
  withSession<A>(use: (session: MoneyNsSession) => TE.TaskEither<GatewayError, A>): TE.TaskEither<GatewayError, A>;
  /** A call to a private endpoint under `baseUrl` with `Authorization: Bearer <session id>`. */
  request<A>(request: HttpRequest, codec: t.Decoder<unknown, A>): TE.TaskEither<GatewayError, A>;
  /**
   * The hosted checkout address: `lang`, `display`, `landing`, `platform` and a freshly signed
   * checkout `token` (see `buildCheckoutToken`). Nothing is sent; no session is needed.
   */
  checkoutUrl(options: CheckoutOptions): TE.TaskEither<GatewayError, string>;
  /** Forgets the stored session (MoneyNS documents no logout endpoint, so nothing is sent). */
  clearSession(): TE.TaskEither<GatewayError, void>;
}

/** At most a day: a larger margin would treat every session as expiring and log in on every call. */
const validateRenewBefore = (value: unknown): E.Either<GatewayError, number> =>
  finiteNumber(value, 'renewBeforeSeconds', { min: 0, max: 86_400, integer: false });

const validatePath = (request: HttpRequest): E.Either<GatewayError, HttpRequest> =>
  typeof request.path === 'string' && request.path.startsWith('/') && !request.path.startsWith('//')
    ? E.right(request)
    : E.left(invalidInput('path', 'must start with a single "/" (relative to baseUrl)'));

/** The session's bearer token replaces any Authorization header the caller set, whatever its case. */
const withBearer = (headers: HttpRequest['headers'], token: string): Record<string, string> => ({
  ...Object.fromEntries(Object.entries(headers ?? {}).filter(([name]) => name.toLowerCase() !== 'authorization')),
  authorization: `Bearer ${token}`,
});

const validateCheckoutSettings = (checkout: MoneyNsCheckoutSettings): E.Either<GatewayError, MoneyNsCheckoutSettings> => {
  if (typeof checkout !== 'object' || checkout === null) return E.left(invalidInput('checkout', 'must be an object'));
  const { algorithm, secret, privateKeyPem, tokenLifetimeSeconds } = checkout;
  if (algorithm !== undefined && !(CHECKOUT_ALGORITHMS as ReadonlyArray<string>).includes(algorithm)) {
    return E.left(invalidInput('checkout.algorithm', `must be one of ${CHECKOUT_ALGORITHMS.join(', ')}`));
  }
  const hmac = (algorithm ?? 'RS512').startsWith('HS');
  if (hmac && (typeof secret !== 'string' || secret.length < 32)) {
    return E.left(invalidInput('checkout.secret', `${algorithm} needs the shared secret (at least 32 characters)`));
  }
  if (!hmac && secret !== undefined) return E.left(invalidInput('checkout.secret', 'is only for HS256, HS384 or HS512'));
  if (privateKeyPem !== undefined && typeof privateKeyPem !== 'string') {
    return E.left(invalidInput('checkout.privateKeyPem', 'must be a PEM-encoded RSA private key'));
  }
  if (tokenLifetimeSeconds !== undefined && (!Number.isSafeInteger(tokenLifetimeSeconds) || tokenLifetimeSeconds < 1)) {
    return E.left(invalidInput('checkout.tokenLifetimeSeconds', 'must be a whole number of seconds ≥ 1'));
  }
  return E.right(checkout);
};

const isRefusedToken = (error: GatewayError): boolean => isAuthError(error) && error.reason === 'invalid_token';

/**
 * Builds a MoneyNS client. Everything is checked here, before any request: the URLs, the
 * credentials and (for platform login) that the private key can sign RS512.
 */
export const createMoneyNsClient = (settings: MoneyNsClientSettings): E.Either<GatewayError, MoneyNsClient> => {
  if (typeof settings !== 'object' || settings === null) return E.left(invalidInput('settings', 'must be an object'));
  if (settings.now !== undefined && typeof settings.now !== 'function') return E.left(invalidInput('now', 'must be a function'));
  const now = settings.now ?? Date.now;
  const validated = pipe(
    E.Do,
    E.bind('settings', () => requireRecord(settings, 'settings')),
    E.bind('http', () => checkHttpSettings(settings.http, 'http')),
    E.bind('hosts', () =>
      settings.environment === undefined || Object.hasOwn(MONEYNS_ENVIRONMENTS, settings.environment)
        ? E.right(MONEYNS_ENVIRONMENTS[settings.environment ?? 'production'])
        : E.left(invalidInput('environment', 'must be production or development')),
    ),
    E.bind('baseUrl', ({ hosts }) => parseServiceUrl(settings.baseUrl ?? hosts.baseUrl, 'baseUrl')),
    E.bind('checkoutBase', ({ hosts }) => parseSecureUrl(settings.checkoutUrl ?? hosts.checkoutUrl, 'checkoutUrl')),
    E.bind('checkoutSigning', () => validateCheckoutSettings(settings.checkout ?? {})),
    E.bind('renewBefore', () => validateRenewBefore(settings.renewBeforeSeconds ?? DEFAULT_RENEW_BEFORE_SECONDS)),
    E.bind('auth', () => validateAuth(settings.auth, now())),
  );
  if (E.isLeft(validated)) return validated;
  const { checkoutBase, renewBefore, auth, checkoutSigning } = validated.right;
  const baseUrl = validated.right.baseUrl.href.replace(/\/+$/, '');

  const httpFor = (kind: 'login' | 'api') =>
    createHttpClient({ ...settings.http, provider: PROVIDER, baseUrl, mapError: mapMoneyNsError(kind) });
  const loginHttp = httpFor('login');
  const apiHttp = httpFor('api');

  const store = settings.tokenStore ?? createMemoryTokenStore();
  const key = `${PROVIDER}:${baseUrl}:${sessionOwner(auth)}`;
  const manager = createTokenManager({
    key,
    store,
    // The refresh lock must outlive a login request: its TTL is derived from the timeout.
    ...(settings.http?.timeoutMs === undefined ? {} : { requestTimeoutMs: settings.http.timeoutMs }),
    // There is no refresh token: renewing a MoneyNS session means logging in again.
    obtain: () =>
      pipe(
        login(loginHttp, auth, now()),
        TE.map((session) => sessionToTokenSet(session, now())),
      ),
    skewMs: renewBefore * 1000,
    retentionMs: (tokens) => (tokens.expiresAt === undefined ? undefined : Math.max(1, tokens.expiresAt - now())),
    now,
  });

  const toSession = (tokens: TokenSet): TE.TaskEither<GatewayError, MoneyNsSession> =>
    TE.fromEither(sessionFromTokenSet(tokens));

  const session = (): TE.TaskEither<GatewayError, MoneyNsSession> => pipe(manager.getTokenSet(), TE.flatMap(toSession));

  const forceLogin = (): TE.TaskEither<GatewayError, MoneyNsSession> =>
    pipe(
      store.get(key),
      TE.flatMap((current) => manager.renew(current?.accessToken)),
      TE.flatMap(toSession),
    );

  const withSession =
    <A>(use: (session: MoneyNsSession) => TE.TaskEither<GatewayError, A>): TE.TaskEither<GatewayError, A> =>
    async () => {
      const tokens = await manager.getTokenSet()();
      if (E.isLeft(tokens)) return tokens;
      const first = await pipe(toSession(tokens.right), TE.flatMap(use))();
      if (E.isRight(first) || !isRefusedToken(first.left)) return first;
      const renewed = await manager.renew(tokens.right.accessToken)();
      if (E.isLeft(renewed)) return renewed;
      return pipe(toSession(renewed.right), TE.flatMap(use))();
    };

  const request = <A>(req: HttpRequest, codec: t.Decoder<unknown, A>): TE.TaskEither<GatewayError, A> =>
    pipe(
      TE.fromEither(validatePath(req)),
      TE.flatMap(() =>
        withSession((current) =>
          apiHttp.request({ ...req, headers: withBearer(req.headers, current.id) }, codec),
        ),
      ),
    );

  const signingKey: CheckoutSigningKey | undefined =
    checkoutSigning.secret !== undefined
      ? { secret: checkoutSigning.secret }
      : (checkoutSigning.privateKeyPem ?? (isPlatformAuth(auth) ? auth.privateKeyPem : undefined)) === undefined
        ? undefined
        : { privateKeyPem: normalizePem(checkoutSigning.privateKeyPem ?? (isPlatformAuth(auth) ? auth.privateKeyPem : '')) };

  const checkoutUrl = (options: CheckoutOptions): TE.TaskEither<GatewayError, string> =>
    TE.fromEither(
      pipe(
        validateCheckoutOptions(options, isPlatformAuth(auth) ? auth.platform : undefined),
        E.flatMap((checkout) => {
          if (signingKey === undefined) {
            return E.left(invalidInput('checkout', 'needs a signing key: checkout.privateKeyPem, checkout.secret or platform auth'));
          }
          return pipe(
            buildCheckoutToken(options.token, signingKey, {
              ...(checkoutSigning.algorithm === undefined ? {} : { algorithm: checkoutSigning.algorithm }),
              ...(checkoutSigning.tokenLifetimeSeconds === undefined ? {} : { lifetimeSeconds: checkoutSigning.tokenLifetimeSeconds }),
              now: now(),
            }),
            E.map((token) => buildCheckoutUrl(checkoutBase, checkout, token)),
          );
        }),
      ),
    );

  return E.right({
    provider: PROVIDER,
    baseUrl,
    checkoutBaseUrl: checkoutBase.href,
    session,
    userId: () => pipe(session(), TE.map((current) => current.userId)),
    login: forceLogin,
    withSession,
    request,
    checkoutUrl,
    clearSession: () => manager.clear(),
  });
};
