import { inspect } from 'node:util';
import test from 'ava';
import * as E from 'fp-ts/lib/Either.js';
import * as io from 'io-ts/lib/index.js';
import { decodeWith } from '../src/decode.js';
import {
  authError,
  boundText,
  decodeError,
  type GatewayError,
  invalidInput,
  isAuthError,
  isDecodeError,
  isGatewayError,
  isInvalidInput,
  isProviderError,
  isTransportError,
  isUnsupported,
  match,
  providerError,
  scrubSecrets,
  scrubText,
  transportError,
  unsupported,
} from '../src/errors.js';
import { createHttpClient } from '../src/http.js';
import { json, startServer } from './_http-server.js';

const CANARIES = {
  accessToken: 'canary-access-token-7f3a',
  refreshToken: 'canary-refresh-token-91bc',
  clientSecret: 'canary-client-secret-55d0',
  password: 'canary-password-e2e2',
  authorization: 'Basic Y2FuYXJ5LWJhc2ljLWNyZWQ=',
  pem: '-----BEGIN PRIVATE KEY-----\nMIIEcanaryPEMkeyMaterial\n-----END PRIVATE KEY-----',
};
const secretValues = Object.values(CANARIES);

const assertClean = (t: import('ava').ExecutionContext, error: unknown) => {
  const texts = [JSON.stringify(error), inspect(error, { depth: 10 }), String((error as { message?: string }).message)];
  for (const text of texts) for (const secret of secretValues) t.false(text.includes(secret), `leaked ${secret.slice(0, 12)}…`);
};

const all: ReadonlyArray<GatewayError> = [
  invalidInput('iban', 'bad checksum'),
  authError({ reason: 'invalid_grant', oauthError: 'invalid_grant', status: 400 }),
  providerError({ provider: 'p', status: 404, code: 'not_found', retryable: false }),
  decodeError({ provider: 'p', path: 'a.b', errors: ['a.b: expected string, got number'] }),
  transportError({ kind: 'timeout', attempts: 3 }),
  unsupported('moneyns', 'pay'),
];

test('every constructor produces a tagged error with a message', (t) => {
  t.deepEqual(
    all.map((e) => e._tag),
    ['InvalidInput', 'AuthError', 'ProviderError', 'DecodeError', 'TransportError', 'Unsupported'],
  );
  for (const e of all) {
    t.true(isGatewayError(e));
    t.true(e.message.length > 0);
  }
  t.false(isGatewayError(new Error('x')));
  t.false(isGatewayError({ _tag: 'Other', message: 'x' }));
});

test('type guards recognise exactly their tag', (t) => {
  const guards = [isInvalidInput, isAuthError, isProviderError, isDecodeError, isTransportError, isUnsupported];
  for (const [i, guard] of guards.entries()) {
    for (const [j, error] of all.entries()) t.is(guard(error), i === j);
  }
});

const describe = match<string>({
  InvalidInput: (e) => `input:${e.field}`,
  AuthError: (e) => `auth:${e.reason}`,
  ProviderError: (e) => `provider:${e.status}`,
  DecodeError: (e) => `decode:${e.path}`,
  TransportError: (e) => `transport:${e.kind}`,
  Unsupported: (e) => `unsupported:${e.capability}`,
});

test('match dispatches on the tag', (t) => {
  t.deepEqual(all.map(describe), [
    'input:iban',
    'auth:invalid_grant',
    'provider:404',
    'decode:a.b',
    'transport:timeout',
    'unsupported:pay',
  ]);
});

test('match treats a value that is not a GatewayError as InvalidInput naming error, and never throws on bad cases', (t) => {
  for (const bad of [null, undefined, 42, 'AuthError', {}, { _tag: 'Nope', message: 'x' }, { _tag: 'AuthError' }, []]) {
    t.is(describe(bad as never), 'input:error', JSON.stringify(bad) ?? String(bad));
  }
  for (const cases of [null, undefined, 7, {}, { InvalidInput: 'not a function', AuthError: 'nor this' }]) {
    t.like(match(cases as never)(authError({ reason: 'invalid_grant' })) as GatewayError, { _tag: 'InvalidInput', field: 'cases.AuthError' });
  }
  // Handlers a class or prototype provides are handlers too.
  class Cases {
    readonly prefix = 'inherited';
    AuthError() {
      return `${this.prefix}:AuthError`;
    }
  }
  t.is(match(new Cases() as never)(authError({ reason: 'invalid_grant' })), 'inherited:AuthError');
});

test('errors serialise to their fields only', (t) => {
  const e = providerError({ provider: 'monerium', status: 400, code: 'Bad Request', retryable: false, details: { iban: 'invalid' } });
  t.deepEqual(JSON.parse(JSON.stringify(e)), {
    _tag: 'ProviderError',
    provider: 'monerium',
    status: 400,
    code: 'Bad Request',
    retryable: false,
    details: { iban: 'invalid' },
    message: 'monerium answered 400',
  });
  t.regex(inspect(e), /ProviderError/);
});

test('scrubSecrets removes secret values from every nested string', (t) => {
  const dirty = providerError({
    provider: 'p',
    status: 400,
    retryable: false,
    message: `refused ${CANARIES.accessToken}`,
    details: { echo: [CANARIES.password, { deep: `x${CANARIES.clientSecret}y` }] },
  });
  const clean = scrubSecrets(dirty, secretValues);
  assertClean(t, clean);
  t.is(clean.message, 'refused [redacted]');
});

