import { generateKeyPairSync } from 'node:crypto';
import * as core from '@paygate/core';
import * as monerium from '@paygate/monerium';
import * as moneybutton from '@paygate/moneybutton';
import * as moneyns from '@paygate/moneyns';
import * as redisStore from '@paygate/token-store-redis';
import test from 'ava';
import fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { type ExerciseOptions, exercise, type Finding, isCodec } from './_exercise.js';
import { argumentsFor, closedPort, hostile, refuseNonLoopback } from './_hostile.js';

/**
 * Every exported function of core, monerium, moneybutton, moneyns and token-store-redis (found by
 * enumerating the built packages, so a new export is covered without touching this file) meets
 * hostile arguments: no synchronous throw, no rejected or hanging promise, no unhandled
 * rejection or uncaught exception, and every Either's Left is a GatewayError. Seeded and bounded.
 */

const SEED = 20261202;
/** Runs per export; every export gets the same budget. */
const RUNS = 24;
const PACKAGES = { core, monerium, moneybutton, moneyns, 'token-store-redis': redisStore } as const;

/**
 * Exports exempt, each for a stated reason. They return a plain value (no error channel) and
 * take a value that paygate itself produced and checked; they are not input boundaries. Keep
 * this list short: anything that takes caller input answers `InvalidInput` instead.
 * - core.match: exhaustive case analysis `match(cases)(error)` over a GatewayError.
 * - core.codeChallengeS256: hashes a verifier made by `generateCodeVerifier`.
 * - monerium.paymentFromOrder, moneybutton.toGatewayPayment: map an already decoded provider
 *   object (`OrderCodec`, the payment codecs) to a Payment.
 * - monerium.formatRfc822Z, monerium.redeemMessage: format parts `placeRedeemOrder` has checked.
 * - core.paymentOutcomeOf, core.withPaymentOutcome: case analysis over / annotation of a GatewayError,
 *   like match; core.tokenSetFingerprint: digests a TokenSet a store holds.
 * - monerium.v2.paymentFromV2Order, monerium.v2.pageOrders: map/page orders OrderCodec decoded.
 * - monerium.v2.formatOrderTimestamp, monerium.v2.sepaOrderMessage, monerium.v2.crossChainOrderMessage:
 *   format parts `prepareOrder` has checked.
 * - monerium.signerFromViemAccount: its Signer wraps the caller's wallet, whose signMessage may
 *   reject; `placeRedeemOrder` maps that rejection to InvalidInput (redeem.test.ts).
 */
const EXEMPT: ReadonlySet<string> = new Set([
  'core.match',
  'core.codeChallengeS256',
  'monerium.paymentFromOrder',
  'moneybutton.toGatewayPayment',
  'monerium.formatRfc822Z',
  'monerium.redeemMessage',
  'monerium.signerFromViemAccount',
  'core.paymentOutcomeOf',
  'core.withPaymentOutcome',
  'core.tokenSetFingerprint',
  'monerium.v2.paymentFromV2Order',
  'monerium.v2.pageOrders',
  'monerium.v2.formatOrderTimestamp',
  'monerium.v2.sepaOrderMessage',
  'monerium.v2.crossChainOrderMessage',
]);

const unhandled: string[] = [];
process.on('unhandledRejection', (reason) => unhandled.push(`unhandledRejection: ${String(reason).slice(0, 200)}`));
process.on('uncaughtException', (error) => unhandled.push(`uncaughtException: ${String(error).slice(0, 200)}`));
const refusedHosts = refuseNonLoopback();

