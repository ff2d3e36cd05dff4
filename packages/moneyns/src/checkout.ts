import { type GatewayError, invalidInput, isLoopbackHost, pathSegment } from '@paygate/core';
import * as E from 'fp-ts/lib/Either.js';

/**
 * Where the hosted checkout page lives. The provider pages we implement from do not name it, so
 * this default is an assumption: set `checkoutUrl` to the address your MoneyNS enrolment gives
 * you. The sandbox serves its stand-in at `${sandbox.urls.moneyns}/checkout`.
 */
export const DEFAULT_CHECKOUT_URL = 'https://checkout.cryptocoin.pro/';

/** The checkout page's themes. */
export const CHECKOUT_DISPLAYS = ['light', 'dark'] as const;
export type CheckoutDisplay = (typeof CHECKOUT_DISPLAYS)[number];

export interface CheckoutOptions {
  /** ISO 639-1 language of the page, two letters (`en`, `de`, `ro`). */
  readonly lang: string;
  /** The page's theme: `light` or `dark`. */
  readonly display: CheckoutDisplay;
  /** Where the page sends the user when done: absolute https URL (http only on loopback). */
  readonly landing: string;
  /** Overrides the platform code (required when the client logs in as a user, not a platform). */
  readonly platform?: string;
}

const LANG = /^[a-z]{2}$/;

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

interface ValidCheckout {
  readonly lang: string;
  readonly display: CheckoutDisplay;
  readonly landing: string;
  readonly platform: string;
}

/** Every parameter checked before a session is even looked up. */
export const validateCheckoutOptions = (
  options: unknown,
  defaultPlatform: string | undefined,
): E.Either<GatewayError, ValidCheckout> => {
  if (typeof options !== 'object' || options === null) {
    return E.left(invalidInput('options', 'must be { lang, display, landing }'));
  }
  const { lang, display, landing, platform } = options as Partial<Record<keyof CheckoutOptions, unknown>>;
  if (typeof lang !== 'string' || !LANG.test(lang)) {
    return E.left(invalidInput('lang', 'must be a two-letter lower-case ISO 639-1 code'));
  }
  if (typeof display !== 'string' || !(CHECKOUT_DISPLAYS as ReadonlyArray<string>).includes(display)) {
    return E.left(invalidInput('display', `must be one of ${CHECKOUT_DISPLAYS.join(', ')}`));
  }
  if (typeof landing !== 'string') return E.left(invalidInput('landing', 'must be an absolute URL'));
  const landingUrl = parseSecureUrl(landing, 'landing');
  if (E.isLeft(landingUrl)) return landingUrl;
  const code = platform ?? defaultPlatform;
  if (code === undefined) {
    return E.left(invalidInput('platform', 'is required when the client logs in as a user rather than a platform'));
  }
  const checkedCode = pathSegment(code, 'platform');
  if (E.isLeft(checkedCode)) return checkedCode;
  return E.right({ lang, display: display as CheckoutDisplay, landing, platform: checkedCode.right });
};

/** The page address with `platform`, `token`, `lang`, `display`, `landing` (NOTES.md, MoneyNS). */
export const buildCheckoutUrl = (checkoutBase: URL, checkout: ValidCheckout, token: string): string => {
  const url = new URL(checkoutBase.href);
  url.searchParams.set('platform', checkout.platform);
  url.searchParams.set('token', token);
  url.searchParams.set('lang', checkout.lang);
  url.searchParams.set('display', checkout.display);
  url.searchParams.set('landing', checkout.landing);
  return url.href;
};
