import type { IncomingMessage, ServerResponse } from 'node:http';
import test, { type ExecutionContext } from 'ava';
import { moneyButtonGateway } from '../src/index.js';
import { client, left, listen, right } from './_setup.js';

/**
 * A Money Button stand-in with 30 payments whose paging is configurable, to check the client
 * and the gateway against servers that honour `limit`/`offset` only partly or not at all.
 */
const PAYMENTS = Array.from({ length: 30 }, (_, index) => String(5000 - index));

const v2Payment = (id: string) => ({
  id,
  createdAt: '2020-04-21T16:16:10.505Z',
  status: 'COMPLETED',
  amount: '0.01',
  currency: 'USD',
  satoshis: '4386',
  paymentOutputs: [],
});

const v1Payment = (id: string) => ({
  id,
  type: 'payments',
  attributes: { 'created-at': '2020-04-21T16:16:10.505Z', status: 'COMPLETED', amount: '0.01', currency: 'USD', satoshis: '4386' },
});

interface Paging {
  /** Which items a page holds, from what was asked. */
  readonly page: (limit: number, offset: number) => ReadonlyArray<string>;
  /** `total` in the v2 body, if any. */
  readonly total?: number;
  /** What `/api/v2/me/payments…` answers instead of the page. */
  readonly v2?: (res: ServerResponse) => void;
}

const server = async (t: ExecutionContext, paging: Paging) => {
  const seen: string[] = [];
  const { url } = await listen(t, (req: IncomingMessage, res: ServerResponse) => {
    req.resume();
    const target = new URL(req.url ?? '/', 'http://x');
    seen.push(`${target.pathname}${target.search}`);
    const limit = Number(target.searchParams.get('limit') ?? '20');
    const offset = Number(target.searchParams.get('offset') ?? '0');
    res.setHeader('content-type', 'application/json');
    if (target.pathname.startsWith('/api/v2/') && paging.v2 !== undefined) return paging.v2(res);
    const ids = paging.page(limit, offset);
    if (target.pathname === '/api/v2/me/payments') {
      res.end(JSON.stringify({ payments: ids.map(v2Payment), ...(paging.total === undefined ? {} : { total: paging.total }) }));
    } else if (target.pathname === '/api/v2/me/payments/history') {
      res.end(JSON.stringify({ history: ids.map((paymentId) => ({ paymentId, direction: 'sent' })) }));
    } else if (target.pathname === '/api/v1/payments') {
      res.end(JSON.stringify({ data: ids.map(v1Payment), jsonapi: { version: '1.0' } }));
    } else if (target.pathname.startsWith('/api/v1/payments/')) {
      res.end(JSON.stringify({ data: v1Payment(target.pathname.split('/').pop() ?? '') }));
    } else {
      res.statusCode = 404;
      res.end('{"errors":[{"title":"Not Found"}]}');
    }
  });
  const mb = client(t, { baseUrl: url, clientId: 'app', scope: [] });
  await right(t, mb.session.setTokens({ accessToken: 'token-1', tokenType: 'Bearer', extra: {} }));
  return { mb, gateway: moneyButtonGateway(mb), seen };
};

const ignoresPaging: Paging = { page: () => PAYMENTS };

test('a server that ignores paging entirely: one request, every payment once, no next page (client and gateway)', async (t) => {
  const { mb, gateway, seen } = await server(t, ignoresPaging);
  const v1 = await right(t, mb.payments({ limit: 20 }));
  t.is(v1.items.length, 30);
  t.is(v1.nextOffset, undefined, 'a page larger than the limit means the limit was ignored');
  const v2 = await right(t, mb.paymentsV2({ limit: 20, offset: 40 }));
  t.is(v2.nextOffset, undefined);
  seen.length = 0;
  const page = await right(t, gateway.payments({ limit: 20 }));
  t.deepEqual(seen, ['/api/v2/me/payments?limit=20&offset=0']);
  t.deepEqual(
    page.items.map((p) => p.id),
    PAYMENTS,
  );
  t.is(page.nextCursor, undefined);
  const history = await right(t, mb.paymentHistory({ limit: 5 }));
  t.is(history.nextOffset, undefined);
});

