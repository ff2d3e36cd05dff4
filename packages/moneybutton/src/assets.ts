import { type GatewayError, invalidInput } from '@paygate/core';
import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import * as t from 'io-ts/lib/index.js';
import type { AuthorizedRequest } from './authorized-request.js';

/**
 * API v2 assets: tokens of the Simple Fabriik Protocol (SFP), read with `users.asset:read`,
 * created and changed with `users.asset:write`. The docs list the endpoints, not the bodies; the
 * fields and limits below are the sandbox's reading (README "API v2 shapes"), and the same limits
 * are checked here so bad input fails before a request is sent.
 */
const NullableString = t.union([t.string, t.null]);

const AssetJson = t.type({
  id: t.string,
  protocol: t.string,
  name: t.string,
  description: NullableString,
  avatarUrl: NullableString,
  initialSupply: t.string,
  paymail: t.string,
  createdAt: t.string,
  updatedAt: t.string,
});
export type MoneyButtonAsset = t.TypeOf<typeof AssetJson>;

const AssetsBody = t.type({ assets: t.array(AssetJson) });

export interface CreateAssetInput {
  /** The token protocol; Money Button's is SFP (the default). */
  readonly protocol?: 'SFP';
  /** 1 to 50 characters (surrounding spaces are dropped). */
  readonly name: string;
  /** Whole token units, 1 to 10^15: a string of digits, a safe integer or a bigint. */
  readonly initialSupply: string | number | bigint;
  /** At most 500 characters; null for none. */
  readonly description?: string | null;
  /** An absolute https URL; null for none. */
  readonly avatarUrl?: string | null;
}

/** What may change after creation; protocol and initial supply are fixed. */
export interface UpdateAssetInput {
  readonly name?: string;
  readonly description?: string | null;
  readonly avatarUrl?: string | null;
}

const NAME_MAX = 50;
const DESCRIPTION_MAX = 500;
const MAX_SUPPLY = 10n ** 15n;
const ASSET_ID = /^[A-Za-z0-9_-]+$/;

type Checked<A> = E.Either<GatewayError, A>;

const checkName = (value: unknown): Checked<string> => {
  const trimmed = typeof value === 'string' ? value.trim() : '';
  return trimmed.length > 0 && trimmed.length <= NAME_MAX
    ? E.right(trimmed)
    : E.left(invalidInput('name', `must be a string of 1 to ${NAME_MAX} characters`));
};

const checkDescription = (value: unknown): Checked<string | null> =>
  value === null || (typeof value === 'string' && value.length <= DESCRIPTION_MAX)
    ? E.right(value)
    : E.left(invalidInput('description', `must be null or a string of at most ${DESCRIPTION_MAX} characters`));

const isHttpsUrl = (value: string): boolean => {
  try {
    return new URL(value).protocol === 'https:';
  } catch {
    return false;
  }
};

const checkAvatarUrl = (value: unknown): Checked<string | null> =>
  value === null || (typeof value === 'string' && isHttpsUrl(value))
    ? E.right(value)
    : E.left(invalidInput('avatarUrl', 'must be null or an absolute https URL'));

const checkInitialSupply = (value: unknown): Checked<string> => {
  const text =
    typeof value === 'bigint' ? value.toString() : typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : value;
  return typeof text === 'string' && /^[1-9]\d*$/.test(text) && BigInt(text) <= MAX_SUPPLY
    ? E.right(text)
    : E.left(invalidInput('initialSupply', `must be a whole number from 1 to ${MAX_SUPPLY}`));
};

/** The optional description and avatarUrl, checked alike on create and update; only those given are in the result. */
const checkOptionalFields = (fields: {
  readonly description?: string | null;
  readonly avatarUrl?: string | null;
}): Checked<Record<string, unknown>> => {
  const body: Record<string, unknown> = {};
  if (fields.description !== undefined) {
    const description = checkDescription(fields.description);
    if (E.isLeft(description)) return description;
    body.description = description.right;
  }
  if (fields.avatarUrl !== undefined) {
    const avatarUrl = checkAvatarUrl(fields.avatarUrl);
    if (E.isLeft(avatarUrl)) return avatarUrl;
    body.avatarUrl = avatarUrl.right;
  }
  return E.right(body);
};

const checkAssetId = (id: string): Checked<string> =>
  typeof id === 'string' && ASSET_ID.test(id) ? E.right(id) : E.left(invalidInput('id', 'must be an asset id'));

/** The JSON body of `POST /api/v2/me/assets`, or the first problem with the input. */
export const createAssetBody = (input: CreateAssetInput): Checked<Record<string, unknown>> => {
  if (typeof input !== 'object' || input === null) return E.left(invalidInput('input', 'must be an object'));
  if (input.protocol !== undefined && input.protocol !== 'SFP') {
    return E.left(invalidInput('protocol', 'must be "SFP"'));
  }
  const name = checkName(input.name);
  if (E.isLeft(name)) return name;
  const supply = checkInitialSupply(input.initialSupply);
  if (E.isLeft(supply)) return supply;
  const optional = checkOptionalFields(input);
  if (E.isLeft(optional)) return optional;
  return E.right({ protocol: 'SFP', name: name.right, initialSupply: supply.right, ...optional.right });
};

/** The JSON body of `PUT /api/v2/me/assets/{id}`, or the first problem with the changes. */
export const updateAssetBody = (changes: UpdateAssetInput): Checked<Record<string, unknown>> => {
  if (typeof changes !== 'object' || changes === null) return E.left(invalidInput('changes', 'must be an object'));
  for (const fixed of ['protocol', 'initialSupply']) {
    if (fixed in changes) return E.left(invalidInput(fixed, 'cannot be changed after the asset is created'));
  }
  const body: Record<string, unknown> = {};
  if (changes.name !== undefined) {
    const name = checkName(changes.name);
    if (E.isLeft(name)) return name;
    body.name = name.right;
  }
  const optional = checkOptionalFields(changes);
  if (E.isLeft(optional)) return optional;
  Object.assign(body, optional.right);
  if (Object.keys(body).length === 0) {
    return E.left(invalidInput('changes', 'must change at least one of name, description, avatarUrl'));
  }
  return E.right(body);
};

/** `GET /api/v2/me/assets`. */
export const assets = (request: AuthorizedRequest): TE.TaskEither<GatewayError, ReadonlyArray<MoneyButtonAsset>> =>
  pipe(
    request({ method: 'GET', path: '/api/v2/me/assets' }, AssetsBody),
    TE.map((body) => body.assets),
  );

/** `POST /api/v2/me/assets`: not retried (a second attempt could create a second asset). */
export const createAsset = (
  request: AuthorizedRequest,
  input: CreateAssetInput,
): TE.TaskEither<GatewayError, MoneyButtonAsset> =>
  pipe(
    TE.fromEither(createAssetBody(input)),
    TE.flatMap((json) => request({ method: 'POST', path: '/api/v2/me/assets', json }, AssetJson)),
  );

/** `PUT /api/v2/me/assets/{id}`: idempotent, so core http may retry it. */
export const updateAsset = (
  request: AuthorizedRequest,
  id: string,
  changes: UpdateAssetInput,
): TE.TaskEither<GatewayError, MoneyButtonAsset> =>
  pipe(
    TE.fromEither(checkAssetId(id)),
    TE.flatMap((checked) =>
      pipe(
        TE.fromEither(updateAssetBody(changes)),
        TE.flatMap((json) => request({ method: 'PUT', path: `/api/v2/me/assets/${checked}`, json }, AssetJson)),
      ),
    ),
  );