const fixtures = async () => {
  const port = await closedPort();
  const closed = `http://127.0.0.1:${port}`;
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const fastHttp = { maxRetries: 0, timeoutMs: 500 };
  const server = { issuer: closed, authorizationEndpoint: `${closed}/auth`, tokenEndpoint: `${closed}/token` };
  const publicClient = { clientId: 'app', clientAuth: 'none' };
  const confidential = { clientId: 'app', clientSecret: 'canary-secret-1', clientAuth: 'client_secret_basic' };
  const redirectUri = 'http://127.0.0.1:8765/callback';
  const pending = { state: 'state-1', codeVerifier: 'v'.repeat(43), redirectUri, codeChallengeMethod: 'S256', url: `${closed}/auth` };
  const moneriumClient = monerium.createMoneriumClient({
    environment: { baseUrl: closed },
    auth: { kind: 'basic', email: 'a@example.com', password: 'canary-password-1' },
    http: fastHttp,
    orderLookup: { attempts: 1, intervalMs: 0 },
  });
  const moneyButtonClient = moneybutton.createMoneyButtonClient({
    clientId: 'app',
    clientSecret: 'canary-secret-1',
    scope: [],
    baseUrl: closed,
    refreshToken: 'canary-refresh-1',
    http: fastHttp,
  });
  const moneyNsClient = moneyns.createMoneyNsClient({ baseUrl: closed, auth: { email: 'a@example.com', password: 'canary-pw-1' }, http: fastHttp });
  const webhookSecret = monerium.v2.generateWebhookSecret();
  const moneriumV2Client = monerium.createMoneriumV2Client({
    environment: { baseUrl: closed },
    auth: { kind: 'client_credentials', clientId: 'c', clientSecret: 'canary-secret-1' },
    http: fastHttp,
    orderLookup: { attempts: 1, intervalMs: 0 },
  });
  const failing = () => Promise.resolve(E.left(core.transportError({ kind: 'connection', attempts: 1 })));
  const seeds: Record<string, ReadonlyArray<ReadonlyArray<unknown>>> = {
    'core.createHttpClient': [[{ provider: 'fuzz', baseUrl: closed, ...fastHttp }]],
    'core.startAuthorization': [[server, publicClient, { redirectUri, scope: 'read' }]],
    'core.finishAuthorization': [[server, publicClient, `${redirectUri}?code=c&state=state-1`, pending, { timeoutMs: 500 }]],
    'core.clientCredentialsGrant': [[server, confidential, { scope: 'read' }, { timeoutMs: 500 }]],
    'core.refreshTokenGrant': [[server, confidential, 'canary-refresh-1', {}, { timeoutMs: 500 }]],
    'core.createTokenManager': [[{ key: 'k', obtain: () => failing, refresh: () => failing }]],
    'core.createRegistry': [[[monerium.adapter, moneybutton.adapter, moneyns.adapter]]],
    'core.signPlatformJwt': [[pem, { sub: 'platform', exp: 1 }]],
    'core.parseAmount': [['1.5', { currency: 'EUR' }]],
    'core.fromMinorUnits': [['12345', 2]],
    'core.scrubSecrets': [[core.providerError({ provider: 'p', status: 400, retryable: false, details: { a: ['canary-secret-1'] } }), ['canary-secret-1']]],
    'monerium.createMoneriumClient': [
      [{ environment: { baseUrl: closed }, auth: { kind: 'basic', email: 'a@example.com', password: 'pw-123456' }, http: fastHttp, orderLookup: { attempts: 1, intervalMs: 0 } }],
      [{ environment: { baseUrl: closed }, auth: { kind: 'client_credentials', clientId: 'c', clientSecret: 's-123456' }, http: fastHttp }],
    ],
    'monerium.moneriumGateway': E.isRight(moneriumClient) ? [[moneriumClient.right, {}]] : [],
    'monerium.adapter.create': [[{ provider: 'monerium', environment: { baseUrl: closed }, auth: { kind: 'basic', email: 'a@example.com', password: 'pw-123456' }, maxRetries: 0 }]],
    'monerium.createMoneriumV2Client': [
      [{ environment: { baseUrl: closed }, auth: { kind: 'client_credentials', clientId: 'c', clientSecret: 's-123456' }, http: fastHttp, orderLookup: { attempts: 1, intervalMs: 0 } }],
    ],
    'monerium.moneriumV2Gateway': E.isRight(moneriumV2Client) ? [[moneriumV2Client.right, {}]] : [],
    'monerium.v2.moneriumV2Gateway': E.isRight(moneriumV2Client) ? [[moneriumV2Client.right, {}]] : [],
    'monerium.createWebhookReceiver': [[{ secret: webhookSecret, maxBodyBytes: 1024 }]],
    'monerium.v2.createWebhookReceiver': [[{ secret: webhookSecret, maxBodyBytes: 1024 }]],
    'core.createMemoryDeliveryDedupe': [[{ capacity: 10, ttlMs: 1000 }]],
    'token-store-redis.createRedisDeliveryDedupe': [[{ redis: `redis://127.0.0.1:${port}`, connectTimeoutMs: 100, commandTimeoutMs: 100 }]],
    'moneybutton.createMoneyButtonClient': [[{ clientId: 'app', clientSecret: 's-123456', scope: [], baseUrl: closed, refreshToken: 'rt-123456', http: fastHttp }]],
    'moneybutton.moneyButtonGateway': E.isRight(moneyButtonClient) ? [[moneyButtonClient.right, { webhook: { secret: 'canary-webhook-1' } }]] : [],
    'moneybutton.webhookHandler': [['canary-webhook-1', () => undefined, { maxBodyBytes: 1024, dedupeCapacity: 10 }]],
    'moneybutton.buildWebhookHandler': [['canary-webhook-1', () => undefined, { maxBodyBytes: 1024, dedupeCapacity: 10 }]],
    'moneybutton.adapter.create': [[{ provider: 'moneybutton', clientId: 'app', baseUrl: closed, timeoutMs: 500 }]],
    'moneyns.createMoneyNsClient': [
      [{ baseUrl: closed, auth: { email: 'a@example.com', password: 'pw-123456' }, http: fastHttp }],
      [{ baseUrl: closed, auth: { platform: 'plat', privateKeyPem: pem, subject: { email: 'a@example.com' } }, http: fastHttp }],
    ],
    'moneyns.moneyNsGateway': E.isRight(moneyNsClient) ? [[moneyNsClient.right]] : [],
    'moneyns.adapter.create': [[{ provider: 'moneyns', baseUrl: closed, auth: { email: 'a@example.com', password: 'pw-123456' } }]],
    'token-store-redis.createRedisTokenStore': [[{ redis: `redis://127.0.0.1:${port}`, connectTimeoutMs: 100, commandTimeoutMs: 100, lock: { waitMs: 100 } }]],
    'token-store-redis.buildRedisTokenStore': [[{ redis: `redis://127.0.0.1:${port}`, connectTimeoutMs: 100, commandTimeoutMs: 100, lock: { waitMs: 100 } }]],
  };
  return { seeds };
};

