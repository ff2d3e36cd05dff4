import { type GatewayError, invalidInput, isLoopbackHost, pathSegment } from '@paygate/core';
import * as E from 'fp-ts/lib/Either.js';
import type { CheckoutTokenInput } from './checkout-token.js';

/**
 * Where the hosted checkout page lives. The provider's docs leave the "Checkout Base URL" blank;
 * these hosts are the ones a third-party integration uses (moneyns-public.md §1), so they stay a
 * documented choice: set `checkoutUrl` to the address your MoneyNS enrolment gives you.
 */
export const DEFAULT_CHECKOUT_URL = 'https://checkout.cryptocoin.pro/';
export const DEVELOPMENT_CHECKOUT_URL = 'https://dev-checkout.infra.cryptocoin.pro/';

/** The checkout page's languages (`lang`, default `en`). */
export const CHECKOUT_LANGS = ['ro', 'en', 'de'] as const;
export type CheckoutLang = (typeof CHECKOUT_LANGS)[number];

/** The checkout page's themes (`display`, default `light`). */
export const CHECKOUT_DISPLAYS = ['light', 'dark'] as const;
export type CheckoutDisplay = (typeof CHECKOUT_DISPLAYS)[number];

export interface CheckoutOptions {
  /** What the page is for: signed into the `token` parameter (see `buildCheckoutToken`). */
  readonly token: CheckoutTokenInput;
  /** `ro`, `en` or `de`; default `en`. */
  readonly lang?: CheckoutLang;
  /** `light` or `dark`; default `light`. */
  readonly display?: CheckoutDisplay;
  /** `true` skips the checkout's landing page; default `false`. */
  readonly landing?: boolean;
  /** Overrides the platform code (required when the client logs in as a user, not a platform). */
  readonly platform?: string;
}


/** Parses an absolute https URL (or http on loopback) with no embedded credentials. */
export const parseSecureUrl = (value: unknown, field: string): E.Either<GatewayError, URL> => {
  if (typeof value !== 'string' || value.length === 0) return E.left(invalidInput(field, 'must be an absolute URL'));
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return E.left(invalidInput(field, 'must be an absolute URL'));
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackHost(url.hostname))) {
    return E.left(invalidInput(field, 'must use https (http only on a loopback host)'));
  }
  if (url.username !== '' || url.password !== '') {
    return E.left(invalidInput(field, 'must not contain credentials'));
  }
  return E.right(url);
};

export interface ValidCheckout {
  readonly lang: CheckoutLang;
  readonly display: CheckoutDisplay;
  readonly landing: boolean;
  readonly platform: string;
}

const oneOf = <A extends string>(values: ReadonlyArray<A>, value: unknown): value is A =>
  typeof value === 'string' && (values as ReadonlyArray<string>).includes(value);

/** Every page parameter checked (the token input is checked when it is signed). */
export const validateCheckoutOptions = (
  options: unknown,
  defaultPlatform: string | undefined,
): E.Either<GatewayError, ValidCheckout> => {
  if (typeof options !== 'object' || options === null) {
    return E.left(invalidInput('options', 'must be { token, lang?, display?, landing?, platform? }'));
  }
  const { lang = 'en', display = 'light', landing = false, platform } = options as Partial<Record<keyof CheckoutOptions, unknown>>;
  if (!oneOf(CHECKOUT_LANGS, lang)) return E.left(invalidInput('lang', `must be one of ${CHECKOUT_LANGS.join(', ')}`));
  if (!oneOf(CHECKOUT_DISPLAYS, display)) return E.left(invalidInput('display', `must be one of ${CHECKOUT_DISPLAYS.join(', ')}`));
  if (typeof landing !== 'boolean') return E.left(invalidInput('landing', 'must be a boolean (true skips the landing page)'));
  const code = platform ?? defaultPlatform;
  if (code === undefined) {
    return E.left(invalidInput('platform', 'is required when the client logs in as a user rather than a platform'));
  }
  const checkedCode = pathSegment(code, 'platform');
  if (E.isLeft(checkedCode)) return checkedCode;
  return E.right({ lang, display, landing, platform: checkedCode.right });
};

/** `<base>?lang=&display=&landing=&platform=&token=`, in the order a working integration sends them. */
export const buildCheckoutUrl = (checkoutBase: URL, checkout: ValidCheckout, token: string): string => {
  const url = new URL(checkoutBase.href);
  url.searchParams.set('lang', checkout.lang);
  url.searchParams.set('display', checkout.display);
  url.searchParams.set('landing', String(checkout.landing));
  url.searchParams.set('platform', checkout.platform);
  url.searchParams.set('token', token);
  return url.href;
};
