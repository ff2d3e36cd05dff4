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

export const createRegistry = (adapters: ReadonlyArray<GatewayAdapter<unknown>>): Registry => {
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
          invalidInput('provider', `unknown provider "${provider}"; known: ${providers.join(', ') || 'none'}`),
        );
      }
      const decoded = decodeWith(adapter.configCodec, provider)(config);
      if (E.isLeft(decoded)) {
        const error = decoded.left;
        const field = error._tag === 'DecodeError' ? error.path || '(root)' : '(root)';
        // Decode messages start with their own path ("auth.clientSecret: expected string…"); the
        // path is `field` already, so the reason keeps only what is wrong.
        const first = error._tag === 'DecodeError' ? (error.errors[0] ?? 'invalid') : error.message;
        const reason = first.startsWith(`${field}: `) ? first.slice(field.length + 2) : first;
        return E.left(invalidInput(field, reason, `Invalid ${provider} config at ${field}: ${reason}`));
      }
      return adapter.create(decoded.right);
    },
  };
};
