import { decodeError, type GatewayError, invalidInput, lenientPaymentId, sendPayment, withPaymentOutcome } from '@paygate/core';
import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import * as t from 'io-ts/lib/index.js';
import type { AuthorizedRequest, AuthorizedSend } from './authorized-request.js';
import { IdCodec, NullableString } from './codecs/amounts.js';
import { asReceived, keepRaw, recordOf } from './codecs/lenient.js';
import { PROVIDER } from './errors.js';
import { decodeAt } from './jsonapi.js';

/**
 * API v2 assets (moneybutton-public.md §4): tokens read with `users.asset:read`, created and
 * changed with `users.asset:write`.
 * - create `POST /api/v2/me/assets {name (≥ 5 chars), initialSupply (a JSON number ≥ 1),
 *   protocol, description?, avatar?, paymailAlias?, paymailDomain?, url?}`;
 * - modify `PUT /api/v2/me/assets/{id} {name, description, avatar}`;
 * - the asset object: `id, name, initialSupply` (a string in responses), `userId, paymailAlias,
 *   paymailDomain, createdAt, updatedAt, avatar, url, description`, and `tokenProtocolId` on modify.
 * The list's body is unknown in the record: `{assets: [...]}` or a bare array are both read.
 */

/** `initialSupply` comes back as a string; a number is accepted too and written in decimal. */
const SupplyCodec = new t.Type<string, string, unknown>(
  'Supply',
  (u): u is string => typeof u === 'string',
  (u, context) => {
    if (typeof u === 'string' && /^\d+$/.test(u)) return t.success(u);
    if (typeof u === 'number' && Number.isSafeInteger(u) && u >= 0) return t.success(String(u));
    return t.failure(u, context, 'a whole number (string or number)');
  },
  (supply) => supply,
);

const AssetJson = recordOf(
  'Asset',
  { id: IdCodec, name: t.string },
  {
    initialSupply: SupplyCodec,
    protocol: t.string,
    tokenProtocolId: IdCodec,
    userId: NullableString,
    description: NullableString,
    avatar: NullableString,
    url: NullableString,
    paymailAlias: NullableString,
    paymailDomain: NullableString,
    createdAt: t.string,
    updatedAt: t.string,
  },
);

export interface MoneyButtonAsset {
  readonly id: string;
  readonly name: string;
  /** Whole token units, as the decimal string Money Button answers with. */
  readonly initialSupply?: string;
  /** The protocol named at creation (`SFP`), where the answer carries it. */
  readonly protocol?: string;
  /** Money Button's id of the token protocol (`"1"` in the record). */
  readonly tokenProtocolId?: string;
  readonly userId?: string | null;
  readonly description?: string | null;
  readonly avatar?: string | null;
  readonly url?: string | null;
  /** The asset's paymail is `<paymailAlias>@<paymailDomain or moneybutton.com>`. */
  readonly paymailAlias?: string | null;
  readonly paymailDomain?: string | null;
  readonly createdAt?: string;
  readonly updatedAt?: string;
  /** The asset object as received. */
  readonly fields: Readonly<Record<string, unknown>>;
}

export interface CreateAssetInput {
  /** The token protocol; default `SFP` (the record's example). */
  readonly protocol?: string;
  /** At least 5 characters (surrounding spaces are dropped). */
  readonly name: string;
  /** Whole token units ≥ 1, sent as a JSON number: a safe integer, or a string/bigint of one. */
  readonly initialSupply: number | string | bigint;
  readonly description?: string;
  /** URL of the asset's image. */
  readonly avatar?: string;
  /** Only for accounts with a custom paymail domain; otherwise Money Button generates an alias. */
  readonly paymailAlias?: string;
  readonly paymailDomain?: string;
  readonly url?: string;
}

/** What the record lets a modify change; protocol and initial supply are fixed. */
export interface UpdateAssetInput {
  readonly name?: string;
  readonly description?: string;
  readonly avatar?: string;
}

export const NAME_MIN = 5;
const ASSET_ID = /^[A-Za-z0-9_-]+$/;
const OPTIONAL_CREATE_FIELDS = ['description', 'avatar', 'paymailAlias', 'paymailDomain', 'url'] as const;

