import type { SupportingDocument } from '../monerium/documents.js';

/** The JSON shapes of Monerium API v2 as the sandbox serves them (shared/provider-docs/monerium-v2.md). */

/** `Accept` value that selects API v2 (fact sheet §1). */
export const V2_MEDIA_TYPE = 'application/vnd.monerium.api-v2+json';

/** True when an `Accept` header lists the v2 media type (case-insensitive, parameters ignored). */
export const acceptsV2 = (accept: string | undefined): boolean =>
  accept?.split(',').some((part) => part.split(';')[0]?.trim().toLowerCase() === V2_MEDIA_TYPE) === true;

/**
 * The chains of the OpenAPI `Chain` enum, by the name the sandbox answers with (testnets, §1),
 * with the production name a request may use instead and the EVM chain id (none for Cosmos).
 */
export const CHAIN_TABLE = [
  { name: 'sepolia', production: 'ethereum', chainId: 11155111 },
  { name: 'chiado', production: 'gnosis', chainId: 10200 },
  { name: 'amoy', production: 'polygon', chainId: 80002 },
  { name: 'arbitrumsepolia', production: 'arbitrum', chainId: 421614 },
  { name: 'lineasepolia', production: 'linea', chainId: 59141 },
  { name: 'basesepolia', production: 'base', chainId: 84532 },
  { name: 'grand', production: 'noble', chainId: undefined },
] as const;

export type V2Chain = (typeof CHAIN_TABLE)[number]['name'];
export const V2_CHAINS: ReadonlyArray<V2Chain> = CHAIN_TABLE.map((c) => c.name);

/** A chain name from a request: a sandbox name, or a production name mapped to its sandbox twin. */
export const chainFromRequest = (value: unknown): V2Chain | undefined =>
  typeof value === 'string' ? CHAIN_TABLE.find((c) => c.name === value || c.production === value)?.name : undefined;

export const evmChainId = (chain: V2Chain): number | undefined => CHAIN_TABLE.find((c) => c.name === chain)?.chainId;

export const chainOfEvmId = (id: number): V2Chain | undefined => CHAIN_TABLE.find((c) => c.chainId === id)?.name;

export type V2Currency = 'eur' | 'usd' | 'gbp' | 'isk';
export const V2_CURRENCIES: ReadonlyArray<V2Currency> = ['eur', 'usd', 'gbp', 'isk'];

export type ProfileState = 'created' | 'incomplete' | 'pending' | 'approved' | 'rejected';
export type SectionState = 'incomplete' | 'pending' | 'approved' | 'rejected';
export type ProfileKind = 'personal' | 'corporate';

export const PROFILE_STATES: ReadonlyArray<ProfileState> = ['created', 'incomplete', 'pending', 'approved', 'rejected'];
export const PERSONAL_VERIFICATIONS = ['idDocument', 'facialSimilarity', 'proofOfResidency', 'sourceOfFunds'] as const;
export const CORPORATE_VERIFICATIONS = [
  'sourceOfFunds',
  'corporateName',
  'corporateAddress',
  'registrationNumber',
  'dateOfRegistration',
  'beneficialOwnership',
  'powerOfAttorney',
] as const;
export const DOCUMENT_KINDS = [
  'passport',
  'nationalIdentityCard',
  'drivingLicense',
  'residencePermit',
  'proofOfResidency',
  'sourceOfFunds',
  'companyFilePDF',
  'other',
] as const;

/** `GET /profiles/{id}`. */
export interface V2Profile {
  id: string;
  kind: ProfileKind;
  name: string;
  state: ProfileState;
  details: { state: SectionState };
  form: { state: SectionState };
  verifications: Array<{ kind: string; state: SectionState }>;
}

/** `GET /addresses/{address}`. */
export interface V2Address {
  profile: string;
  address: string;
  chains: V2Chain[];
}

export type IbanState = 'requested' | 'approved' | 'pending' | 'rejected' | 'closed';

/** `GET /ibans/{iban}`: the six OpenAPI fields plus the SDK's `state` and `emailNotifications`. */
export interface V2Iban {
  iban: string;
  name: string;
  bic: string;
  profile: string;
  address: string;
  chain: V2Chain;
  state: IbanState;
  emailNotifications: boolean;
}

export type V2OrderState = 'placed' | 'pending' | 'processed' | 'rejected';
export const V2_ORDER_STATES: ReadonlyArray<V2OrderState> = ['placed', 'pending', 'processed', 'rejected'];

export type CounterpartIdentifier =
  | { standard: 'iban'; iban: string }
  | { standard: 'chain'; address: string; chain: V2Chain }
  | { standard: 'account'; accountNumber: string; address: string; bic?: string };

export type CounterpartDetails =
  | { firstName: string; lastName: string; country: string }
  | { companyName: string; country: string }
  | { name: string; address?: string }
  | Record<string, never>;

/** `GET /orders/{id}`. */
export interface V2Order {
  id: string;
  kind: 'issue' | 'redeem';
  profile: string;
  address: string;
  chain: V2Chain;
  currency: V2Currency;
  amount: string;
  counterpart: { identifier: CounterpartIdentifier; details: CounterpartDetails };
  memo: string;
  referenceNumber?: string;
  state: V2OrderState;
  meta: {
    placedAt: string;
    processedAt?: string;
    rejectedReason?: string;
    supportingDocumentId?: string;
    txHashes?: string[];
  };
}

/** `GET /tokens` entries: no `network` in v2; `decimals` is a string as the OpenAPI types it. */
export interface V2Token {
  currency: V2Currency;
  ticker: string;
  symbol: string;
  chain: V2Chain;
  address: string;
  decimals: string;
}

/** `POST /files` answer: the same file object v1.3 answered for supporting documents. */
export type V2File = SupportingDocument;

/** One entry of `GET /signatures`: an on-chain (Safe) signature Monerium is waiting for. */
export interface PendingSignature {
  id?: string;
  kind: 'linkAddress' | 'order';
  chain: V2Chain;
  address: string;
  amount?: string;
  counterpart?: V2Order['counterpart'];
  currency?: V2Currency;
  message?: string;
  createdAt: string;
}

export const WEBHOOK_TYPES = ['iban.updated', 'order.created', 'order.updated', 'profile.updated', 'profile.error'] as const;
export type WebhookType = (typeof WEBHOOK_TYPES)[number];
/** Types a subscription gets when it names none (fact sheet §5). */
export const DEFAULT_WEBHOOK_TYPES: ReadonlyArray<WebhookType> = ['iban.updated', 'profile.updated'];

/** `GET /webhooks` entries (the secret is never shown again). */
export interface WebhookSubscription {
  id: string;
  url: string;
  types: WebhookType[];
  state: 'active' | 'inactive';
}

/** Per-user permission on a profile, as in `/auth/context` `profiles[].perms`. */
export interface V2ProfileAccess {
  readonly id: string;
  readonly perms: ReadonlyArray<'read' | 'write'>;
}

/** RFC 3339 UTC with microseconds, as in the OpenAPI `TimeStamp` example. */
export const timestamp = (ms: number): string => new Date(ms).toISOString().replace(/Z$/, '000Z');
