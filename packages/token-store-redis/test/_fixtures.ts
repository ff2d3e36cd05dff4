import * as E from 'fp-ts/lib/Either.js';
import type { GatewayError, TokenSet } from '@paygate/core';
import { buildRedisTokenStore, type RedisTokenStore, type RedisTokenStoreOptions } from '../src/index.js';

export const sampleTokens = (suffix = ''): TokenSet => ({
  accessToken: `access-token-${suffix}-Zq81`,
  tokenType: 'Bearer',
  refreshToken: `refresh-token-${suffix}-Pw93`,
  expiresAt: 1_900_000_000_000,
  scope: 'orders:read',
  extra: { profile: 'profile-1', userId: 'user-1' },
});

/** Builds a store the test expects to be valid; a bad option fails the test with the error. */
export const storeFor = (options: RedisTokenStoreOptions): RedisTokenStore => {
  const created = buildRedisTokenStore(options);
  if (E.isLeft(created)) throw new Error(`buildRedisTokenStore failed: ${created.left.message}`);
  return created.right;
};

export const right = <A>(result: E.Either<GatewayError, A>): A => {
  if (E.isLeft(result)) throw new Error(`expected Right, got ${JSON.stringify(result.left)}`);
  return result.right;
};

export const left = <A>(result: E.Either<GatewayError, A>): GatewayError => {
  if (E.isRight(result)) throw new Error(`expected Left, got Right ${JSON.stringify(result.right)}`);
  return result.left;
};
