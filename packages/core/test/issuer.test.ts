import test from 'ava';
import * as E from 'fp-ts/lib/Either.js';
import {
  clientCredentialsGrant,
  finishAuthorization,
  type OAuthServer,
  refreshTokenGrant,
  startAuthorization,
} from '../src/auth/index.js';
import { beginAuthorization, startOidcProvider } from './_oidc-provider.js';

test('oidc-provider sends iss in the callback and a matching issuer is accepted (RFC 9207)', async (t) => {
  const op = await startOidcProvider();
  t.teardown(op.close);
  const client = op.clients.publicPkce;
  const pending = beginAuthorization(op, client);
  const callbackUrl = await op.authorize(pending.url);
  t.is(new URL(callbackUrl).searchParams.get('iss'), op.issuer);
  t.true(E.isRight(await finishAuthorization(op.server, client, callbackUrl, pending)()));
});

test('a callback from another issuer is refused before any token request (mix-up defence)', async (t) => {
  const op = await startOidcProvider();
  t.teardown(op.close);
  const client = op.clients.publicPkce;
  // The application believes it talks to another server, but the response came from this one.
  const expected: OAuthServer = { ...op.server, issuer: 'https://honest-as.example' };
  const pending = beginAuthorization(op, client, expected);
  const callbackUrl = await op.authorize(pending.url);
  const result = await finishAuthorization(expected, client, callbackUrl, pending)();
  if (E.isRight(result)) return t.fail('a foreign issuer was accepted');
  t.like(result.left, { _tag: 'AuthError', reason: 'issuer_mismatch' });
  t.is(op.tokenRequests(), 0);
});

test('a callback without iss is accepted, since these providers do not send one', async (t) => {
  const op = await startOidcProvider();
  t.teardown(op.close);
  const client = op.clients.publicPkce;
  const pending = beginAuthorization(op, client);
  const callback = new URL(await op.authorize(pending.url));
  callback.searchParams.delete('iss');
  t.true(E.isRight(await finishAuthorization(op.server, client, callback, pending)()));
});

const remote: OAuthServer = {
  issuer: 'http://auth.example',
  authorizationEndpoint: 'http://auth.example/auth',
  tokenEndpoint: 'http://auth.example/auth/token',
};

test('plain http endpoints on a non-loopback host are refused for every grant', async (t) => {
  const publicClient = { clientId: 'c', clientAuth: 'none' } as const;
  const confidential = { clientId: 'c', clientSecret: 'secret-value', clientAuth: 'client_secret_post' } as const;
  const start = startAuthorization(remote, publicClient, { redirectUri: 'https://app.example/cb' });
  t.like(E.isLeft(start) ? start.left : undefined, { _tag: 'InvalidInput', field: 'server.authorizationEndpoint' });
  const credentials = await clientCredentialsGrant({ ...remote, authorizationEndpoint: 'https://auth.example/auth' }, confidential)();
  t.like(E.isLeft(credentials) ? credentials.left : undefined, { _tag: 'InvalidInput', field: 'server.tokenEndpoint' });
  const refreshed = await refreshTokenGrant({ ...remote, authorizationEndpoint: 'https://auth.example/auth' }, publicClient, 'rt-value')();
  t.like(E.isLeft(refreshed) ? refreshed.left : undefined, { _tag: 'InvalidInput', field: 'server.tokenEndpoint' });
});

test('plain http is allowed for 127.0.0.1, ::1 and localhost, https everywhere', (t) => {
  for (const origin of ['http://127.0.0.1:8080', 'http://[::1]:8080', 'http://localhost:8080', 'https://auth.example']) {
    const server = { issuer: origin, authorizationEndpoint: `${origin}/auth`, tokenEndpoint: `${origin}/token` };
    const started = startAuthorization(server, { clientId: 'c', clientAuth: 'none' }, { redirectUri: 'https://app.example/cb' });
    t.true(E.isRight(started), origin);
  }
});

test('a malformed endpoint is refused as invalid input', (t) => {
  const server = { issuer: 'x', authorizationEndpoint: 'not a url', tokenEndpoint: 'https://auth.example/token' };
  const started = startAuthorization(server, { clientId: 'c', clientAuth: 'none' }, { redirectUri: 'https://app.example/cb' });
  t.like(E.isLeft(started) ? started.left : undefined, { _tag: 'InvalidInput', field: 'server.authorizationEndpoint' });
});

test("a client secret with clientAuth 'none' is refused instead of silently dropped", (t) => {
  const server = { issuer: 'https://a.example', authorizationEndpoint: 'https://a.example/auth', tokenEndpoint: 'https://a.example/token' };
  const started = startAuthorization(server, { clientId: 'c', clientSecret: 'shh-secret', clientAuth: 'none' }, {
    redirectUri: 'https://app.example/cb',
  });
  t.like(E.isLeft(started) ? started.left : undefined, { _tag: 'InvalidInput', field: 'client.clientSecret' });
});
