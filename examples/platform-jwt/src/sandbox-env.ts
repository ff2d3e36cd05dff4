import { type GatewayError, invalidInput } from '@paygate/core';
import type { Sandbox } from '@paygate/sandbox';
import * as E from 'fp-ts/lib/Either.js';
import type { JobTarget } from './job.js';
import { type CheckoutPreferences, checkoutPreferencesFrom, type Env, keyPathFrom } from './settings.js';

/** The platform this example registers its key under in the sandbox (the seeded `paygate` platform keeps its own). */
export const SANDBOX_PLATFORM = 'platform-jwt-example';

/** A loopback landing page: the sandbox accepts http only there. Nothing needs to listen on it. */
export const SANDBOX_LANDING = 'http://127.0.0.1/checkout-done';

/**
 * The job pointed at a running sandbox: its MoneyNS API and checkout page, its active seeded
 * user, and registration of whatever key the job uses (generated or reused) as
 * `SANDBOX_PLATFORM` for that user, as a platform enrolment with MoneyNS would do.
 * MONEYNS_PLATFORM_KEY_PATH, CHECKOUT_LANDING, CHECKOUT_LANG and CHECKOUT_DISPLAY still apply.
 */
export const sandboxTarget = (sandbox: Sandbox, env: Env, cwd: string): E.Either<GatewayError, JobTarget> => {
  const email = sandbox.fixtures.moneyns.users.active.email;
  return E.map(
    (preferences: CheckoutPreferences): JobTarget => ({
      settings: {
        keyPath: keyPathFrom(env, cwd),
        platform: SANDBOX_PLATFORM,
        email,
        baseUrl: `${sandbox.urls.moneyns}/api/v1`,
        checkoutUrl: `${sandbox.urls.moneyns}/checkout`,
        landing: env.CHECKOUT_LANDING || SANDBOX_LANDING,
        ...preferences,
      },
      register: (publicKeyPem) =>
        E.tryCatch(
          () => sandbox.admin.moneyns.registerPlatform(SANDBOX_PLATFORM, publicKeyPem, { userEmails: [email] }),
          (error) => invalidInput('platformKey', `the sandbox refused the public key: ${error instanceof Error ? error.message : 'unknown error'}`),
        ),
    }),
  )(checkoutPreferencesFrom(env));
};
