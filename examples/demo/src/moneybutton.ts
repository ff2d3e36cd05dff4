import { createMoneyButtonClient, moneyButtonGateway } from '@paygate/moneybutton';
import { completeAuthorizationHeadless, type Sandbox } from '@paygate/sandbox';
import { balancesTable, paymentsTable } from './monerium.js';
import { step, unwrap } from './run.js';
import { heading } from './table.js';

const REDIRECT_URI = 'http://127.0.0.1:8123/callback';

/** Money Button: OAuth sign-in (PKCE as well), the user's balance and payments through the gateway. */
export const moneyButtonDemo = async (sandbox: Sandbox, log: (line: string) => void): Promise<void> => {
  const fixtures = sandbox.fixtures.moneybutton;
  const [user] = fixtures.users;
  log(heading('Money Button'));
  const client = unwrap(
    'Money Button client',
    createMoneyButtonClient({
      baseUrl: sandbox.urls.moneybutton,
      clientId: fixtures.app.clientId,
      redirectUri: REDIRECT_URI,
      scope: ['auth.user_identity:read', 'users.balance:read', 'payments:read'],
    }),
  );
  const pending = unwrap('authorization URL', client.authorizationUrl());
  const callback = await completeAuthorizationHeadless(pending.url, { email: user.email, password: user.password, redirectUri: REDIRECT_URI });
  await step('sign in (OAuth code + PKCE)', client.finishAuthorization(callback, pending));
  const identity = await step('user identity', client.userIdentity());
  log(`signed in as ${identity.name} (user ${identity.id})`);

  const gateway = moneyButtonGateway(client);
  log('\nbalances:');
  log(balancesTable(await step('balances', gateway.balances())));
  log('\nlatest payments:');
  log(paymentsTable((await step('payments', gateway.payments({ limit: 5 }))).items));
  const refused = await gateway.pay({ amount: '1', currency: 'USD', to: { kind: 'address', address: 'someone@moneybutton.com' } })();
  log(`\npay: ${refused._tag === 'Left' ? `${refused.left._tag} (${refused.left.message})` : 'unexpectedly accepted'}`);
};
