// Names packages/token-store-redis/README.md takes as given; see samples.test.ts.
export {};
declare const clientId: string;
declare const clientSecret: string;
declare const store: import('@paygate/token-store-redis').RedisTokenStore;
declare const tokens: import('@paygate/core').TokenSet;
declare const refreshedFrom: import('@paygate/core').TokenSet;
declare const renewed: import('@paygate/core').TokenSet;
