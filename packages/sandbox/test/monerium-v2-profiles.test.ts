import test from 'ava';
import type { MoneriumV2Profile, Sandbox } from '../src/index.js';
import { basic, call } from './_monerium.js';
import { appTokens, bearer, type V2Tokens, v2, startWithUsers } from './_monerium-v2.js';

let sandbox: Sandbox;
let alice: V2Tokens;
let bob: V2Tokens;
test.before(async () => {
  ({ sandbox, alice, bob } = await startWithUsers());
});
test.after.always(() => sandbox.close());

const fixtures = () => sandbox.fixtures.monerium.v2;

test('the Accept header selects the version: /profiles is a v1.3 array without it and {profiles} with it', async (t) => {
  const v1user = sandbox.fixtures.monerium.users[0]!;
  const old = await call(sandbox, '/profiles', { auth: basic(v1user) });
  t.true(Array.isArray(old.body));
  const answer = await v2(sandbox, '/profiles', { auth: bearer(alice) });
  t.deepEqual(answer.body, { profiles: [{ id: fixtures().profiles[0]!.id, kind: 'personal', name: 'Alice Andersen', state: 'approved' }] });
  const request = sandbox.admin.requests().at(-1);
  t.is(request?.headers.accept, 'application/vnd.monerium.api-v2+json');
});

test('a v1.3-only path with the v2 header is 404 in the v2 error shape; a v2-only path without it is the v1.3 404', async (t) => {
  const profile = fixtures().profiles[0]!.id;
  const v1only = await v2(sandbox, `/profiles/${profile}/balances`, { auth: bearer(alice) });
  t.is(v1only.status, 404);
  t.deepEqual(v1only.body, { code: 404, status: 'Not Found', message: `Endpoint not found: /profiles/${profile}/balances` });
  const v2only = await v2(sandbox, '/addresses', { auth: bearer(alice), v2: false });
  t.is(v2only.status, 404);
  t.like(v2only.body, { code: 404, details: { resource: 'endpoint' } });
});

test('GET /auth/context lists profiles with kind, state and perms', async (t) => {
  const answer = await v2(sandbox, '/auth/context', { auth: bearer(bob) });
  const user = fixtures().users[1]!;
  t.deepEqual(answer.body, {
    userId: user.userId,
    email: user.email,
    name: user.name,
    roles: [],
    auth: { method: 'bearer', subject: user.email, verified: true },
    defaultProfile: user.defaultProfile,
    profiles: [
      { id: fixtures().profiles[1]!.id, kind: 'corporate', name: 'ACME INC', state: 'approved', perms: ['read', 'write'] },
      { id: fixtures().profiles[2]!.id, kind: 'personal', name: 'Bob Brown', state: 'pending', perms: ['read', 'write'] },
    ],
  });
});

test('GET /profiles filters by state and kind and rejects unknown values', async (t) => {
  const byState = (await v2(sandbox, '/profiles?state=pending', { auth: bearer(bob) })).body as { profiles: Array<{ name: string }> };
  t.deepEqual(byState.profiles.map((p) => p.name), ['Bob Brown']);
  const byKind = (await v2(sandbox, '/profiles?kind=corporate', { auth: bearer(bob) })).body as { profiles: Array<{ name: string }> };
  t.deepEqual(byKind.profiles.map((p) => p.name), ['ACME INC']);
  const bad = await v2(sandbox, '/profiles?state=blocked&kind=robot', { auth: bearer(bob) });
  t.is(bad.status, 400);
  t.deepEqual(Object.keys((bad.body as { errors: object }).errors).sort(), ['kind', 'state']);
});

test('GET /profiles/{id} has state, details, form and verifications; someone else’s is 403, an unknown one 404', async (t) => {
  const profile = fixtures().profiles[1]!;
  const answer = await v2(sandbox, `/profiles/${profile.id}`, { auth: bearer(bob) });
  t.deepEqual(answer.body, profile);
  const body = answer.body as MoneriumV2Profile;
  t.deepEqual(Object.keys(body).sort(), ['details', 'form', 'id', 'kind', 'name', 'state', 'verifications']);
  t.deepEqual(
    body.verifications.map((v) => v.kind),
    ['sourceOfFunds', 'corporateName', 'corporateAddress', 'registrationNumber', 'dateOfRegistration', 'beneficialOwnership', 'powerOfAttorney'],
  );
  t.is((await v2(sandbox, `/profiles/${profile.id}`, { auth: bearer(alice) })).status, 403);
  const missing = await v2(sandbox, '/profiles/00000000-0000-4000-8000-000000000000', { auth: bearer(alice) });
  t.is(missing.status, 404);
  t.deepEqual(Object.keys(missing.body as object).sort(), ['code', 'message', 'status']);
});

test('GET /countries needs no token and lists name, code, nationality and residency risk with a total', async (t) => {
  const answer = await v2(sandbox, '/countries', { v2: false });
  const body = answer.body as { countries: Array<Record<string, string>>; total: number };
  t.is(answer.status, 200);
  t.is(body.total, body.countries.length);
  t.deepEqual(body.countries.find((c) => c.code === 'IS'), { name: 'Iceland', code: 'IS', nationality: 'low', residency: 'low' });
  t.true(body.countries.some((c) => c.residency === 'prohibited'));
});

test('onboarding endpoints are for Whitelabel apps: others get the partner 403', async (t) => {
  const privateApp = await appTokens(sandbox, 'private');
  const answer = await v2(sandbox, '/profiles', { method: 'POST', auth: bearer(privateApp), body: { kind: 'personal' } });
  t.is(answer.status, 403);
  t.like(answer.body, { code: 403, status: 'Forbidden' });
  t.is((await v2(sandbox, '/profiles', { method: 'POST', auth: bearer(alice), body: { kind: 'personal' } })).status, 403);
});

