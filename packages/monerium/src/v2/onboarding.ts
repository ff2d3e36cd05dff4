import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import * as t from 'io-ts/lib/index.js';
import { type GatewayError, invalidInput, requireRecord } from '@paygate/core';
import { type MoneriumApi, pathSegment } from '../api.js';
import { onApi } from './api.js';
import { type Profile, ProfileCodec, type ProfileKind } from './profiles.js';
import { allOf, boundedText } from './shared.js';

/**
 * Whitelabel onboarding (fact sheet §3, Whitelabel apps only: others get 403). Bodies are typed
 * after the OpenAPI file; the `PATCH` answers are 202 whose body is undocumented (one SDK test
 * expected a Profile), so they resolve to `accepted` whatever the body holds.
 */

export interface PersonalIdDocument {
  readonly number: string;
  readonly kind: 'passport' | 'nationalIdentityCard';
}

export interface PersonalDetails {
  readonly firstName: string;
  readonly lastName: string;
  /** At most 70 characters. */
  readonly address: string;
  readonly postalCode: string;
  readonly city: string;
  /** ISO 3166-1 alpha-2. */
  readonly country: string;
  readonly countryState?: string;
  readonly nationality: string;
  /** `YYYY-MM-DD`. */
  readonly birthday: string;
  readonly phone: string;
  readonly email: string;
  readonly idDocument: PersonalIdDocument;
}

export interface CorporatePerson {
  readonly firstName: string;
  readonly lastName: string;
  readonly address: string;
  readonly postalCode: string;
  readonly city: string;
  readonly country: string;
  readonly countryState?: string;
  readonly nationality: string;
  readonly birthday: string;
  readonly email?: string;
  readonly phone?: string;
}

export interface CorporateBeneficiary extends CorporatePerson {
  /** A decimal string from "25" to "100". */
  readonly ownershipPercentage: string;
}

export interface CorporateDetails {
  readonly name: string;
  readonly registrationNumber: string;
  readonly registrationDate?: string;
  readonly vatNumber?: string;
  readonly website?: string;
  readonly address: string;
  readonly postalCode: string;
  readonly city: string;
  readonly country: string;
  readonly countryState: string;
  readonly representatives: ReadonlyArray<CorporatePerson>;
  readonly finalBeneficiaries: ReadonlyArray<CorporateBeneficiary>;
  readonly directors: ReadonlyArray<CorporatePerson>;
}

/** `PATCH /profiles/{id}/details`: exactly one of `personal` or `corporate`. */
export type DetailsBody = { readonly personal: PersonalDetails } | { readonly corporate: CorporateDetails };

/**
 * `PATCH /profiles/{id}/form`: the risk questionnaire. Its fields and enum codes live in the
 * OpenAPI file and change (SDK 4's `PROF_*` codes are already stale), so the answers are passed
 * through as given.
 */
export type FormBody = { readonly personal: Readonly<Record<string, unknown>> } | { readonly corporate: Readonly<Record<string, unknown>> };

export type DocumentKind =
  | 'passport'
  | 'nationalIdentityCard'
  | 'drivingLicense'
  | 'residencePermit'
  | 'proofOfResidency'
  | 'sourceOfFunds'
  | 'companyFilePDF'
  | 'other';

export interface VerificationDocument {
  readonly kind: DocumentKind;
  /** The `id` of a `POST /files` upload. */
  readonly fileId: string;
  readonly side?: 'front' | 'back';
}

export type PersonalVerificationKind = 'idDocument' | 'facialSimilarity' | 'proofOfResidency' | 'sourceOfFunds';
export type CorporateVerificationKind =
  | 'sourceOfFunds'
  | 'corporateName'
  | 'corporateAddress'
  | 'registrationNumber'
  | 'dateOfRegistration'
  | 'beneficialOwnership'
  | 'powerOfAttorney';

/**
 * `PATCH /profiles/{id}/verifications`. Where `personId` comes from is undocumented (§8). Each
 * entry carries `documents`; the older `{kind, fileId}` entry SDK 4 still sends is accepted too.
 */
/** A verification's files: `documents`, or the older single `fileId`. */
export type VerificationFiles = { readonly documents: ReadonlyArray<VerificationDocument> } | { readonly fileId: string };

export type VerificationsBody =
  | { readonly personal: ReadonlyArray<{ readonly kind: PersonalVerificationKind } & VerificationFiles> }
  | { readonly corporate: ReadonlyArray<{ readonly kind: CorporateVerificationKind; readonly personId?: string } & VerificationFiles> };

