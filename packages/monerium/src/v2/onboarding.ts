import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import * as t from 'io-ts/lib/index.js';
import { type GatewayError, invalidInput } from '@paygate/core';
import { type MoneriumApi, pathSegment } from '../api.js';
import { type Profile, ProfileCodec, type ProfileKind } from './profiles.js';

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

/** `PATCH /profiles/{id}/verifications`. Where `personId` comes from is undocumented (§8). */
export type VerificationsBody =
  | { readonly personal: ReadonlyArray<{ readonly kind: PersonalVerificationKind; readonly documents: ReadonlyArray<VerificationDocument> }> }
  | {
      readonly corporate: ReadonlyArray<{
        readonly kind: CorporateVerificationKind;
        readonly personId?: string;
        readonly documents: ReadonlyArray<VerificationDocument>;
      }>;
    };

/** `POST /profiles/{id}/share`: reuse a KYC done at Sumsub. */
export interface ShareBody {
  readonly provider: 'sumsub';
  readonly personal: { readonly token: string };
}

export type Accepted = { readonly _tag: 'accepted' };
const ACCEPTED: Accepted = { _tag: 'accepted' };

const onePersona = (body: unknown, field: string): E.Either<GatewayError, unknown> => {
  if (typeof body !== 'object' || body === null) return E.left(invalidInput(field, 'must be { personal } or { corporate }'));
  const keys = Object.keys(body).filter((k) => (body as Record<string, unknown>)[k] !== undefined);
  return keys.length === 1 && (keys[0] === 'personal' || keys[0] === 'corporate')
    ? E.right(body)
    : E.left(invalidInput(field, 'must have exactly one of personal or corporate'));
};

const patchSection = (api: MoneriumApi, profileId: string, section: string, body: unknown): TE.TaskEither<GatewayError, Accepted> =>
  pipe(
    TE.fromEither(pathSegment(profileId, 'profileId')),
    TE.flatMap((id) => TE.fromEither(E.map(() => id)(onePersona(body, 'body')))),
    TE.flatMap((id) => api.request({ method: 'PATCH', path: `/profiles/${id}/${section}`, json: body }, t.unknown)),
    TE.map(() => ACCEPTED),
  );

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** `POST /profiles {kind, id?}` → 201 Profile (409 when the id exists). */
export const createProfile = (api: MoneriumApi, kind: ProfileKind, id?: string): TE.TaskEither<GatewayError, Profile> => {
  if (kind !== 'personal' && kind !== 'corporate') return TE.left(invalidInput('kind', 'must be personal or corporate'));
  if (id !== undefined && (typeof id !== 'string' || !UUID.test(id))) return TE.left(invalidInput('id', 'must be a UUID'));
  return api.request({ method: 'POST', path: '/profiles', json: id === undefined ? { kind } : { kind, id } }, ProfileCodec);
};

/** `PATCH /profiles/{id}/details` → 202 (409 once the profile is approved). */
export const submitDetails = (api: MoneriumApi, profileId: string, body: DetailsBody): TE.TaskEither<GatewayError, Accepted> =>
  patchSection(api, profileId, 'details', body);

/** `PATCH /profiles/{id}/form` → 202. */
export const submitForm = (api: MoneriumApi, profileId: string, body: FormBody): TE.TaskEither<GatewayError, Accepted> =>
  patchSection(api, profileId, 'form', body);

/** `PATCH /profiles/{id}/verifications` → 202. */
export const submitVerifications = (api: MoneriumApi, profileId: string, body: VerificationsBody): TE.TaskEither<GatewayError, Accepted> =>
  patchSection(api, profileId, 'verifications', body);

/** `POST /profiles/{id}/share {provider:"sumsub", personal:{token}}` → 202. */
export const shareProfile = (api: MoneriumApi, profileId: string, body: ShareBody): TE.TaskEither<GatewayError, Accepted> => {
  if (typeof body !== 'object' || body === null || body.provider !== 'sumsub' || typeof body.personal?.token !== 'string' || body.personal.token === '') {
    return TE.left(invalidInput('body', 'must be { provider: "sumsub", personal: { token } }'));
  }
  return pipe(
    TE.fromEither(pathSegment(profileId, 'profileId')),
    TE.flatMap((id) => api.request({ method: 'POST', path: `/profiles/${id}/share`, json: body }, t.unknown)),
    TE.map(() => ACCEPTED),
  );
};
