import type { Sandbox } from '@paygate/sandbox';
import type { JobHooks } from './job.js';
import { DEFAULT_DISPLAY, DEFAULT_LANG, type Env, type JobSettings, keyPathFrom } from './settings.js';

/** The platform this example registers its key under in the sandbox (the seeded `paygate` platform keeps its own). */
export const SANDBOX_PLATFORM = 'platform-jwt-example';

/** A loopback landing page: the sandbox accepts http only there. Nothing needs to listen on it. */
export const SANDBOX_LANDING = 'http://127.0.0.1/checkout-done';

export interface SandboxJob {
  readonly settings: JobSettings;
  readonly hooks: JobHooks;
}

/**
 * The job pointed at a running sandbox: its MoneyNS API and checkout page, its active seeded
 * user, and a hook that registers whatever key the job uses (generated or reused) as
 * `SANDBOX_PLATFORM` for that user, as a platform enrolment with MoneyNS would.
 * MONEYNS_PLATFORM_KEY_PATH, CHECKOUT_LANDING, CHECKOUT_LANG and CHECKOUT_DISPLAY still apply.
 */
export const sandboxJob = (sandbox: Sandbox, env: Env, cwd: string): SandboxJob => {
  const email = sandbox.fixtures.moneyns.users.active.email;
  const display = env.CHECKOUT_DISPLAY === 'dark' ? 'dark' : DEFAULT_DISPLAY;
  return {
    settings: {
      keyPath: keyPathFrom(env, cwd),
      platform: SANDBOX_PLATFORM,
      email,
      baseUrl: `${sandbox.urls.moneyns}/api/v1`,
      checkoutUrl: `${sandbox.urls.moneyns}/checkout`,
      landing: env.CHECKOUT_LANDING ?? SANDBOX_LANDING,
      lang: env.CHECKOUT_LANG ?? DEFAULT_LANG,
      display,
    },
    hooks: {
      register: (platform, publicKeyPem) => sandbox.admin.moneyns.registerPlatform(platform, publicKeyPem, { userEmails: [email] }),
    },
  };
};
