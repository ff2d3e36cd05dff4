import test from 'ava';
import * as E from 'fp-ts/lib/Either.js';
import {
  clientCredentialsGrant,
  finishAuthorization,
  type OAuthServer,
  refreshTokenGrant,
  startAuthorization,
} from '../src/auth/index.js';
import type { GatewayError } from '../src/errors.js';
import { createTokenManager } from '../src/token-manager.js';
import { createMemoryTokenStore } from '../src/tokens.js';
import { json, startServer, type TestServer } from './_http-server.js';

/**
 * Token endpoints that answer errors in their provider's own shape rather than RFC 6749's
 * `{error, error_description}`: Monerium's one error object and Money Button's JSON:API document.
 */
interface Shape {
  readonly name: string;
  readonly body: (status: number, code: string, message: string) => unknown;
}

const SHAPES: ReadonlyArray<Shape> = [
  {
    name: 'Monerium {code, status, message, details}',
    body: (status, code, message) => ({
      code: status,
      status: status === 401 ? 'Unauthorized' : 'Bad Request',
      message,
      details: { error: code },
    }),
  },
  {
    name: 'Money Button JSON:API {errors}',
    body: (status, code, message) => ({
      errors: [
        {
          id: '5f0c8a52-33c1-4b5e-9a51-1d9e2f0f7c11',
          status,
          title: status === 401 ? 'Unauthorized' : 'Bad Request',
          // As an OAuth server library phrases it: the code spelled out, then the reason.
          detail: `${code.replace(/_/g, ' ').replace(/^./, (c) => c.toUpperCase())}: ${message}`,
        },
      ],
      jsonapi: { version: '1.0' },
    }),
  },
];

const REFRESH_TOKEN = 'rt-revoked-7c1e0a9d';
const CLIENT_SECRET = 'wrong-secret-3b9f';

const serverAt = (endpoint: TestServer): OAuthServer => ({
  issuer: endpoint.url,
  authorizationEndpoint: `${endpoint.url}/auth`,
  tokenEndpoint: `${endpoint.url}/auth/token`,
});

const leftOf = <A>(result: E.Either<GatewayError, A>): GatewayError => {
  if (E.isRight(result)) throw new Error('expected a failure');
  return result.left;
};

