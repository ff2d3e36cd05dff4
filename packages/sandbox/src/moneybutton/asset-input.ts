import type { MoneyButtonAsset } from './fixtures.js';

/**
 * Validation of `POST /api/v2/me/assets` and `PUT /api/v2/me/assets/{id}` bodies as
 * moneybutton-public.md §4 documents them: create `{name (≥ 5), initialSupply (a number ≥ 1),
 * protocol, description?, avatar?, paymailAlias?, paymailDomain?, url?}`, modify
 * `{name, description, avatar}`.
 */

export interface AssetFields {
  readonly protocol: string;
  readonly name: string;
  readonly initialSupply: string;
  readonly description: string | null;
  readonly avatar: string | null;
  readonly url: string | null;
  readonly paymailAlias?: string;
  readonly paymailDomain?: string;
}
export type AssetChanges = Partial<Pick<MoneyButtonAsset, 'name' | 'description' | 'avatar'>>;

export type Validated<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly detail: string };

const NAME_MIN = 5;
const OPTIONAL_TEXT = ['description', 'avatar', 'url', 'paymailAlias', 'paymailDomain'] as const;
const CHANGE_FIELDS: ReadonlyArray<string> = ['name', 'description', 'avatar'];

function fail<T>(detail: string): Validated<T> {
  return { ok: false, detail };
}

function objectBody(body: unknown): Record<string, unknown> | undefined {
  return typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : undefined;
}

function name(value: unknown): Validated<string> {
  if (typeof value !== 'string') return fail('name must be a string');
  const trimmed = value.trim();
  if (trimmed.length < NAME_MIN) return fail(`name must have at least ${NAME_MIN} characters`);
  return { ok: true, value: trimmed };
}

/** The record types `initialSupply` as a number (min 1); a string is not accepted. */
function initialSupply(value: unknown): Validated<string> {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    return fail('initialSupply must be a whole number of at least 1 (a JSON number)');
  }
  return { ok: true, value: String(value) };
}

function text(field: string, value: unknown): Validated<string | null> {
  if (value === undefined || value === null) return { ok: true, value: null };
  if (typeof value !== 'string') return fail(`${field} must be a string`);
  return { ok: true, value };
}

export function assetFieldsOf(body: unknown): Validated<AssetFields> {
  const fields = objectBody(body);
  if (fields === undefined) return fail('the body must be a JSON object');
  if (typeof fields.protocol !== 'string' || fields.protocol.trim().length === 0) return fail('protocol is required');
  if (fields.name === undefined) return fail('name is required');
  if (fields.initialSupply === undefined) return fail('initialSupply is required');
  const checkedName = name(fields.name);
  if (!checkedName.ok) return checkedName;
  const supply = initialSupply(fields.initialSupply);
  if (!supply.ok) return supply;
  const optional: Record<string, string | null> = {};
  for (const field of OPTIONAL_TEXT) {
    const checked = text(field, fields[field]);
    if (!checked.ok) return checked;
    optional[field] = checked.value;
  }
  return {
    ok: true,
    value: {
      protocol: fields.protocol,
      name: checkedName.value,
      initialSupply: supply.value,
      description: optional.description ?? null,
      avatar: optional.avatar ?? null,
      url: optional.url ?? null,
      ...(optional.paymailAlias == null ? {} : { paymailAlias: optional.paymailAlias }),
      ...(optional.paymailDomain == null ? {} : { paymailDomain: optional.paymailDomain }),
    },
  };
}

export function assetChangesOf(body: unknown): Validated<AssetChanges> {
  const fields = objectBody(body);
  if (fields === undefined) return fail('the body must be a JSON object');
  const changes: { -readonly [K in keyof AssetChanges]: AssetChanges[K] } = {};
  if (fields.name !== undefined) {
    const checked = name(fields.name);
    if (!checked.ok) return checked;
    changes.name = checked.value;
  }
  for (const field of ['description', 'avatar'] as const) {
    if (!(field in fields)) continue;
    const checked = text(field, fields[field]);
    if (!checked.ok) return checked;
    changes[field] = checked.value;
  }
  if (Object.keys(changes).length === 0) return fail(`the body must set at least one of ${CHANGE_FIELDS.join(', ')}`);
  return { ok: true, value: changes };
}
