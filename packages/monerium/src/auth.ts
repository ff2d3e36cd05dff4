import { Buffer } from 'node:buffer';
import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import {
  clientCredentialsGrant,
  createTokenManager,
  finishAuthorization as finishCodeFlow,
  type GatewayError,
  invalidInput,
  isAuthError,
  type OAuthClient,
  type OAuthOptions,
  type OAuthServer,
  type PendingAuthorization,
  refreshTokenGrant,
  startAuthorization,
  type TokenManager,
  type TokenSet,
  type TokenStore,
} from '@paygate/core';
import { checkAddress, checkChainName, checkSignature } from './address.js';
import type { CredentialKind } from './errors.js';

/**
 * How the client authenticates (v1.3 reference, "Authentication" and "Authorization"):
 * - `authorization_code`: a public client; the user signs in at Monerium (PKCE, S256). Pass
 *   `userId` to pick up a session a previous process stored in a shared `TokenStore`.
 * - `client_credentials`: a partner's backend with a client secret.
 * - `basic`: `Authorization: Basic base64(email:password)` on every call; no tokens at all.
 * - `tokens`: a session obtained elsewhere; with `clientId` it can be refreshed.
 */
export type MoneriumAuth =
  | {
      readonly kind: 'authorization_code';
      readonly clientId: string;
      readonly redirectUri: string;
      readonly scope?: string;
      readonly userId?: string;
    }
  | { readonly kind: 'client_credentials'; readonly clientId: string; readonly clientSecret: string; readonly scope?: string }
  | { readonly kind: 'basic'; readonly email: string; readonly password: string }
  | { readonly kind: 'tokens'; readonly tokens: TokenSet; readonly clientId?: string };

/** Parameters of `/auth` beyond the ones the PKCE flow sets (client_id, redirect_uri, code_challenge…). */
export interface AuthorizationUrlParams {
  /** Defaults to a random value; must be non-empty when given. */
  readonly state?: string;
  /** Overrides the client's scope; Monerium's default is `orders:read`. */
  readonly scope?: string;
  /** Require the user to set up a Monerium IBAN for this blockchain address. */
  readonly address?: string;
  /** With `address`: a signature of `I hereby declare that I am the address owner.` that links the address automatically. */
  readonly signature?: string;
  readonly chain?: string;
  readonly network?: string;
  /** Further parameters for `/auth`, sent as they are. */
  readonly extra?: Readonly<Record<string, string>>;
}

/** A session as the token endpoint described it; `profile` and `userId` are Monerium's additions. */
export interface MoneriumSession {
  readonly tokens: TokenSet;
  readonly profile?: string;
  readonly userId?: string;
}

/** What a websocket upgrade carries: `access_token` in the query (Bearer) or a Basic header. */
export type SocketCredentials =
  | { readonly kind: 'bearer'; readonly accessToken: string }
  | { readonly kind: 'basic'; readonly authorization: string };

export interface RequestCredentials {
  readonly headers: Readonly<Record<string, string>>;
  /** Values to scrub from any error of the request. */
  readonly secrets: ReadonlyArray<string>;
}

export interface Authorizer {
  readonly credentials: CredentialKind;
  /** Runs `call` with valid credentials; a Bearer call refused with `invalid_token` is renewed and retried once. */
  withCredentials<A>(call: (credentials: RequestCredentials) => TE.TaskEither<GatewayError, A>): TE.TaskEither<GatewayError, A>;
  socketCredentials(): TE.TaskEither<GatewayError, SocketCredentials>;
  /** The server refused these socket credentials: renew the session before the next attempt. */
  socketRefused(credentials: SocketCredentials): TE.TaskEither<GatewayError, void>;
}

export interface AuthFlows {
  authorizationUrl(params?: AuthorizationUrlParams): E.Either<GatewayError, PendingAuthorization>;
  finishAuthorization(callbackUrl: string | URL, pending: PendingAuthorization): TE.TaskEither<GatewayError, MoneriumSession>;
  clientCredentials(): TE.TaskEither<GatewayError, MoneriumSession>;
  refresh(): TE.TaskEither<GatewayError, MoneriumSession>;
  session(): TE.TaskEither<GatewayError, MoneriumSession>;
  signOut(): TE.TaskEither<GatewayError, void>;
}

export interface AuthSettings {
  readonly auth: MoneriumAuth;
  readonly baseUrl: string;
  readonly tokenStore: TokenStore;
  readonly timeoutMs: number;
  readonly now: () => number;
}

