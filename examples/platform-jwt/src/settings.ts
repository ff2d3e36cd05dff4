import { isAbsolute, resolve } from 'node:path';
import { type GatewayError, invalidInput } from '@paygate/core';
import { CHECKOUT_DISPLAYS, type CheckoutDisplay } from '@paygate/moneyns';
import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';

export type Env = Readonly<Record<string, string | undefined>>;

/** Everything the job needs; from environment variables, or from a sandbox with `--sandbox`. */
export interface JobSettings {
  /** Where the platform's private key is, or will be written. */
  readonly keyPath: string;
  /** The platform code MoneyNS knows the key by (`/authenticate-jwt/{platform}`). */
  readonly platform: string;
  /** The MoneyNS user the platform logs in as. */
  readonly email: string;
  /** Default: the adapter's production API. */
  readonly baseUrl?: string;
  /** Default: the adapter's production checkout page. */
  readonly checkoutUrl?: string;
  /** Where the checkout page sends the user when done (the token's `redirect_url`). */
  readonly landing: string;
  /** What the checkout buys: CHECKOUT_SYMBOL (default `ETH`) for CHECKOUT_AMOUNT (default `10`). */
  readonly symbol: string;
  readonly amount: string;
  readonly lang: string;
  readonly display: CheckoutDisplay;
}

export const DEFAULT_KEY_PATH = 'platform-key.pem';
export const DEFAULT_LANG = 'en';
export const DEFAULT_DISPLAY: CheckoutDisplay = 'light';
export const DEFAULT_SYMBOL = 'ETH';
export const DEFAULT_AMOUNT = '10';

/** The variable each setting comes from, so that an adapter's complaint about a field names what to fix. */
export const ENV_OF_FIELD: Readonly<Record<string, string>> = {
  platformKey: 'MONEYNS_PLATFORM_KEY_PATH',
  'auth.privateKeyPem': 'MONEYNS_PLATFORM_KEY_PATH',
  'auth.platform': 'MONEYNS_PLATFORM',
  platform: 'MONEYNS_PLATFORM',
  'auth.subject': 'MONEYNS_EMAIL',
  'auth.subject.email': 'MONEYNS_EMAIL',
  baseUrl: 'MONEYNS_BASE_URL',
  checkoutUrl: 'MONEYNS_CHECKOUT_URL',
  landing: 'CHECKOUT_LANDING',
  lang: 'CHECKOUT_LANG',
  display: 'CHECKOUT_DISPLAY',
  redirect_url: 'CHECKOUT_LANDING',
  'payment.amount': 'CHECKOUT_AMOUNT',
  'payment.symbol': 'CHECKOUT_SYMBOL',
};

const required = (env: Env, name: string): E.Either<GatewayError, string> => {
  const value = env[name];
  return value === undefined || value === '' ? E.left(invalidInput(name, 'is not set')) : E.right(value);
};

const optional = (env: Env, name: string): string | undefined => {
  const value = env[name];
  return value === undefined || value === '' ? undefined : value;
};

export interface CheckoutPreferences {
  readonly lang: string;
  readonly display: CheckoutDisplay;
  readonly symbol: string;
  readonly amount: string;
}

/**
 * CHECKOUT_LANG (default `en`), CHECKOUT_DISPLAY (default `light`), CHECKOUT_SYMBOL (default
 * `ETH`) and CHECKOUT_AMOUNT (default `10`); the adapter checks the language and the amount.
 */
export const checkoutPreferencesFrom = (env: Env): E.Either<GatewayError, CheckoutPreferences> => {
  const lang = optional(env, 'CHECKOUT_LANG') ?? DEFAULT_LANG;
  const display = optional(env, 'CHECKOUT_DISPLAY') ?? DEFAULT_DISPLAY;
  const symbol = optional(env, 'CHECKOUT_SYMBOL') ?? DEFAULT_SYMBOL;
  const amount = optional(env, 'CHECKOUT_AMOUNT') ?? DEFAULT_AMOUNT;
  return (CHECKOUT_DISPLAYS as ReadonlyArray<string>).includes(display)
    ? E.right({ lang, display: display as CheckoutDisplay, symbol, amount })
    : E.left(invalidInput('CHECKOUT_DISPLAY', `must be one of ${CHECKOUT_DISPLAYS.join(', ')}`));
};

/** The key path as given, or ./platform-key.pem; relative paths start at `cwd`. */
export const keyPathFrom = (env: Env, cwd: string): string => {
  const path = optional(env, 'MONEYNS_PLATFORM_KEY_PATH') ?? DEFAULT_KEY_PATH;
  return isAbsolute(path) ? path : resolve(cwd, path);
};

/**
 * Settings from the environment: MONEYNS_PLATFORM, MONEYNS_EMAIL and CHECKOUT_LANDING are
 * required; MONEYNS_PLATFORM_KEY_PATH, MONEYNS_BASE_URL, MONEYNS_CHECKOUT_URL, CHECKOUT_LANG and
 * CHECKOUT_DISPLAY are optional. A missing one is an `InvalidInput` whose field is the variable.
 */
export const settingsFromEnv = (env: Env, cwd: string): E.Either<GatewayError, JobSettings> => {
  const baseUrl = optional(env, 'MONEYNS_BASE_URL');
  const checkoutUrl = optional(env, 'MONEYNS_CHECKOUT_URL');
  return pipe(
    E.Do,
    E.bind('platform', () => required(env, 'MONEYNS_PLATFORM')),
    E.bind('email', () => required(env, 'MONEYNS_EMAIL')),
    E.bind('landing', () => required(env, 'CHECKOUT_LANDING')),
    E.bind('preferences', () => checkoutPreferencesFrom(env)),
    E.map(({ platform, email, landing, preferences }) => ({
      keyPath: keyPathFrom(env, cwd),
      platform,
      email,
      landing,
      ...preferences,
      ...(baseUrl === undefined ? {} : { baseUrl }),
      ...(checkoutUrl === undefined ? {} : { checkoutUrl }),
    })),
  );
};
