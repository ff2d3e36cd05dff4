import { createHash } from 'node:crypto';
import { privateKeyToAccount } from 'viem/accounts';
import { type Sandbox, type SandboxOptions, startSandbox } from '../src/index.js';
import type { MoneriumAddressFixture, MoneriumUserFixture } from '../src/monerium/index.js';

/** A sandbox serving only Monerium, with orders moving on at once unless told otherwise. */
export const startMonerium = (options: SandboxOptions = {}): Promise<Sandbox> =>
  startSandbox({ providers: ['monerium'], ...options, monerium: { orderTransitionMs: 0, ...options.monerium } });

export const basic = (user: { email: string; password: string }): string =>
  `Basic ${Buffer.from(`${user.email}:${user.password}`).toString('base64')}`;

export interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly body: unknown;
  readonly text: string;
}

/** One request to the Monerium emulator; the body is parsed as JSON when it is JSON. */
export const call = async (sandbox: Sandbox, path: string, init: RequestInit & { auth?: string } = {}): Promise<Answer> => {
  const { auth, ...rest } = init;
  const headers = new Headers(rest.headers);
  if (auth !== undefined) headers.set('authorization', auth);
  if (typeof rest.body === 'string' && !headers.has('content-type')) headers.set('content-type', 'application/json');
  const response = await fetch(`${sandbox.urls.monerium}${path}`, { redirect: 'manual', ...rest, headers });
  const text = await response.text();
  let body: unknown = text;
  if ((response.headers.get('content-type') ?? '').includes('json')) body = JSON.parse(text) as unknown;
  return { status: response.status, headers: response.headers, body, text };
};

export const form = (fields: Readonly<Record<string, string>>): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams(fields).toString(),
});

/** RFC 7636 appendix B test vector. */
export const VERIFIER = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
export const S256_CHALLENGE = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';
export const s256 = (verifier: string): string => createHash('sha256').update(verifier).digest('base64url');

export const hiddenRequestId = (html: string): string => {
  const id = /name="request" value="([^"]+)"/.exec(html)?.[1];
  if (id === undefined) throw new Error(`no pending request in page: ${html.slice(0, 200)}`);
  return id;
};

export interface AuthorizeInput {
  readonly clientId: string;
  readonly redirectUri?: string;
  readonly user?: { email: string; password: string };
  readonly decision?: 'approve' | 'deny';
  /** Extra or overriding query parameters (state, scope, code_challenge, …). */
  readonly params?: Readonly<Record<string, string>>;
}

/** Drives `/auth` like a browser: open, sign in, decide. Returns the final redirect target. */
export const authorize = async (sandbox: Sandbox, input: AuthorizeInput): Promise<URL> => {
  const params = new URLSearchParams({
    client_id: input.clientId,
    ...(input.redirectUri === undefined ? {} : { redirect_uri: input.redirectUri }),
    code_challenge: S256_CHALLENGE,
    code_challenge_method: 'S256',
    ...input.params,
  });
  const start = await call(sandbox, `/auth?${params}`);
  if (start.status === 302) return new URL(start.headers.get('location') ?? '');
  if (start.status !== 200) throw new Error(`/auth answered ${start.status}: ${start.text}`);
  const user = input.user ?? sandbox.fixtures.monerium.users[0];
  if (user === undefined) throw new Error('no user');
  const id = hiddenRequestId(start.text);
  const login = await call(sandbox, `/auth?${params}`, form({ request: id, email: user.email, password: user.password }));
  if (login.status !== 200) throw new Error(`login answered ${login.status}`);
  const decided = await call(sandbox, `/auth?${params}`, form({ request: hiddenRequestId(login.text), decision: input.decision ?? 'approve' }));
  const location = decided.headers.get('location');
  if (decided.status !== 302 || location === null) throw new Error(`consent answered ${decided.status}: ${decided.text}`);
  return new URL(location);
};

export interface TokenBody {
  access_token: string;
  token_type: string;
  expires_in: number;
  refresh_token: string;
  scope?: string;
  profile: string;
  userId: string;
}

export const LOOPBACK = 'http://127.0.0.1:51234/callback';

/** The PKCE (S256) flow for a user of the public client, ending in the token response. */
export const userTokens = async (sandbox: Sandbox, user?: MoneriumUserFixture, scope?: string): Promise<TokenBody> => {
  const client = sandbox.fixtures.monerium.clients.public;
  const redirect = await authorize(sandbox, {
    clientId: client.clientId,
    redirectUri: LOOPBACK,
    ...(user === undefined ? {} : { user }),
    ...(scope === undefined ? {} : { params: { scope } }),
  });
  const code = redirect.searchParams.get('code');
  if (code === null) throw new Error(`no code in ${redirect}`);
  const answer = await call(
    sandbox,
    '/auth/token',
    form({ grant_type: 'authorization_code', client_id: client.clientId, code, redirect_uri: LOOPBACK, code_verifier: VERIFIER }),
  );
  if (answer.status !== 200) throw new Error(`token exchange answered ${answer.status}: ${answer.text}`);
  return answer.body as TokenBody;
};

export const bearer = (tokens: { access_token: string }): string => `Bearer ${tokens.access_token}`;

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const two = (n: number): string => String(n).padStart(2, '0');

/** `Sat, 13 Feb 2021 15:48 +00:00`, the documented redeem timestamp format, in UTC. */
export const rfc822z = (ms: number): string => {
  const d = new Date(ms);
  return `${DAYS[d.getUTCDay()]}, ${two(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())} +00:00`;
};

/** A valid IBAN from the docs, typed with spaces. */
export const BENEFICIARY_IBAN = 'GR16 0110 1250 0000 0001 2300 695';

export interface RedeemInput {
  readonly address: MoneriumAddressFixture;
  readonly amount?: string;
  readonly currency?: string;
  readonly iban?: string;
  readonly at?: number;
  /** Sign this text instead of the message that is sent. */
  readonly signText?: string;
  /** Send this message instead of the generated one. */
  readonly message?: string;
  readonly signWith?: `0x${string}`;
  readonly extra?: Readonly<Record<string, unknown>>;
}

/** A redeem payload as documented, signed with the address's fixture key. */
export const redeemPayload = async (sandbox: Sandbox, input: RedeemInput): Promise<Record<string, unknown>> => {
  const amount = input.amount ?? '10';
  const currency = input.currency ?? 'EUR';
  const iban = input.iban ?? BENEFICIARY_IBAN;
  const message = input.message ?? `Send ${currency.toUpperCase()} ${amount} to ${iban} at ${rfc822z(input.at ?? sandbox.admin.clock.now())}`;
  const signer = privateKeyToAccount(input.signWith ?? input.address.privateKey);
  const signature = await signer.signMessage({ message: input.signText ?? message });
  return {
    kind: 'redeem',
    amount,
    currency,
    counterpart: {
      identifier: { standard: 'iban', iban },
      details: { firstName: 'Jane', lastName: 'Doe' },
    },
    address: input.address.address,
    signature,
    message,
    ...input.extra,
  };
};

/** Polls until `check` holds or `ms` pass; for state that changes on timers. */
export const eventually = async (check: () => boolean | Promise<boolean>, ms = 3000): Promise<boolean> => {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return check();
};