const stringOf = (value: unknown): string | undefined => (typeof value === 'string' && value.length > 0 ? value : undefined);

export const sessionOf = (tokens: TokenSet): MoneriumSession => {
  const profile = stringOf(tokens.extra.profile);
  const userId = stringOf(tokens.extra.userId);
  return { tokens, ...(profile === undefined ? {} : { profile }), ...(userId === undefined ? {} : { userId }) };
};

/** Store key of a session: one per client and user, `client` for a partner's own token. */
const sessionKey = (clientId: string | undefined, subject: string): string => `monerium:${clientId ?? '-'}:${subject}`;

const basicHeader = (email: string, password: string): string =>
  `Basic ${Buffer.from(`${email}:${password}`, 'utf8').toString('base64')}`;

const checkAuth = (auth: MoneriumAuth): E.Either<GatewayError, MoneriumAuth> => {
  const nonEmpty = (value: unknown, field: string) =>
    typeof value === 'string' && value.length > 0 ? E.right(value) : E.left(invalidInput(field, 'must be a non-empty string'));
  switch (auth.kind) {
    case 'authorization_code':
      return pipe(
        nonEmpty(auth.clientId, 'auth.clientId'),
        E.flatMap(() => nonEmpty(auth.redirectUri, 'auth.redirectUri')),
        E.map(() => auth),
      );
    case 'client_credentials':
      return pipe(
        nonEmpty(auth.clientId, 'auth.clientId'),
        E.flatMap(() => nonEmpty(auth.clientSecret, 'auth.clientSecret')),
        E.map(() => auth),
      );
    case 'basic':
      return pipe(
        nonEmpty(auth.email, 'auth.email'),
        E.flatMap(() => nonEmpty(auth.password, 'auth.password')),
        E.map(() => auth),
      );
    case 'tokens':
      return pipe(
        nonEmpty(auth.tokens?.accessToken, 'auth.tokens.accessToken'),
        E.flatMap(() => (auth.clientId === undefined ? E.right('') : nonEmpty(auth.clientId, 'auth.clientId'))),
        E.map(() => auth),
      );
    default:
      return E.left(invalidInput('auth.kind', "must be 'authorization_code', 'client_credentials', 'basic' or 'tokens'"));
  }
};

const wrongKind = (operation: string, kinds: string) =>
  invalidInput('auth.kind', `${operation} needs auth kind ${kinds}`, `${operation} is not available with this client's auth kind`);

const checkAuthorizationParams = (params: AuthorizationUrlParams): E.Either<GatewayError, Record<string, string>> => {
  const extra: Record<string, string> = { ...params.extra };
  if (params.state !== undefined && (typeof params.state !== 'string' || params.state.length === 0)) {
    return E.left(invalidInput('state', 'must be a non-empty string'));
  }
  if (params.signature !== undefined && params.address === undefined) {
    return E.left(invalidInput('address', 'is required with signature (the address the signature links)'));
  }
  const checks: ReadonlyArray<readonly [string, string | undefined, (v: unknown, f: string) => E.Either<GatewayError, string>]> = [
    ['address', params.address, checkAddress],
    ['signature', params.signature, checkSignature],
    ['chain', params.chain, checkChainName],
    ['network', params.network, checkChainName],
  ];
  for (const [field, value, check] of checks) {
    if (value === undefined) continue;
    const checked = check(value, field);
    if (E.isLeft(checked)) return checked;
    extra[field] = checked.right;
  }
  return E.right(extra);
};

/** RFC 6749 §10.12 leaves the state's value to the client; a caller-chosen one replaces the random one. */
const withState = (pending: PendingAuthorization, state: string | undefined): PendingAuthorization => {
  if (state === undefined) return pending;
  const url = new URL(pending.url);
  url.searchParams.set('state', state);
  return { ...pending, state, url: url.href };
};

/**
 * Builds the credentials side of a client: the OAuth flows against `${baseUrl}/auth` and
 * `/auth/token`, and the authorizer every API call goes through. Sessions live in the token
 * store under `monerium:<clientId>:<userId | 'client'>`, renewed by core's TokenManager (one
 * refresh at a time per session: Monerium rotates refresh tokens, so two racing refreshes would
 * lose the session).
 */
export const createAuth = (settings: AuthSettings): E.Either<GatewayError, { authorizer: Authorizer; flows: AuthFlows }> =>
  E.map((auth: MoneriumAuth) => buildAuth(auth, settings))(checkAuth(settings.auth));

