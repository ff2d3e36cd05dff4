import { generateKeyPairSync } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import test from 'ava';
import * as E from 'fp-ts/lib/Either.js';
import {
  clientCredentialsGrant,
  finishAuthorization,
  generateCodeVerifier,
  type OAuthServer,
  refreshTokenGrant,
  signPlatformJwt,
  startAuthorization,
} from '../src/auth/index.js';
import type { GatewayError } from '../src/errors.js';
import { json, startServer, type TestServer } from './_http-server.js';
import { beginAuthorization, startOidcProvider } from './_oidc-provider.js';

const serverAt = (endpoint: TestServer | string): OAuthServer => {
  const url = typeof endpoint === 'string' ? endpoint : endpoint.url;
  return { issuer: url, authorizationEndpoint: `${url}/auth`, tokenEndpoint: `${url}/auth/token` };
};

const CLIENT_SECRET = 'canary-client-secret:%with spaces';
const REFRESH_TOKEN = 'canary-refresh-token-5f43fb324ff1';
const confidential = { clientId: 'canary-client', clientSecret: CLIENT_SECRET, clientAuth: 'client_secret_basic' } as const;

/** RFC 6749 Appendix B, as oauth4webapi applies it to Basic credentials. */
const formEncode = (value: string): string =>
  encodeURIComponent(value)
    .replace(/[-_.!~*'()]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, '+');

const leftOf = <A>(result: E.Either<GatewayError, A>): GatewayError => {
  if (E.isRight(result)) throw new Error('expected a failure');
  return result.left;
};

/** A port that was just free: nothing listens there any more. */
const closedPort = async (): Promise<string> => {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
};

test('a token endpoint that never answers fails with a timeout TransportError', async (t) => {
  const silent = await startServer(() => {});
  t.teardown(silent.close);
  // Long enough for the request to reach the server even while the other files start up
  // oidc-provider on the same two cores; the assertion is that it is sent once, never retried.
  const result = await clientCredentialsGrant(serverAt(silent), confidential, {}, { timeoutMs: 1_000 })();
  t.like(leftOf(result), { _tag: 'TransportError', kind: 'timeout', attempts: 1 });
  t.is(silent.requests.length, 1);
});

test('a refused connection fails with a connection TransportError', async (t) => {
  const result = await clientCredentialsGrant(serverAt(await closedPort()), confidential, {})();
  t.like(leftOf(result), { _tag: 'TransportError', kind: 'connection', attempts: 1 });
});

test('a connection dropped mid-request fails with a reset TransportError', async (t) => {
  const dropping = await startServer((req) => req.socket.destroy());
  t.teardown(dropping.close);
  const result = await refreshTokenGrant(serverAt(dropping), confidential, REFRESH_TOKEN, {})();
  t.like(leftOf(result), { _tag: 'TransportError', kind: 'reset', attempts: 1 });
});

test('an HTML 503 from the token endpoint is an unavailable TransportError with its status', async (t) => {
  const down = await startServer((_req, res) => {
    res.writeHead(503, { 'content-type': 'text/html' });
    res.end('<h1>Service Unavailable</h1>');
  });
  t.teardown(down.close);
  const result = await clientCredentialsGrant(serverAt(down), confidential, {})();
  t.like(leftOf(result), { _tag: 'TransportError', kind: 'unavailable', status: 503, attempts: 1 });
});

test('429 from the token endpoint is a rate_limited TransportError', async (t) => {
  const busy = await startServer((_req, res) => json(res, 429, { message: 'slow down' }));
  t.teardown(busy.close);
  const result = await clientCredentialsGrant(serverAt(busy), confidential, {})();
  t.like(leftOf(result), { _tag: 'TransportError', kind: 'rate_limited', status: 429 });
});

test('an HTML 404 is a ProviderError naming the issuer', async (t) => {
  const missing = await startServer((_req, res) => {
    res.writeHead(404, { 'content-type': 'text/html' });
    res.end('not here');
  });
  t.teardown(missing.close);
  const result = await clientCredentialsGrant(serverAt(missing), confidential, {})();
  t.like(leftOf(result), { _tag: 'ProviderError', provider: missing.url, status: 404, retryable: false });
});

test('an OAuth error body becomes an AuthError with the OAuth code, status and description', async (t) => {
  const refusing = await startServer((_req, res) =>
    json(res, 400, { error: 'invalid_scope', error_description: 'scope payments:write is not allowed' }),
  );
  t.teardown(refusing.close);
  const result = await clientCredentialsGrant(serverAt(refusing), confidential, { scope: 'payments:write' })();
  const error = leftOf(result);
  t.like(error, { _tag: 'AuthError', reason: 'authorization_error', oauthError: 'invalid_scope', status: 400 });
  t.regex(error.message, /scope payments:write is not allowed/);
});

test('401 with a WWW-Authenticate challenge maps to invalid_client', async (t) => {
  const challenging = await startServer((_req, res) => {
    res.writeHead(401, { 'www-authenticate': 'Basic realm="oauth", error="invalid_client"', 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: 'invalid_client' }));
  });
  t.teardown(challenging.close);
  const result = await clientCredentialsGrant(serverAt(challenging), confidential, {})();
  t.like(leftOf(result), { _tag: 'AuthError', reason: 'invalid_client', oauthError: 'invalid_client', status: 401 });
});

const decodeCases: ReadonlyArray<[string, (res: http.ServerResponse) => void, string]> = [
  ['a body that is not JSON', (res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{nope'), ''],
  ['a body without access_token', (res) => json(res, 200, { token_type: 'Bearer' }), 'access_token'],
  ['a token_type that is neither Bearer nor DPoP', (res) => json(res, 200, { access_token: 'a', token_type: 'mac' }), 'token_type'],
  ['a non-numeric expires_in', (res) => json(res, 200, { access_token: 'a', token_type: 'Bearer', expires_in: 'soon' }), 'expires_in'],
  ['an HTML 200', (res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<p>hi</p>'), ''],
];

for (const [what, answer, path] of decodeCases) {
  test(`a 200 token response with ${what} is a DecodeError at "${path}"`, async (t) => {
    const odd = await startServer((_req, res) => answer(res));
    t.teardown(odd.close);
    const result = await clientCredentialsGrant(serverAt(odd), confidential, {})();
    t.like(leftOf(result), { _tag: 'DecodeError', provider: odd.url, path });
  });
}

test('no error from any failure path contains a client secret, code, verifier, refresh token or key', async (t) => {
  const op = await startOidcProvider();
  t.teardown(op.close);
  const errors: GatewayError[] = [];
  const secrets: string[] = [CLIENT_SECRET, REFRESH_TOKEN];
  const collect = (result: E.Either<GatewayError, unknown>) => errors.push(leftOf(result));

  // Authorization code: state, issuer, denial, reused code, wrong verifier.
  const client = op.clients.confidentialPost;
  secrets.push(client.clientSecret);
  const begin = () => {
    const pending = beginAuthorization(op, client);
    secrets.push(pending.codeVerifier);
    return pending;
  };
  const codeFrom = (callbackUrl: string) => {
    const code = new URL(callbackUrl).searchParams.get('code') ?? '';
    secrets.push(code);
    return callbackUrl;
  };
  const a = begin();
  const aCallback = new URL(codeFrom(await op.authorize(a.url)));
  aCallback.searchParams.set('state', 'other');
  collect(await finishAuthorization(op.server, client, aCallback, a)());
  collect(await finishAuthorization({ ...op.server, issuer: 'https://elsewhere.example' }, client, codeFrom(await op.authorize(a.url)), a)());
  const denied = begin();
  collect(await finishAuthorization(op.server, client, await op.authorize(denied.url, { deny: true }), denied)());
  const reused = begin();
  const reusedCallback = codeFrom(await op.authorize(reused.url));
  const tokens = await finishAuthorization(op.server, client, reusedCallback, reused)();
  if (E.isLeft(tokens)) return t.fail(tokens.left.message);
  secrets.push(tokens.right.accessToken, tokens.right.refreshToken ?? 'missing-refresh-token');
  collect(await finishAuthorization(op.server, client, reusedCallback, reused)());
  const wrongVerifier = begin();
  const wrongCallback = codeFrom(await op.authorize(wrongVerifier.url));
  const otherVerifier = generateCodeVerifier();
  secrets.push(otherVerifier);
  collect(await finishAuthorization(op.server, client, wrongCallback, { ...wrongVerifier, codeVerifier: otherVerifier })());

  // Refresh: a rotated token reused (the reused code above revoked that session), then a bad
  // client secret at oidc-provider.
  const session = await op.login(client);
  secrets.push(session.accessToken, session.refreshToken ?? 'missing-refresh-token');
  const rotated = await refreshTokenGrant(op.server, client, session.refreshToken ?? '', {})();
  if (E.isLeft(rotated)) return t.fail(rotated.left.message);
  secrets.push(rotated.right.accessToken, rotated.right.refreshToken ?? 'missing-rotated-token');
  collect(await refreshTokenGrant(op.server, client, session.refreshToken ?? '', {})());
  collect(await refreshTokenGrant(op.server, client, tokens.right.refreshToken ?? '', {})());
  collect(await refreshTokenGrant(op.server, { ...client, clientSecret: CLIENT_SECRET }, REFRESH_TOKEN, {})());
  collect(await clientCredentialsGrant(op.server, { ...op.clients.confidentialBasic, clientSecret: CLIENT_SECRET }, {})());

  // A server that echoes every parameter it received back in its errors and bodies.
  const echo = await startServer((_req, res, seen) => {
    const echoed = `${seen.headers.authorization ?? ''} ${seen.body} ${decodeURIComponent(seen.body.replace(/\+/g, ' '))}`;
    if (seen.url.includes('html')) {
      res.writeHead(500, { 'content-type': 'text/html' });
      res.end(`<pre>${echoed}</pre>`);
    } else if (seen.body.includes('grant_type=refresh_token')) {
      json(res, 200, { access_token: 42, token_type: 'Bearer', refresh_token: echoed });
    } else {
      json(res, 400, { error: 'invalid_request', error_description: `rejected: ${echoed}` });
    }
  });
  t.teardown(echo.close);
  const post = { ...confidential, clientAuth: 'client_secret_post' } as const;
  const echoCode = 'canary-authorization-code-0001';
  secrets.push(echoCode);
  const echoStart = startAuthorization(serverAt(echo), post, { redirectUri: 'http://127.0.0.1/cb' });
  if (E.isLeft(echoStart)) return t.fail(echoStart.left.message);
  secrets.push(echoStart.right.codeVerifier);
  collect(await finishAuthorization(serverAt(echo), post, `/cb?code=${echoCode}&state=${echoStart.right.state}`, echoStart.right)());
  collect(await clientCredentialsGrant(serverAt(echo), confidential, {})());
  collect(await refreshTokenGrant(serverAt(echo), post, REFRESH_TOKEN, {})());
  collect(await refreshTokenGrant({ ...serverAt(echo), tokenEndpoint: `${echo.url}/html` }, post, REFRESH_TOKEN, {})());

  // Transport failures.
  const silent = await startServer(() => {});
  t.teardown(silent.close);
  collect(await refreshTokenGrant(serverAt(silent), confidential, REFRESH_TOKEN, {}, { timeoutMs: 100 })());
  collect(await clientCredentialsGrant(serverAt(await closedPort()), confidential, {})());

  // Platform JWT with unusable keys.
  for (const key of [
    generateKeyPairSync('rsa', { modulusLength: 1024, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } }).privateKey,
    generateKeyPairSync('ec', { namedCurve: 'P-256', publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } }).privateKey,
  ]) {
    for (const line of key.split('\n')) if (line.length > 20 && !line.startsWith('-----')) secrets.push(line);
    collect(signPlatformJwt(key, { email: 'john@email.com', expire: 1 }));
    collect(signPlatformJwt(key.slice(0, -30), { email: 'john@email.com', expire: 1 }));
  }

  t.is(errors.length, 19);
  // Secrets also travel form-encoded and, for Basic, inside base64 credentials.
  const basic = (id: string, secret: string) =>
    Buffer.from(`${formEncode(id)}:${formEncode(secret)}`).toString('base64');
  secrets.push(
    ...secrets.map(formEncode),
    basic(confidential.clientId, CLIENT_SECRET),
    basic(op.clients.confidentialBasic.clientId, CLIENT_SECRET),
  );
  t.true(errors.some((e) => e._tag === 'AuthError' && e.message.includes('[redacted]')), 'the echoed description was scrubbed');
  for (const error of errors) {
    for (const shown of [JSON.stringify(error), inspect(error, { depth: null, showHidden: true })]) {
      for (const secret of secrets) t.false(shown.includes(secret), `${error._tag} (${error.message}) leaks a secret`);
      t.false(shown.includes('PRIVATE KEY'));
    }
  }
});
