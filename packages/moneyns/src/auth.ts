import {
  type GatewayError,
  type HttpClient,
  type HttpRequest,
  invalidInput,
  isInvalidInput,
  pathSegment,
  scrubSecrets,
  signPlatformJwt,
} from '@paygate/core';
import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { LoginResponseCodec, type MoneyNsSession } from './session.js';

/** User login: `POST /authenticate` with the account's email and password. */
export interface UserAuth {
  readonly email: string;
  readonly password: string;
}

/** Whom a platform logs in as: the claim is `email` or `id` (NOTES.md, MoneyNS). */
export type PlatformSubject = { readonly email: string } | { readonly id: string };

/** Platform login: `POST /authenticate-jwt/{platform}` with an RS512 JWT in the `Token` header. */
export interface PlatformAuth {
  /** The platform code MoneyNS enrolled you with; it is also the checkout page's `platform`. */
  readonly platform: string;
  /** The platform's RSA private key (PKCS#1 or PKCS#8 PEM, at least 2048 bits). Never leaves the process. */
  readonly privateKeyPem: string;
  readonly subject: PlatformSubject;
  /**
   * Seconds the login JWT is valid (`expire` = now + this). Default 60: the token is used once,
   * right away. From 0 to 3600: the record requires `expire` not to be in the past.
   */
  readonly lifetimeSeconds?: number;
}

export type MoneyNsAuth = UserAuth | PlatformAuth;

export const DEFAULT_JWT_LIFETIME_SECONDS = 60;
const MAX_JWT_LIFETIME_SECONDS = 3600;

const EMAIL = /^[^\s@]+@[^\s@]+$/;

export const isPlatformAuth = (auth: MoneyNsAuth): auth is PlatformAuth =>
  typeof (auth as Partial<PlatformAuth>).privateKeyPem === 'string' ||
  typeof (auth as Partial<PlatformAuth>).platform === 'string';

/**
 * A PEM stored in a JSON config or an environment variable often arrives with its line breaks
 * written as the two characters `\n`; PEM parsers need real ones.
 */
export const normalizePem = (pem: string): string =>
  !pem.includes('\n') && pem.includes('\\n') ? pem.replace(/(?:\\r)?\\n/g, '\n').trim() : pem.trim();

/** The PEM and each of its lines: a partial echo of the key must not get through either. */
export const pemSecrets = (pem: string): ReadonlyArray<string> => [
  pem,
  ...pem
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line.length >= 16 && !line.startsWith('-----')),
];

const isNonEmptyString = (value: unknown): value is string => typeof value === 'string' && value.trim().length > 0;

/** The claims of a platform login JWT: `expire` is a custom claim in Unix seconds, not `exp`. */
export const platformClaims = (
  subject: PlatformSubject,
  lifetimeSeconds: number,
  now: number,
): Readonly<Record<string, string | number>> => ({
  ...(typeof subject !== 'object' || subject === null ? {} : 'email' in subject ? { email: subject.email } : { id: subject.id }),
  expire: Math.floor(now / 1000) + lifetimeSeconds,
});

const signLoginJwt = (auth: PlatformAuth, now: number): E.Either<GatewayError, string> =>
  pipe(
    signPlatformJwt(auth.privateKeyPem, platformClaims(auth.subject, auth.lifetimeSeconds ?? DEFAULT_JWT_LIFETIME_SECONDS, now)),
    E.mapLeft((error) =>
      scrubSecrets(
        isInvalidInput(error)
          ? invalidInput('auth.privateKeyPem', error.reason, `Invalid auth.privateKeyPem: ${error.reason}`)
          : error,
        pemSecrets(auth.privateKeyPem),
      ),
    ),
  );

const validateSubject = (subject: unknown): E.Either<GatewayError, PlatformSubject> => {
  if (typeof subject !== 'object' || subject === null) {
    return E.left(invalidInput('auth.subject', 'must be { email } or { id }'));
  }
  const { email, id } = subject as { email?: unknown; id?: unknown };
  if (email !== undefined && id !== undefined) {
    return E.left(invalidInput('auth.subject', 'give either email or id, not both'));
  }
  if (email !== undefined) {
    return typeof email === 'string' && EMAIL.test(email)
      ? E.right({ email })
      : E.left(invalidInput('auth.subject.email', 'must be an email address'));
  }
  return isNonEmptyString(id) ? E.right({ id }) : E.left(invalidInput('auth.subject', 'must be { email } or { id }'));
};

