import { createHmac, createPrivateKey, type KeyObject, sign } from 'node:crypto';
import { type GatewayError, invalidInput } from '@paygate/core';
import * as E from 'fp-ts/lib/Either.js';

/**
 * The `token` of the hosted checkout (moneyns-public.md §6): a JWT the platform signs with the
 * keys MoneyNS issued, carrying who pays (`link`, `user`), what (`payment`), where to come back
 * (`redirect_url`, `ping_url`) and until when (`expire`, Unix seconds). The record documents two
 * payloads, a purchase and an invoice; the builder checks what the record requires (`link.id`,
 * and for an invoice `secondAmount`, `orderPaymentType`, `secondService`,
 * `secondServiceBeneficiary`, `ip`), the types of every documented member, and signs with the
 * algorithm chosen in the Partner dashboard: RS512 (default), RS384, RS256, HS512, HS384, HS256.
 */

export const CHECKOUT_ALGORITHMS = ['RS512', 'RS384', 'RS256', 'HS512', 'HS384', 'HS256'] as const;
export type CheckoutAlgorithm = (typeof CHECKOUT_ALGORITHMS)[number];

/** The platform's user, as MoneyNS links them: `id` is the user's id on your platform. */
export interface CheckoutLink {
  /** At most 191 characters. */
  readonly id: string;
  readonly username?: string;
  readonly email?: string;
}

/** The buyer's details the page can fill in (all optional in the record's example). */
export interface CheckoutUser {
  readonly email?: string;
  /** `personal` in the record. */
  readonly type?: string;
  readonly first_name?: string;
  readonly last_name?: string;
  /** `YYYY-MM-DD`. */
  readonly dob?: string;
  readonly wallet?: string;
  /** Chain of `wallet`, e.g. `ETH`. */
  readonly network?: string;
  /** Digits with country code, e.g. `40730000000`. */
  readonly phone?: string;
  /** ISO 3166-1 alpha-2, e.g. `RO`. */
  readonly country?: string;
  readonly city?: string;
  readonly street?: string;
  readonly zip?: string;
  readonly ref?: string;
}

/** The purchase: `operation` (`buy_with_fiat`), `symbol` (`ETH`), `amount` (decimal string) … */
export interface CheckoutPayment {
  readonly operation: string;
  readonly symbol: string;
  readonly amount: string;
  readonly secondSymbol?: string;
  /** `card` or `bank`. */
  readonly method?: string;
  /** `withdraw` for a purchase. */
  readonly second_order_type?: string;
  /** The record shows `"3"`; a number is sent as given. */
  readonly attempts?: string | number;
}

/** The invoice variant (moneyns-public.md §6, DPI): pays a service's beneficiary. */
export interface InvoicePayment extends CheckoutPayment {
  readonly secondAmount: string;
  readonly orderPaymentType: string;
  readonly second_order_type: 'payment';
  /** UUID of the service. */
  readonly secondService: string;
  /** UUID of the beneficiary. */
  readonly secondServiceBeneficiary: string;
}

interface CommonClaims {
  readonly link: CheckoutLink;
  readonly user?: CheckoutUser;
  readonly request_id?: string;
  /** Where the page sends the user back: an absolute http(s) URL. */
  readonly redirect_url?: string;
  /** Where MoneyNS calls back: an absolute http(s) URL, or null. */
  readonly ping_url?: string | null;
}

export interface PurchaseCheckout extends CommonClaims {
  readonly kind: 'purchase';
  readonly payment: CheckoutPayment;
  /** The buyer's IP address. */
  readonly ip?: string;
}

export interface InvoiceCheckout extends CommonClaims {
  readonly kind: 'invoice';
  readonly payment: InvoicePayment;
  /** The payer's IP address (the invoice example fills it in). */
  readonly ip: string;
}

export type CheckoutTokenInput = PurchaseCheckout | InvoiceCheckout;

