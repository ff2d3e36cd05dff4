import test from 'ava';
import { recoverMessageAddress } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { LINK_ADDRESS_MESSAGE } from '../src/index.js';
import { basicClient, left, moneriumRequests, right, startMonerium } from './_sandbox.js';
import { viemSigner } from './_signer.js';

/** A fixed throwaway key, so the test is the same on every run. */
const NEW_WALLET = privateKeyToAccount('0x8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba');

test('linkAddress with a signer posts the fixed message, its signature, chain and network', async (t) => {
  const sandbox = await startMonerium(t);
  const user = sandbox.fixtures.monerium.users[0];
  if (user === undefined) return t.fail();
  const linked = await right(
    t,
    basicClient(sandbox).linkAddress(user.defaultProfile, {
      chain: 'ethereum',
      network: sandbox.fixtures.monerium.networks.ethereum,
      signer: viemSigner(NEW_WALLET),
    }),
  );
  t.is(linked.address.toLowerCase(), NEW_WALLET.address.toLowerCase());
  t.is(linked.profile, user.defaultProfile);

  const [request] = moneriumRequests(sandbox);
  t.is(request?.method, 'POST');
  t.is(request?.path, `/profiles/${user.defaultProfile}/addresses`);
  t.regex(request?.headers['content-type'] ?? '', /^application\/json/);
  const body = JSON.parse(request?.body ?? '{}') as Record<string, string>;
  t.deepEqual(Object.keys(body).sort(), ['address', 'chain', 'message', 'network', 'signature']);
  t.is(body.message, 'I hereby declare that I am the address owner.');
  t.is(body.message, LINK_ADDRESS_MESSAGE);
  t.is(body.address, NEW_WALLET.address);
  t.is(await recoverMessageAddress({ message: LINK_ADDRESS_MESSAGE, signature: body.signature as `0x${string}` }), NEW_WALLET.address);
});

test('linkAddress with a signature made elsewhere sends that signature', async (t) => {
  const sandbox = await startMonerium(t);
  const user = sandbox.fixtures.monerium.users[0];
  if (user === undefined) return t.fail();
  const signature = await NEW_WALLET.signMessage({ message: LINK_ADDRESS_MESSAGE });
  await right(
    t,
    basicClient(sandbox).linkAddress(user.defaultProfile, {
      address: NEW_WALLET.address,
      chain: 'gnosis',
      network: sandbox.fixtures.monerium.networks.gnosis,
      signature,
    }),
  );
  t.is((JSON.parse(moneriumRequests(sandbox)[0]?.body ?? '{}') as { signature?: string }).signature, signature);
});

test('a signature by another key is refused by Monerium as a 400 validation error on signature', async (t) => {
  const sandbox = await startMonerium(t);
  const user = sandbox.fixtures.monerium.users[0];
  if (user === undefined) return t.fail();
  const other = privateKeyToAccount('0x0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef');
  const error = await left(
    t,
    basicClient(sandbox).linkAddress(user.defaultProfile, {
      address: NEW_WALLET.address,
      chain: 'ethereum',
      network: sandbox.fixtures.monerium.networks.ethereum,
      signature: await other.signMessage({ message: LINK_ADDRESS_MESSAGE }),
    }),
  );
  t.like(error, { _tag: 'ProviderError', status: 400, code: 'Bad Request', retryable: false });
  t.true(error._tag === 'ProviderError' && typeof (error.details?.errors as Record<string, string> | undefined)?.signature === 'string');
});

test('bad link input is InvalidInput and nothing is signed or sent', async (t) => {
  const sandbox = await startMonerium(t);
  const client = basicClient(sandbox);
  let signed = 0;
  const signer = { address: NEW_WALLET.address, signMessage: async (message: string) => {
    signed += 1;
    return NEW_WALLET.signMessage({ message });
  } };
  const cases = [
    ['', { chain: 'ethereum', network: 'rinkeby', signer }, 'profileId'],
    ['p', { chain: '', network: 'rinkeby', signer }, 'chain'],
    ['p', { chain: 'ethereum', network: 'Rinkeby!', signer }, 'network'],
    ['p', { address: '0x61d1Df91F98282e5AdC8224943E0336Ec8612d66', chain: 'ethereum', network: 'rinkeby', signer }, 'signer'],
    ['p', { address: 'nope', chain: 'ethereum', network: 'rinkeby', signature: `0x${'1'.repeat(130)}` }, 'address'],
    ['p', { address: NEW_WALLET.address, chain: 'ethereum', network: 'rinkeby', signature: '0x1234' }, 'signature'],
  ] as const;
  for (const [profile, input, field] of cases) {
    t.like(await left(t, client.linkAddress(profile, input)), { _tag: 'InvalidInput', field }, field);
  }
  t.is(signed, 0);
  t.deepEqual(moneriumRequests(sandbox), []);
});

test('a signer that throws is InvalidInput on signer and its error text is not kept', async (t) => {
  const sandbox = await startMonerium(t);
  const signer = { address: NEW_WALLET.address, signMessage: async () => {
    throw new Error('hardware wallet said: key 0xsecret-material');
  } };
  const error = await left(t, basicClient(sandbox).linkAddress('p', { chain: 'ethereum', network: 'rinkeby', signer }));
  t.like(error, { _tag: 'InvalidInput', field: 'signer' });
  t.false(JSON.stringify(error).includes('secret-material'));
  t.deepEqual(moneriumRequests(sandbox), []);
});

test('a link answered 500 is unknown and not retryable; a 400 is not_placed', async (t) => {
  const sandbox = await startMonerium(t);
  const user = sandbox.fixtures.monerium.users[0];
  if (user === undefined) return t.fail();
  const input = {
    address: NEW_WALLET.address,
    chain: 'ethereum',
    network: sandbox.fixtures.monerium.networks.ethereum,
    signature: await NEW_WALLET.signMessage({ message: LINK_ADDRESS_MESSAGE }),
  };
  sandbox.admin.faults.set([{ provider: 'monerium', route: 'POST /profiles/*/addresses', kind: 'status', status: 500, times: 1 }]);
  const failed = await left(t, basicClient(sandbox).linkAddress(user.defaultProfile, input));
  t.like(failed, { _tag: 'ProviderError', status: 500, retryable: false, paymentOutcome: 'unknown' });
  const refused = await left(t, basicClient(sandbox).linkAddress(user.defaultProfile, { ...input, signature: `0x${'1'.repeat(130)}` }));
  t.like(refused, { _tag: 'ProviderError', status: 400, retryable: false, paymentOutcome: 'not_placed' });
});