test('a server that caps pages and ignores offset while claiming more: the walk ends at the first repeat, no payment twice', async (t) => {
  const { gateway, seen } = await server(t, { page: (limit) => PAYMENTS.slice(0, Math.min(limit, 10)), total: 1000 });
  const page = await right(t, gateway.payments({ limit: 30 }));
  t.deepEqual(
    page.items.map((p) => p.id),
    PAYMENTS.slice(0, 10),
  );
  t.is(page.nextCursor, undefined);
  t.deepEqual(seen, ['/api/v2/me/payments?limit=30&offset=0', '/api/v2/me/payments?limit=20&offset=10']);
});

test('a server answering one payment per page hits the page cap: ProviderError page_cap saying where to resume', async (t) => {
  const { gateway, seen } = await server(t, { page: (_limit, offset) => PAYMENTS.slice(offset, offset + 1), total: 1000 });
  const error = await left(t, gateway.payments({ limit: 30 }));
  t.like(error, { _tag: 'ProviderError', code: 'page_cap', retryable: false, details: { nextCursor: '20', received: 20 } });
  t.is(seen.length, 20);
  const resumed = await right(t, gateway.payments({ limit: 5, cursor: '20' }));
  t.deepEqual(
    resumed.items.map((p) => p.id),
    PAYMENTS.slice(20, 25),
  );
});

test('a limit beyond the page cap is InvalidInput and sends nothing', async (t) => {
  const { gateway, seen } = await server(t, ignoresPaging);
  t.like(await left(t, gateway.payments({ limit: 2001 })), { _tag: 'InvalidInput', field: 'limit' });
  t.is(seen.length, 0);
});

const failingV2: ReadonlyArray<[string, (res: ServerResponse) => void]> = [
  [
    '500',
    (res) => {
      res.statusCode = 500;
      res.end('{"errors":[{"status":500,"title":"Server Error"}]}');
    },
  ],
  ['a body that does not decode', (res) => res.end('{"unexpected":true}')],
  [
    'a non-JSON 200',
    (res) => {
      res.setHeader('content-type', 'text/html');
      res.end('<html>maintenance</html>');
    },
  ],
];

for (const [what, answer] of failingV2) {
  test(`API v2 answering ${what}: payments() and payment() fall back to API v1 for that call`, async (t) => {
    const { gateway, seen } = await server(t, { page: (limit, offset) => PAYMENTS.slice(offset, offset + limit), v2: answer });
    const page = await right(t, gateway.payments({ limit: 5 }));
    t.deepEqual(
      page.items.map((p) => p.id),
      PAYMENTS.slice(0, 5),
    );
    t.deepEqual(seen, ['/api/v2/me/payments?limit=5&offset=0', '/api/v1/payments?limit=5&offset=0']);
    seen.length = 0;
    t.like(await right(t, gateway.payment('4999')), { id: '4999', status: 'completed' });
    t.deepEqual(seen, ['/api/v2/me/payments/4999', '/api/v1/payments/4999']);
  });
}

test('an auth error from API v2 is returned as it is: no fallback to API v1', async (t) => {
  const { gateway, seen } = await server(t, {
    page: () => PAYMENTS,
    v2: (res) => {
      res.statusCode = 403;
      res.end('{"errors":[{"status":"403","title":"Forbidden","detail":"User 5 is forbidden"}]}');
    },
  });
  t.like(await left(t, gateway.payments()), { _tag: 'AuthError', reason: 'forbidden' });
  t.like(await left(t, gateway.payment('4999')), { _tag: 'AuthError', reason: 'forbidden' });
  t.true(seen.every((path) => path.startsWith('/api/v2/')));
});
