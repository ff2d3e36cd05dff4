export type { EncryptionKey, EncryptionKeys } from './encryption.js';
export { STORE_NAME } from './errors.js';
export { buildRedisTokenStore, createRedisTokenStore, DEFAULTS, type RedisTokenStore, type RedisTokenStoreOptions } from './store.js';
export { createRedisDeliveryDedupe, type RedisDeliveryDedupe, type RedisDeliveryDedupeOptions } from './delivery-dedupe.js';