type Target = { readonly label: string; readonly kind: 'function'; readonly fn: (...args: unknown[]) => unknown; readonly self: unknown } | { readonly label: string; readonly kind: 'codec'; readonly codec: { decode(u: unknown): unknown; is(u: unknown): boolean } };

/** Every function and codec among a package's exports, and one level into exported objects (`adapter.create`). */
const targetsOf = (name: string, exports: Readonly<Record<string, unknown>>): Target[] => {
  const targets: Target[] = [];
  for (const [key, value] of Object.entries(exports)) {
    const label = `${name}.${key}`;
    if (typeof value === 'function') targets.push({ label, kind: 'function', fn: value as (...args: unknown[]) => unknown, self: undefined });
    else if (isCodec(value)) targets.push({ label, kind: 'codec', codec: value });
    else if (typeof value === 'object' && value !== null) {
      for (const [inner, member] of Object.entries(value)) {
        if (typeof member === 'function') targets.push({ label: `${label}.${inner}`, kind: 'function', fn: member as (...args: unknown[]) => unknown, self: value });
        else if (isCodec(member)) targets.push({ label: `${label}.${inner}`, kind: 'codec', codec: member });
      }
    }
  }
  return targets;
};

const flush = () => new Promise((resolve) => setImmediate(resolve));

const fuzzPackage = async (name: keyof typeof PACKAGES): Promise<{ findings: string[]; covered: string[] }> => {
  const { seeds } = await fixtures();
  const findings: string[] = [];
  const covered: string[] = [];
  for (const target of targetsOf(name, PACKAGES[name] as Readonly<Record<string, unknown>>)) {
    if (EXEMPT.has(target.label)) continue;
    covered.push(target.label);
    let found: Finding[] = [];
    const property: fc.IAsyncProperty<[unknown] | [unknown[], unknown[]]> =
      target.kind === 'codec'
        ? (fc.asyncProperty(hostile, async (value) => {
            found = [
              ...(await exercise(`${target.label}.decode`, () => target.codec.decode(value), options([]), 0, true)),
              ...(await exercise(`${target.label}.is`, () => target.codec.is(value), options([]), 0, true)),
            ];
            return found.length === 0;
          }) as fc.IAsyncProperty<[unknown] | [unknown[], unknown[]]>)
        : (fc.asyncProperty(argumentsFor(seeds[target.label] ?? []), fc.array(hostile, { minLength: 4, maxLength: 4 }), async (args, extras) => {
            const run = options(extras);
            try {
              found = await exercise(target.label, () => target.fn.apply(target.self, args), run);
            } finally {
              await Promise.allSettled(run.cleanups.map((cleanup) => Promise.resolve().then(cleanup)));
            }
            await flush();
            if (unhandled.length > 0) found.push(...unhandled.splice(0).map((problem) => ({ label: target.label, problem })));
            return found.length === 0;
          }) as fc.IAsyncProperty<[unknown] | [unknown[], unknown[]]>);
    const result = await fc.check(property, { seed: SEED, numRuns: RUNS, endOnFailure: true });
    if (result.failed) {
      const args = fc.stringify(result.counterexample).slice(0, 300);
      findings.push(`${found.map((f) => `${f.label}: ${f.problem}`).join('; ') || String(result.errorInstance)} — with ${args}`);
    }
  }
  return { findings, covered };
};

const options = (extras: ReadonlyArray<unknown>): ExerciseOptions => ({ extras, maxDepth: 2, settleMs: 5_000, cleanups: [] });

for (const name of Object.keys(PACKAGES) as Array<keyof typeof PACKAGES>) {
  test.serial(`${name}: every exported function answers hostile input without throwing, rejecting or an untyped Left`, async (t) => {
    t.timeout(60_000);
    const { findings, covered } = await fuzzPackage(name);
    t.true(covered.length > 0, 'the package exports something to fuzz');
    t.deepEqual(findings, []);
    t.deepEqual(refusedHosts.splice(0).filter((host) => host.length === 0), []);
  });
}
