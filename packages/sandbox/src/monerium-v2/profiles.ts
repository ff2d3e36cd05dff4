import type { FastifyInstance, HTTPMethods } from 'fastify';
import { asObject, asString, type JsonObject } from '../monerium/payload.js';
import { requireV2Profile, requireWhitelabel, type V2Caller, v2CallerOf, type V2Services } from './caller.js';
import { ACCEPTED, v2Error, v2Validation } from './errors.js';
import { profileIn } from './fixtures.js';
import { CORPORATE_VERIFICATIONS, DOCUMENT_KINDS, PERSONAL_VERIFICATIONS, PROFILE_STATES, type V2Profile } from './model.js';
import { v2Route } from './routing.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const COUNTRY = /^[A-Z]{2}$/;
/** PATCH since 2026-04-08; PUT (what SDK 3.0 sent) is deprecated but still taken. */
const ONBOARDING_METHODS: HTTPMethods[] = ['PATCH', 'PUT'];

/** `created` until a section is filled, `incomplete` while some are, `pending` once all await review. */
const recompute = (profile: V2Profile): void => {
  if (profile.state === 'approved' || profile.state === 'rejected') return;
  const sections = [profile.details.state, profile.form.state, ...profile.verifications.map((v) => v.state)];
  profile.state = sections.every((s) => s === 'incomplete') ? 'created' : sections.some((s) => s === 'incomplete') ? 'incomplete' : 'pending';
};

const summary = (profile: V2Profile) => ({ id: profile.id, kind: profile.kind, name: profile.name, state: profile.state });

/** Reads `{personal: …}` or `{corporate: …}` matching the profile's kind (fact sheet §3, onboarding bodies). */
const kindBody = (body: unknown, profile: V2Profile): unknown => {
  const object = asObject(body);
  const value = object?.[profile.kind];
  const other = object?.[profile.kind === 'personal' ? 'corporate' : 'personal'];
  if (value === undefined || other !== undefined) throw v2Validation({ [profile.kind]: `A ${profile.kind} profile takes {"${profile.kind}": …}` });
  return value;
};

const requireFields = (object: JsonObject | undefined, prefix: string, names: ReadonlyArray<string>, errors: Record<string, string>): void => {
  for (const name of names) if ((asString(object?.[name]) ?? '').trim() === '') errors[`${prefix}.${name}`] = 'This field is required';
};

const checkPersonalDetails = (value: unknown): { name: string } => {
  const p = asObject(value);
  const errors: Record<string, string> = {};
  requireFields(p, 'personal', ['firstName', 'lastName', 'address', 'postalCode', 'city', 'country', 'nationality', 'birthday', 'phone', 'email'], errors);
  if ((asString(p?.address) ?? '').length > 70) errors['personal.address'] = 'At most 70 characters';
  for (const field of ['country', 'nationality']) if (asString(p?.[field]) !== undefined && !COUNTRY.test(asString(p?.[field]) ?? '')) errors[`personal.${field}`] = 'ISO 3166-1 alpha-2 code';
  if (asString(p?.birthday) !== undefined && !DATE.test(asString(p?.birthday) ?? '')) errors['personal.birthday'] = 'YYYY-MM-DD';
  const id = asObject(p?.idDocument);
  if (id === undefined || (asString(id.number) ?? '') === '' || !['passport', 'nationalIdentityCard'].includes(asString(id.kind) ?? '')) {
    errors['personal.idDocument'] = 'number and kind (passport or nationalIdentityCard) are required';
  }
  if (Object.keys(errors).length > 0) throw v2Validation(errors);
  return { name: `${asString(p?.firstName)} ${asString(p?.lastName)}` };
};

