import type { MoneyButtonClient } from './fixtures.js';
import { secretsEqual } from './secret-compare.js';

export interface BasicCredentials {
  readonly clientId: string;
  readonly clientSecret: string;
}

export type BasicHeader =
  | { readonly kind: 'absent' }
  | { readonly kind: 'malformed' }
  | { readonly kind: 'present'; readonly credentials: BasicCredentials };

const BASIC = /^Basic[ ]+([A-Za-z0-9+/]+=*)[ ]*$/i;

/** `application/x-www-form-urlencoded` decoding of one component, undefined when malformed. */
function formDecode(value: string): string | undefined {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}

/**
 * RFC 6749 §2.3.1: the client id and secret are form-urlencoded, joined by `:` and base64-encoded,
 * so a secret holding `:` or `%` arrives escaped and is decoded here, after the split.
 */
export function basicCredentialsOf(header: string | undefined): BasicHeader {
  if (header === undefined || !/^Basic\b/i.test(header)) return { kind: 'absent' };
  const encoded = BASIC.exec(header)?.[1];
  if (encoded === undefined) return { kind: 'malformed' };
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return { kind: 'malformed' };
  const clientId = formDecode(decoded.slice(0, colon));
  const clientSecret = formDecode(decoded.slice(colon + 1));
  if (clientId === undefined || clientSecret === undefined) return { kind: 'malformed' };
  return { kind: 'present', credentials: { clientId, clientSecret } };
}

export function clientById(clients: ReadonlyArray<MoneyButtonClient>, clientId: string): MoneyButtonClient | undefined {
  return clients.find((client) => client.clientId === clientId);
}

/** The client when the id is known and the secret matches (compared in constant time). */
export function authenticateClient(
  clients: ReadonlyArray<MoneyButtonClient>,
  clientId: string,
  clientSecret: string,
): MoneyButtonClient | undefined {
  const client = clientById(clients, clientId);
  // Compare even for unknown ids so the timing does not tell which ids exist.
  const matches = secretsEqual(clientSecret, client?.clientSecret ?? '');
  return client !== undefined && matches ? client : undefined;
}