/** The key the token is signed with: an RSA private key (PEM) for RS*, a shared secret for HS*. */
export type CheckoutSigningKey = { readonly privateKeyPem: string } | { readonly secret: string };

export const DEFAULT_CHECKOUT_ALGORITHM: CheckoutAlgorithm = 'RS512';
/** How long a checkout token is valid by default: `expire` = now + one hour. */
export const DEFAULT_CHECKOUT_TOKEN_LIFETIME_SECONDS = 3600;
const LINK_ID_MAX = 191;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DECIMAL = /^(0|[1-9]\d*)(\.\d+)?$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const IPV4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;
const IPV6 = /^[0-9a-f:]+$/i;

type Checked<A> = E.Either<GatewayError, A>;

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const optionalStrings = (value: unknown, field: string, names: ReadonlyArray<string>): Checked<Record<string, string>> => {
  if (value === undefined) return E.right({});
  if (!isObject(value)) return E.left(invalidInput(field, 'must be an object'));
  const out: Record<string, string> = {};
  for (const name of names) {
    const member = value[name];
    if (member === undefined) continue;
    if (typeof member !== 'string') return E.left(invalidInput(`${field}.${name}`, 'must be a string'));
    out[name] = member;
  }
  return E.right(out);
};

const httpUrl = (value: unknown, field: string): Checked<string> => {
  if (typeof value !== 'string') return E.left(invalidInput(field, 'must be an absolute http(s) URL'));
  try {
    const url = new URL(value);
    if (url.protocol === 'https:' || url.protocol === 'http:') return E.right(value);
  } catch {
    // falls through
  }
  return E.left(invalidInput(field, 'must be an absolute http(s) URL'));
};

const checkLink = (link: unknown): Checked<Record<string, string>> => {
  if (!isObject(link)) return E.left(invalidInput('link', 'is required: { id, username?, email? }'));
  if (typeof link.id !== 'string' || link.id.length === 0 || link.id.length > LINK_ID_MAX) {
    return E.left(invalidInput('link.id', `must be your user's id, 1 to ${LINK_ID_MAX} characters`));
  }
  return optionalStrings(link, 'link', ['id', 'username', 'email']);
};

const USER_FIELDS = ['email', 'type', 'first_name', 'last_name', 'dob', 'wallet', 'network', 'phone', 'country', 'city', 'street', 'zip', 'ref'];

const checkUser = (user: unknown): Checked<Record<string, string> | undefined> => {
  if (user === undefined) return E.right(undefined);
  const fields = optionalStrings(user, 'user', USER_FIELDS);
  if (E.isLeft(fields)) return fields;
  const { dob, country } = fields.right;
  if (dob !== undefined && (!DATE.test(dob) || Number.isNaN(Date.parse(dob)))) {
    return E.left(invalidInput('user.dob', 'must be a date YYYY-MM-DD'));
  }
  if (country !== undefined && !/^[A-Z]{2}$/.test(country)) return E.left(invalidInput('user.country', 'must be two capital letters (ISO 3166-1)'));
  return E.right(fields.right);
};