const upload = async (tokens: V2Tokens): Promise<string> => {
  const body = new FormData();
  body.set('file', new Blob([Buffer.from('%PDF-1.4 sandbox')], { type: 'application/pdf' }), 'passport.pdf');
  const answer = await v2(sandbox, '/files', { method: 'POST', auth: bearer(tokens), body });
  return (answer.body as { id: string }).id;
};

test('Whitelabel onboarding: create, details, form, verifications, then approval; 409 for a taken id and for changes after approval', async (t) => {
  const wl = await appTokens(sandbox, 'whitelabel');
  const id = '3f0d7a5e-1c2b-4d3e-8f9a-0b1c2d3e4f5a';
  const created = await v2(sandbox, '/profiles', { method: 'POST', auth: bearer(wl), body: { kind: 'personal', id } });
  t.is(created.status, 201);
  t.like(created.body, { id, kind: 'personal', state: 'created', details: { state: 'incomplete' }, form: { state: 'incomplete' } });
  t.is((await v2(sandbox, '/profiles', { method: 'POST', auth: bearer(wl), body: { kind: 'personal', id } })).status, 409);

  const badDetails = await v2(sandbox, `/profiles/${id}/details`, { method: 'PATCH', auth: bearer(wl), body: { personal: { firstName: 'Carol', birthday: '12/01/1990' } } });
  t.is(badDetails.status, 400);
  t.like((badDetails.body as { errors: Record<string, string> }).errors, { 'personal.lastName': 'This field is required', 'personal.birthday': 'YYYY-MM-DD' });
  const details = {
    personal: {
      firstName: 'Carol',
      lastName: 'Danvers',
      address: 'Laugavegur 1',
      postalCode: '101',
      city: 'Reykjavik',
      country: 'IS',
      nationality: 'IS',
      birthday: '1990-01-12',
      phone: '+3545551234',
      email: 'carol@example.com',
      idDocument: { number: 'A1234567', kind: 'passport' },
    },
  };
  const patched = await v2(sandbox, `/profiles/${id}/details`, { method: 'PATCH', auth: bearer(wl), body: details });
  t.is(patched.status, 202);
  t.deepEqual(patched.body, { code: 202, status: 'Accepted' });
  t.is((await v2(sandbox, `/profiles/${id}/details`, { method: 'PATCH', auth: bearer(wl), body: { corporate: {} } })).status, 400);

  // PUT is the deprecated spelling of the same call.
  t.is((await v2(sandbox, `/profiles/${id}/form`, { method: 'PUT', auth: bearer(wl), body: { personal: { occupation: 'OCCUPATION_PILOT' } } })).status, 202);
  const missingFile = await v2(sandbox, `/profiles/${id}/verifications`, {
    method: 'PATCH',
    auth: bearer(wl),
    body: { personal: [{ kind: 'idDocument', documents: [{ kind: 'passport', fileId: 'nope' }] }] },
  });
  t.is(missingFile.status, 400);
  const fileId = await upload(wl);
  const verifications = {
    personal: ['idDocument', 'facialSimilarity', 'proofOfResidency', 'sourceOfFunds'].map((kind) => ({ kind, documents: [{ kind: 'other', fileId, side: 'front' }] })),
  };
  t.is((await v2(sandbox, `/profiles/${id}/verifications`, { method: 'PATCH', auth: bearer(wl), body: verifications })).status, 202);
  const profile = (await v2(sandbox, `/profiles/${id}`, { auth: bearer(wl) })).body as MoneriumV2Profile;
  t.like(profile, { name: 'Carol Danvers', state: 'pending', details: { state: 'pending' }, form: { state: 'pending' } });
  t.true(profile.verifications.every((v) => v.state === 'pending'));

  sandbox.admin.monerium.v2.approveProfile(id);
  const approved = await v2(sandbox, `/profiles/${id}/details`, { method: 'PATCH', auth: bearer(wl), body: details });
  t.is(approved.status, 409);
  t.like(approved.body, { code: 409, status: 'Conflict' });
});

test('sharing a Sumsub applicant answers 202 and moves the identity sections to pending', async (t) => {
  const wl = await appTokens(sandbox, 'whitelabel');
  const created = (await v2(sandbox, '/profiles', { method: 'POST', auth: bearer(wl), body: { kind: 'personal' } })).body as MoneriumV2Profile;
  const bad = await v2(sandbox, `/profiles/${created.id}/share`, { method: 'POST', auth: bearer(wl), body: { provider: 'onfido', personal: {} } });
  t.is(bad.status, 400);
  const shared = await v2(sandbox, `/profiles/${created.id}/share`, { method: 'POST', auth: bearer(wl), body: { provider: 'sumsub', personal: { token: 'sumsub-share-token' } } });
  t.is(shared.status, 202);
  const profile = (await v2(sandbox, `/profiles/${created.id}`, { auth: bearer(wl) })).body as MoneriumV2Profile;
  t.like(profile, { state: 'incomplete', details: { state: 'pending' } });
  t.is(profile.verifications.find((v) => v.kind === 'idDocument')?.state, 'pending');
});

test.serial('injected faults apply to v2 routes too (serial: faults are sandbox-wide)', async (t) => {
  sandbox.admin.faults.set([{ provider: 'monerium', route: 'GET /profiles', kind: 'status', status: 503, times: 1 }]);
  t.teardown(() => sandbox.admin.faults.clear());
  t.is((await v2(sandbox, '/profiles', { auth: bearer(alice) })).status, 503);
  t.is((await v2(sandbox, '/profiles', { auth: bearer(alice) })).status, 200);
});
