import * as E from 'fp-ts/lib/Either.js';
import * as t from 'io-ts/lib/index.js';
import { type GatewayAdapter, type GatewayError, invalidInput, TokenSetCodec } from '@paygate/core';
import { checkAddress } from './address.js';
import { PROVIDER } from './errors.js';
import { adapter as v13Adapter, type MoneriumConfig, MoneriumConfigCodec } from './gateway.js';
import { createMoneriumV2Client } from './v2/client.js';
import { moneriumV2Gateway } from './v2/gateway.js';

const V2EnvironmentCodec = t.union([
  t.literal('production'),
  t.literal('sandbox'),
  t.intersection([t.type({ baseUrl: t.string }), t.partial({ chains: t.keyof({ production: null, sandbox: null }) })]),
]);

const V2AuthCodec = t.union([
  t.intersection([t.type({ kind: t.literal('authorization_code'), clientId: t.string, redirectUri: t.string }), t.partial({ userId: t.string })]),
  t.type({ kind: t.literal('client_credentials'), clientId: t.string, clientSecret: t.string }),
  t.intersection([t.type({ kind: t.literal('tokens'), tokens: TokenSetCodec }), t.partial({ clientId: t.string })]),
]);

/** A v2 config: `apiVersion` `"v2"` or absent (v2 is the default: it is what Monerium serves). */
export const MoneriumV2ConfigCodec = t.intersection([
  t.type({ provider: t.literal('monerium'), environment: V2EnvironmentCodec, auth: V2AuthCodec }),
  t.partial({
    apiVersion: t.literal('v2'),
    address: t.string,
    chain: t.string,
    profile: t.string,
    timeoutMs: t.number,
    maxRetries: t.number,
  }),
]);
export type MoneriumV2Config = t.TypeOf<typeof MoneriumV2ConfigCodec>;

/** `MoneriumConfig` with `apiVersion: "v1.3"`: the original API and its websocket. */
export type MoneriumV13Config = MoneriumConfig & { readonly apiVersion: 'v1.3' };

export type MoneriumAnyConfig = MoneriumV2Config | MoneriumV13Config;

/**
 * Picks the codec by `apiVersion` before decoding, so an error names the field of the version
 * the config asked for (a union would report both versions' mismatches).
 */
export const MoneriumAnyConfigCodec = new t.Type<MoneriumAnyConfig, unknown, unknown>(
  'MoneriumConfig',
  (u): u is MoneriumAnyConfig => MoneriumV2ConfigCodec.is(u) || MoneriumConfigCodec.is(u),
  (u, context) => {
    const version = typeof u === 'object' && u !== null ? (u as { apiVersion?: unknown }).apiVersion : undefined;
    // The chosen codec stands in this value's place in the context, so error paths read as if it were decoded directly.
    const as = (codec: t.Decoder<unknown, unknown> & t.Any): t.Context => [...context.slice(0, -1), { key: context.at(-1)?.key ?? '', type: codec, actual: u }];
    if (version === undefined || version === 'v2') return MoneriumV2ConfigCodec.validate(u, as(MoneriumV2ConfigCodec));
    if (version === 'v1.3') {
      return E.map((config: MoneriumConfig): MoneriumAnyConfig => ({ ...config, apiVersion: 'v1.3' }))(
        MoneriumConfigCodec.validate(u, as(MoneriumConfigCodec)),
      );
    }
    return t.failure(version, [...context, { key: 'apiVersion', type: t.keyof({ v2: null, 'v1.3': null }), actual: version }], 'must be "v2" or "v1.3"');
  },
  t.identity,
);

const createV2 = (config: MoneriumV2Config): E.Either<GatewayError, ReturnType<typeof moneriumV2Gateway>> => {
  if (config.address !== undefined) {
    const address = checkAddress(config.address, 'address');
    if (E.isLeft(address)) return address;
  }
  if (config.address !== undefined && config.chain === undefined) return E.left(invalidInput('chain', 'is required with address'));
  const http = {
    ...(config.timeoutMs === undefined ? {} : { timeoutMs: config.timeoutMs }),
    ...(config.maxRetries === undefined ? {} : { maxRetries: config.maxRetries }),
  };
  return E.map((client: Parameters<typeof moneriumV2Gateway>[0]) =>
    moneriumV2Gateway(client, {
      ...(config.address === undefined ? {} : { address: config.address }),
      ...(config.chain === undefined ? {} : { chain: config.chain }),
      ...(config.profile === undefined ? {} : { profile: config.profile }),
    }),
  )(createMoneriumV2Client({ environment: config.environment, auth: config.auth, http }));
};

/**
 * The registry entry of `@paygate/monerium`: `apiVersion` `"v2"` (the default) or `"v1.3"`.
 * A v1.3 config is decoded and built by the v1.3 adapter as before.
 */
export const adapter: GatewayAdapter<MoneriumAnyConfig> = {
  id: PROVIDER,
  configCodec: MoneriumAnyConfigCodec,
  create: (config) => {
    return config.apiVersion === 'v1.3' ? v13Adapter.create(config) : createV2(config);
  },
};
