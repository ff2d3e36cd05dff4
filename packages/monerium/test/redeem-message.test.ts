import test from 'ava';
import { privateKeyToAccount } from 'viem/accounts';
import { recoverMessageAddress } from 'viem';
import { formatRfc822Z, redeemMessage, signerFromViemAccount } from '../src/index.js';

test('the documented example message is reproduced byte for byte', (t) => {
  const message = redeemMessage({
    currency: 'EUR',
    amount: '1000',
    iban: 'GR1601101250000000012300 695',
    timestamp: new Date(Date.UTC(2021, 1, 13, 15, 48, 37, 512)),
  });
  t.is(message, 'Send EUR 1000 to GR1601101250000000012300 695 at Sat, 13 Feb 2021 15:48 +00:00');
  t.deepEqual(
    Buffer.from(message, 'utf8'),
    Buffer.from('Send EUR 1000 to GR1601101250000000012300 695 at Sat, 13 Feb 2021 15:48 +00:00', 'utf8'),
  );
});

test('formatRfc822Z writes UTC to the minute with a numeric +00:00 zone', (t) => {
  t.is(formatRfc822Z(new Date(Date.UTC(2022, 11, 29, 14, 58, 59, 999))), 'Thu, 29 Dec 2022 14:58 +00:00');
  t.is(formatRfc822Z(new Date(Date.UTC(2024, 0, 1, 0, 5))), 'Mon, 01 Jan 2024 00:05 +00:00');
  // A local offset in the input changes nothing: the instant is what is formatted.
  t.is(formatRfc822Z(new Date('2021-02-13T17:48:00+02:00')), 'Sat, 13 Feb 2021 15:48 +00:00');
});

test('a viem account signs the message with EIP-191 and the signature recovers its address', async (t) => {
  const account = privateKeyToAccount('0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d');
  const signer = signerFromViemAccount(account);
  const message = 'Send EUR 1000 to GR1601101250000000012300 695 at Sat, 13 Feb 2021 15:48 +00:00';
  const signature = await signer.signMessage(message);
  t.regex(signature, /^0x[0-9a-f]{130}$/);
  t.is(await recoverMessageAddress({ message, signature: signature as `0x${string}` }), account.address);
  t.is(signer.address, account.address);
});
