import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import test from 'ava';

const execFileAsync = promisify(execFile);

// Runs the BUILT package under plain node (no tsx loader, no NODE_OPTIONS), through its exports
// map, against the built sandbox: a user login and a signed checkout URL (which needs no login).
test('the built package imports and logs in under plain node', async (t) => {
  const script = `
    import * as moneyns from '@paygate/moneyns';
    import { startSandbox } from '@paygate/sandbox';
    const sandbox = await startSandbox({ providers: ['moneyns'] });
    try {
      const { users, platform } = sandbox.fixtures.moneyns;
      const baseUrl = sandbox.urls.moneyns + '/api/v1';
      const checkoutUrl = sandbox.urls.moneyns + '/checkout';
      const user = moneyns.createMoneyNsClient({ baseUrl, auth: { email: users.active.email, password: users.active.password } });
      const viaPlatform = moneyns.createMoneyNsClient({
        baseUrl, checkoutUrl,
        auth: { platform: platform.name, privateKeyPem: platform.privateKeyPem, subject: { email: users.active.email } },
      });
      const userId = await user.right.userId()();
      const token = { kind: 'purchase', link: { id: 'u-1' }, payment: { operation: 'buy_with_fiat', symbol: 'ETH', amount: '10' } };
      const url = await viaPlatform.right.checkoutUrl({ token })();
      const bad = await viaPlatform.right.checkoutUrl({ token, lang: 'english' })();
      console.log(JSON.stringify({
        userId: userId.right === users.active.id,
        checkout: url._tag === 'Right' && new URL(url.right).searchParams.get('platform') === platform.name,
        bad: bad._tag === 'Left' && bad.left._tag,
        adapter: moneyns.adapter.id,
        capabilities: [...moneyns.MONEYNS_CAPABILITIES],
        requests: sandbox.admin.requests().map((r) => r.path),
      }));
    } finally {
      await sandbox.close();
    }
  `;
  const { stdout } = await execFileAsync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: new URL('..', import.meta.url),
    env: { PATH: process.env.PATH ?? '' },
    encoding: 'utf8',
    timeout: 30_000,
  });
  t.deepEqual(JSON.parse(stdout), {
    userId: true,
    checkout: true,
    bad: 'InvalidInput',
    adapter: 'moneyns',
    capabilities: ['checkout'],
    requests: ['/api/v1/authenticate'],
  });
});
