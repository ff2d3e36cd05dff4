import test from 'ava';
import * as E from 'fp-ts/lib/Either.js';
import { recoverMessageAddress } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { addDecimal, compareDecimal } from '@paygate/core';
import { formatRfc822Z, type RedeemOrderInput, redeemMessage, type Signer } from '../src/index.js';
import { basicClient, left, moneriumRequests, right, seededWallet, startMonerium } from './_sandbox.js';

const IBAN_TYPED = 'GR16 0110 1250 0000 0001 2300 695';
const IBAN_COMPACT = 'GR1601101250000000012300695';

test('a redeem order is POST /orders with the documented payload, signed by the fixture key and accepted', async (t) => {
  const sandbox = await startMonerium(t, { monerium: { autoProcessOrders: false } });
  const { user, address, signer } = seededWallet(sandbox);
  const now = Date.now();
  const client = basicClient(sandbox, 0, { now: () => now });
  const order = await right(
    t,
    client.placeRedeemOrder({
      amount: '12.50',
      currency: 'eur',
      counterpart: { iban: IBAN_TYPED, companyName: 'Beneficiary company name' },
      memo: 'Invoice 42',
      address: address.address,
      chain: 'ethereum',
      network: sandbox.fixtures.monerium.networks.ethereum,
      signer,
    }),
  );
  t.like(order, { kind: 'redeem', amount: '12.5', currency: 'eur', address: address.address, profile: user.defaultProfile, memo: 'Invoice 42' });
  t.is(order.meta.state, 'placed');
  t.like(order.counterpart.details, { companyName: 'Beneficiary company name' });

  const requests = moneriumRequests(sandbox);
  t.deepEqual(
    requests.map((r) => [r.method, r.path]),
    [['POST', '/orders']],
  );
  const body = JSON.parse(requests[0]?.body ?? '{}') as Record<string, unknown>;
  const message = `Send EUR 12.5 to ${IBAN_TYPED} at ${E.getOrElse(() => '(no timestamp)')(formatRfc822Z(new Date(now)))}`;
  t.deepEqual(body, {
    kind: 'redeem',
    amount: '12.5',
    currency: 'EUR',
    counterpart: { identifier: { standard: 'iban', iban: IBAN_COMPACT }, details: { companyName: 'Beneficiary company name' } },
    address: address.address,
    message,
    memo: 'Invoice 42',
    chain: 'ethereum',
    network: sandbox.fixtures.monerium.networks.ethereum,
    signature: body.signature,
  });
  t.is(await recoverMessageAddress({ message, signature: body.signature as `0x${string}` }), address.address);
  const seeded = sandbox.fixtures.monerium.balances.find((b) => b.address === address.address && b.chain === 'ethereum' && b.currency === 'eur');
  const expected = addDecimal(seeded?.amount ?? '0', '-12.5');
  t.deepEqual(E.flatMap((sum: string) => compareDecimal(sandbox.admin.monerium.balance(address.address, 'ethereum', 'eur'), sum))(expected), E.right(0));
});

test('an order for a profile goes to POST /profiles/{id}/orders; a person is named by first and last name', async (t) => {
  const sandbox = await startMonerium(t, { monerium: { autoProcessOrders: false } });
  const { user, address, signer } = seededWallet(sandbox);
  await right(
    t,
    basicClient(sandbox).placeRedeemOrder({
      amount: '1',
      currency: 'EUR',
      counterpart: { iban: IBAN_COMPACT, firstName: 'Jane', lastName: 'Doe' },
      address: address.address,
      signer,
      profile: user.defaultProfile,
    }),
  );
  const [request] = moneriumRequests(sandbox);
  t.is(request?.path, `/profiles/${user.defaultProfile}/orders`);
  const body = JSON.parse(request?.body ?? '{}') as { counterpart: { details: unknown }; message: string };
  t.deepEqual(body.counterpart.details, { firstName: 'Jane', lastName: 'Doe' });
  t.true(body.message.startsWith(`Send EUR 1 to ${IBAN_COMPACT} at `));
});

test('a signature made elsewhere is sent with the message of its timestamp', async (t) => {
  const sandbox = await startMonerium(t, { monerium: { autoProcessOrders: false } });
  const { address } = seededWallet(sandbox);
  const account = privateKeyToAccount(address.privateKey);
  const timestamp = new Date(Date.now() - 60_000);
  const message = E.getOrElse(() => '')(redeemMessage({ currency: 'EUR', amount: '3.3', iban: IBAN_TYPED, timestamp }));
  const signature = await account.signMessage({ message });
  const order = await right(
    t,
    basicClient(sandbox).placeRedeemOrder({
      amount: '3.30',
      currency: 'EUR',
      counterpart: { iban: IBAN_TYPED, name: 'ACME Payee' },
      address: address.address,
      signature,
      timestamp,
    }),
  );
  t.is(order.amount, '3.3');
  const body = JSON.parse(moneriumRequests(sandbox)[0]?.body ?? '{}') as Record<string, unknown>;
  t.is(body.signature, signature);
  t.is(body.message, message);
  t.deepEqual(body.counterpart, { identifier: { standard: 'iban', iban: IBAN_COMPACT }, details: { name: 'ACME Payee', companyName: 'ACME Payee' } });
});