type Checked<A> = E.Either<GatewayError, A>;

const checkName = (value: unknown): Checked<string> => {
  const trimmed = typeof value === 'string' ? value.trim() : '';
  return trimmed.length >= NAME_MIN
    ? E.right(trimmed)
    : E.left(invalidInput('name', `must be a string of at least ${NAME_MIN} characters`));
};

/** Sent as a JSON number (the record's type), so it must be a safe integer to stay exact. */
const checkInitialSupply = (value: unknown): Checked<number> => {
  const number =
    typeof value === 'number'
      ? value
      : typeof value === 'bigint'
        ? Number(value)
        : typeof value === 'string' && /^\d+$/.test(value)
          ? Number(value)
          : Number.NaN;
  const exact = typeof value !== 'bigint' || BigInt(number) === value;
  return Number.isSafeInteger(number) && number >= 1 && exact
    ? E.right(number)
    : E.left(invalidInput('initialSupply', `must be a whole number from 1 to ${Number.MAX_SAFE_INTEGER}`));
};

const checkText = (field: string, value: unknown): Checked<string> =>
  typeof value === 'string' ? E.right(value) : E.left(invalidInput(field, 'must be a string'));

const checkAssetId = (id: string): Checked<string> =>
  typeof id === 'string' && ASSET_ID.test(id) ? E.right(id) : E.left(invalidInput('id', 'must be an asset id'));

/** The JSON body of `POST /api/v2/me/assets`, or the first problem with the input. */
export const createAssetBody = (input: CreateAssetInput): Checked<Record<string, unknown>> => {
  if (typeof input !== 'object' || input === null) return E.left(invalidInput('input', 'must be an object'));
  const protocol = input.protocol ?? 'SFP';
  if (typeof protocol !== 'string' || protocol.trim().length === 0) {
    return E.left(invalidInput('protocol', 'must be a non-empty string (e.g. "SFP")'));
  }
  const name = checkName(input.name);
  if (E.isLeft(name)) return name;
  const supply = checkInitialSupply(input.initialSupply);
  if (E.isLeft(supply)) return supply;
  const body: Record<string, unknown> = { name: name.right, initialSupply: supply.right, protocol };
  for (const field of OPTIONAL_CREATE_FIELDS) {
    if (input[field] === undefined) continue;
    const text = checkText(field, input[field]);
    if (E.isLeft(text)) return text;
    body[field] = text.right;
  }
  return E.right(body);
};

/** The JSON body of `PUT /api/v2/me/assets/{id}`, or the first problem with the changes. */
export const updateAssetBody = (changes: UpdateAssetInput): Checked<Record<string, unknown>> => {
  if (typeof changes !== 'object' || changes === null) return E.left(invalidInput('changes', 'must be an object'));
  for (const fixed of ['protocol', 'initialSupply', 'avatarUrl']) {
    if (fixed in changes) {
      const reason = fixed === 'avatarUrl' ? 'is not a Money Button field: use avatar' : 'cannot be changed after the asset is created';
      return E.left(invalidInput(fixed, reason));
    }
  }
  const body: Record<string, unknown> = {};
  if (changes.name !== undefined) {
    const name = checkName(changes.name);
    if (E.isLeft(name)) return name;
    body.name = name.right;
  }
  for (const field of ['description', 'avatar'] as const) {
    if (changes[field] === undefined) continue;
    const text = checkText(field, changes[field]);
    if (E.isLeft(text)) return text;
    body[field] = text.right;
  }
  if (Object.keys(body).length === 0) {
    return E.left(invalidInput('changes', 'must change at least one of name, description, avatar'));
  }
  return E.right(body);
};


const toAsset = (decoded: t.TypeOf<typeof AssetJson>, original: unknown): MoneyButtonAsset => ({
  ...decoded,
  fields: asReceived(original),
});

const AssetBody = keepRaw(AssetJson);