const validatePlatformAuth = (auth: PlatformAuth, now: number): E.Either<GatewayError, PlatformAuth> => {
  // The platform code goes into the login path: core's one path-segment check (no "." or "..").
  const platform = pathSegment(auth.platform, 'auth.platform');
  if (E.isLeft(platform)) return platform;
  const lifetime = auth.lifetimeSeconds ?? DEFAULT_JWT_LIFETIME_SECONDS;
  if (!Number.isInteger(lifetime) || lifetime < 0 || lifetime > MAX_JWT_LIFETIME_SECONDS) {
    return E.left(
      invalidInput('auth.lifetimeSeconds', `must be an integer from 0 to ${MAX_JWT_LIFETIME_SECONDS} (expire must not be in the past)`),
    );
  }
  if (typeof auth.privateKeyPem !== 'string' || auth.privateKeyPem.trim().length === 0) {
    return E.left(invalidInput('auth.privateKeyPem', 'must be a PEM-encoded RSA private key'));
  }
  return pipe(
    validateSubject(auth.subject),
    E.map(
      (subject): PlatformAuth => ({
        platform: auth.platform,
        privateKeyPem: normalizePem(auth.privateKeyPem),
        subject,
        lifetimeSeconds: lifetime,
      }),
    ),
    // Signing once here proves the key usable (RSA, ≥ 2048 bits) before any login is attempted.
    E.chainFirst((valid) => signLoginJwt(valid, now)),
  );
};

const validateUserAuth = (auth: UserAuth): E.Either<GatewayError, UserAuth> => {
  if (typeof auth.email !== 'string' || !EMAIL.test(auth.email)) {
    return E.left(invalidInput('auth.email', 'must be an email address'));
  }
  if (typeof auth.password !== 'string' || auth.password.length === 0) {
    return E.left(invalidInput('auth.password', 'must not be empty'));
  }
  return E.right({ email: auth.email, password: auth.password });
};

/** Checks the credentials before anything is sent; a key that cannot sign is an InvalidInput. */
export const validateAuth = (auth: unknown, now: number): E.Either<GatewayError, MoneyNsAuth> => {
  if (typeof auth !== 'object' || auth === null) {
    return E.left(invalidInput('auth', 'must be { email, password } or { platform, privateKeyPem, subject }'));
  }
  const candidate = auth as MoneyNsAuth;
  return isPlatformAuth(candidate) ? validatePlatformAuth(candidate, now) : validateUserAuth(candidate);
};

/** Who the session belongs to, for the TokenStore key: never a secret. */
export const sessionOwner = (auth: MoneyNsAuth): string => {
  if (!isPlatformAuth(auth)) return `user:${auth.email}`;
  const subject = 'email' in auth.subject ? `email:${auth.subject.email}` : `id:${auth.subject.id}`;
  return `platform:${auth.platform}:${subject}`;
};

/** Provider docs 004: the login requests, exactly as documented. */
export const loginRequest = (auth: MoneyNsAuth, now: number): E.Either<GatewayError, HttpRequest> => {
  if (!isPlatformAuth(auth)) {
    return E.right({
      method: 'POST',
      path: '/authenticate',
      json: { email: auth.email, password: auth.password },
      secrets: [auth.password],
    });
  }
  return pipe(
    signLoginJwt(auth, now),
    E.map(
      (jwt): HttpRequest => ({
        method: 'POST',
        path: `/authenticate-jwt/${auth.platform}`,
        // "This endpoint do not require any payload, except the Token: <token> Header".
        headers: { token: jwt },
        secrets: [jwt, ...pemSecrets(auth.privateKeyPem)],
      }),
    ),
  );
};

/** Logs in once. Core http never retries a POST, and nothing here does either: a refusal is final. */
export const login = (http: HttpClient, auth: MoneyNsAuth, now: number): TE.TaskEither<GatewayError, MoneyNsSession> =>
  pipe(
    TE.fromEither(loginRequest(auth, now)),
    TE.flatMap((request) => http.request(request, LoginResponseCodec)),
    TE.map((response) => response.data),
  );