test('no secret reaches an error from the HTTP client, even when the provider echoes it', async (t) => {
  const server = await startServer((req, res) =>
    json(res, 400, {
      message: `echo ${req.headers.authorization} ${req.headers['x-token']}`,
      received: req.headers,
    }),
  );
  t.teardown(server.close);
  const client = createHttpClient({
    provider: 'echo',
    baseUrl: server.url,
    mapError: (response, provider) =>
      providerError({ provider, status: response.status, retryable: false, details: { body: response.body }, message: JSON.stringify(response.body) }),
  });
  for (const [authorization, other] of [
    [`Bearer ${CANARIES.accessToken}`, CANARIES.refreshToken],
    [CANARIES.authorization, CANARIES.clientSecret],
    ['Bearer x', CANARIES.password],
  ] as const) {
    const result = await client.request(
      { method: 'GET', path: '/', headers: { authorization, 'x-token': other }, secrets: [other] },
      io.unknown,
    )();
    t.true(E.isLeft(result));
    assertClean(t, result);
  }
});

test('a DecodeError never echoes the value that failed', (t) => {
  const TokenResponse = io.type({ access_token: io.string, expires_in: io.number });
  const result = decodeWith(TokenResponse, 'p')({ access_token: CANARIES.accessToken, expires_in: CANARIES.refreshToken });
  t.like(result, { _tag: 'Left', left: { _tag: 'DecodeError', path: 'expires_in' } });
  assertClean(t, result);
});

test('an error carrying a PEM key in a provider body is scrubbed of it', (t) => {
  const e = scrubSecrets(
    authError({ reason: 'bad_credentials', message: `key ${CANARIES.pem} refused` }),
    [CANARIES.pem],
  );
  assertClean(t, e);
});

test('scrubText redacts secret values in plain text and leaves short ones alone', (t) => {
  t.is(scrubText(`bearer ${CANARIES.accessToken} and ${CANARIES.accessToken}`, [CANARIES.accessToken, 'ab']), 'bearer [redacted] and [redacted]');
  t.is(scrubText('a tab', ['ab']), 'a tab');
});

test('scrubSecrets reaches any depth, object keys and cycles, and never throws', (t) => {
  let deep: Record<string, unknown> = { leaf: `at the bottom ${CANARIES.accessToken}` };
  for (let i = 0; i < 5_000; i += 1) deep = { next: deep };
  const cyclic: Record<string, unknown> = { [`key-${CANARIES.password}`]: 'value', list: [CANARIES.refreshToken] };
  cyclic.self = cyclic;
  (cyclic.list as unknown[]).push(cyclic);
  const dirty = providerError({
    provider: 'p',
    status: 400,
    retryable: false,
    details: { deep, cyclic, [CANARIES.clientSecret]: { [CANARIES.pem]: 1 } },
  });
  const clean = scrubSecrets(dirty, secretValues);
  // JSON.stringify would overflow on the deep chain and refuse the cycle: walk the copy instead.
  const seen = new Set<unknown>();
  const texts: string[] = [];
  const stack: unknown[] = [clean];
  for (let value = stack.pop(); stack.length > 0 || value !== undefined; value = stack.pop()) {
    if (typeof value === 'string') texts.push(value);
    if (typeof value !== 'object' || value === null || seen.has(value)) continue;
    seen.add(value);
    for (const [k, v] of Object.entries(value)) {
      texts.push(k);
      stack.push(v);
    }
  }
  t.true(texts.includes('at the bottom [redacted]'));
  t.true(texts.includes('key-[redacted]'));
  for (const text of texts) for (const secret of secretValues) t.false(text.includes(secret), `leaked ${secret.slice(0, 12)}…`);
  const cleanCyclic = (clean as unknown as { details: { cyclic: Record<string, unknown> } }).details.cyclic;
  t.is(cleanCyclic.self, cleanCyclic, 'the cycle is kept as a cycle of the copy');
  t.is((dirty as unknown as { details: { cyclic: unknown } }).details.cyclic, cyclic, 'the original is not modified');
});

test('scrubSecrets keeps a __proto__ key as plain data and never invokes getters', (t) => {
  const body = JSON.parse(`{"__proto__": {"polluted": "${CANARIES.accessToken}"}}`) as Record<string, unknown>;
  let called = false;
  Object.defineProperty(body, 'trap', { enumerable: true, get: () => { called = true; throw new Error('getter ran'); } });
  const clean = scrubSecrets(providerError({ provider: 'p', status: 400, retryable: false, details: body }), secretValues);
  t.false(called);
  t.is(({} as Record<string, unknown>).polluted, undefined);
  t.deepEqual(Object.getOwnPropertyDescriptor((clean as unknown as { details: object }).details, '__proto__')?.value, { polluted: '[redacted]' });
});

test('boundText redacts before it shortens, so no prefix of a secret survives the cut', (t) => {
  const secret = `pw-${'s'.repeat(400)}`;
  const text = `${'x'.repeat(190)} ${secret}`;
  const bounded = boundText(text, [secret], 200);
  t.false(bounded.includes('pw-s'));
  t.true(bounded.endsWith('[redacted]') || bounded.endsWith('…'));
  t.true(bounded.length <= 201);
  t.is(boundText('a\u0000b\nc', []), 'a b c');
});

test('scrubText and scrubSecrets accept wrong runtime types without throwing', (t) => {
  t.is(scrubText(42 as unknown as string, [CANARIES.accessToken]), '');
  t.is(scrubText(CANARIES.accessToken, null as unknown as string[]), CANARIES.accessToken);
  const e = invalidInput('x', 'y');
  t.is(scrubSecrets(e, [42, null] as unknown as string[]), e);
});
