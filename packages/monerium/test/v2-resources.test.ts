import test from 'ava';
import { ACCESS_TOKEN, left, right, startV2Server, V2_ACCEPT, v2Client } from './_v2-server.js';

const PROFILE = '9f1b6a38-0000-4000-8000-000000000001';
const ADDRESS = '0x59cFC5Cd3a3bEfE25Fa5e1E6F1D2dB3b50C0DeA1';

test('every v2 request carries the v2 Accept header and the Bearer token', async (t) => {
  const server = await startV2Server(t);
  server.route('GET /auth/context', {
    body: {
      userId: 'u1',
      email: 'ada@example.com',
      name: 'Ada',
      roles: ['admin'],
      auth: { method: 'password', subject: 'ada@example.com', verified: true },
      defaultProfile: PROFILE,
      profiles: [{ id: PROFILE, kind: 'personal', name: 'Ada', state: 'approved', perms: ['read', 'write'] }],
    },
  });
  const context = await right(t, v2Client(server).authContext());
  t.is(context.profiles[0]?.kind, 'personal');
  t.is(server.seen[0]?.headers.accept, V2_ACCEPT);
  t.is(server.seen[0]?.headers.authorization, `Bearer ${ACCESS_TOKEN}`);
});

test('profiles() sends the state and kind filters and reads { profiles }', async (t) => {
  const server = await startV2Server(t);
  server.route('GET /profiles', { body: { profiles: [{ id: PROFILE, kind: 'corporate', name: 'Acme', state: 'incomplete', extra: 1 }] } });
  const profiles = await right(t, v2Client(server).profiles({ state: 'incomplete', kind: 'corporate' }));
  t.deepEqual(profiles.map((p) => p.name), ['Acme']);
  t.deepEqual(server.seen[0]?.query, [
    ['state', 'incomplete'],
    ['kind', 'corporate'],
  ]);
  const refused = await left(t, v2Client(server).profiles({ state: 'blocked-ish' as never }));
  t.like(refused, { _tag: 'InvalidInput', field: 'state' });
  t.is(server.seen.length, 1);
});

test('profile(id) reads the profile with its section states; sections may be absent', async (t) => {
  const server = await startV2Server(t);
  server.route(`GET /profiles/${PROFILE}`, {
    body: {
      id: PROFILE,
      kind: 'personal',
      name: 'Ada',
      state: 'pending',
      details: { state: 'approved' },
      form: { state: 'pending' },
      verifications: [{ kind: 'idDocument', state: 'pending' }],
    },
  });
  const profile = await right(t, v2Client(server).profile(PROFILE));
  t.is(profile.details?.state, 'approved');
  t.is(profile.verifications?.[0]?.kind, 'idDocument');
  server.route(`GET /profiles/${PROFILE}`, { body: { id: PROFILE, kind: 'personal', name: 'Ada', state: 'created' } });
  t.is((await right(t, v2Client(server).profile(PROFILE))).details, undefined);
});

test('addresses: list with filters (production chain names become sandbox names), get, decode', async (t) => {
  const server = await startV2Server(t);
  server.route('GET /addresses', { body: { addresses: [{ profile: PROFILE, address: ADDRESS, chains: ['sepolia', 'chiado'] }] } });
  server.route(`GET /addresses/${ADDRESS}`, { body: { profile: PROFILE, address: ADDRESS, chains: ['sepolia'] } });
  const client = v2Client(server);
  const list = await right(t, client.addresses({ profile: PROFILE, chain: 'ethereum' }));
  t.deepEqual(list[0]?.chains, ['sepolia', 'chiado']);
  t.deepEqual(server.seen[0]?.query, [
    ['profile', PROFILE],
    ['chain', 'sepolia'],
  ]);
  t.is((await right(t, client.address(ADDRESS))).address, ADDRESS);
  t.like(await left(t, client.address('0x12')), { _tag: 'InvalidInput', field: 'address' });
});

