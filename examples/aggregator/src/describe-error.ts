import { type GatewayError, match } from '@paygate/core';

const optional = (label: string, value: string | number | undefined): string => (value === undefined ? '' : ` ${label}=${value}`);

/**
 * One line per error: the tag, the fields an operator acts on, then the message. Everything here
 * comes from the error's own fields, which core keeps free of tokens, secrets and keys.
 */
export const describeError: (error: GatewayError) => string = match<string>({
  InvalidInput: (e) => `InvalidInput ${e.field}: ${e.reason}`,
  AuthError: (e) => `AuthError ${e.reason}${optional('status', e.status)}${optional('oauth', e.oauthError)}: ${e.message}`,
  ProviderError: (e) => `ProviderError ${e.provider} ${e.status}${optional('code', e.code)}: ${e.message}`,
  DecodeError: (e) => `DecodeError ${e.provider} at ${e.path || '(root)'}: ${e.errors[0] ?? e.message}`,
  TransportError: (e) => `TransportError ${e.kind} after ${e.attempts} attempt(s)${optional('status', e.status)}: ${e.message}`,
  Unsupported: (e) => `Unsupported ${e.provider} ${e.capability}`,
});
