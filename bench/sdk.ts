import { Currency, PaymentStandard, MoneriumClient as SdkClient } from '@monerium/sdk';
import { privateKeyToAccount } from 'viem/accounts';
import { redeemMessage, signerFromViemAccount } from '@paygate/monerium';
import { count, WARMUP_ROUNDS } from './config.js';
import { createPartnerClient, orThrow, rightOrThrow } from './partner-client.js';
import { startRemoteSandbox } from './remote-sandbox.js';
import { publish, runShape } from './report.js';
import { type ComparedOperation, compareOperations, comparisonReport } from './sdk-comparison.js';
import { formatCount } from './stats.js';

// 2. @paygate/monerium against the official @monerium/sdk 2.15.0, same operations, same sandbox.

/** Where @monerium/sdk 2.15.0 sends `environment: 'sandbox'` requests; it has no base-URL option. */
const SDK_SANDBOX_API = 'https://api.monerium.dev';
/** A valid IBAN (the textbook German example) for the beneficiary of the redeem orders. */
const BENEFICIARY_IBAN = 'DE89 3704 0044 0532 0130 00';
const AMOUNT = '0.01';

/** Rounds continue until the per-round CPU/op ratio's spread is under 5 %, between these bounds. */
const MIN_ROUNDS = count(3, 1, 1);
const MAX_ROUNDS = count(8, 1, 1);
const WARMUP = WARMUP_ROUNDS;

const sandbox = await startRemoteSandbox({ autoProcessOrders: false });

// The SDK reaches the network only through the global fetch: its sandbox host is rewritten to ours.
const realFetch = globalThis.fetch;
globalThis.fetch = (input, init) => {
  const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
  return url.startsWith(SDK_SANDBOX_API) ? realFetch(`${sandbox.baseUrl}${url.slice(SDK_SANDBOX_API.length)}`, init) : realFetch(input, init);
};

try {
  const { fixtures } = sandbox;
  const { clientId, clientSecret } = fixtures.clients.confidential;
  const paygate = createPartnerClient(sandbox);
  await orThrow(paygate.session());
  const sdk = new SdkClient({ environment: 'sandbox', clientId, clientSecret });
  if (!(await sdk.getAccess())) throw new Error('@monerium/sdk did not obtain a token from the sandbox');

  // The partner's own corporate profile, on a chain where it holds euros.
  const payer = fixtures.addresses.find((address) => address.profile === fixtures.clients.confidential.profile && address.chains.includes('ethereum'));
  if (payer === undefined) throw new Error('no ethereum address of the partner profile in the fixtures');
  const account = privateKeyToAccount(payer.privateKey);
  const signer = rightOrThrow(signerFromViemAccount(account));
  const someOrder = (await orThrow(paygate.orders({ limit: 1 }))).orders[0];
  if (someOrder === undefined) throw new Error('the sandbox has no orders');
  const orderCount = (await orThrow(paygate.orders())).orders.length;

  const sdkPlaceOrder = async () => {
    // The caller signs for the SDK; @paygate/monerium signs inside placeRedeemOrder. Both are timed.
    const message = rightOrThrow(redeemMessage({ currency: 'EUR', amount: AMOUNT, iban: BENEFICIARY_IBAN, timestamp: new Date() }));
    await sdk.placeOrder({
      amount: AMOUNT,
      currency: Currency.eur,
      address: payer.address,
      chain: 'ethereum',
      counterpart: { identifier: { standard: PaymentStandard.iban, iban: BENEFICIARY_IBAN }, details: { firstName: 'Erika', lastName: 'Mustermann' } },
      message,
      signature: await account.signMessage({ message }),
    });
  };
  const paygatePlaceOrder = async () => {
    await orThrow(
      paygate.placeRedeemOrder({
        amount: AMOUNT,
        currency: 'EUR',
        address: payer.address,
        chain: 'ethereum',
        counterpart: { iban: BENEFICIARY_IBAN, firstName: 'Erika', lastName: 'Mustermann' },
        signer,
      }),
    );
  };

  const operationsAt = (name: string, concurrency: number) =>
    name === 'place redeem order' ? count(concurrency === 1 ? 60 : 120, 8, 8) : concurrency === 1 ? count(200, 20, 20) : count(500, 32, 32);
  const reads = (concurrency: number) => operationsAt('', concurrency);
  // Reads first: every placed order makes the unfiltered order list longer.
  const operations: ComparedOperation[] = [
    {
      name: 'balances',
      calls: 'getBalances() / balances()',
      read: true,
      concurrencies: [1, 16],
      operationsAt: reads,
      sdk: async () => {
        await sdk.getBalances();
      },
      paygate: async () => {
        await orThrow(paygate.balances());
      },
    },
    {
      name: `orders (${orderCount})`,
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
      name: 'place redeem order',
      calls: 'placeOrder() / placeRedeemOrder()',
      read: false,
      concurrencies: [1, 8],
      operationsAt: (concurrency) => operationsAt('place redeem order', concurrency),
      sdk: sdkPlaceOrder,
      paygate: paygatePlaceOrder,
    },
  ];

  const results = await compareOperations(operations, { minRounds: MIN_ROUNDS, maxRounds: MAX_ROUNDS, warmup: WARMUP });
  const { tables, goals } = comparisonReport(results, { sdk: '@monerium/sdk 2.15.0', paygate: '@paygate/monerium' });

  const missed = goals.filter((goal) => !goal.met);
  publish({
    id: 'sdk',
    title: '2. Versus @monerium/sdk 2.15.0',
    method: [
      runShape(
        'The same operations through the official SDK and through `@paygate/monerium`, both authenticated as the sandbox\'s ' +
          'partner client, against the same sandbox. The SDK cannot be handed an existing bearer token (its Authorization header ' +
          'is private and set only by its own token request), so it logs in with the partner\'s client credentials (`getAccess()`, ' +
          'server side), as paygate does. The SDK has no base-URL option, so this process wraps ' +
          '`globalThis.fetch` to rewrite its host (`https://api.monerium.dev`) to the sandbox. Redeem orders are signed with the ' +
          'same viem account on both sides (the SDK caller signs; `placeRedeemOrder` signs through its signer); signing is inside the timing. ' +
          `${MIN_ROUNDS} to ${MAX_ROUNDS} interleaved rounds per side after ${WARMUP} warm-up round (more rounds until the per-round ` +
          `client CPU/op ratio has a spread under 5 %: the 95 % confidence half-width of its mean); ${formatCount(operationsAt('', 1))} reads per round at ` +
          `concurrency 1, ${formatCount(operationsAt('', 16))} at 16; ${formatCount(operationsAt('place redeem order', 1))} orders per round at 1, ${formatCount(operationsAt('place redeem order', 8))} at 8.`,
      ),
    ],
    tables,
    goals,
    notes: [
      'What `@paygate/monerium` does that the SDK does not, inside these timings: io-ts decoding of every response, ' +
        'mapping errors into a typed `GatewayError` (the SDK throws the raw body), retrying idempotent reads on network errors, ' +
        '429 and 502–504 (the SDK never retries), renewing the token ahead of expiry and after a 401 (the SDK does neither), ' +
        'validating inputs (IBAN, amount, address) before sending, and building the signed order message itself.',
      missed.length === 0
        ? 'paygate is at least as fast and as cheap as the SDK on every read.'
        : `Missed: ${missed.map((goal) => `${goal.what} (${goal.measured})`).join('; ')}. The README ranks the profile's frames and the proposed fixes.`,
    ],
  });
} finally {
  globalThis.fetch = realFetch;
  await sandbox.close();
}