test('linkAddress sends one POST /addresses per chain with the exact message; 202 is pending', async (t) => {
  const server = await startV2Server(t);
  server.route('POST /addresses', (seen) =>
    (seen.json as { chain: string }).chain === 'chiado'
      ? { status: 202, body: { code: 202, status: 'Accepted' } }
      : { status: 201, body: { profile: PROFILE, address: ADDRESS, state: 'linked', meta: { linkedBy: 'u1', linkedAt: '2024-07-29T12:21:58Z' } } },
  );
  const signature = `0x${'ab'.repeat(65)}`;
  const outcomes = await right(t, v2Client(server).linkAddress({ address: ADDRESS, chains: ['sepolia', 'gnosis'], profile: PROFILE, signature }));
  t.deepEqual(
    outcomes.map((o) => [o._tag, o.chain]),
    [
      ['linked', 'sepolia'],
      ['pending', 'chiado'],
    ],
  );
  t.deepEqual(server.seen[0]?.json, { profile: PROFILE, address: ADDRESS, chain: 'sepolia', message: 'I hereby declare that I am the address owner.', signature });
  t.like(server.seen[1]?.json, { chain: 'chiado' });
  // On-chain Safe signatures are "0x".
  await right(t, v2Client(server).linkAddress({ address: ADDRESS, chains: ['sepolia'], signature: '0x' }));
  t.like(await left(t, v2Client(server).linkAddress({ address: ADDRESS, chains: ['ethereum'], signature: 'nope' })), { field: 'signature' });
});

test('a 202 link with an empty body is pending; a failed upload says whether the file was stored', async (t) => {
  const server = await startV2Server(t);
  server.route('POST /addresses', { status: 202, body: {} });
  server.route('POST /files', { status: 500, body: { code: 500, status: 'Internal Server Error' } });
  const client = v2Client(server);
  const outcomes = await right(t, client.linkAddress({ address: ADDRESS, chains: ['sepolia'], signature: '0x' }));
  t.deepEqual(outcomes, [{ _tag: 'pending', chain: 'sepolia' }]);
  const failed = await left(t, client.uploadFile({ filename: 'a.pdf', contentType: 'application/pdf', data: new Uint8Array([1]) }));
  t.like(failed, { _tag: 'ProviderError', status: 500, paymentOutcome: 'unknown', retryable: false });
  t.is(server.seen.filter((s) => s.path === '/files').length, 1, 'never re-sent');
});

test('balances: GET /balances/{chain}/{address} with currency repeated', async (t) => {
  const server = await startV2Server(t);
  server.route(`GET /balances/sepolia/${ADDRESS}`, {
    body: { address: ADDRESS, chain: 'sepolia', balances: [{ currency: 'eur', amount: '10.5' }, { currency: 'gbp', amount: '0' }] },
  });
  const balances = await right(t, v2Client(server).balances('ethereum', ADDRESS, ['eur', 'gbp']));
  t.deepEqual(balances.balances, [
    { currency: 'eur', amount: '10.5' },
    { currency: 'gbp', amount: '0' },
  ]);
  t.deepEqual(server.seen[0]?.query, [
    ['currency', 'eur'],
    ['currency', 'gbp'],
  ]);
  await right(t, v2Client(server).balances('sepolia', ADDRESS));
  t.deepEqual(server.seen[1]?.query, []);
  t.like(await left(t, v2Client(server).balances('sepolia', ADDRESS, ['btc' as never])), { field: 'currencies.0' });
  t.like(await left(t, v2Client(server, { environment: { baseUrl: server.url, chains: 'production' } }).balances('sepolia', ADDRESS)), {
    field: 'chain',
  });
});

test('IBANs: request (202 requested, 304 or the 400 "already" → exists), list, get (encoded), move', async (t) => {
  const server = await startV2Server(t);
  const iban = { iban: 'EE38 2200 2210 2014 5685', name: 'Ada', bic: 'EEUHEE2X', profile: PROFILE, address: ADDRESS, chain: 'sepolia', state: 'approved' };
  server.route('POST /ibans', (_seen, count) =>
    count === 1
      ? { status: 202, body: { code: 202, status: 'Accepted' } }
      : count === 2
        ? { status: 304 }
        : { status: 400, body: { code: 400, status: 'Bad Request', message: 'IBAN already requested or provisioned for this profile' } },
  );
  server.route('GET /ibans', { body: { ibans: [iban] } });
  server.route('GET /ibans/EE38%202200%202210%202014%205685', { body: iban });
  server.route('PATCH /ibans/EE38%202200%202210%202014%205685', (_seen, count) => (count === 1 ? { body: {} } : count === 2 ? { status: 202, body: { code: 202, status: 'Accepted' } } : { status: 304 }));
  const client = v2Client(server);
  t.deepEqual(await right(t, client.requestIban({ address: ADDRESS, chain: 'gnosis' })), { _tag: 'requested' });
  t.deepEqual(server.seen[0]?.json, { address: ADDRESS, chain: 'chiado' });
  t.deepEqual(await right(t, client.requestIban({ address: ADDRESS, chain: 'chiado' })), { _tag: 'exists' });
  t.deepEqual(await right(t, client.requestIban({ address: ADDRESS, chain: 'chiado' })), { _tag: 'exists' });
  t.is((await right(t, client.ibans({ profile: PROFILE })))[0]?.state, 'approved');
  t.is((await right(t, client.iban('EE38 2200 2210 2014 5685'))).bic, 'EEUHEE2X');
  t.true(server.seen.some((s) => s.method === 'GET' && s.path === '/ibans/EE38%202200%202210%202014%205685'));
  t.deepEqual(await right(t, client.moveIban('EE38 2200 2210 2014 5685', { address: ADDRESS, chain: 'sepolia' })), { _tag: 'moved' });
  t.deepEqual(server.seen.at(-1)?.json, { address: ADDRESS, chain: 'sepolia' });
  t.deepEqual(await right(t, client.moveIban('EE38 2200 2210 2014 5685', { address: ADDRESS, chain: 'sepolia' })), { _tag: 'accepted' });
  t.deepEqual(await right(t, client.moveIban('EE38 2200 2210 2014 5685', { address: ADDRESS, chain: 'sepolia' })), { _tag: 'unchanged' });
});

