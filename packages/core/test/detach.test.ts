import test from 'ava';
import { detach } from '../src/detach.js';

const noUnhandled = (t: import('ava').ExecutionContext) => {
  const seen: unknown[] = [];
  const listener = (reason: unknown) => seen.push(reason);
  process.on('unhandledRejection', listener);
  t.teardown(() => process.off('unhandledRejection', listener));
  return seen;
};

test('a synchronous throw or a rejection in detached work reaches onFailure, never unhandledRejection', async (t) => {
  const unhandled = noUnhandled(t);
  const failures: unknown[] = [];
  await new Promise<void>((resolve) => {
    detach(
      () => {
        throw new Error('sync');
      },
      (e) => failures.push(e),
    );
    detach(
      () => Promise.reject(new Error('async')),
      (e) => {
        failures.push(e);
        resolve();
      },
    );
  });
  t.deepEqual(
    failures.map((e) => (e as Error).message),
    ['sync', 'async'],
  );
  detach(
    () => Promise.reject(new Error('again')),
    () => {
      throw new Error('the failure callback throws too');
    },
  );
  await new Promise((resolve) => setTimeout(resolve, 20));
  t.deepEqual(unhandled, []);
});