const buildAuth = (auth: MoneriumAuth, settings: AuthSettings): { authorizer: Authorizer; flows: AuthFlows } => {
  const { baseUrl, tokenStore, now } = settings;
  const server: OAuthServer = { issuer: baseUrl, authorizationEndpoint: `${baseUrl}/auth`, tokenEndpoint: `${baseUrl}/auth/token` };
  const oauthOptions: OAuthOptions = { timeoutMs: settings.timeoutMs, now };

  if (auth.kind === 'basic') return basicAuth(auth.email, auth.password);

  const clientId = auth.clientId;
  const publicClient: OAuthClient | undefined = clientId === undefined ? undefined : { clientId, clientAuth: 'none' };
  const confidentialClient: OAuthClient | undefined =
    auth.kind === 'client_credentials'
      ? { clientId: auth.clientId, clientSecret: auth.clientSecret, clientAuth: 'client_secret_post' }
      : undefined;

  const obtain =
    auth.kind === 'client_credentials' && confidentialClient !== undefined
      ? () =>
          clientCredentialsGrant(server, confidentialClient, auth.scope === undefined ? {} : { scope: auth.scope }, oauthOptions)
      : undefined;

  // Monerium's refresh response repeats `profile` and `userId`; if one ever does not, the old values stay.
  const refreshWith = (client: OAuthClient) => (current: TokenSet) =>
    pipe(
      refreshTokenGrant(server, client, current.refreshToken ?? '', {}, oauthOptions),
      TE.map((next): TokenSet => ({ ...next, extra: { ...current.extra, ...next.extra } })),
    );

  const refresh =
    confidentialClient !== undefined
      ? (current: TokenSet) =>
          pipe(
            refreshWith(confidentialClient)(current),
            // A partner can always start over with its secret instead of losing the session.
            TE.orElse((error) =>
              obtain !== undefined && isAuthError(error) && error.oauthError === 'invalid_grant' ? obtain() : TE.left(error),
            ),
          )
      : publicClient !== undefined
        ? refreshWith(publicClient)
        : undefined;

  const managers = new Map<string, TokenManager>();
  const managerFor = (key: string): TokenManager => {
    let manager = managers.get(key);
    if (manager === undefined) {
      manager = createTokenManager({
        key,
        store: tokenStore,
        now,
        // The refresh lock must outlive a token request: its TTL is derived from the timeout.
        requestTimeoutMs: settings.timeoutMs,
        ...(refresh === undefined ? {} : { refresh }),
        ...(obtain === undefined ? {} : { obtain }),
      });
      managers.set(key, manager);
    }
    return manager;
  };

  const initialSubject =
    auth.kind === 'client_credentials'
      ? 'client'
      : auth.kind === 'authorization_code'
        ? (auth.userId ?? 'user')
        : (stringOf(auth.tokens.extra.userId) ?? 'user');
  let currentKey = sessionKey(clientId, initialSubject);

  // A `tokens` session is written to the store once, unless the store already holds one for the
  // key: with rotating refresh tokens the stored set is newer than the one in the settings.
  let seeded: Promise<E.Either<GatewayError, void>> | undefined;
  // Whether nothing is left to seed: calls then reach the manager without a TaskEither layer.
  const initial = auth.kind === 'tokens' ? auth.tokens : undefined;
  let ready = initial === undefined;
  const seed = (): Promise<E.Either<GatewayError, void>> => {
    seeded ??= (async (): Promise<E.Either<GatewayError, void>> => {
      if (initial === undefined) return E.right(undefined);
      // Check-and-write under the store's lock when it has one: two instances starting on an
      // empty shared store must not let the second overwrite a set the first already rotated.
      const lock = tokenStore.lock === undefined ? undefined : await tokenStore.lock(currentKey, 10_000)();
      if (lock !== undefined && E.isLeft(lock)) return lock;
      try {
        const stored = await tokenStore.get(currentKey)();
        if (E.isLeft(stored)) return stored;
        return stored.right === undefined ? await managerFor(currentKey).setTokens(initial)() : E.right(undefined);
      } finally {
        if (lock !== undefined && E.isRight(lock)) await lock.right.release()();
      }
    })().then((result) => {
      // A failed seed (store down, lock busy) is tried again by the next call.
      if (E.isLeft(result)) seeded = undefined;
      else ready = true;
      return result;
    });
    return seeded;
  };

  /** Runs `use` on the current session's manager, seeding first while a `tokens` session is not yet stored. */
  const withManager =
    <A>(use: (manager: TokenManager) => TE.TaskEither<GatewayError, A>): TE.TaskEither<GatewayError, A> =>
    () => {
      // Once seeded, the manager's own task is the call: no promise of ours around it.
      if (ready) return use(managerFor(currentKey))();
      return seed().then((seededNow) => (E.isLeft(seededNow) ? seededNow : use(managerFor(currentKey))()));
    };

  // The same token gives the same (immutable) credentials: built once per token, not per call.
  let lastBearer: RequestCredentials | undefined;
  let lastToken: string | undefined;
  const bearer = (accessToken: string): RequestCredentials => {
    if (lastBearer === undefined || accessToken !== lastToken) {
      lastToken = accessToken;
      lastBearer = { headers: { authorization: `Bearer ${accessToken}` }, secrets: [accessToken] };
    }
    return lastBearer;
  };

  const authorizer: Authorizer = {
    credentials: 'bearer',
    withCredentials: (call) => withManager((m) => m.withToken((accessToken) => call(bearer(accessToken)))),
    socketCredentials: () =>
      pipe(
        withManager((m) => m.getAccessToken()),
        TE.map((accessToken): SocketCredentials => ({ kind: 'bearer', accessToken })),
      ),
    socketRefused: (credentials) =>
      pipe(
        withManager((m) => m.renew(credentials.kind === 'bearer' ? credentials.accessToken : undefined)),
        TE.map(() => undefined),
      ),
  };

  const store = (tokens: TokenSet): TE.TaskEither<GatewayError, MoneriumSession> => {
    const session = sessionOf(tokens);
    const subject = auth.kind === 'client_credentials' ? 'client' : (session.userId ?? 'user');
    currentKey = sessionKey(clientId, subject);
    return pipe(
      managerFor(currentKey).setTokens(tokens),
      TE.map(() => session),
    );
  };

  const flows: AuthFlows = {
    authorizationUrl: (params = {}) => {
      if (auth.kind !== 'authorization_code' || publicClient === undefined) {
        return E.left(wrongKind('authorizationUrl', "'authorization_code'"));
      }
      return pipe(
        checkAuthorizationParams(params),
        E.flatMap((extraParams) => {
          const scope = params.scope ?? auth.scope;
          return startAuthorization(server, publicClient, {
            redirectUri: auth.redirectUri,
            codeChallengeMethod: 'S256',
            extraParams,
            ...(scope === undefined ? {} : { scope }),
          });
        }),
        E.map((pending) => withState(pending, params.state)),
      );
    },
    finishAuthorization: (callbackUrl, pending) => {
      if (auth.kind !== 'authorization_code' || publicClient === undefined) {
        return TE.left(wrongKind('finishAuthorization', "'authorization_code'"));
      }
      return pipe(finishCodeFlow(server, publicClient, callbackUrl, pending, oauthOptions), TE.flatMap(store));
    },
    clientCredentials: () =>
      obtain === undefined ? TE.left(wrongKind('clientCredentials', "'client_credentials'")) : pipe(obtain(), TE.flatMap(store)),
    // Renews whatever the store holds now; a renewal already running is joined, not repeated.
    refresh: () =>
      pipe(
        withManager((m) =>
          pipe(
            tokenStore.get(currentKey),
            TE.flatMap((stored) => m.renew(stored?.accessToken)),
          ),
        ),
        TE.map(sessionOf),
      ),
    session: () =>
      pipe(
        withManager((m) => m.getTokenSet()),
        TE.map(sessionOf),
      ),
    signOut: () => withManager((m) => m.clear()),
  };

  return { authorizer, flows };
};

const basicAuth = (email: string, password: string): { authorizer: Authorizer; flows: AuthFlows } => {
  const authorization = basicHeader(email, password);
  const credentials: RequestCredentials = { headers: { authorization }, secrets: [password] };
  const notWithBasic = (operation: string) => wrongKind(operation, "other than 'basic'");
  return {
    authorizer: {
      credentials: 'basic',
      withCredentials: (call) => call(credentials),
      socketCredentials: () => TE.right({ kind: 'basic', authorization }),
      // Nothing to renew: a refused password stays refused.
      socketRefused: () => TE.right(undefined),
    },
    flows: {
      authorizationUrl: () => E.left(notWithBasic('authorizationUrl')),
      finishAuthorization: () => TE.left(notWithBasic('finishAuthorization')),
      clientCredentials: () => TE.left(notWithBasic('clientCredentials')),
      refresh: () => TE.left(notWithBasic('refresh')),
      session: () => TE.left(notWithBasic('session')),
      signOut: () => TE.right(undefined),
    },
  };
};
