import { randomUUID } from 'node:crypto';
import {
  clientCredentialsGrant,
  Currency,
  createMoneriumClient as createSdkClient,
  MoneriumClient as SdkClassClient,
  PaymentStandard,
  placeOrderMessage,
  type Transport,
} from '@monerium/sdk-v3';
import * as E from 'fp-ts/lib/Either.js';
import { privateKeyToAccount } from 'viem/accounts';
import { createMoneriumV2Client, signerFromViemAccount } from '@paygate/monerium';
import { count, WARMUP_ROUNDS } from './config.js';
import { orThrow, rightOrThrow } from './partner-client.js';
import { startRemoteSandbox } from './remote-sandbox.js';
import { publish, runShape } from './report.js';
import { type ComparedOperation, compareOperations, comparisonReport } from './sdk-comparison.js';
import { formatCount } from './stats.js';

// 10. Monerium API v2: @paygate/monerium's v2 client against the official @monerium/sdk 3.5.0 (a dev
// dependency under the alias @monerium/sdk-v3), the same reads and order placement as section 2,
// both with the sandbox's v2 Private app's client credentials, against the same sandbox.

/** Where @monerium/sdk 3.5.0 sends `environment: 'sandbox'` requests; it has no base-URL option. */
const SDK_SANDBOX_API = 'https://api.monerium.dev';
/** A valid IBAN (the textbook German example) for the beneficiary of the redeem orders. */
const BENEFICIARY_IBAN = 'DE89370400440532013000';
const AMOUNT = '0.01';
const CHAIN = 'sepolia';

const MIN_ROUNDS = count(3, 1, 1);
const MAX_ROUNDS = count(8, 1, 1);
const WARMUP = WARMUP_ROUNDS;

const sandbox = await startRemoteSandbox({ autoProcessOrders: false });

/**
 * The SDK's documented hook for its HTTP calls (`transport`): the same `fetch` its default transport
 * makes, with the SDK's sandbox host rewritten to ours. Nothing else is changed.
 */
const transport: Transport = async ({ method, url, headers, body }) => {
  const target = url.startsWith(SDK_SANDBOX_API) ? `${sandbox.baseUrl}${url.slice(SDK_SANDBOX_API.length)}` : url;
  const response = await fetch(target, { method, headers, body });
  return { status: response.status, bodyText: await response.text() };
};

/**
 * Whether the SDK's class client (`new MoneriumClient({ clientId, clientSecret })`, `getAccess()`)
 * gets a token from the sandbox. Its token request goes through the global fetch, rewritten here
 * for one call only.
 */
const classClientLogin = async (clientId: string, clientSecret: string): Promise<string> => {
  const realFetch = globalThis.fetch;
  let authorization: string | null | undefined;
  globalThis.fetch = (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    authorization = new Headers(init?.headers).get('authorization');
    return realFetch(url.startsWith(SDK_SANDBOX_API) ? `${sandbox.baseUrl}${url.slice(SDK_SANDBOX_API.length)}` : input, init);
  };
  try {
    const ok = await new SdkClassClient({ environment: 'sandbox', clientId, clientSecret }).getAccess();
    return ok ? 'obtains a token' : 'obtained no token';
  } catch (error) {
    const sent = authorization === undefined ? '' : ` (its token request carried \`Authorization: ${JSON.stringify(authorization)}\`)`;
    return `fails${sent}: the sandbox answers "${error instanceof Error ? error.message : String(error)}"`;
  } finally {
    globalThis.fetch = realFetch;
  }
};

