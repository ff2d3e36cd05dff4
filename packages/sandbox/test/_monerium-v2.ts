import { privateKeyToAccount } from 'viem/accounts';
import { completeAuthorizationHeadless, type Sandbox, type SandboxOptions, startSandbox } from '../src/index.js';
import { type Answer, call, form, S256_CHALLENGE, VERIFIER } from './_monerium.js';

export const V2 = 'application/vnd.monerium.api-v2+json';

/** Only Monerium, orders moving at once, IBANs provisioned at once, webhook retries 20 ms apart. */
export const startV2 = (options: SandboxOptions = {}): Promise<Sandbox> =>
  startSandbox({
    providers: ['monerium'],
    ...options,
    monerium: {
      orderTransitionMs: 0,
      ...options.monerium,
      v2: { ibanProvisioningMs: 0, webhookRetryScheduleMs: Array.from({ length: 10 }, () => 20), webhookTimeoutMs: 2000, ...options.monerium?.v2 },
    },
  });

/** A v2 request: the Accept header set (unless `v2: false`), JSON bodies as objects. */
export const v2 = (sandbox: Sandbox, path: string, init: Omit<RequestInit, 'body'> & { auth?: string; body?: unknown; v2?: boolean } = {}): Promise<Answer> => {
  const { v2: withHeader = true, body, ...rest } = init;
  const headers = new Headers(rest.headers);
  if (withHeader) headers.set('accept', V2);
  const encoded = body === undefined ? undefined : typeof body === 'string' || body instanceof FormData ? body : JSON.stringify(body);
  return call(sandbox, path, { ...rest, headers, ...(encoded === undefined ? {} : { body: encoded }) });
};

export const REDIRECT = 'http://127.0.0.1:50999/callback';

export interface V2Tokens {
  access_token: string;
  token_type: string;
  expires_in: number;
  refresh_token: string;
}

export const tokenRequest = (sandbox: Sandbox, fields: Readonly<Record<string, string>>, headers: Record<string, string> = {}): Promise<Answer> => {
  const init = form(fields);
  return call(sandbox, '/auth/token', { ...init, headers: { ...(init.headers as Record<string, string>), ...headers } });
};

export const authUrl = (sandbox: Sandbox, extra: Readonly<Record<string, string>> = {}): string =>
  `${sandbox.urls.monerium}/auth?${new URLSearchParams({
    client_id: sandbox.fixtures.monerium.v2.clients.app.clientId,
    redirect_uri: REDIRECT,
    code_challenge: S256_CHALLENGE,
    code_challenge_method: 'S256',
    response_type: 'code',
    state: 'st-1',
    ...extra,
  })}`;

/** The PKCE flow through the portal for a seeded user (Alice by default). */
export const userTokens = async (sandbox: Sandbox, user = sandbox.fixtures.monerium.v2.users[0]): Promise<V2Tokens> => {
  if (user === undefined) throw new Error('no user');
  const callback = new URL(await completeAuthorizationHeadless(authUrl(sandbox), { email: user.email, password: user.password, redirectUri: REDIRECT }));
  const code = callback.searchParams.get('code');
  if (code === null) throw new Error(`no code in ${callback}`);
  const answer = await tokenRequest(sandbox, {
    grant_type: 'authorization_code',
    client_id: sandbox.fixtures.monerium.v2.clients.app.clientId,
    code,
    code_verifier: VERIFIER,
    redirect_uri: REDIRECT,
  });
  if (answer.status !== 200) throw new Error(`token exchange answered ${answer.status}: ${answer.text}`);
  return answer.body as V2Tokens;
};

/** A sandbox shared by a test file, with Alice's and Bob's PKCE tokens. */
export const startWithUsers = async (options: SandboxOptions = {}): Promise<{ sandbox: Sandbox; alice: V2Tokens; bob: V2Tokens }> => {
  const sandbox = await startV2(options);
  return { sandbox, alice: await userTokens(sandbox), bob: await userTokens(sandbox, sandbox.fixtures.monerium.v2.users[1]) };
};

/** A client-credentials token of the Private or the Whitelabel app. */
export const appTokens = async (sandbox: Sandbox, which: 'private' | 'whitelabel' = 'private'): Promise<V2Tokens> => {
  const client = sandbox.fixtures.monerium.v2.clients[which];
  const answer = await tokenRequest(sandbox, { grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.clientSecret });
  if (answer.status !== 200) throw new Error(`client credentials answered ${answer.status}: ${answer.text}`);
  return answer.body as V2Tokens;
};

export const bearer = (tokens: { access_token: string }): string => `Bearer ${tokens.access_token}`;

/** `2024-07-12T12:02:00Z`: UTC, minute accuracy, seconds written as 00 (the form the fact sheet says fits every source). */
export const minuteStamp = (ms: number): string => `${new Date(ms).toISOString().slice(0, 16)}:00Z`;

/** A Monerium test IBAN (Estonian, valid checksum) and its §4 short form. */
export const BENEFICIARY = 'EE38 2200 2210 2014 5685';
export const BENEFICIARY_COMPACT = 'EE382200221020145685';
export const BENEFICIARY_SHORT = 'EE38...5685';

export interface OrderInput {
  readonly key: `0x${string}`;
  readonly chain?: string;
  readonly amount?: string;
  readonly at?: number;
  /** The IBAN as written in the message (default: compact). */
  readonly messageIban?: string;
  readonly crossChain?: { readonly address: string; readonly chain: string };
  readonly extra?: Readonly<Record<string, unknown>>;
  readonly message?: string;
  readonly signature?: string;
}

/** A signed v2 redeem as §3/§4 describe it: SEPA by default, cross-chain with `crossChain`. */
export const orderBody = async (sandbox: Sandbox, input: OrderInput): Promise<Record<string, unknown>> => {
  const account = privateKeyToAccount(input.key);
  const amount = input.amount ?? '10';
  const at = minuteStamp(input.at ?? sandbox.admin.clock.now());
  const message =
    input.message ??
    (input.crossChain === undefined
      ? `Send EUR ${amount} to ${input.messageIban ?? BENEFICIARY_COMPACT} at ${at}`
      : `Send EUR ${amount} to ${input.crossChain.address} on ${input.crossChain.chain} at ${at}`);
  const counterpart =
    input.crossChain === undefined
      ? { identifier: { standard: 'iban', iban: BENEFICIARY }, details: { firstName: 'Jane', lastName: 'Doe', country: 'EE' } }
      : { identifier: { standard: 'chain', address: input.crossChain.address, chain: input.crossChain.chain }, details: {} };
  return {
    address: account.address,
    currency: 'eur',
    chain: input.chain ?? 'sepolia',
    kind: 'redeem',
    amount,
    counterpart,
    message,
    signature: input.signature ?? (await account.signMessage({ message })),
    ...input.extra,
  };
};