test('orders: list with every filter reads { orders }; an order with extra fields and no memo decodes', async (t) => {
  const server = await startV2Server(t);
  const { orderBody } = await import('./_v2-server.js');
  const { memo: _memo, ...noMemo } = orderBody({ surprise: true });
  server.route('GET /orders', { body: { orders: [noMemo] } });
  const orders = await right(t, v2Client(server).orders({ address: ADDRESS, txHash: '0xabc', profile: PROFILE, memo: 'Invoice 42', state: 'processed' }));
  t.is(orders[0]?.state, 'processed');
  t.is(orders[0]?.memo, undefined);
  t.deepEqual(server.seen[0]?.query, [
    ['address', ADDRESS],
    ['state', 'processed'],
    ['txHash', '0xabc'],
    ['profile', PROFILE],
    ['memo', 'Invoice 42'],
  ]);
});

test('tokens, files, signatures, countries decode the documented bodies', async (t) => {
  const server = await startV2Server(t);
  server.route('GET /tokens', {
    body: [{ currency: 'eur', ticker: 'EUR', symbol: 'EURe', chain: 'sepolia', address: '0x67b34b93ac295c985e856E5B8A20D83026b580Eb', decimals: '18' }],
  });
  server.route('POST /files', {
    body: { id: 'f1', name: 'invoice.pdf', type: 'application/pdf', size: 3, hash: 'h', meta: { uploadedBy: 'u1', createdAt: 'x', updatedAt: 'y' } },
  });
  server.route('GET /signatures', { headers: { 'x-total-count': '1' }, body: { pending: [{ kind: 'order', chain: 'sepolia', address: ADDRESS, createdAt: '2024-07-29T12:21:58Z', amount: '10' }], total: 1 } });
  server.route('GET /countries', { body: { countries: [{ name: 'Iceland', code: 'IS', nationality: 'low', residency: 'low' }], total: 1 } });
  const client = v2Client(server);
  t.is((await right(t, client.tokens()))[0]?.decimals, 18);
  const file = await right(t, client.uploadFile({ filename: 'invoice.pdf', contentType: 'application/pdf', data: new Uint8Array([1, 2, 3]) }));
  t.is(file.id, 'f1');
  t.regex(String(server.seen[1]?.headers['content-type']), /^multipart\/form-data/);
  t.regex(server.seen[1]?.raw ?? '', /name="file"; filename="invoice.pdf"/);
  const pending = await right(t, client.pendingSignatures({ kind: 'order', address: ADDRESS, chain: 'ethereum' }));
  t.is(pending.total, 1);
  t.deepEqual(server.seen[2]?.query, [
    ['address', ADDRESS],
    ['chain', 'sepolia'],
    ['kind', 'order'],
  ]);
  t.is((await right(t, client.countries())).countries[0]?.code, 'IS');
  t.is(server.seen[3]?.headers.authorization, undefined, '/countries is sent without credentials');
});

