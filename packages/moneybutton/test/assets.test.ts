import test from 'ava';
import type { CreateAssetInput, MoneyButtonAsset, UpdateAssetInput } from '../src/index.js';
import { left, requestsTo, right, signIn, startMoneyButton } from './_setup.js';

const typed = ({ fields: _fields, ...asset }: MoneyButtonAsset) => asset;

test('assets sends GET /api/v2/me/assets and decodes the record’s asset fields', async (t) => {
  const sandbox = await startMoneyButton(t);
  const { client: mb } = await signIn(t, sandbox);
  const [alice] = sandbox.fixtures.moneybutton.users;
  const mine = sandbox.fixtures.moneybutton.assets.filter((a) => a.userId === alice.id);
  const assets = await right(t, mb.assets());
  t.like(requestsTo(sandbox)[0], { method: 'GET', path: '/api/v2/me/assets' });
  t.deepEqual(
    [...assets].map(typed).sort((a, b) => a.id.localeCompare(b.id)),
    mine.map(({ protocol: _protocol, ...asset }) => asset).sort((a, b) => a.id.localeCompare(b.id)),
  );
});

test('createAsset POSTs {name, initialSupply as a number, protocol, …} once; initialSupply comes back a string', async (t) => {
  const sandbox = await startMoneyButton(t);
  const { client: mb } = await signIn(t, sandbox);
  const created = await right(
    t,
    mb.createAsset({
      name: '  Paygate Tokens ',
      initialSupply: 21_000_000n,
      description: 'For tests',
      avatar: 'https://example.com/a.png',
      url: 'https://example.com',
    }),
  );
  const [request, ...others] = requestsTo(sandbox);
  t.is(others.length, 0);
  t.like(request, { method: 'POST', path: '/api/v2/me/assets' });
  t.regex(request?.headers['content-type'] ?? '', /^application\/json/);
  t.deepEqual(JSON.parse(request?.body ?? 'null'), {
    name: 'Paygate Tokens',
    initialSupply: 21_000_000,
    protocol: 'SFP',
    description: 'For tests',
    avatar: 'https://example.com/a.png',
    url: 'https://example.com',
  });
  t.like(created, {
    name: 'Paygate Tokens',
    initialSupply: '21000000',
    description: 'For tests',
    avatar: 'https://example.com/a.png',
    tokenProtocolId: '1',
    paymailDomain: null,
  });
  t.regex(created.paymailAlias ?? '', /^[0-9a-f]+\.asset$/);
  t.is(created.fields.initialSupply, '21000000');
  const listed = await right(t, mb.assets());
  t.true(listed.some((a) => a.id === created.id));
});

test('updateAsset PUTs {name, description, avatar} (only those given) and decodes tokenProtocolId', async (t) => {
  const sandbox = await startMoneyButton(t);
  const { client: mb } = await signIn(t, sandbox);
  const [asset] = await right(t, mb.assets());
  if (asset === undefined) return t.fail('alice has an asset');
  sandbox.admin.clearRequests();
  const updated = await right(t, mb.updateAsset(asset.id, { description: '', avatar: 'https://example.com/a.png' }));
  const [request] = requestsTo(sandbox);
  t.like(request, { method: 'PUT', path: `/api/v2/me/assets/${asset.id}` });
  t.deepEqual(JSON.parse(request?.body ?? 'null'), { description: '', avatar: 'https://example.com/a.png' });
  t.like(updated, { id: asset.id, name: asset.name, description: '', avatar: 'https://example.com/a.png', tokenProtocolId: '1' });
});

test('an unknown asset is a ProviderError 404', async (t) => {
  const sandbox = await startMoneyButton(t);
  const { client: mb } = await signIn(t, sandbox);
  t.like(await left(t, mb.updateAsset('999', { name: 'Renamed' })), { _tag: 'ProviderError', status: 404 });
});

const badCreates: ReadonlyArray<[string, unknown]> = [
  ['name', { name: '', initialSupply: 1 }],
  ['name', { name: ' Abcd ', initialSupply: 1 }],
  ['initialSupply', { name: 'Abcde', initialSupply: 0 }],
  ['initialSupply', { name: 'Abcde', initialSupply: '1.5' }],
  ['initialSupply', { name: 'Abcde', initialSupply: 2n ** 60n }],
  ['initialSupply', { name: 'Abcde', initialSupply: Number.MAX_SAFE_INTEGER + 2 }],
  ['protocol', { protocol: '', name: 'Abcde', initialSupply: 1 }],
  ['description', { name: 'Abcde', initialSupply: 1, description: 5 }],
  ['avatar', { name: 'Abcde', initialSupply: 1, avatar: null }],
];

const badUpdates: ReadonlyArray<[string, unknown]> = [
  ['changes', {}],
  ['name', { name: 'Abc' }],
  ['initialSupply', { initialSupply: 5 }],
  ['protocol', { protocol: 'SFP' }],
  ['avatarUrl', { avatarUrl: 'https://example.com/a.png' }],
];

test('asset fields are validated before sending: each bad field is InvalidInput naming it, and nothing is sent', async (t) => {
  const sandbox = await startMoneyButton(t);
  const { client: mb } = await signIn(t, sandbox);
  for (const [field, input] of badCreates) {
    // Inputs as a JavaScript caller could pass them, past the types.
    t.like(await left(t, mb.createAsset(input as CreateAssetInput)), { _tag: 'InvalidInput', field }, JSON.stringify(input, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v)));
  }
  for (const [field, changes] of badUpdates) {
    t.like(await left(t, mb.updateAsset('501', changes as UpdateAssetInput)), { _tag: 'InvalidInput', field }, JSON.stringify(changes));
  }
  t.like(await left(t, mb.updateAsset('../payments', { name: 'Renamed' })), { _tag: 'InvalidInput', field: 'id' });
  t.is(requestsTo(sandbox).length, 0);
});
