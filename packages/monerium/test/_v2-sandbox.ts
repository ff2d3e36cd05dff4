import type { ExecutionContext } from 'ava';
import * as E from 'fp-ts/lib/Either.js';
import { completeAuthorizationHeadless, type Sandbox, startSandbox } from '@paygate/sandbox';
import { createMoneriumV2Client, type MoneriumV2Client, type MoneriumV2ClientSettings } from '../src/index.js';

export const V2_REDIRECT = 'http://127.0.0.1/callback';

/** A Monerium-only sandbox serving v2 with orders and IBANs moving at once, closed after the test. */
export const startV2Sandbox = async (t: ExecutionContext): Promise<Sandbox> => {
  const sandbox = await startSandbox({
    providers: ['monerium'],
    monerium: { orderTransitionMs: 0, v2: { ibanProvisioningMs: 0, webhookRetryScheduleMs: Array.from({ length: 10 }, () => 20), webhookTimeoutMs: 2000 } },
  });
  t.teardown(() => sandbox.close());
  return sandbox;
};

type Extra = Partial<Omit<MoneriumV2ClientSettings, 'environment' | 'auth'>>;

const build = (settings: MoneriumV2ClientSettings): MoneriumV2Client => {
  const client = createMoneriumV2Client(settings);
  if (E.isLeft(client)) throw new Error(client.left.message);
  return client.right;
};

export const v2AppClient = (sandbox: Sandbox, extra: Extra = {}): MoneriumV2Client =>
  build({
    environment: { baseUrl: sandbox.urls.monerium },
    auth: { kind: 'authorization_code', clientId: sandbox.fixtures.monerium.v2.clients.app.clientId, redirectUri: V2_REDIRECT },
    http: { timeoutMs: 2_000, backoffBaseMs: 5, maxBackoffMs: 20 },
    ...extra,
  });

export const v2PrivateClient = (sandbox: Sandbox, which: 'private' | 'whitelabel' = 'private', extra: Extra = {}): MoneriumV2Client => {
  const { clientId, clientSecret } = sandbox.fixtures.monerium.v2.clients[which];
  return build({
    environment: { baseUrl: sandbox.urls.monerium },
    auth: { kind: 'client_credentials', clientId, clientSecret },
    http: { timeoutMs: 2_000, backoffBaseMs: 5, maxBackoffMs: 20 },
    ...extra,
  });
};

/** PKCE through the sandbox portal for a seeded user (Alice by default). */
export const signedIn = async (sandbox: Sandbox, user = sandbox.fixtures.monerium.v2.users[0], extra: Extra = {}): Promise<MoneriumV2Client> => {
  if (user === undefined) throw new Error('no user');
  const client = v2AppClient(sandbox, extra);
  const pending = client.authorizationUrl();
  if (E.isLeft(pending)) throw new Error(pending.left.message);
  const callback = await completeAuthorizationHeadless(pending.right.url, { email: user.email, password: user.password, redirectUri: V2_REDIRECT });
  const session = await client.finishAuthorization(callback, pending.right)();
  if (E.isLeft(session)) throw new Error(session.left.message);
  return client;
};