const checkPayment = (payment: unknown, kind: 'purchase' | 'invoice'): Checked<Record<string, string | number>> => {
  if (!isObject(payment)) return E.left(invalidInput('payment', 'is required'));
  const names = ['operation', 'symbol', 'amount', 'secondSymbol', 'method', 'second_order_type'];
  const invoiceNames = ['secondAmount', 'orderPaymentType', 'secondService', 'secondServiceBeneficiary'];
  const fields = optionalStrings(payment, 'payment', kind === 'invoice' ? [...names, ...invoiceNames] : names);
  if (E.isLeft(fields)) return fields;
  const out: Record<string, string | number> = { ...fields.right };
  for (const name of ['operation', 'symbol', 'amount']) {
    if (out[name] === undefined || out[name] === '') return E.left(invalidInput(`payment.${name}`, 'is required'));
  }
  if (!DECIMAL.test(String(out.amount))) return E.left(invalidInput('payment.amount', 'must be a decimal string such as "10"'));
  const { attempts } = payment;
  if (attempts !== undefined) {
    const whole = typeof attempts === 'number' ? Number.isSafeInteger(attempts) && attempts > 0 : typeof attempts === 'string' && /^[1-9]\d*$/.test(attempts);
    if (!whole) return E.left(invalidInput('payment.attempts', 'must be a positive whole number (string or number)'));
    out.attempts = attempts as string | number;
  }
  if (kind === 'invoice') {
    for (const name of invoiceNames) {
      if (out[name] === undefined) return E.left(invalidInput(`payment.${name}`, 'is required for an invoice'));
    }
    if (!DECIMAL.test(String(out.secondAmount))) return E.left(invalidInput('payment.secondAmount', 'must be a decimal string'));
    for (const name of ['secondService', 'secondServiceBeneficiary']) {
      if (!UUID.test(String(out[name]))) return E.left(invalidInput(`payment.${name}`, 'must be a UUID'));
    }
    if (out.second_order_type !== 'payment') return E.left(invalidInput('payment.second_order_type', 'must be "payment" for an invoice'));
  }
  return E.right(out);
};

/**
 * The claims of a checkout token from a typed input, or the first problem with it. `expire` is
 * `now + lifetimeSeconds` (Unix seconds); a lifetime below 1 would put it in the past.
 */
export const checkoutTokenClaims = (
  input: CheckoutTokenInput,
  nowMs: number,
  lifetimeSeconds: number = DEFAULT_CHECKOUT_TOKEN_LIFETIME_SECONDS,
): Checked<Readonly<Record<string, unknown>>> => {
  if (!isObject(input)) return E.left(invalidInput('token', 'must be a checkout token input'));
  const kind = input.kind;
  if (kind !== 'purchase' && kind !== 'invoice') return E.left(invalidInput('token.kind', 'must be "purchase" or "invoice"'));
  if (typeof nowMs !== 'number' || !Number.isFinite(nowMs)) return E.left(invalidInput('now', 'must be a finite number of milliseconds'));
  if (!Number.isSafeInteger(lifetimeSeconds) || lifetimeSeconds < 1) {
    return E.left(invalidInput('tokenLifetimeSeconds', 'must be a whole number of seconds ≥ 1 (expire must not be in the past)'));
  }
  const link = checkLink(input.link);
  if (E.isLeft(link)) return link;
  const user = checkUser(input.user);
  if (E.isLeft(user)) return user;
  const payment = checkPayment(input.payment, kind);
  if (E.isLeft(payment)) return payment;
  const claims: Record<string, unknown> = { link: link.right };
  if (user.right !== undefined) claims.user = user.right;
  claims.payment = payment.right;
  if (input.request_id !== undefined) {
    if (typeof input.request_id !== 'string') return E.left(invalidInput('request_id', 'must be a string'));
    claims.request_id = input.request_id;
  }
  if (input.redirect_url !== undefined) {
    const url = httpUrl(input.redirect_url, 'redirect_url');
    if (E.isLeft(url)) return url;
    claims.redirect_url = url.right;
  }
  if (input.ping_url !== undefined) {
    if (input.ping_url === null) claims.ping_url = null;
    else {
      const url = httpUrl(input.ping_url, 'ping_url');
      if (E.isLeft(url)) return url;
      claims.ping_url = url.right;
    }
  }
  if (input.ip !== undefined || kind === 'invoice') {
    if (typeof input.ip !== 'string' || !(IPV4.test(input.ip) || (input.ip.includes(':') && IPV6.test(input.ip)))) {
      return E.left(invalidInput('ip', kind === 'invoice' ? 'is required for an invoice: an IPv4 or IPv6 address' : 'must be an IPv4 or IPv6 address'));
    }
    claims.ip = input.ip;
  }
  claims.expire = Math.floor(nowMs / 1000) + lifetimeSeconds;
  return E.right(claims);
};

const base64url = (value: string | Buffer): string => Buffer.from(value).toString('base64url');

