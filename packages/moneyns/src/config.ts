import * as t from 'io-ts/lib/index.js';

const UserAuthConfigCodec = t.type({ email: t.string, password: t.string });

const PlatformAuthConfigCodec = t.intersection([
  t.type({
    platform: t.string,
    /** The PEM text itself; `\n` written as two characters (JSON files, env vars) is accepted. */
    privateKeyPem: t.string,
    subject: t.union([t.type({ email: t.string }), t.type({ id: t.string })]),
  }),
  t.partial({ lifetimeSeconds: t.number }),
]);

/** What `createRegistry(...).create(config)` accepts for MoneyNS: plain JSON, secrets as strings. */
export const MoneyNsConfigCodec = t.intersection([
  t.type({
    provider: t.literal('moneyns'),
    auth: t.union([PlatformAuthConfigCodec, UserAuthConfigCodec]),
  }),
  t.partial({
    environment: t.keyof({ production: null, development: null }),
    baseUrl: t.string,
    checkoutUrl: t.string,
    /** Checkout token signing: `algorithm` (default RS512), `privateKeyPem` or `secret`, `tokenLifetimeSeconds`. */
    checkout: t.partial({
      algorithm: t.keyof({ RS512: null, RS384: null, RS256: null, HS512: null, HS384: null, HS256: null }),
      privateKeyPem: t.string,
      secret: t.string,
      tokenLifetimeSeconds: t.number,
    }),
    /** Per-request timeout in milliseconds (default 10 000). */
    timeoutMs: t.number,
    renewBeforeSeconds: t.number,
  }),
]);
export type MoneyNsConfig = t.TypeOf<typeof MoneyNsConfigCodec>;