const checkCorporateDetails = (value: unknown): { name: string } => {
  const c = asObject(value);
  const errors: Record<string, string> = {};
  requireFields(c, 'corporate', ['name', 'registrationNumber', 'address', 'postalCode', 'city', 'country'], errors);
  for (const list of ['representatives', 'finalBeneficiaries', 'directors']) if (!Array.isArray(c?.[list])) errors[`corporate.${list}`] = 'Must be an array';
  if (Array.isArray(c?.finalBeneficiaries)) {
    c.finalBeneficiaries.forEach((entry: unknown, i) => {
      const share = Number(asString(asObject(entry)?.ownershipPercentage));
      if (!(share >= 25 && share <= 100)) errors[`corporate.finalBeneficiaries.${i}.ownershipPercentage`] = 'A string from "25" to "100"';
    });
  }
  if (Object.keys(errors).length > 0) throw v2Validation(errors);
  return { name: asString(c?.name) ?? '' };
};

/** `/auth/context`, profiles (list, get) and the Whitelabel onboarding endpoints. */
export const registerV2ProfileRoutes = (app: FastifyInstance, services: V2Services): void => {
  const { world } = services;

  v2Route(app, 'GET', '/auth/context', async (request) => {
    const caller = v2CallerOf(services, request);
    return {
      userId: caller.userId,
      email: caller.email,
      name: caller.name,
      roles: [],
      auth: { method: caller.kind === 'client' ? 'apikey' : 'bearer', subject: caller.email, verified: true },
      defaultProfile: caller.defaultProfile,
      profiles: caller.profiles.flatMap((access) => {
        const profile = world.profile(access.id);
        return profile === undefined ? [] : [{ ...summary(profile), perms: [...access.perms] }];
      }),
    };
  });

  v2Route(app, 'GET', '/profiles', async (request) => {
    const caller = v2CallerOf(services, request);
    const query = request.query as Record<string, string | string[] | undefined>;
    const errors: Record<string, string> = {};
    const state = query.state;
    const kind = query.kind;
    if (state !== undefined && !PROFILE_STATES.some((s) => s === state)) errors.state = `Must be one of ${PROFILE_STATES.join(', ')}`;
    if (kind !== undefined && kind !== 'personal' && kind !== 'corporate') errors.kind = 'Must be personal or corporate';
    if (Object.keys(errors).length > 0) throw v2Validation(errors);
    const profiles = caller.profiles.flatMap((access) => {
      const profile = world.profile(access.id);
      return profile === undefined || (state !== undefined && profile.state !== state) || (kind !== undefined && profile.kind !== kind) ? [] : [summary(profile)];
    });
    return { profiles };
  });

  v2Route(app, 'GET', '/profiles/:profile', async (request) => {
    const caller = v2CallerOf(services, request);
    return requireV2Profile(world, caller, (request.params as { profile: string }).profile, 'read');
  });

  /** The Whitelabel app's own profile, open for onboarding (409 once approved). */
  const onboarding = (caller: V2Caller, id: string): V2Profile => {
    requireWhitelabel(caller);
    const profile = requireV2Profile(world, caller, id, 'write');
    if (profile.state === 'approved') throw v2Error(409, `Profile ${id} is approved and can no longer change`);
    return profile;
  };

  v2Route(app, 'POST', '/profiles', async (request, reply) => {
    const caller = v2CallerOf(services, request);
    requireWhitelabel(caller);
    const body = asObject(request.body);
    const errors: Record<string, string> = {};
    const kind = body?.kind;
    if (kind !== 'personal' && kind !== 'corporate') errors.kind = 'Must be personal or corporate';
    const id = body?.id;
    if (id !== undefined && !(typeof id === 'string' && UUID.test(id))) errors.id = 'Must be a UUID';
    if (Object.keys(errors).length > 0 || (kind !== 'personal' && kind !== 'corporate')) throw v2Validation(errors);
    const profileId = typeof id === 'string' ? id.toLowerCase() : services.world.random.uuid();
    if (world.profile(profileId) !== undefined) throw v2Error(409, `Profile ${profileId} already exists`);
    const profile = profileIn(profileId, kind, '', 'created');
    world.addProfile(profile);
    caller.profiles.push({ id: profileId, perms: ['read', 'write'] });
    return reply.code(201).send(profile);
  });

  v2Route(app, ONBOARDING_METHODS, '/profiles/:profile/details', async (request, reply) => {
    const caller = v2CallerOf(services, request);
    const current = onboarding(caller, (request.params as { profile: string }).profile);
    const value = kindBody(request.body, current);
    const { name } = current.kind === 'personal' ? checkPersonalDetails(value) : checkCorporateDetails(value);
    world.updateProfile(current.id, (profile) => {
      profile.name = name;
      profile.details.state = 'pending';
      recompute(profile);
    });
    return reply.code(202).send(ACCEPTED);
  });

  v2Route(app, ONBOARDING_METHODS, '/profiles/:profile/form', async (request, reply) => {
    const caller = v2CallerOf(services, request);
    const current = onboarding(caller, (request.params as { profile: string }).profile);
    if (asObject(kindBody(request.body, current)) === undefined) throw v2Validation({ [current.kind]: 'The questionnaire must be an object' });
    world.updateProfile(current.id, (profile) => {
      profile.form.state = 'pending';
      recompute(profile);
    });
    return reply.code(202).send(ACCEPTED);
  });

  v2Route(app, ONBOARDING_METHODS, '/profiles/:profile/verifications', async (request, reply) => {
    const caller = v2CallerOf(services, request);
    const current = onboarding(caller, (request.params as { profile: string }).profile);
    const list = kindBody(request.body, current);
    const known: ReadonlyArray<string> = current.kind === 'personal' ? PERSONAL_VERIFICATIONS : CORPORATE_VERIFICATIONS;
    const errors: Record<string, string> = {};
    const kinds: string[] = [];
    if (!Array.isArray(list) || list.length === 0) errors[current.kind] = 'A non-empty array of verifications';
    else
      list.forEach((entry: unknown, i) => {
        const item = asObject(entry);
        const kind = asString(item?.kind) ?? '';
        if (!known.includes(kind)) errors[`${current.kind}.${i}.kind`] = `Must be one of ${known.join(', ')}`;
        else kinds.push(kind);
        const documents = item?.documents;
        if (!Array.isArray(documents) || documents.length === 0) errors[`${current.kind}.${i}.documents`] = 'At least one document';
        else
          documents.forEach((d: unknown, j) => {
            const doc = asObject(d);
            const where = `${current.kind}.${i}.documents.${j}`;
            if (!DOCUMENT_KINDS.some((k) => k === doc?.kind)) errors[`${where}.kind`] = `Must be one of ${DOCUMENT_KINDS.join(', ')}`;
            const fileId = asString(doc?.fileId);
            if (fileId === undefined || !world.hasFile(fileId)) errors[`${where}.fileId`] = 'Upload the file with POST /files first';
            if (doc?.side !== undefined && doc.side !== 'front' && doc.side !== 'back') errors[`${where}.side`] = 'Must be front or back';
          });
      });
    if (Object.keys(errors).length > 0) throw v2Validation(errors);
    world.updateProfile(current.id, (profile) => {
      for (const v of profile.verifications) if (kinds.includes(v.kind)) v.state = 'pending';
      recompute(profile);
    });
    return reply.code(202).send(ACCEPTED);
  });

  v2Route(app, 'POST', '/profiles/:profile/share', async (request, reply) => {
    const caller = v2CallerOf(services, request);
    const current = onboarding(caller, (request.params as { profile: string }).profile);
    const body = asObject(request.body);
    const errors: Record<string, string> = {};
    if (body?.provider !== 'sumsub') errors.provider = 'Must be sumsub';
    if ((asString(asObject(body?.personal)?.token) ?? '') === '') errors['personal.token'] = 'The Sumsub share token is required';
    if (current.kind !== 'personal') errors.personal = 'Only personal profiles can be shared';
    if (Object.keys(errors).length > 0) throw v2Validation(errors);
    // A shared Sumsub applicant brings the identity data and documents with it.
    world.updateProfile(current.id, (profile) => {
      profile.details.state = 'pending';
      for (const v of profile.verifications) if (v.kind !== 'sourceOfFunds') v.state = 'pending';
      recompute(profile);
    });
    return reply.code(202).send(ACCEPTED);
  });
};
