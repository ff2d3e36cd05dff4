import { createMoneyNsClient, moneyNsGateway } from '@paygate/moneyns';
import type { Sandbox } from '@paygate/sandbox';
import { step, unwrap } from './run.js';
import { heading, table } from './table.js';

/** MoneyNS: a platform logs a user in with an RS512 JWT, then opens the hosted checkout. */
export const moneyNsDemo = async (sandbox: Sandbox, log: (line: string) => void): Promise<void> => {
  const { platform, users } = sandbox.fixtures.moneyns;
  log(heading('MoneyNS'));
  const client = unwrap(
    'MoneyNS client',
    createMoneyNsClient({
      baseUrl: `${sandbox.urls.moneyns}/api/v1`,
      checkoutUrl: `${sandbox.urls.moneyns}/checkout`,
      auth: { platform: platform.name, privateKeyPem: platform.privateKeyPem, subject: { email: users.active.email } },
    }),
  );
  const session = await step('platform login (RS512 JWT)', client.session());
  log(`platform ${platform.name} logged in ${users.active.email}; session valid until ${session.until}`);
  const gateway = moneyNsGateway(client);
  log(
    table(
      ['capability', 'supported'],
      (['balances', 'payments', 'pay', 'watch', 'checkout'] as const).map((c) => [c, gateway.capabilities.has(c) ? 'yes' : 'no (Unsupported)']),
    ),
  );
  const url = await step(
    'checkout URL (signed RS512 checkout token)',
    client.checkoutUrl({
      lang: 'en',
      display: 'light',
      token: {
        kind: 'purchase',
        link: { id: users.active.id, email: users.active.email },
        payment: { operation: 'buy_with_fiat', symbol: 'ETH', amount: '10', secondSymbol: 'EUR', method: 'card' },
        redirect_url: 'https://shop.example/thanks',
      },
    }),
  );
  const page = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  log(`checkout page: HTTP ${page.status} (${new URL(url).pathname})`);
  if (page.status !== 200) throw new Error(`the checkout page answered ${page.status}`);
};