const HASH: Readonly<Record<CheckoutAlgorithm, string>> = {
  RS512: 'sha512',
  RS384: 'sha384',
  RS256: 'sha256',
  HS512: 'sha512',
  HS384: 'sha384',
  HS256: 'sha256',
};

const MIN_RSA_BITS = 2048;

const rsaKey = (pem: string): Checked<KeyObject> => {
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: pem, format: 'pem' });
  } catch {
    return E.left(invalidInput('checkout.privateKeyPem', 'is not a readable PEM private key'));
  }
  if (key.asymmetricKeyType !== 'rsa' || (key.asymmetricKeyDetails?.modulusLength ?? 0) < MIN_RSA_BITS) {
    return E.left(invalidInput('checkout.privateKeyPem', `must be an RSA key of at least ${MIN_RSA_BITS} bits`));
  }
  return E.right(key);
};

/**
 * Signs claims as a compact JWS (RFC 7515) with `alg` = `algorithm` and `typ: JWT`: RSASSA-PKCS1-v1_5
 * for RS*, HMAC for HS*. Neither the key nor the secret ever reaches an error.
 */
export const signCheckoutToken = (
  claims: Readonly<Record<string, unknown>>,
  key: CheckoutSigningKey,
  algorithm: CheckoutAlgorithm = DEFAULT_CHECKOUT_ALGORITHM,
): Checked<string> => {
  if (!(CHECKOUT_ALGORITHMS as ReadonlyArray<string>).includes(algorithm)) {
    return E.left(invalidInput('checkout.algorithm', `must be one of ${CHECKOUT_ALGORITHMS.join(', ')}`));
  }
  if (!isObject(claims)) return E.left(invalidInput('claims', 'must be an object (checkoutTokenClaims)'));
  if (!isObject(key)) return E.left(invalidInput('checkout', 'must hold the signing key (secret or privateKeyPem)'));
  let payload: string;
  try {
    payload = JSON.stringify(claims);
  } catch {
    // A BigInt or a cycle: not claims checkoutTokenClaims produced.
    return E.left(invalidInput('claims', 'must be JSON-serialisable'));
  }
  const input = `${base64url(JSON.stringify({ alg: algorithm, typ: 'JWT' }))}.${base64url(payload)}`;
  const hash = HASH[algorithm];
  if (algorithm.startsWith('HS')) {
    if (!('secret' in key) || typeof key.secret !== 'string' || key.secret.length < 32) {
      return E.left(invalidInput('checkout.secret', `${algorithm} needs the shared secret (at least 32 characters)`));
    }
    return E.right(`${input}.${createHmac(hash, key.secret).update(input).digest('base64url')}`);
  }
  if (!('privateKeyPem' in key) || typeof key.privateKeyPem !== 'string') {
    return E.left(invalidInput('checkout.privateKeyPem', `${algorithm} needs the platform's RSA private key`));
  }
  const rsa = rsaKey(key.privateKeyPem);
  if (E.isLeft(rsa)) return rsa;
  return E.right(`${input}.${sign(hash, Buffer.from(input), rsa.right).toString('base64url')}`);
};

/** `checkoutTokenClaims` then `signCheckoutToken`: the `token` query parameter of the checkout page. */
export const buildCheckoutToken = (
  input: CheckoutTokenInput,
  key: CheckoutSigningKey,
  options: { readonly algorithm?: CheckoutAlgorithm; readonly lifetimeSeconds?: number; readonly now?: number } = {},
): Checked<string> => {
  if (!isObject(options)) return E.left(invalidInput('options', 'must be an object'));
  const now = options.now ?? Date.now();
  if (typeof now !== 'number' || !Number.isFinite(now)) return E.left(invalidInput('now', 'must be a finite number of milliseconds'));
  const claims = checkoutTokenClaims(input, now, options.lifetimeSeconds);
  return E.isLeft(claims) ? claims : signCheckoutToken(claims.right, key, options.algorithm);
};
