import { authError, type GatewayError } from '@paygate/core';
import { createMoneyButtonClient, type MoneyButtonScope } from '@paygate/moneybutton';
import { completeAuthorizationHeadless, type Sandbox } from '@paygate/sandbox';
import { pipe } from 'fp-ts/lib/function.js';
import * as TE from 'fp-ts/lib/TaskEither.js';

/** The environment variables `gateway.sandbox.json` refers to, with values for one running sandbox. */
export type SandboxEnvironment = Readonly<Record<string, string>>;

/** The sandbox app's registered loopback redirect; the headless sign-in stops there, so nothing needs to listen. */
const MONEY_BUTTON_REDIRECT = 'http://127.0.0.1/callback';

/** What the report reads: who the user is (for the balance), the balance, the payments. */
const MONEY_BUTTON_SCOPES: ReadonlyArray<MoneyButtonScope> = ['auth.user_identity:read', 'users.balance:read', 'payments:read'];

/**
 * Money Button's balance and payments belong to a user, and its client credentials grant only
 * gives application access, so the sandbox's first user signs in (through the sandbox's own
 * sign-in and consent pages, headless) and the refresh token of that session is what the
 * config carries, as a deployed aggregator would carry a user's refresh token.
 */
const moneyButtonRefreshToken = (sandbox: Sandbox): TE.TaskEither<GatewayError, string> => {
  const { app, users } = sandbox.fixtures.moneybutton;
  const user = users[0];
  const client = createMoneyButtonClient({
    baseUrl: sandbox.urls.moneybutton,
    clientId: app.clientId,
    redirectUri: MONEY_BUTTON_REDIRECT,
    scope: MONEY_BUTTON_SCOPES,
  });
  return pipe(
    TE.fromEither(client),
    TE.bindTo('client'),
    TE.bind('pending', ({ client }) => TE.fromEither(client.authorizationUrl())),
    TE.bind('callback', ({ pending }) =>
      TE.tryCatch(
        () => completeAuthorizationHeadless(pending.url, { email: user.email, password: user.password, redirectUri: MONEY_BUTTON_REDIRECT }),
        (error) =>
          authError({
            reason: 'authorization_error',
            message: `the sandbox's Money Button sign-in did not complete: ${error instanceof Error ? error.message : 'unknown error'}`,
          }),
      ),
    ),
    TE.flatMap(({ client, pending, callback }) => client.finishAuthorization(callback, pending)),
    TE.flatMap((tokens) =>
      tokens.refreshToken === undefined
        ? TE.left(authError({ reason: 'no_session', message: "the sandbox's Money Button sign-in gave no refresh token" }))
        : TE.right(tokens.refreshToken),
    ),
  );
};

/**
 * Everything each provider needs, taken from a running sandbox: Monerium's partner client
 * credentials and MoneyNS's platform key from the fixtures, a Money Button user's refresh token
 * from a headless sign-in, and the three base URLs.
 */
export const sandboxEnvironment = (sandbox: Sandbox): TE.TaskEither<GatewayError, SandboxEnvironment> => {
  const { monerium, moneyns } = sandbox.fixtures;
  return pipe(
    moneyButtonRefreshToken(sandbox),
    TE.map((refreshToken) => ({
      MONERIUM_BASE_URL: sandbox.urls.monerium,
      MONERIUM_CLIENT_ID: monerium.clients.confidential.clientId,
      MONERIUM_CLIENT_SECRET: monerium.clients.confidential.clientSecret,
      // API v2 (`"apiVersion": "v2"`): the sandbox's Private app.
      MONERIUM_V2_CLIENT_ID: monerium.v2.clients.private.clientId,
      MONERIUM_V2_CLIENT_SECRET: monerium.v2.clients.private.clientSecret,
      MONEYBUTTON_BASE_URL: sandbox.urls.moneybutton,
      MONEYBUTTON_CLIENT_ID: sandbox.fixtures.moneybutton.app.clientId,
      MONEYBUTTON_REFRESH_TOKEN: refreshToken,
      MONEYNS_BASE_URL: `${sandbox.urls.moneyns}/api/v1`,
      MONEYNS_CHECKOUT_URL: `${sandbox.urls.moneyns}/checkout`,
      MONEYNS_PLATFORM: moneyns.platform.name,
      MONEYNS_PLATFORM_KEY: moneyns.platform.privateKeyPem,
      MONEYNS_EMAIL: moneyns.users.active.email,
    })),
  );
};

