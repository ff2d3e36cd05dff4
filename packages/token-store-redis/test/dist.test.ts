import { execFileSync } from 'node:child_process';
import test from 'ava';
import { sharedRedis } from './_redis.js';

const redis = sharedRedis();

// Runs the BUILT package under plain node (no tsx loader, no NODE_OPTIONS), through its exports map.
test('the built package imports and runs under plain node', (t) => {
  const script = `
    import { createRedisTokenStore } from '@paygate/token-store-redis';
    const store = createRedisTokenStore({ redis: process.argv[1], encryptionKey: '${'ab'.repeat(32)}' });
    const tokens = { accessToken: 'a', tokenType: 'Bearer', extra: { profile: 'p' } };
    const wrote = await store.set('dist:key', tokens, 10000)();
    const read = await store.get('dist:key')();
    const lock = await store.lock('dist:key', 1000)();
    const released = lock._tag === 'Right' ? await lock.right.release()() : lock;
    await store.close()();
    console.log(JSON.stringify({ wrote: wrote._tag, read, released: released._tag }));
  `;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script, redis.url], {
    cwd: new URL('..', import.meta.url),
    env: { PATH: process.env.PATH ?? '' },
    encoding: 'utf8',
  });
  t.deepEqual(JSON.parse(out), {
    wrote: 'Right',
    read: { _tag: 'Right', right: { accessToken: 'a', tokenType: 'Bearer', extra: { profile: 'p' } } },
    released: 'Right',
  });
});
