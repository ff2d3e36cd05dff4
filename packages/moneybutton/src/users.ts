import { type GatewayError, invalidInput } from '@paygate/core';
import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import * as t from 'io-ts/lib/index.js';
import { type AuthorizedRequest, JSON_API_MEDIA_TYPE } from './authorized-request.js';
import { AmountCodec, NullableString, SatoshisCodec } from './codecs/amounts.js';
import { asReceived, defined, keepRaw, recordOf } from './codecs/lenient.js';
import { documentCodec, resourceCodec } from './jsonapi.js';

/** API v1 user resources (moneybutton-public.md §3): identity, profile and balance. */

const UserIdentityDocument = documentCodec(
  resourceCodec('user_identities', t.type({ id: t.string, name: t.string })),
);

/** Profile attributes: `created-at, name, default-currency, default-language, bio, primary-paymail, avatar-url`. */
const ProfileDocument = keepRaw(
  documentCodec(
    resourceCodec(
      'profiles',
      recordOf(
        'ProfileAttributes',
        { name: t.string },
        {
          'created-at': t.string,
          'default-currency': t.string,
          'default-language': t.string,
          'avatar-url': NullableString,
          'primary-paymail': NullableString,
          bio: NullableString,
        },
      ),
    ),
  ),
);

/**
 * The balance resource is of type `amounts` with a UUID id of its own (not the user's id).
 * `balances` is read too: servers emulating the API have used it.
 */
const BalanceResource = t.intersection([
  t.type({
    type: t.union([t.literal('amounts'), t.literal('balances')]),
    id: t.string,
    attributes: recordOf('BalanceAttributes', { amount: AmountCodec, currency: t.string }, { satoshis: SatoshisCodec }),
  }),
  t.partial({ links: t.record(t.string, t.unknown) }),
]);
const BalanceDocument = documentCodec(BalanceResource);

export interface UserIdentity {
  readonly id: string;
  readonly name: string;
}

export interface UserProfile {
  readonly id: string;
  readonly name: string;
  readonly createdAt?: string;
  /** The currency the user sees amounts in (`USD`, …). */
  readonly defaultCurrency?: string;
  readonly defaultLanguage?: string;
  readonly avatarUrl?: string | null;
  readonly primaryPaymail?: string | null;
  readonly bio?: string | null;
  /** The profile's attributes as received. */
  readonly fields: Readonly<Record<string, unknown>>;
}

export interface UserBalance {
  /** The user whose balance was asked for. */
  readonly userId: string;
  /** The balance resource's own id (a UUID, type `amounts`). */
  readonly id: string;
  /** Decimal string in `currency` (the user's currency): the API sends a JSON number. */
  readonly amount: string;
  readonly currency: string;
  /** The balance in satoshis, exact, as the API's string. */
  readonly satoshis?: string;
}

const USER_ID = /^[A-Za-z0-9_-]+$/;

/** A user id goes into the path: refuse anything that would change the path instead of naming a user. */
export const checkUserId = (userId: string, field = 'userId'): E.Either<GatewayError, string> =>
  typeof userId === 'string' && USER_ID.test(userId)
    ? E.right(userId)
    : E.left(invalidInput(field, 'must be a Money Button user id (letters, digits, "-" or "_")'));


const attributesOf = (raw: unknown): Readonly<Record<string, unknown>> =>
  asReceived((raw as { data?: { attributes?: unknown } } | undefined)?.data?.attributes);

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
    TE.map(({ raw, document: { data } }) => {
      const a = data.attributes;
      return defined({
        id: data.id,
        name: a.name,
        createdAt: a['created-at'],
        defaultCurrency: a['default-currency'],
        defaultLanguage: a['default-language'],
        avatarUrl: a['avatar-url'],
        primaryPaymail: a['primary-paymail'],
        bio: a.bio,
        fields: attributesOf(raw),
      });
    }),
  );

/** `GET /api/v1/users/{userId}/balance` (scope `users.balance:read`). */
export const userBalance = (request: AuthorizedRequest, userId: string): TE.TaskEither<GatewayError, UserBalance> =>
  pipe(
    TE.fromEither(checkUserId(userId)),
    TE.flatMap((id) =>
      pipe(
        request({ ...v1, method: 'GET', path: `/api/v1/users/${id}/balance` }, BalanceDocument),
        TE.map(({ data }) =>
          defined({
            userId: id,
            id: data.id,
            amount: data.attributes.amount,
            currency: data.attributes.currency,
            satoshis: data.attributes.satoshis,
          }),
        ),
      ),
    ),
  );
