import test from 'ava';
import type { CreateAssetInput, UpdateAssetInput } from '../src/index.js';
import { left, requestsTo, right, signIn, startMoneyButton } from './_setup.js';

test('assets sends GET /api/v2/me/assets and decodes the user’s assets', async (t) => {
  const sandbox = await startMoneyButton(t);
  const { client: mb } = await signIn(t, sandbox);
  const [alice] = sandbox.fixtures.moneybutton.users;
  const mine = sandbox.fixtures.moneybutton.assets.filter((a) => a.userId === alice.id);
  const assets = await right(t, mb.assets());
  t.like(requestsTo(sandbox)[0], { method: 'GET', path: '/api/v2/me/assets' });
  t.deepEqual(
    [...assets].sort((a, b) => a.id.localeCompare(b.id)),
    mine.map(({ userId: _owner, ...asset }) => asset).sort((a, b) => a.id.localeCompare(b.id)),
  );
});

test('createAsset POSTs the validated JSON body once and decodes the created asset', async (t) => {
  const sandbox = await startMoneyButton(t);
  const { client: mb } = await signIn(t, sandbox);
  const created = await right(
    t,
    mb.createAsset({ name: '  Paygate Tokens ', initialSupply: 21_000_000n, description: 'For tests', avatarUrl: null }),
  );
  const [request, ...others] = requestsTo(sandbox);
  t.is(others.length, 0);
  t.like(request, { method: 'POST', path: '/api/v2/me/assets' });
  t.regex(request?.headers['content-type'] ?? '', /^application\/json/);
  t.deepEqual(JSON.parse(request?.body ?? 'null'), {
    protocol: 'SFP',
    name: 'Paygate Tokens',
    initialSupply: '21000000',
    description: 'For tests',
    avatarUrl: null,
  });
  t.like(created, { protocol: 'SFP', name: 'Paygate Tokens', initialSupply: '21000000', description: 'For tests', avatarUrl: null });
  const listed = await right(t, mb.assets());
  t.true(listed.some((a) => a.id === created.id));
});

test('updateAsset PUTs only the changed fields and decodes the result', async (t) => {
  const sandbox = await startMoneyButton(t);
  const { client: mb } = await signIn(t, sandbox);
  const [asset] = await right(t, mb.assets());
  if (asset === undefined) return t.fail('alice has an asset');
  sandbox.admin.clearRequests();
  const updated = await right(t, mb.updateAsset(asset.id, { description: null, avatarUrl: 'https://example.com/a.png' }));
  const [request] = requestsTo(sandbox);
  t.like(request, { method: 'PUT', path: `/api/v2/me/assets/${asset.id}` });
  t.deepEqual(JSON.parse(request?.body ?? 'null'), { description: null, avatarUrl: 'https://example.com/a.png' });
  t.like(updated, { id: asset.id, name: asset.name, description: null, avatarUrl: 'https://example.com/a.png' });
});

test('an unknown asset is a ProviderError 404', async (t) => {
  const sandbox = await startMoneyButton(t);
  const { client: mb } = await signIn(t, sandbox);
  t.like(await left(t, mb.updateAsset('999', { name: 'x' })), { _tag: 'ProviderError', status: 404 });
});

const badCreates: ReadonlyArray<[string, unknown]> = [
  ['name', { name: '', initialSupply: '1' }],
  ['name', { name: 'x'.repeat(51), initialSupply: '1' }],
  ['initialSupply', { name: 'A', initialSupply: '0' }],
  ['initialSupply', { name: 'A', initialSupply: '1.5' }],
  ['initialSupply', { name: 'A', initialSupply: 10n ** 16n }],
  ['initialSupply', { name: 'A', initialSupply: Number.MAX_SAFE_INTEGER + 2 }],
  ['protocol', { protocol: 'ERC20', name: 'A', initialSupply: '1' }],
  ['description', { name: 'A', initialSupply: '1', description: 'd'.repeat(501) }],
  ['avatarUrl', { name: 'A', initialSupply: '1', avatarUrl: 'http://example.com/a.png' }],
  ['avatarUrl', { name: 'A', initialSupply: '1', avatarUrl: 'not a url' }],
];

const badUpdates: ReadonlyArray<[string, unknown]> = [
  ['changes', {}],
  ['name', { name: '   ' }],
  ['initialSupply', { initialSupply: '5' }],
  ['protocol', { protocol: 'SFP' }],
  ['avatarUrl', { avatarUrl: 'ftp://example.com/a.png' }],
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
  t.like(await left(t, mb.updateAsset('../payments', { name: 'x' })), { _tag: 'InvalidInput', field: 'id' });
  t.is(requestsTo(sandbox).length, 0);
});
