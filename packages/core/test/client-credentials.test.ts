import test from 'ava';
import * as E from 'fp-ts/lib/Either.js';
import { clientCredentialsGrant } from '../src/auth/index.js';
import { USER_AGENT } from '../src/version.js';
import { json, startServer } from './_http-server.js';
import { startOidcProvider, WEIRD_SECRET } from './_oidc-provider.js';

/** RFC 6749 §2.3.1 / Appendix B: application/x-www-form-urlencoded, where a space is `+`. */
const formDecode = (value: string): string => decodeURIComponent(value.replace(/\+/g, ' '));

const basicCredentials = (header: string | undefined): { raw: string; id: string; secret: string } => {
  const raw = Buffer.from((header ?? '').replace(/^Basic /, ''), 'base64').toString('utf8');
  const colon = raw.indexOf(':');
  return { raw, id: formDecode(raw.slice(0, colon)), secret: formDecode(raw.slice(colon + 1)) };
};

test('client_secret_basic sends the credentials in the Authorization header only', async (t) => {
  const op = await startOidcProvider({ clientCredentialsTtlSeconds: 300 });
  t.teardown(op.close);
  const client = op.clients.confidentialBasic;
  const result = await clientCredentialsGrant(op.server, client, { scope: 'orders:read' })();
  if (E.isLeft(result)) return t.fail(result.left.message);
  t.like(result.right, { tokenType: 'Bearer', scope: 'orders:read', extra: {} });
  t.is(result.right.refreshToken, undefined);

  const request = op.tokenRequestLog()[0];
  t.like(basicCredentials(request?.headers.authorization), { id: client.clientId, secret: client.clientSecret });
  t.is(request?.headers['user-agent'], USER_AGENT);
  t.deepEqual(Object.fromEntries(request?.body ?? []), { grant_type: 'client_credentials', scope: 'orders:read' });
});

test('client_secret_post sends id and secret in the form body (Monerium)', async (t) => {
  const op = await startOidcProvider();
  t.teardown(op.close);
  const client = op.clients.confidentialPost;
  const result = await clientCredentialsGrant(op.server, client, { scope: 'orders:read' })();
  t.true(E.isRight(result));
  const request = op.tokenRequestLog()[0];
  t.is(request?.headers.authorization, undefined);
  t.deepEqual(Object.fromEntries(request?.body ?? []), {
    client_id: client.clientId,
    client_secret: client.clientSecret,
    grant_type: 'client_credentials',
    scope: 'orders:read',
  });
});

test('a client id and secret with colon, percent and spaces are form-urlencoded before Basic (RFC 6749 §2.3.1)', async (t) => {
  const op = await startOidcProvider();
  t.teardown(op.close);
  const client = op.clients.weirdSecret;
  const result = await clientCredentialsGrant(op.server, client, { scope: 'orders:read' })();
  if (E.isLeft(result)) return t.fail(result.left.message);

  const { raw, id, secret } = basicCredentials(op.tokenRequestLog()[0]?.headers.authorization);
  t.is(id, 'weird:client id%');
  t.is(secret, WEIRD_SECRET);
  // Exactly one raw colon: the separator. The id's and secret's own colons are encoded.
  t.is(raw.split(':').length, 2);
  t.false(raw.includes(' '));
});

test('a wrong client secret is refused with invalid_client', async (t) => {
  const op = await startOidcProvider();
  t.teardown(op.close);
  const client = { ...op.clients.confidentialBasic, clientSecret: 'not-the-secret-at-all' };
  const result = await clientCredentialsGrant(op.server, client, {})();
  if (E.isRight(result)) return t.fail('a wrong secret was accepted');
  t.like(result.left, { _tag: 'AuthError', reason: 'invalid_client', oauthError: 'invalid_client', status: 401 });
});

test('a public client cannot use the client credentials grant and no request is sent', async (t) => {
  const op = await startOidcProvider();
  t.teardown(op.close);
  const result = await clientCredentialsGrant(op.server, op.clients.publicPkce, {})();
  t.like(E.isLeft(result) ? result.left : undefined, { _tag: 'InvalidInput', field: 'client.clientAuth' });
  t.is(op.tokenRequests(), 0);
});

test('a confidential client without a secret is refused as invalid input', async (t) => {
  const op = await startOidcProvider();
  t.teardown(op.close);
  const result = await clientCredentialsGrant(op.server, { clientId: 'confidential-post', clientAuth: 'client_secret_post' })();
  t.like(E.isLeft(result) ? result.left : undefined, { _tag: 'InvalidInput', field: 'client.clientSecret' });
  t.is(op.tokenRequests(), 0);
});

test('extraParams reach the token endpoint and Monerium extras reach the token set', async (t) => {
  const endpoint = await startServer((_req, res) =>
    json(res, 200, {
      access_token: 'VQ6RC-4MRAKqYsgjO14I4Q',
      expires_in: 3600,
      profile: 'db72c97c-05f4-11ec-84a9-2e0d2d9b5fdb',
      refresh_token: 'y3WiyeRCRGKRNb5AmAhdBg',
      token_type: 'Bearer',
      userId: 'bce93e55-e966-11eb-afc2-2e0d2d9b5fdb',
    }),
  );
  t.teardown(endpoint.close);
  const server = { issuer: endpoint.url, authorizationEndpoint: `${endpoint.url}/auth`, tokenEndpoint: `${endpoint.url}/auth/token` };
  const client = { clientId: '1b3a17ef', clientSecret: 'samplepassword', clientAuth: 'client_secret_post' } as const;
  const result = await clientCredentialsGrant(server, client, { extraParams: { audience: 'partner' } }, { now: () => 1_000_000 })();
  if (E.isLeft(result)) return t.fail(result.left.message);
  t.deepEqual(result.right, {
    accessToken: 'VQ6RC-4MRAKqYsgjO14I4Q',
    tokenType: 'Bearer',
    expiresAt: 1_000_000 + 3_600_000,
    refreshToken: 'y3WiyeRCRGKRNb5AmAhdBg',
    extra: { profile: 'db72c97c-05f4-11ec-84a9-2e0d2d9b5fdb', userId: 'bce93e55-e966-11eb-afc2-2e0d2d9b5fdb' },
  });
  t.is(endpoint.requests[0]?.url, '/auth/token');
  t.deepEqual(Object.fromEntries(new URLSearchParams(endpoint.requests[0]?.body)), {
    audience: 'partner',
    client_id: '1b3a17ef',
    client_secret: 'samplepassword',
    grant_type: 'client_credentials',
  });
});

test('extraParams may not override grant parameters', async (t) => {
  const endpoint = await startServer((_req, res) => json(res, 500, {}));
  t.teardown(endpoint.close);
  const server = { issuer: endpoint.url, authorizationEndpoint: `${endpoint.url}/auth`, tokenEndpoint: `${endpoint.url}/token` };
  const client = { clientId: 'c', clientSecret: 'samplepassword', clientAuth: 'client_secret_post' } as const;
  const result = await clientCredentialsGrant(server, client, { extraParams: { grant_type: 'password' } })();
  t.like(E.isLeft(result) ? result.left : undefined, { _tag: 'InvalidInput', field: 'extraParams' });
  t.is(endpoint.requests.length, 0);
});