/** `POST /profiles/{id}/share`: reuse a KYC done at Sumsub. */
export interface ShareBody {
  readonly provider: 'sumsub';
  readonly personal: { readonly token: string };
}

export type Accepted = { readonly _tag: 'accepted' };
const ACCEPTED: Accepted = { _tag: 'accepted' };

/**
 * The bodies are checked field by field before anything is sent (fact sheet §3): a wrong value
 * is `InvalidInput` naming its path (`body.personal.idDocument.kind`,
 * `body.corporate.directors.0.birthday`). Each check answers the value as given.
 */
type Check = (value: unknown, field: string) => E.Either<GatewayError, unknown>;

/** Names, cities, numbers: 1–200 characters (the address line: at most 70). */
const text =
  (max = 200): Check =>
  (value, field) =>
    boundedText(value, field, 1, max);

const matching =
  (pattern: RegExp, expected: string): Check =>
  (value, field) =>
    typeof value === 'string' && pattern.test(value) ? E.right(value) : E.left(invalidInput(field, `must be ${expected}`));

const oneOf =
  (values: ReadonlyArray<string>): Check =>
  (value, field) =>
    typeof value === 'string' && values.includes(value) ? E.right(value) : E.left(invalidInput(field, `must be one of ${values.join(', ')}`));

const optional =
  (check: Check): Check =>
  (value, field) =>
    value === undefined ? E.right(undefined) : check(value, field);

/** A list of `min`–100 items, each checked under `field.index`. */
const list =
  (item: Check, min = 0): Check =>
  (value, field) =>
    Array.isArray(value) && value.length >= min && value.length <= 100
      ? E.map(() => value)(E.traverseArrayWithIndex((index, entry: unknown) => item(entry, `${field}.${index}`))(value))
      : E.left(invalidInput(field, `must be a list of ${min} to 100 entries`));

/** A plain object whose fields are each checked under `field.name` (fields not listed are sent as given). */
const fields =
  (checks: Readonly<Record<string, Check>>): Check =>
  (value, field) =>
    pipe(
      requireRecord(value, field),
      E.flatMap((record) => {
        for (const [name, check] of Object.entries(checks)) {
          const checked = check(record[name], `${field}.${name}`);
          if (E.isLeft(checked)) return checked;
        }
        return E.right(record);
      }),
    );

/** `{personal: …}` or `{corporate: …}`, exactly one of them. */
const persona =
  (personal: Check, corporate: Check): Check =>
  (value, field) =>
    pipe(
      requireRecord(value, field),
      E.flatMap((record) => {
        const keys = Object.keys(record).filter((key) => record[key] !== undefined);
        if (keys.length !== 1 || (keys[0] !== 'personal' && keys[0] !== 'corporate')) {
          return E.left(invalidInput(field, 'must have exactly one of personal or corporate'));
        }
        return keys[0] === 'personal' ? personal(record.personal, `${field}.personal`) : corporate(record.corporate, `${field}.corporate`);
      }),
    );

const COUNTRY = matching(/^[A-Z]{2}$/, 'an ISO 3166-1 alpha-2 code such as DE');
const DATE = matching(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'a date YYYY-MM-DD');
const EMAIL = matching(/^[^\s@]{1,64}@[^\s@]{1,255}$/, 'an e-mail address');
/** `ownershipPercentage`: a decimal string from "25" to "100". */
const OWNERSHIP: Check = (value, field) =>
  typeof value === 'string' && /^\d{1,3}(\.\d{1,4})?$/.test(value) && Number(value) >= 25 && Number(value) <= 100
    ? E.right(value)
    : E.left(invalidInput(field, 'must be a decimal string from "25" to "100"'));

const PLACE = { address: text(70), postalCode: text(), city: text(), country: COUNTRY, countryState: optional(text()) };

const PERSONAL_DETAILS = fields({
  firstName: text(),
  lastName: text(),
  ...PLACE,
  nationality: COUNTRY,
  birthday: DATE,
  phone: text(),
  email: EMAIL,
  idDocument: fields({ number: text(), kind: oneOf(['passport', 'nationalIdentityCard']) }),
});

const CORPORATE_PERSON = {
  firstName: text(),
  lastName: text(),
  ...PLACE,
  nationality: COUNTRY,
  birthday: DATE,
  email: optional(EMAIL),
  phone: optional(text()),
};

const CORPORATE_DETAILS = fields({
  name: text(),
  registrationNumber: text(),
  registrationDate: optional(DATE),
  vatNumber: optional(text()),
  website: optional(text(2048)),
  ...PLACE,
  countryState: text(),
  representatives: list(fields(CORPORATE_PERSON)),
  finalBeneficiaries: list(fields({ ...CORPORATE_PERSON, ownershipPercentage: OWNERSHIP })),
  directors: list(fields(CORPORATE_PERSON)),
});