for (const shape of SHAPES) {
  test(`${shape.name}: a reused authorization code is an AuthError invalid_grant with the provider's message`, async (t) => {
    const endpoint = await startServer((_req, res) => json(res, 400, shape.body(400, 'invalid_grant', 'Authorization code has already been used')));
    t.teardown(endpoint.close);
    const client = { clientId: 'app', clientAuth: 'none' } as const;
    const started = startAuthorization(serverAt(endpoint), client, { redirectUri: 'http://127.0.0.1/callback' });
    if (E.isLeft(started)) return t.fail(started.left.message);
    const pending = started.right;

    const error = leftOf(
      await finishAuthorization(serverAt(endpoint), client, `http://127.0.0.1/callback?code=used-code&state=${pending.state}`, pending)(),
    );

    t.like(error, { _tag: 'AuthError', reason: 'invalid_grant', oauthError: 'invalid_grant', status: 400 });
    t.regex(error.message, /Authorization code has already been used/);
    t.is(endpoint.requests.length, 1);
    t.is(new URLSearchParams(endpoint.requests[0]?.body).get('code'), 'used-code');
  });

  test(`${shape.name}: a revoked refresh token clears the session and is never sent again`, async (t) => {
    const endpoint = await startServer((_req, res) =>
      // The provider echoes the token: the message is kept, the token is not.
      json(res, 400, shape.body(400, 'invalid_grant', `refresh token ${REFRESH_TOKEN} was revoked`)),
    );
    t.teardown(endpoint.close);
    const store = createMemoryTokenStore();
    const manager = createTokenManager({
      key: 'user',
      store,
      refresh: (tokens) => refreshTokenGrant(serverAt(endpoint), { clientId: 'app', clientAuth: 'none' }, tokens.refreshToken ?? ''),
    });
    await manager.setTokens({ accessToken: 'at-old', tokenType: 'Bearer', refreshToken: REFRESH_TOKEN, expiresAt: Date.now() - 1_000, extra: {} })();

    const first = leftOf(await manager.getAccessToken()());
    t.like(first, { _tag: 'AuthError', reason: 'refresh_failed', oauthError: 'invalid_grant', status: 400 });
    t.deepEqual(await store.get('user')(), E.right(undefined), 'the session was cleared');

    const second = leftOf(await manager.getAccessToken()());
    t.like(second, { _tag: 'AuthError', reason: 'no_session' });
    t.is(endpoint.requests.length, 1, 'the dead refresh token was sent once');
    t.is(new URLSearchParams(endpoint.requests[0]?.body).get('grant_type'), 'refresh_token');

    const direct = leftOf(await refreshTokenGrant(serverAt(endpoint), { clientId: 'app', clientAuth: 'none' }, REFRESH_TOKEN)());
    t.like(direct, { _tag: 'AuthError', reason: 'invalid_grant', oauthError: 'invalid_grant' });
    t.regex(direct.message, /was revoked/);
    t.false(JSON.stringify(direct).includes(REFRESH_TOKEN), 'the echoed refresh token is scrubbed');
  });

  test(`${shape.name}: a bad client secret is an AuthError invalid_client with the provider's message`, async (t) => {
    const endpoint = await startServer((_req, res) => json(res, 401, shape.body(401, 'invalid_client', `client secret ${CLIENT_SECRET} is not valid`)));
    t.teardown(endpoint.close);
    const error = leftOf(
      await clientCredentialsGrant(serverAt(endpoint), { clientId: 'partner', clientSecret: CLIENT_SECRET, clientAuth: 'client_secret_post' })(),
    );
    t.like(error, { _tag: 'AuthError', reason: 'invalid_client', oauthError: 'invalid_client', status: 401 });
    t.regex(error.message, /is not valid/);
    t.false(JSON.stringify(error).includes(CLIENT_SECRET));
    t.is(new URLSearchParams(endpoint.requests[0]?.body).get('grant_type'), 'client_credentials');
  });

  test(`${shape.name}: with a bare Basic challenge the body still gives the code and the message`, async (t) => {
    const endpoint = await startServer((_req, res) =>
      json(res, 401, shape.body(401, 'invalid_client', 'client authentication failed'), { 'www-authenticate': 'Basic realm="provider"' }),
    );
    t.teardown(endpoint.close);
    const error = leftOf(
      await clientCredentialsGrant(serverAt(endpoint), { clientId: 'partner', clientSecret: CLIENT_SECRET, clientAuth: 'client_secret_basic' })(),
    );
    t.like(error, { _tag: 'AuthError', reason: 'invalid_client', oauthError: 'invalid_client', status: 401 });
    t.regex(error.message, /client authentication failed/);
    t.true(endpoint.requests[0]?.headers.authorization?.startsWith('Basic '));
  });
}

test('an error member anywhere in the body gives the code; error_description beside it is the description', async (t) => {
  const endpoint = await startServer((_req, res) =>
    json(res, 400, { code: 400, status: 'Bad Request', message: 'Bad request', errors: { error: 'invalid_grant', error_description: 'Refresh token expired' } }),
  );
  t.teardown(endpoint.close);
  const error = leftOf(await refreshTokenGrant(serverAt(endpoint), { clientId: 'app', clientAuth: 'none' }, 'rt')());
  t.like(error, { _tag: 'AuthError', reason: 'invalid_grant', oauthError: 'invalid_grant' });
  t.regex(error.message, /Refresh token expired/);
});

test("a provider error body that names no OAuth code stays a ProviderError and keeps the provider's message", async (t) => {
  const endpoint = await startServer((_req, res) =>
    json(res, 400, { code: 400, status: 'Bad Request', message: 'Client id must be the same from previous token.' }),
  );
  t.teardown(endpoint.close);
  const error = leftOf(await refreshTokenGrant(serverAt(endpoint), { clientId: 'app', clientAuth: 'none' }, 'rt')());
  t.like(error, { _tag: 'ProviderError', status: 400, retryable: false });
  t.regex(error.message, /Client id must be the same from previous token\./);
});

test('a JSON:API error whose title is only the HTTP reason names no OAuth code', async (t) => {
  const endpoint = await startServer((_req, res) =>
    json(res, 400, { errors: [{ status: 400, title: 'Bad Request', detail: 'Something about the request is wrong' }] }),
  );
  t.teardown(endpoint.close);
  const error = leftOf(await refreshTokenGrant(serverAt(endpoint), { clientId: 'app', clientAuth: 'none' }, 'rt')());
  t.like(error, { _tag: 'ProviderError', status: 400 });
  t.regex(error.message, /Something about the request is wrong/);
});