test('onboarding bodies are sent as typed; one persona per body; 202 → accepted', async (t) => {
  const server = await startV2Server(t);
  server.route('POST /profiles', { status: 201, body: { id: PROFILE, kind: 'personal', name: '', state: 'created' } });
  for (const section of ['details', 'form', 'verifications']) server.route(`PATCH /profiles/${PROFILE}/${section}`, { status: 202, body: { code: 202, status: 'Accepted' } });
  server.route(`POST /profiles/${PROFILE}/share`, { status: 202 });
  const client = v2Client(server);
  t.is((await right(t, client.createProfile('personal', PROFILE))).state, 'created');
  t.deepEqual(server.seen[0]?.json, { kind: 'personal', id: PROFILE });
  const personal = {
    firstName: 'Ada',
    lastName: 'Lovelace',
    address: 'Main St 1',
    postalCode: '101',
    city: 'Reykjavik',
    country: 'IS',
    nationality: 'IS',
    birthday: '1990-12-10',
    phone: '+3541234567',
    email: 'ada@example.com',
    idDocument: { number: 'A1', kind: 'passport' as const },
  };
  t.deepEqual(await right(t, client.submitDetails(PROFILE, { personal })), { _tag: 'accepted' });
  t.deepEqual(server.seen[1]?.json, { personal });
  await right(t, client.submitForm(PROFILE, { personal: { occupation: 'OCCUPATION_X' } }));
  await right(t, client.submitVerifications(PROFILE, { personal: [{ kind: 'idDocument', documents: [{ kind: 'passport', fileId: 'f1', side: 'front' }] }] }));
  t.deepEqual(server.seen[3]?.json, { personal: [{ kind: 'idDocument', documents: [{ kind: 'passport', fileId: 'f1', side: 'front' }] }] });
  await right(t, client.shareProfile(PROFILE, { provider: 'sumsub', personal: { token: 'tok' } }));
  t.deepEqual(server.seen[4]?.json, { provider: 'sumsub', personal: { token: 'tok' } });
  const both = await left(t, client.submitDetails(PROFILE, { personal, corporate: {} } as never));
  t.like(both, { _tag: 'InvalidInput', field: 'body' });
  t.is(server.seen.length, 5);
});

test('errors in the v2 shape: field errors kept, 401 invalid_token, 403 partner error, bare 500, non-JSON', async (t) => {
  const server = await startV2Server(t);
  server.route('GET /profiles', (_seen, count) =>
    count === 1
      ? { status: 400, body: { code: 400, status: 'Bad Request', message: 'Validation', errors: { state: 'invalid' } } }
      : count === 2
        ? { status: 403, body: { code: 403, status: 'Forbidden', message: 'Partner privilege required' } }
        : count === 3
          ? { status: 500, body: { code: 500, status: 'Internal Server Error' } }
          : { status: 418, body: 'teapot' },
  );
  const client = v2Client(server, { http: { maxRetries: 0, timeoutMs: 2000 } });
  t.like(await left(t, client.profiles()), { _tag: 'ProviderError', status: 400, code: 'Bad Request', details: { errors: { state: 'invalid' } }, retryable: false });
  t.like(await left(t, client.profiles()), { _tag: 'ProviderError', status: 403, retryable: false });
  t.like(await left(t, client.profiles()), { _tag: 'ProviderError', status: 500, retryable: true });
  t.like(await left(t, client.profiles()), { _tag: 'ProviderError', status: 418 });
  server.route('GET /tokens', { status: 401, body: { code: 401, status: 'Unauthorized', message: 'Not authenticated' } });
  t.like(await left(t, client.tokens()), { _tag: 'AuthError' });
});

test('webhook subscriptions: list, create (secret never in an error), update', async (t) => {
  const server = await startV2Server(t);
  const { generateWebhookSecret } = await import('../src/v2/webhooks.js');
  const secret = generateWebhookSecret();
  server.route('GET /webhooks', { body: { subscriptions: [{ id: 's1', url: 'https://app.example.com/hook', types: ['order.created'], state: 'active' }] } });
  server.route('POST /webhooks', (seen, count) =>
    count === 1 ? { status: 201, body: { id: 's2', url: 'https://app.example.com/hook', types: ['order.created', 'order.updated'], state: 'active' } } : { status: 400, body: { code: 400, status: 'Bad Request', message: `bad secret ${(seen.json as { secret: string }).secret}` } },
  );
  server.route('PATCH /webhooks/s2', { body: { id: 's2', url: 'https://app.example.com/hook', state: 'inactive' } });
  const client = v2Client(server);
  t.is((await right(t, client.webhooks()))[0]?.id, 's1');
  await right(t, client.createWebhook({ url: 'https://app.example.com/hook', secret, types: ['order.created', 'order.updated'] }));
  t.deepEqual(server.seen[1]?.json, { url: 'https://app.example.com/hook', secret, types: ['order.created', 'order.updated'] });
  t.regex(secret, /^whsec_[A-Za-z0-9+/]+=*$/);
  const failed = await left(t, client.createWebhook({ url: 'https://app.example.com/hook', secret }));
  t.false(JSON.stringify(failed).includes(secret.slice(6)));
  t.is((await right(t, client.updateWebhook('s2', { state: 'inactive' }))).state, 'inactive');
  t.deepEqual(server.seen[3]?.json, { state: 'inactive' });
  t.like(await left(t, client.createWebhook({ url: 'https://x', secret: 'whsec_short' })), { field: 'secret' });
});