const DOCUMENT = fields({
  kind: oneOf(['passport', 'nationalIdentityCard', 'drivingLicense', 'residencePermit', 'proofOfResidency', 'sourceOfFunds', 'companyFilePDF', 'other']),
  fileId: (value, field) => pathSegment(value, field),
  side: optional(oneOf(['front', 'back'])),
});

/** `{kind, documents: [...]}`, or the older `{kind, fileId}` SDK 4 still sends (fact sheet §3: both accepted). */
const verification =
  (kinds: ReadonlyArray<string>, extra: Readonly<Record<string, Check>> = {}): Check =>
  (value, field) =>
    pipe(
      fields({ kind: oneOf(kinds), ...extra })(value, field),
      E.flatMap((record) => {
        const given = record as Readonly<Record<string, unknown>>;
        return given.documents === undefined && given.fileId !== undefined
          ? pathSegment(given.fileId, `${field}.fileId`)
          : list(DOCUMENT, 1)(given.documents, `${field}.documents`);
      }),
    );

const DETAILS = persona(PERSONAL_DETAILS, CORPORATE_DETAILS);
/** The questionnaire's fields change with the OpenAPI file: each side must be an object, its answers are sent as given. */
const FORM = persona(fields({}), fields({}));
const VERIFICATIONS = persona(
  list(verification(['idDocument', 'facialSimilarity', 'proofOfResidency', 'sourceOfFunds']), 1),
  list(
    verification(
      ['sourceOfFunds', 'corporateName', 'corporateAddress', 'registrationNumber', 'dateOfRegistration', 'beneficialOwnership', 'powerOfAttorney'],
      { personId: optional((value, field) => pathSegment(value, field)) },
    ),
    1,
  ),
);
const SHARE = fields({ provider: oneOf(['sumsub']), personal: fields({ token: text(4096) }) });

const patchSection = (api: MoneriumApi, profileId: unknown, section: string, check: Check, body: unknown): TE.TaskEither<GatewayError, Accepted> =>
  pipe(
    TE.fromEither(allOf({ id: pathSegment(profileId, 'profileId'), body: check(body, 'body') })),
    TE.flatMap(({ id }) => api.request({ method: 'PATCH', path: `/profiles/${id}/${section}`, json: body }, t.unknown)),
    TE.map(() => ACCEPTED),
  );

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** `POST /profiles {kind, id?}` → 201 Profile (409 when the id exists). */
export const createProfile = onApi('createProfile', (api: MoneriumApi, kind: ProfileKind, id?: string): TE.TaskEither<GatewayError, Profile> => {
  if (kind !== 'personal' && kind !== 'corporate') return TE.left(invalidInput('kind', 'must be personal or corporate'));
  if (id !== undefined && (typeof id !== 'string' || !UUID.test(id))) return TE.left(invalidInput('id', 'must be a UUID'));
  return api.request({ method: 'POST', path: '/profiles', json: id === undefined ? { kind } : { kind, id } }, ProfileCodec);
});

/** `PATCH /profiles/{id}/details` → 202 (409 once the profile is approved). */
export const submitDetails = onApi('submitDetails', (api: MoneriumApi, profileId: string, body: DetailsBody): TE.TaskEither<GatewayError, Accepted> =>
  patchSection(api, profileId, 'details', DETAILS, body));

/** `PATCH /profiles/{id}/form` → 202. */
export const submitForm = onApi('submitForm', (api: MoneriumApi, profileId: string, body: FormBody): TE.TaskEither<GatewayError, Accepted> =>
  patchSection(api, profileId, 'form', FORM, body));

/** `PATCH /profiles/{id}/verifications` → 202. */
export const submitVerifications = onApi('submitVerifications', (api: MoneriumApi, profileId: string, body: VerificationsBody): TE.TaskEither<GatewayError, Accepted> =>
  patchSection(api, profileId, 'verifications', VERIFICATIONS, body));

/** `POST /profiles/{id}/share {provider:"sumsub", personal:{token}}` → 202. */
export const shareProfile = onApi('shareProfile', (api: MoneriumApi, profileId: string, body: ShareBody): TE.TaskEither<GatewayError, Accepted> =>
  pipe(
    TE.fromEither(allOf({ id: pathSegment(profileId, 'profileId'), body: SHARE(body, 'body') })),
    TE.flatMap(({ id }) => api.request({ method: 'POST', path: `/profiles/${id}/share`, json: body }, t.unknown)),
    TE.map(() => ACCEPTED),
  ));
