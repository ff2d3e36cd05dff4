import { type GatewayError, invalidInput } from '@paygate/core';
import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import * as t from 'io-ts/lib/index.js';
import { type AuthorizedRequest, JSON_API_MEDIA_TYPE } from './authorized-request.js';
import { AmountCodec, SatoshisCodec } from './codecs/amounts.js';
import { documentCodec, resourceCodec } from './jsonapi.js';

/** API v1 user resources (NOTES.md "Money Button"): identity, profile and balance. */

const UserIdentityDocument = documentCodec(
  resourceCodec('user_identities', t.type({ id: t.string, name: t.string })),
);

/** `bio` and `avatar-url` are free-form profile fields a user may leave empty (null). */
const NullableString = t.union([t.string, t.null]);

const ProfileDocument = documentCodec(
  resourceCodec(
    'profiles',
    t.type({
      name: t.string,
      'avatar-url': NullableString,
      'primary-paymail': t.string,
      bio: NullableString,
    }),
  ),
);

const BalanceDocument = documentCodec(
  resourceCodec('balances', t.type({ amount: AmountCodec, currency: t.string, satoshis: SatoshisCodec })),
);

export interface UserIdentity {
  readonly id: string;
  readonly name: string;
}

export interface UserProfile {
  readonly id: string;
  readonly name: string;
  readonly avatarUrl: string | null;
  readonly primaryPaymail: string;
  readonly bio: string | null;
}

export interface UserBalance {
  readonly userId: string;
  /** Decimal string in `currency` (USD): the API sends a JSON number. */
  readonly amount: string;
  readonly currency: string;
  /** The balance in satoshis, exact, as the API's string. */
  readonly satoshis: string;
}

const USER_ID = /^[A-Za-z0-9_-]+$/;

/** A user id goes into the path: refuse anything that would change the path instead of naming a user. */
export const checkUserId = (userId: string, field = 'userId'): E.Either<GatewayError, string> =>
  typeof userId === 'string' && USER_ID.test(userId)
    ? E.right(userId)
    : E.left(invalidInput(field, 'must be a Money Button user id (letters, digits, "-" or "_")'));

const v1 = { headers: { accept: JSON_API_MEDIA_TYPE } } as const;

/** `GET /api/v1/auth/user_identity` (scope `auth.user_identity:read`). */
export const userIdentity = (request: AuthorizedRequest): TE.TaskEither<GatewayError, UserIdentity> =>
  pipe(
    request({ ...v1, method: 'GET', path: '/api/v1/auth/user_identity' }, UserIdentityDocument),
    TE.map(({ data }) => ({ id: data.attributes.id, name: data.attributes.name })),
  );

/** `GET /api/v1/users/{userId}/profile` (scope `users.profiles:read`). */
export const userProfile = (request: AuthorizedRequest, userId: string): TE.TaskEither<GatewayError, UserProfile> =>
  pipe(
    TE.fromEither(checkUserId(userId)),
    TE.flatMap((id) => request({ ...v1, method: 'GET', path: `/api/v1/users/${id}/profile` }, ProfileDocument)),
    TE.map(({ data }) => ({
      id: data.id,
      name: data.attributes.name,
      avatarUrl: data.attributes['avatar-url'],
      primaryPaymail: data.attributes['primary-paymail'],
      bio: data.attributes.bio,
    })),
  );

/** `GET /api/v1/users/{userId}/balance` (scope `users.balance:read`). */
export const userBalance = (request: AuthorizedRequest, userId: string): TE.TaskEither<GatewayError, UserBalance> =>
  pipe(
    TE.fromEither(checkUserId(userId)),
    TE.flatMap((id) => request({ ...v1, method: 'GET', path: `/api/v1/users/${id}/balance` }, BalanceDocument)),
    TE.map(({ data }) => ({
      userId: data.id,
      amount: data.attributes.amount,
      currency: data.attributes.currency,
      satoshis: data.attributes.satoshis,
    })),
  );
