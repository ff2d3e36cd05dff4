// Run as a child process: takes a session's lock, reports it, then holds it until killed.
import * as E from 'fp-ts/lib/Either.js';
import { createRedisTokenStore } from '../src/index.js';

const [url, key, ttl] = process.argv.slice(2);
const store = createRedisTokenStore({ redis: url ?? '' });
const lock = await store.lock(key ?? '', Number(ttl))();
process.send?.(E.isRight(lock) ? { locked: true } : { locked: false, error: lock.left });
setInterval(() => undefined, 60_000);