/** `{assets: [...]}`, `{data: [...]}` or a bare array: the record does not show the list. */
const itemsOf = (body: unknown): { readonly items: ReadonlyArray<unknown>; readonly path: string } | undefined => {
  if (Array.isArray(body)) return { items: body, path: '' };
  for (const key of ['assets', 'data']) {
    const value = (body as Record<string, unknown> | null)?.[key];
    if (Array.isArray(value)) return { items: value, path: key };
  }
  return undefined;
};

/** `GET /api/v2/me/assets`. */
export const assets = (request: AuthorizedRequest): TE.TaskEither<GatewayError, ReadonlyArray<MoneyButtonAsset>> =>
  pipe(
    request({ method: 'GET', path: '/api/v2/me/assets' }, t.unknown),
    TE.flatMap((body) => {
      const list = itemsOf(body);
      if (list === undefined) {
        return TE.left(
          decodeError({ provider: PROVIDER, path: '', errors: ['(root): expected {assets: [...]} or an array of assets'] }),
        );
      }
      const out: MoneyButtonAsset[] = [];
      for (const [index, item] of list.items.entries()) {
        const decoded = decodeAt(AssetJson, list.path === '' ? String(index) : `${list.path}.${index}`)(item);
        if (E.isLeft(decoded)) return TE.left(decoded.left);
        out.push(toAsset(decoded.right, item));
      }
      return TE.right(out);
    }),
  );

/**
 * `POST /api/v2/me/assets`: state-changing, so it goes through core's `sendPayment`: sent once,
 * never retried, and every failure after the request may have reached Money Button carries
 * `paymentOutcome` (`placed` with the id for a 2xx that does not decode, `not_placed` for a
 * refusal such as a 4xx or when it provably never left, `unknown` otherwise) and is never
 * `retryable`. An `unknown` create is not looked up: a look-alike asset is not proof (docs/errors.md).
 */
export const createAsset = (
  request: AuthorizedSend,
  input: CreateAssetInput,
): TE.TaskEither<GatewayError, MoneyButtonAsset> =>
  pipe(
    TE.fromEither(createAssetBody(input)),
    TE.flatMap((json) =>
      sendPayment({
        provider: PROVIDER,
        send: request({ method: 'POST', path: '/api/v2/me/assets', json }),
        codec: AssetBody,
        idOf: lenientPaymentId,
      }),
    ),
    TE.map(({ raw, document }) => toAsset(document, raw)),
  );

const sameText = (a: unknown, b: unknown): boolean => (a ?? null) === (b ?? null);

/**
 * `PUT /api/v2/me/assets/{id}`: state-changing like create, with the same outcomes. A PUT sets a
 * state, so an `unknown` outcome is settled by reading the asset back: when it already holds
 * every value sent, the change is in place and the asset is the answer.
 */
export const updateAsset = (
  request: AuthorizedSend,
  read: AuthorizedRequest,
  id: string,
  changes: UpdateAssetInput,
): TE.TaskEither<GatewayError, MoneyButtonAsset> =>
  pipe(
    TE.fromEither(checkAssetId(id)),
    TE.flatMap((checked) =>
      pipe(
        TE.fromEither(updateAssetBody(changes)),
        TE.flatMap((json) =>
          sendPayment({
            provider: PROVIDER,
            send: request({ method: 'PUT', path: `/api/v2/me/assets/${checked}`, json }),
            codec: AssetBody,
            idOf: () => checked,
            reconcile: () => async () => {
              const listed = await assets(read)();
              if (E.isLeft(listed)) return undefined;
              const asset = listed.right.find((candidate) => candidate.id === checked);
              const applied =
                asset !== undefined && Object.entries(json).every(([key, value]) => sameText(asset.fields[key], value));
              return applied && asset !== undefined ? { raw: asset.fields, document: asset } : undefined;
            },
          }),
        ),
        // The asset being changed is known: every outcome names it.
        TE.mapLeft((error) => {
          const outcome = 'paymentOutcome' in error ? error.paymentOutcome : undefined;
          return outcome === undefined ? error : withPaymentOutcome(error, outcome, checked);
        }),
      ),
    ),
    TE.map(({ raw, document }) => toAsset(document, raw)),
  );