test('the client signer signs when the call brings none', async (t) => {
  const sandbox = await startMonerium(t, { monerium: { autoProcessOrders: false } });
  const { address, signer } = seededWallet(sandbox);
  const order = await right(
    t,
    basicClient(sandbox, 0, { signer }).placeRedeemOrder({
      amount: '2',
      currency: 'EUR',
      counterpart: { iban: IBAN_TYPED, companyName: 'Payee' },
      address: address.address,
    }),
  );
  t.is(order.kind, 'redeem');
});

test('bad input is InvalidInput naming the field; nothing is signed or sent', async (t) => {
  const sandbox = await startMonerium(t);
  const { address } = seededWallet(sandbox);
  let signed = 0;
  const account = privateKeyToAccount(address.privateKey);
  const signer: Signer = {
    address: address.address,
    signMessage: (message) => {
      signed += 1;
      return account.signMessage({ message });
    },
  };
  const valid: RedeemOrderInput = {
    amount: '10',
    currency: 'EUR',
    counterpart: { iban: IBAN_TYPED, companyName: 'Payee' },
    address: address.address,
    signer,
  };
  const cases: ReadonlyArray<readonly [Readonly<Record<string, unknown>>, string]> = [
    [{ counterpart: { iban: 'GR16 0110 1250 0000 0001 2300 696', companyName: 'Payee' } }, 'counterpart.iban'],
    [{ counterpart: { iban: 'GR16-0110-1250', companyName: 'Payee' } }, 'counterpart.iban'],
    [{ counterpart: { iban: 'XX00 1234', companyName: 'Payee' } }, 'counterpart.iban'],
    [{ amount: '0' }, 'amount'],
    [{ amount: '-5' }, 'amount'],
    [{ amount: '1.234' }, 'amount'],
    [{ amount: '1e3' }, 'amount'],
    [{ amount: '10.5', currency: 'ISK' }, 'amount'],
    [{ currency: 'BTC' }, 'currency'],
    [{ currency: 'EURO' }, 'currency'],
    [{ address: '0x61d1Df91F98282e5AdC8224943E0336Ec8612d6' }, 'address'],
    [{ address: 'not-an-address' }, 'address'],
    [{ address: '0x61d1Df91F98282e5AdC8224943E0336Ec8612d66' }, 'signer'],
    [{ signer: undefined, signature: '0x1234', timestamp: new Date() }, 'signature'],
    [{ signer: undefined, signature: `0x${'ab'.repeat(65)}` }, 'timestamp'],
    [{ signature: `0x${'ab'.repeat(65)}`, timestamp: new Date() }, 'signature'],
    [{ signer: undefined }, 'signer'],
    [{ counterpart: { iban: IBAN_TYPED } }, 'counterpart'],
    [{ counterpart: { iban: IBAN_TYPED, firstName: 'Jane' } }, 'counterpart.lastName'],
    [{ memo: '' }, 'memo'],
    [{ chain: 'Not A Chain' }, 'chain'],
    [{ timestamp: new Date(Number.NaN) }, 'timestamp'],
    [{ profile: '' }, 'profile'],
  ];
  for (const [change, field] of cases) {
    const input = { ...valid, ...change } as RedeemOrderInput;
    t.like(await left(t, basicClient(sandbox).placeRedeemOrder(input)), { _tag: 'InvalidInput', field }, `${JSON.stringify(change)} → ${field}`);
  }
  t.is(signed, 0);
  t.deepEqual(moneriumRequests(sandbox), []);
});

test('Monerium refusing the order (over the balance) is a 400 ProviderError with per-field details', async (t) => {
  const sandbox = await startMonerium(t);
  const { address, signer } = seededWallet(sandbox);
  const error = await left(
    t,
    basicClient(sandbox).placeRedeemOrder({
      amount: '99999999',
      currency: 'EUR',
      counterpart: { iban: IBAN_TYPED, companyName: 'Payee' },
      address: address.address,
      signer,
    }),
  );
  t.like(error, { _tag: 'ProviderError', provider: 'monerium', status: 400, code: 'Bad Request', retryable: false });
  t.like(error._tag === 'ProviderError' ? error.details : undefined, { errors: { amount: 'Insufficient balance' } });
  t.is(moneriumRequests(sandbox).length, 1);
});
