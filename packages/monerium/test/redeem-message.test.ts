import test from 'ava';
import * as E from 'fp-ts/lib/Either.js';
import { privateKeyToAccount } from 'viem/accounts';
import { recoverMessageAddress } from 'viem';
import { formatRfc822Z, redeemMessage, signerFromViemAccount } from '../src/index.js';

const EXAMPLE = 'Send EUR 1000 to GR1601101250000000012300 695 at Sat, 13 Feb 2021 15:48 +00:00';
const PARTS = { currency: 'EUR', amount: '1000', iban: 'GR1601101250000000012300 695', timestamp: new Date(Date.UTC(2021, 1, 13, 15, 48, 37, 512)) };

test('the documented example message is reproduced byte for byte', (t) => {
  const message = redeemMessage(PARTS);
  if (E.isLeft(message)) return t.fail(message.left.message);
  t.is(message.right, EXAMPLE);
  t.deepEqual(Buffer.from(message.right, 'utf8'), Buffer.from(EXAMPLE, 'utf8'));
});

test('formatRfc822Z writes UTC to the minute with a numeric +00:00 zone', (t) => {
  t.deepEqual(formatRfc822Z(new Date(Date.UTC(2022, 11, 29, 14, 58, 59, 999))), E.right('Thu, 29 Dec 2022 14:58 +00:00'));
  t.deepEqual(formatRfc822Z(new Date(Date.UTC(2024, 0, 1, 0, 5))), E.right('Mon, 01 Jan 2024 00:05 +00:00'));
  // A local offset in the input changes nothing: the instant is what is formatted.
  t.deepEqual(formatRfc822Z(new Date('2021-02-13T17:48:00+02:00')), E.right('Sat, 13 Feb 2021 15:48 +00:00'));
});

test('formatRfc822Z answers InvalidInput on date for anything but a valid Date', (t) => {
  for (const bad of [null, undefined, Date.now(), '2021-02-13', {}, new Date('nope')]) {
    t.like(formatRfc822Z(bad as never), { _tag: 'Left', left: { _tag: 'InvalidInput', field: 'date' } }, String(bad));
  }
});

test('redeemMessage answers InvalidInput naming the part that is not what its type says', (t) => {
  t.like(redeemMessage(null as never), { _tag: 'Left', left: { _tag: 'InvalidInput', field: 'parts' } });
  t.like(redeemMessage({ ...PARTS, currency: 7 } as never), { _tag: 'Left', left: { _tag: 'InvalidInput', field: 'currency' } });
  t.like(redeemMessage({ ...PARTS, amount: undefined } as never), { _tag: 'Left', left: { _tag: 'InvalidInput', field: 'amount' } });
  t.like(redeemMessage({ ...PARTS, iban: '' }), { _tag: 'Left', left: { _tag: 'InvalidInput', field: 'iban' } });
  t.like(redeemMessage({ ...PARTS, timestamp: new Date(Number.NaN) }), { _tag: 'Left', left: { _tag: 'InvalidInput', field: 'timestamp' } });
});

test('a viem account signs the message with EIP-191 and the signature recovers its address', async (t) => {
  const account = privateKeyToAccount('0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d');
  const signer = signerFromViemAccount(account);
  if (E.isLeft(signer)) return t.fail(signer.left.message);
  const signature = await signer.right.signMessage(EXAMPLE);
  t.regex(signature, /^0x[0-9a-f]{130}$/);
  t.is(await recoverMessageAddress({ message: EXAMPLE, signature: signature as `0x${string}` }), account.address);
  t.is(signer.right.address, account.address);
});

const ADDRESS = '0x59cFC7aF6B8aFcE7C4aB6d0Fb8c8dD6c8F4A1bC2';

test('signerFromViemAccount answers InvalidInput naming the field for what is not an account, and never throws', (t) => {
  t.like(signerFromViemAccount(null as never), { _tag: 'Left', left: { _tag: 'InvalidInput', field: 'account' } });
  t.like(signerFromViemAccount('0xabc' as never), { _tag: 'Left', left: { _tag: 'InvalidInput', field: 'account' } });
  t.like(signerFromViemAccount({ address: 'nope', signMessage: async () => '0x' } as never), { _tag: 'Left', left: { field: 'account.address' } });
  t.like(signerFromViemAccount({ address: ADDRESS } as never), { _tag: 'Left', left: { _tag: 'InvalidInput', field: 'account.signMessage' } });
});

test("the signer rejects (never throws) when the wallet fails, and signs nothing but a string message", async (t) => {
  let asked = 0;
  const throwing = signerFromViemAccount({
    address: ADDRESS,
    signMessage: () => {
      asked += 1;
      throw new Error('wallet locked');
    },
  });
  if (E.isLeft(throwing)) return t.fail(throwing.left.message);
  let promise: Promise<string> | undefined;
  t.notThrows(() => {
    promise = throwing.right.signMessage('Send EUR 1 to X at Y');
  });
  await t.throwsAsync(promise as Promise<string>, { message: 'wallet locked' });
  t.is(asked, 1);
  for (const message of [{ raw: '0xdeadbeef' }, 42, null]) {
    await t.throwsAsync(throwing.right.signMessage(message as never), { instanceOf: TypeError });
  }
  t.is(asked, 1, 'the wallet is never asked to sign a non-string');
});
