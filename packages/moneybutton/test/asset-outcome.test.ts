import type { ServerResponse } from 'node:http';
import type { GatewayError } from '@paygate/core';
import test, { type ExecutionContext } from 'ava';
import { client, left, listen, right, signIn, startMoneyButton } from './_setup.js';

/**
 * Asset create and modify change state at Money Button: after the request may have reached it,
 * every error says what is known (`paymentOutcome`) and none invites a blind retry.
 */
const answering = async (t: ExecutionContext, answer: (method: string, path: string, res: ServerResponse) => void, timeoutMs = 10_000) => {
  const seen: string[] = [];
  const server = await listen(t, (req, res) => {
    req.resume();
    req.on('end', () => {
      seen.push(`${req.method} ${req.url}`);
      res.setHeader('content-type', 'application/json');
      answer(req.method ?? '', req.url ?? '', res);
    });
  });
  const mb = client(t, { baseUrl: server.url, clientId: 'app', scope: [], http: { timeoutMs, maxRetries: 0 } });
  await right(t, mb.session.setTokens({ accessToken: 'token-1', tokenType: 'Bearer', extra: {} }));
  return { mb, seen, url: server.url, close: server.close };
};

const input = { name: 'Shop points', initialSupply: 1000 };

const status = (code: number, body: unknown) => (_method: string, _path: string, res: ServerResponse) => {
  res.statusCode = code;
  res.end(JSON.stringify(body));
};

const outcomeOf = (error: GatewayError) => ({
  tag: error._tag,
  outcome: (error as { paymentOutcome?: string }).paymentOutcome,
  retryable: (error as { retryable?: boolean }).retryable,
});

test('create answered 500 is ProviderError unknown, not retryable, sent once', async (t) => {
  const { mb, seen } = await answering(t, status(500, { errors: [{ id: 'e', status: 500, title: 'Server Error', detail: 'Error ID e' }] }));
  const error = await left(t, mb.createAsset(input));
  t.deepEqual(outcomeOf(error), { tag: 'ProviderError', outcome: 'unknown', retryable: false });
  t.regex(error.message, /look it up before trying again/);
  t.deepEqual(seen, ['POST /api/v2/me/assets']);
});

test('create answered 2xx with a body that does not decode is DecodeError placed, with the asset id', async (t) => {
  const { mb } = await answering(t, status(200, { id: 77, name: 12 }));
  const error = await left(t, mb.createAsset(input));
  t.like(error, { _tag: 'DecodeError', paymentOutcome: 'placed', paymentId: '77' });
});

test('create refused with a 4xx is not_placed and not retryable', async (t) => {
  const { mb } = await answering(t, status(422, { errors: [{ status: 422, title: 'Unprocessable Entity', detail: 'name taken' }] }));
  t.deepEqual(outcomeOf(await left(t, mb.createAsset(input))), { tag: 'ProviderError', outcome: 'not_placed', retryable: false });
});

test('create that timed out is TransportError unknown', async (t) => {
  const { mb } = await answering(t, () => undefined, 300);
  t.deepEqual(outcomeOf(await left(t, mb.createAsset(input))), { tag: 'TransportError', outcome: 'unknown', retryable: undefined });
});

test('create to a closed port provably never left: TransportError not_placed', async (t) => {
  const { mb, close } = await answering(t, status(200, {}));
  await close();
  const error = await left(t, mb.createAsset(input));
  t.like(error, { _tag: 'TransportError', neverSent: true, paymentOutcome: 'not_placed' });
});

test('modify answered 502 is settled by reading the asset back: applied → the asset; not applied → unknown', async (t) => {
  let applied = true;
  const asset = { id: '21', name: 'Shop points', description: 'new text', initialSupply: '1000', tokenProtocolId: '1' };
  const { mb, seen } = await answering(t, (method, _path, res) => {
    if (method === 'PUT') {
      res.statusCode = 502;
      res.end('{}');
      return;
    }
    res.end(JSON.stringify({ assets: [applied ? asset : { ...asset, description: 'old text' }] }));
  });
  t.like(await right(t, mb.updateAsset('21', { description: 'new text' })), { id: '21', description: 'new text' });
  t.deepEqual(seen, ['PUT /api/v2/me/assets/21', 'GET /api/v2/me/assets']);
  applied = false;
  const error = await left(t, mb.updateAsset('21', { description: 'new text' }));
  t.like(error, { _tag: 'TransportError', paymentOutcome: 'unknown', paymentId: '21' });
});

test('against the sandbox: a 503 on create is unknown and sent once', async (t) => {
  const sandbox = await startMoneyButton(t);
  const { client: mb } = await signIn(t, sandbox);
  sandbox.admin.faults.set([{ provider: 'moneybutton', route: 'POST /api/v2/me/assets', kind: 'status', status: 503 }]);
  t.like(await left(t, mb.createAsset(input)), { _tag: 'TransportError', paymentOutcome: 'unknown', attempts: 1 });
});
