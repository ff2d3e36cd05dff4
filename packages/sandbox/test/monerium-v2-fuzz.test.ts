import test from 'ava';
import fc from 'fast-check';
import { appTokens, bearer, startV2, userTokens, V2 } from './_monerium-v2.js';

const segment = fc.oneof(
  fc.constantFrom('auth', 'context', 'profiles', 'details', 'form', 'verifications', 'share', 'addresses', 'ibans', 'balances', 'orders', 'tokens'),
  fc.constantFrom('files', 'signatures', 'countries', 'swap', 'accept', 'webhooks', 'sepolia', 'chiado', 'gnosis', 'eur', 'usdc', 'eure', 'arbitrumsepolia'),
  fc.constantFrom('%zz', '%00', '..', 'IS12%200000', '0x0000000000000000000000000000000000000000'),
  fc.stringMatching(/^[A-Za-z0-9._~-]{0,40}$/),
  fc.uuid(),
);

const json = fc.oneof(
  fc.jsonValue(),
  fc.record(
    {
      kind: fc.constantFrom('redeem', 'issue', 'personal', 'corporate', 1),
      address: fc.constantFrom('0x0000000000000000000000000000000000000001', 'nope', 7),
      chain: fc.constantFrom('sepolia', 'gnosis', 'mars', null),
      currency: fc.constantFrom('eur', 'EUR', 'btc'),
      amount: fc.constantFrom('10', '-1', '1.234', 5, ''),
      counterpart: fc.jsonValue(),
      message: fc.string(),
      signature: fc.constantFrom('0x', '0x12', `0x${'ab'.repeat(65)}`),
      id: fc.oneof(fc.uuid(), fc.string()),
      personal: fc.jsonValue(),
      corporate: fc.jsonValue(),
      url: fc.constantFrom('http://127.0.0.1:1/x', 'nope'),
      secret: fc.constantFrom('whsec_', `whsec_${Buffer.alloc(32, 1).toString('base64')}`),
      types: fc.jsonValue(),
      state: fc.constantFrom('active', 'inactive', 'x'),
    },
    { requiredKeys: [] },
  ),
);

test('random v2 requests with valid tokens never make the emulator fail (no 5xx) and it keeps serving', async (t) => {
  const sandbox = await startV2({ monerium: { v2: { webhookTimeoutMs: 200 } } });
  t.teardown(() => sandbox.close());
  const tokens = [await userTokens(sandbox), await appTokens(sandbox, 'private'), await appTokens(sandbox, 'whitelabel')];
  const request = fc.record({
    method: fc.constantFrom('GET', 'POST', 'PATCH', 'PUT', 'DELETE'),
    segments: fc.array(segment, { minLength: 1, maxLength: 4 }),
    query: fc.option(fc.stringMatching(/^[A-Za-z0-9=&%._~-]{0,60}$/), { nil: undefined }),
    who: fc.nat(tokens.length - 1),
    body: json,
  });
  await fc.assert(
    fc.asyncProperty(request, async (input) => {
      const url = `${sandbox.urls.monerium}/${input.segments.join('/')}${input.query === undefined ? '' : `?${input.query}`}`;
      const hasBody = input.method !== 'GET';
      const response = await fetch(url, {
        method: input.method,
        headers: { accept: V2, authorization: bearer(tokens[input.who]!), ...(hasBody ? { 'content-type': 'application/json' } : {}) },
        ...(hasBody ? { body: JSON.stringify(input.body) } : {}),
        redirect: 'manual',
      });
      const text = await response.text();
      if (response.status >= 500) t.log(input.method, url, response.status, text);
      return response.status >= 200 && response.status < 500;
    }),
    { numRuns: 300, seed: 20_261_202 },
  );
  t.is((await fetch(`${sandbox.urls.monerium}/profiles`, { headers: { accept: V2, authorization: bearer(tokens[0]!) } })).status, 200);
});