try {
  const v2 = sandbox.fixtures.v2;
  const { clientId, clientSecret } = v2.clients.private;
  const classLogin = await classClientLogin(clientId, clientSecret);

  const created = createMoneriumV2Client({ environment: { baseUrl: sandbox.baseUrl }, auth: { kind: 'client_credentials', clientId, clientSecret } });
  if (E.isLeft(created)) throw new Error(`createMoneriumV2Client: ${created.left.message}`);
  const paygate = created.right;
  await orThrow(paygate.session());

  // The SDK's v4-style API (the class's getAccess() is deprecated in its favour): the caller fetches
  // the token and hands the client a getter, as a server would.
  const bearer = await clientCredentialsGrant({ environment: 'sandbox', clientId, clientSecret, transport });
  const sdk = createSdkClient({ environment: 'sandbox', transport, getAccessToken: () => bearer.access_token });

  // An address of a profile the Private app acts for, holding euros on sepolia.
  const holding = v2.balances.find((b) => b.chain === CHAIN && b.currency === 'eur' && Number(b.amount) >= 100);
  const payer = v2.addresses.find((a) => a.address === holding?.address && a.chains.includes(CHAIN));
  if (payer === undefined) throw new Error(`no ${CHAIN} address holding euros in the v2 fixtures`);
  const account = privateKeyToAccount(payer.privateKey);
  const signer = rightOrThrow(signerFromViemAccount(account));
  const seededOrders = await orThrow(paygate.orders());
  const someOrder = seededOrders[0];
  if (someOrder === undefined) throw new Error('the sandbox has no v2 orders');

  const sdkPlaceOrder = async () => {
    // The caller builds and signs the message for the SDK; @paygate/monerium does both inside placeOrder. Both are timed.
    const message = placeOrderMessage(AMOUNT, Currency.eur, BENEFICIARY_IBAN);
    await sdk.placeOrder({
      id: randomUUID(),
      amount: AMOUNT,
      currency: Currency.eur,
      address: payer.address,
      chain: CHAIN,
      counterpart: {
        identifier: { standard: PaymentStandard.iban, iban: BENEFICIARY_IBAN },
        details: { firstName: 'Erika', lastName: 'Mustermann', country: 'DE' },
      },
      message,
      signature: await account.signMessage({ message }),
    });
  };
  const paygatePlaceOrder = async () => {
    const outcome = await orThrow(
      paygate.placeOrder({
        amount: AMOUNT,
        address: payer.address,
        chain: CHAIN,
        counterpart: { kind: 'iban', iban: BENEFICIARY_IBAN, firstName: 'Erika', lastName: 'Mustermann', country: 'DE' },
        signer,
      }),
    );
    if (outcome._tag !== 'placed') throw new Error(`placeOrder: ${outcome._tag}`);
  };

  const reads = (concurrency: number) => (concurrency === 1 ? count(200, 20, 20) : count(500, 32, 32));
  const placements = (concurrency: number) => (concurrency === 1 ? count(40, 8, 8) : count(80, 8, 8));
  // Reads first: every placed order makes the unfiltered order list longer.
  const operations: ComparedOperation[] = [
    {
      name: `balances (${CHAIN})`,
      calls: 'getBalances(address, chain) / balances(chain, address)',
      read: true,
      concurrencies: [1, 16],
      operationsAt: reads,
      sdk: async () => {
        await sdk.getBalances(payer.address, CHAIN);
      },
      paygate: async () => {
        await orThrow(paygate.balances(CHAIN, payer.address));
      },
    },
    {
      name: `orders (${seededOrders.length})`,
      calls: 'getOrders() / orders()',
      read: true,
      concurrencies: [1, 16],
      operationsAt: reads,
      sdk: async () => {
        await sdk.getOrders();
      },
      paygate: async () => {
        await orThrow(paygate.orders());
      },
    },
    {
      name: 'order by id',
      calls: 'getOrder(id) / order(id)',
      read: true,
      concurrencies: [1, 16],
      operationsAt: reads,
      sdk: async () => {
        await sdk.getOrder(someOrder.id);
      },
      paygate: async () => {
        await orThrow(paygate.order(someOrder.id));
      },
    },
    {
      name: 'place SEPA redeem order',
      calls: 'placeOrder() / placeOrder()',
      read: false,
      concurrencies: [1, 8],
      operationsAt: placements,
      sdk: sdkPlaceOrder,
      paygate: paygatePlaceOrder,
    },
  ];

  const results = await compareOperations(operations, { minRounds: MIN_ROUNDS, maxRounds: MAX_ROUNDS, warmup: WARMUP });
  const { tables, goals } = comparisonReport(results, { sdk: '@monerium/sdk 3.5.0', paygate: '@paygate/monerium v2', goalPrefix: 'v2 ' });
  const missed = goals.filter((goal) => !goal.met);

  publish({
    id: 'v2',
    title: '10. Monerium API v2: @paygate/monerium against @monerium/sdk 3.5.0',
    method: [
      runShape(
        'Section 2 for API v2: `createMoneriumV2Client` against `@monerium/sdk` 3.5.0 on the same operations, both logged in with ' +
          "the sandbox's v2 Private app's client credentials (`fixtures.v2.clients.private`), against the same sandbox, both sending " +
          '`Accept: application/vnd.monerium.api-v2+json`. The SDK is used through its v4-style functions: `clientCredentialsGrant()` ' +
          'once, then `createMoneriumClient({ environment: "sandbox", getAccessToken, transport })`. It has no base-URL option either; ' +
          'its documented `transport` hook (the request it would `fetch`) gets the same `fetch` with `https://api.monerium.dev` ' +
          'rewritten to the sandbox. Balances are read for one chain and address (v2 has no balances-of-everything call); ' +
          'the SEPA redeem orders are signed with the same viem account on both sides (the SDK caller builds the message with ' +
          "`placeOrderMessage` and signs it; paygate's `placeOrder` builds and signs through its signer), signing inside the " +
          'timing, and both send a client-chosen order id (paygate generates it; the SDK caller passes `randomUUID()`). ' +
          `${MIN_ROUNDS} to ${MAX_ROUNDS} interleaved rounds per side after ${WARMUP} warm-up round (more rounds until the per-round ` +
          `client CPU/op ratio has a spread under 5 %: the 95 % confidence half-width of its mean); ${formatCount(reads(1))} reads per ` +
          `round at concurrency 1, ${formatCount(reads(16))} at 16; ${formatCount(placements(1))} orders per round at 1, ` +
          `${formatCount(placements(8))} at 8.`,
      ),
    ],
    tables,
    goals,
    notes: [
      'What `@paygate/monerium` v2 does that the SDK does not, inside these timings: io-ts decoding of every response, typed ' +
        '`GatewayError`s (the SDK throws), retries of idempotent reads, token renewal ahead of expiry and after a 401 through the ' +
        'token store on every call (the SDK calls the getter it was given; renewing is the caller\'s job), input validation (IBAN, ' +
        'country, amount, address, chain names), and for an order the exactly-once path (a lost answer is reconciled by the id).',
      `The SDK's class client (\`new MoneriumClient({ clientId, clientSecret })\` + \`getAccess()\`, deprecated in 3.5.0 in favour of ` +
        `\`clientCredentialsGrant\`) ${classLogin}. Its private request helper sets \`Authorization: this.#bearer || ""\` on every ` +
        'request, the token request included, and the sandbox reads any Authorization header on `/auth/token` as HTTP client ' +
        'authentication, which v2 refuses; whether live Monerium ignores an empty header is not documented. The functions used ' +
        'above send no Authorization header on the token request, so the comparison does not depend on it.',
      'Not measured here for v2 yet: the session path (section 8) and cold start (section 9) against the SDK 3.5.0.',
      missed.length === 0
        ? 'paygate v2 is at least as fast and as cheap as the SDK 3.5.0 on every read.'
        : `Missed: ${missed.map((goal) => `${goal.what} (${goal.measured})`).join('; ')}. The v2 read path shares core's HTTP client, ` +
          'the token manager and io-ts decoding with v1.3, so the README\'s list for section 2 (issue 18, part 3) applies to it.',
    ],
  });
} finally {
  await sandbox.close();
}
