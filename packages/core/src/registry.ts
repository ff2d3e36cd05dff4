import * as E from 'fp-ts/lib/Either.js';
import type * as t from 'io-ts/lib/index.js';
import { decodeWith } from './decode.js';
import { type GatewayError, invalidInput } from './errors.js';
import type { PaymentsGateway } from './gateway.js';

/**
 * What each adapter package exports as `adapter`: its provider id, the io-ts codec of its
 * config (including `provider: '<id>'`), and how to build a gateway from a decoded config.
 */
export interface GatewayAdapter<Config> {
  readonly id: string;
  readonly configCodec: t.Decoder<unknown, Config>;
  create(config: Config): E.Either<GatewayError, PaymentsGateway>;
}

export interface Registry {
  readonly providers: ReadonlyArray<string>;
  /** Builds the gateway named by `config.provider`; every problem is an `InvalidInput` naming the field. */
  create(config: unknown): E.Either<GatewayError, PaymentsGateway>;
}

/**
 * Decodes a config with an adapter's codec; a mismatch is an `InvalidInput` naming the first
 * failing field (`auth.clientSecret`).
 */
export const decodeConfig = <Config>(configCodec: t.Decoder<unknown, Config>, provider: string, config: unknown): E.Either<GatewayError, Config> => {
  const decoded = decodeWith(configCodec, provider)(config);
  if (E.isRight(decoded)) return decoded;
  const error = decoded.left;
  const field = error._tag === 'DecodeError' ? error.path || '(root)' : '(root)';
  // Decode messages start with their own path ("auth.clientSecret: expected string…"); the
  // path is `field` already, so the reason keeps only what is wrong.
  const first = error._tag === 'DecodeError' ? (error.errors[0] ?? 'invalid') : error.message;
  const reason = first.startsWith(`${field}: `) ? first.slice(field.length + 2) : first;
  return E.left(invalidInput(field, reason, `Invalid ${provider} config at ${field}: ${reason}`));
};

const isAdapter = (value: unknown): value is GatewayAdapter<unknown> =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as { id?: unknown }).id === 'string' &&
  typeof (value as { create?: unknown }).create === 'function' &&
  typeof (value as { configCodec?: { decode?: unknown } }).configCodec?.decode === 'function';

/**
 * Builds an adapter whose `create` decodes its argument first, so a JavaScript caller passing a
 * config straight to `adapter.create` gets the same `InvalidInput` as through the registry.
 */
export const defineAdapter = <Config>(spec: GatewayAdapter<Config>): GatewayAdapter<Config> => {
  if (!isAdapter(spec)) {
    const refused = invalidInput('adapter', 'must be { id, configCodec, create }');
    return { id: '', configCodec: { name: 'refused', decode: () => E.left([]) } as unknown as t.Decoder<unknown, Config>, create: () => E.left(refused) };
  }
  return {
    id: spec.id,
    configCodec: spec.configCodec,
    create: (config) => E.flatMap(spec.create)(decodeConfig(spec.configCodec, spec.id, config)),
  };
};

export const createRegistry = (adapters: ReadonlyArray<GatewayAdapter<unknown>>): Registry => {
  if (!Array.isArray(adapters) || !adapters.every(isAdapter)) {
    const refused = invalidInput('adapters', 'must be an array of adapters ({ id, configCodec, create })');
    return { providers: [], create: () => E.left(refused) };
  }
  const byId = new Map(adapters.map((adapter) => [adapter.id, adapter] as const));
  const providers = [...byId.keys()];
  return {
    providers,
    create: (config) => {
      if (typeof config !== 'object' || config === null || Array.isArray(config)) {
        return E.left(invalidInput('(root)', 'config must be an object with a "provider" field'));
      }
      const provider = (config as { provider?: unknown }).provider;
      if (typeof provider !== 'string') {
        return E.left(invalidInput('provider', `must be one of ${providers.map((p) => `"${p}"`).join(', ')}`));
      }
      const adapter = byId.get(provider);
      if (adapter === undefined) {
        return E.left(
          invalidInput('provider', `unknown provider "${provider.slice(0, 40)}"; known: ${providers.join(', ') || 'none'}`),
        );
      }
      return E.flatMap((decoded: unknown) => adapter.create(decoded))(decodeConfig(adapter.configCodec, provider, config));
    },
  };
};
