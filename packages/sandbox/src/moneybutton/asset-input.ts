import type { MoneyButtonAsset } from './fixtures.js';

/**
 * Validation of `POST /api/v2/me/assets` and `PUT /api/v2/me/assets/{id}` bodies. The docs list
 * these endpoints and the Simple Fabriik Protocol (SFP) for tokens, not the bodies; the shape
 * chosen here is documented in the package README.
 */

export type AssetFields = Pick<MoneyButtonAsset, 'protocol' | 'name' | 'description' | 'avatarUrl' | 'initialSupply'>;
export type AssetChanges = Partial<Pick<MoneyButtonAsset, 'name' | 'description' | 'avatarUrl'>>;

export type Validated<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly detail: string };

const NAME_MAX = 50;
const DESCRIPTION_MAX = 500;
const MAX_SUPPLY = 1_000_000_000_000_000n;
const CREATE_FIELDS: ReadonlyArray<string> = ['protocol', 'name', 'initialSupply', 'description', 'avatarUrl'];
const CHANGE_FIELDS: ReadonlyArray<string> = ['name', 'description', 'avatarUrl'];
const IMMUTABLE_FIELDS: ReadonlyArray<string> = ['protocol', 'initialSupply'];

function fail<T>(detail: string): Validated<T> {
  return { ok: false, detail };
}

function objectBody(body: unknown): Record<string, unknown> | undefined {
  return typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : undefined;
}

function name(value: unknown): Validated<string> {
  if (typeof value !== 'string') return fail('name must be a string');
  const trimmed = value.trim();
  if (trimmed.length === 0 || trimmed.length > NAME_MAX) return fail(`name must have 1 to ${NAME_MAX} characters`);
  return { ok: true, value: trimmed };
}

function description(value: unknown): Validated<string | null> {
  if (value === null) return { ok: true, value: null };
  if (typeof value !== 'string') return fail('description must be a string or null');
  if (value.length > DESCRIPTION_MAX) return fail(`description must have at most ${DESCRIPTION_MAX} characters`);
  return { ok: true, value };
}

function avatarUrl(value: unknown): Validated<string | null> {
  if (value === null) return { ok: true, value: null };
  if (typeof value !== 'string') return fail('avatarUrl must be a string or null');
  try {
    if (new URL(value).protocol === 'https:') return { ok: true, value };
  } catch {
    // falls through to the error below
  }
  return fail('avatarUrl must be an absolute https URL');
}

function initialSupply(value: unknown): Validated<string> {
  const text = typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : value;
  if (typeof text !== 'string' || !/^[1-9]\d{0,15}$/.test(text) || BigInt(text) > MAX_SUPPLY) {
    return fail(`initialSupply must be a whole number from 1 to ${MAX_SUPPLY}, as a string or an integer`);
  }
  return { ok: true, value: text };
}

function unknownField(body: Record<string, unknown>, allowed: ReadonlyArray<string>): string | undefined {
  return Object.keys(body).find((key) => !allowed.includes(key));
}

export function assetFieldsOf(body: unknown): Validated<AssetFields> {
  const fields = objectBody(body);
  if (fields === undefined) return fail('the body must be a JSON object');
  const extra = unknownField(fields, CREATE_FIELDS);
  if (extra !== undefined) return fail(`unknown field ${extra}`);
  if (fields.protocol !== 'SFP') return fail('protocol is required and must be "SFP"');
  if (fields.name === undefined) return fail('name is required');
  if (fields.initialSupply === undefined) return fail('initialSupply is required');
  const checkedName = name(fields.name);
  if (!checkedName.ok) return checkedName;
  const supply = initialSupply(fields.initialSupply);
  if (!supply.ok) return supply;
  const checkedDescription = description(fields.description ?? null);
  if (!checkedDescription.ok) return checkedDescription;
  const avatar = avatarUrl(fields.avatarUrl ?? null);
  if (!avatar.ok) return avatar;
  return {
    ok: true,
    value: {
      protocol: 'SFP',
      name: checkedName.value,
      initialSupply: supply.value,
      description: checkedDescription.value,
      avatarUrl: avatar.value,
    },
  };
}

export function assetChangesOf(body: unknown): Validated<AssetChanges> {
  const fields = objectBody(body);
  if (fields === undefined) return fail('the body must be a JSON object');
  const immutable = Object.keys(fields).find((key) => IMMUTABLE_FIELDS.includes(key));
  if (immutable !== undefined) return fail(`${immutable} cannot be changed after the asset is created`);
  const extra = unknownField(fields, CHANGE_FIELDS);
  if (extra !== undefined) return fail(`unknown field ${extra}`);
  if (Object.keys(fields).length === 0) return fail(`the body must change at least one of ${CHANGE_FIELDS.join(', ')}`);
  const changes: { -readonly [K in keyof AssetChanges]: AssetChanges[K] } = {};
  if ('name' in fields) {
    const checked = name(fields.name);
    if (!checked.ok) return checked;
    changes.name = checked.value;
  }
  if ('description' in fields) {
    const checked = description(fields.description);
    if (!checked.ok) return checked;
    changes.description = checked.value;
  }
  if ('avatarUrl' in fields) {
    const checked = avatarUrl(fields.avatarUrl);
    if (!checked.ok) return checked;
    changes.avatarUrl = checked.value;
  }
  return { ok: true, value: changes };
}
