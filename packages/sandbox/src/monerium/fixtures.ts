import { composeIBAN, friendlyFormatIBAN } from 'ibantools';
import { privateKeyToAccount } from 'viem/accounts';
import type { Random } from '../context.js';
import { formatAmount } from './amounts.js';
import type { Ledger } from './ledger.js';
import {
  type Chain,
  type Currency,
  type MoneriumOrder,
  type MoneriumProfile,
  type MoneriumToken,
  type OrderKind,
  type OrderState,
  type Permission,
  rfc3339,
  SANDBOX_NETWORKS,
  SYSTEM_ID,
} from './model.js';
import type { OrderBook } from './order-book.js';
import { opaque } from './payload.js';

export interface ProfileAccess {
  readonly id: string;
  readonly perms: ReadonlyArray<Permission>;
}

export interface MoneriumUserFixture {
  readonly userId: string;
  readonly email: string;
  readonly password: string;
  readonly name: string;
  readonly defaultProfile: string;
  readonly profiles: ReadonlyArray<ProfileAccess>;
}

/** A linked address with the throwaway key that controls it, so tests and demos can sign. */
export interface MoneriumAddressFixture {
  readonly profile: string;
  readonly address: `0x${string}`;
  readonly privateKey: `0x${string}`;
  readonly chains: ReadonlyArray<Chain>;
}

export interface MoneriumBalanceFixture {
  readonly address: string;
  readonly chain: Chain;
  readonly network: string;
  readonly currency: Currency;
  readonly amount: string;
}

/** A public client: authorization code flow with PKCE, no secret. */
export interface MoneriumPublicClient {
  readonly clientId: string;
  readonly name: string;
  readonly redirectUris: ReadonlyArray<string>;
}

/** A partner's confidential client: client credentials, acting for the profiles that authorized it. */
export interface MoneriumConfidentialClient extends MoneriumPublicClient {
  readonly clientSecret: string;
  readonly userId: string;
  readonly email: string;
  /** The partner's own profile, returned as `profile` by the token endpoint. */
  readonly profile: string;
  readonly profiles: ReadonlyArray<ProfileAccess>;
}

/** Everything seeded into the Monerium emulator; all of it (secrets included) follows from the seed. */
export interface MoneriumFixtures {
  /** `users[0]` holds a personal profile (KYC confirmed/approved); `users[1]` a corporate one. */
  readonly users: ReadonlyArray<MoneriumUserFixture>;
  readonly profiles: ReadonlyArray<MoneriumProfile>;
  readonly addresses: ReadonlyArray<MoneriumAddressFixture>;
  readonly balances: ReadonlyArray<MoneriumBalanceFixture>;
  readonly clients: { readonly public: MoneriumPublicClient; readonly confidential: MoneriumConfidentialClient };
  /** The seeded orders, newest first, as they were at start. */
  readonly orders: ReadonlyArray<MoneriumOrder>;
  readonly tokens: ReadonlyArray<MoneriumToken>;
  readonly networks: Readonly<Record<Chain, string>>;
}

/** The token list exactly as documented for the sandbox (`GET /tokens`). */
export const DOCUMENTED_TOKENS: ReadonlyArray<MoneriumToken> = [
  { currency: 'eur', ticker: 'EUR', symbol: 'EURe', chain: 'ethereum', network: 'rinkeby', address: '0x25c13fc529dc4afe4d488bd1f2ee5e1ec4918e0b', decimals: 18 },
  { currency: 'gbp', ticker: 'GBP', symbol: 'GBPe', chain: 'ethereum', network: 'rinkeby', address: '0x01df10e345d0364d3a5b8422a66af6305803bd1e', decimals: 18 },
  { currency: 'isk', ticker: 'ISK', symbol: 'ISKe', chain: 'ethereum', network: 'rinkeby', address: '0x0c9d7a0d8bf4bc9d15f577bbf650ebc8044a71db', decimals: 18 },
  { currency: 'usd', ticker: 'USD', symbol: 'USDe', chain: 'ethereum', network: 'rinkeby', address: '0x09c0a236e1227500f495cb0731c4af69b49639a5', decimals: 18 },
];

/** Seeded history starts here, well before any real "now", so new orders always sort first. */
const HISTORY_START = Date.UTC(2023, 0, 2, 9, 0, 0);
const SEEDED_ORDERS = 30;

const digits = (random: Random, n: number): string => {
  let out = '';
  for (let i = 0; i < n; i++) out += Math.floor(random.next() * 10).toString();
  return out;
};

const pick = <A>(random: Random, items: ReadonlyArray<A>): A => {
  const item = items[Math.floor(random.next() * items.length)];
  if (item === undefined) throw new Error('pick from an empty list');
  return item;
};

/** A valid Icelandic IBAN (Monerium's home) with a correct mod-97 check. */
const icelandicIban = (random: Random): string => {
  const iban = composeIBAN({ countryCode: 'IS', bban: digits(random, 22) });
  if (iban === null) throw new Error('could not compose an IBAN');
  return iban;
};

const germanIban = (random: Random): string => {
  const iban = composeIBAN({ countryCode: 'DE', bban: digits(random, 18) });
  if (iban === null) throw new Error('could not compose an IBAN');
  return iban;
};

const privateKey = (random: Random): { privateKey: `0x${string}`; address: `0x${string}` } => {
  for (;;) {
    const key: `0x${string}` = `0x${random.hex(32)}`;
    try {
      return { privateKey: key, address: privateKeyToAccount(key).address };
    } catch {
      // Out of the secp256k1 range (about 1 in 2^128): draw again.
    }
  }
};

const cents = (random: Random, min: number, max: number): bigint => BigInt(min * 100 + Math.floor(random.next() * (max - min) * 100));

/** Builds the seeded world into `ledger` and `book` and returns what tests may read of it. */
export const seedFixtures = (random: Random, ledger: Ledger, book: OrderBook): MoneriumFixtures => {
  const aliceId = random.uuid();
  const bobId = random.uuid();
  const personal: MoneriumProfile = { id: random.uuid(), name: 'Alice Andersen', kind: 'personal', kyc: { state: 'confirmed', outcome: 'approved' }, accounts: [] };
  const acme: MoneriumProfile = { id: random.uuid(), name: 'ACME INC', kind: 'corporate', kyc: { state: 'confirmed', outcome: 'approved' }, accounts: [] };
  const bobPersonal: MoneriumProfile = { id: random.uuid(), name: 'Bob Brown', kind: 'personal', kyc: { state: 'submitted', outcome: 'unknown' }, accounts: [] };
  for (const profile of [personal, acme, bobPersonal]) ledger.addProfile(profile);

  const users: MoneriumUserFixture[] = [
    {
      userId: aliceId,
      email: 'alice@example.com',
      password: `sandbox-${random.hex(6)}`,
      name: 'Alice Andersen',
      defaultProfile: personal.id,
      profiles: [{ id: personal.id, perms: ['read', 'write'] }],
    },
    {
      userId: bobId,
      email: 'bob@acme.example.com',
      password: `sandbox-${random.hex(6)}`,
      name: 'Bob Brown',
      defaultProfile: acme.id,
      profiles: [
        { id: acme.id, perms: ['read', 'write'] },
        { id: bobPersonal.id, perms: ['read', 'write'] },
      ],
    },
  ];

  const layout: ReadonlyArray<{ profile: MoneriumProfile; by: string; chains: ReadonlyArray<Chain> }> = [
    { profile: personal, by: aliceId, chains: ['ethereum', 'gnosis'] },
    { profile: personal, by: aliceId, chains: ['polygon'] },
    { profile: acme, by: bobId, chains: ['ethereum', 'polygon'] },
    { profile: acme, by: bobId, chains: ['gnosis'] },
  ];
  const addresses: MoneriumAddressFixture[] = [];
  const balances: MoneriumBalanceFixture[] = [];
  layout.forEach(({ profile, by, chains }, index) => {
    const key = privateKey(random);
    ledger.link(profile.id, key.address, chains, [], by, rfc3339(HISTORY_START - 86_400_000));
    chains.forEach((chain, chainIndex) => {
      // The first chain of each address carries the address's IBAN; euros arrive there by SEPA.
      const bank = chainIndex === 0 ? { standard: 'iban' as const, iban: icelandicIban(random) } : {};
      ledger.openAccount(profile.id, key.address, chain, 'eur', bank);
      ledger.adjust(key.address, chain, 'eur', cents(random, 5_000, 50_000));
      if (profile.kind === 'corporate' && index === 2 && chainIndex === 0) {
        ledger.openAccount(profile.id, key.address, chain, 'gbp', { standard: 'scan', sortCode: digits(random, 6), accountNumber: digits(random, 8) });
        ledger.adjust(key.address, chain, 'gbp', cents(random, 1_000, 10_000));
      }
    });
    addresses.push({ profile: profile.id, address: key.address, privateKey: key.privateKey, chains });
  });

  const publicClient: MoneriumPublicClient = {
    clientId: random.uuid(),
    name: 'Sandbox Web App',
    redirectUris: ['http://127.0.0.1/callback', 'http://localhost/callback', 'https://app.example.com/monerium/callback'],
  };
  const confidential: MoneriumConfidentialClient = {
    clientId: random.uuid(),
    clientSecret: random.hex(32),
    name: 'ACME Partner Backend',
    redirectUris: ['http://127.0.0.1/callback'],
    userId: random.uuid(),
    email: 'partner@acme.example.com',
    profile: acme.id,
    profiles: [
      { id: acme.id, perms: ['read', 'write'] },
      { id: personal.id, perms: ['read', 'write'] },
    ],
  };

  seedOrders(random, ledger, book, addresses, users);

  for (const address of addresses) {
    for (const chain of address.chains) {
      for (const account of ledger.profile(address.profile)?.accounts ?? []) {
        if (account.address !== address.address || account.chain !== chain) continue;
        balances.push({
          address: address.address,
          chain,
          network: SANDBOX_NETWORKS[chain],
          currency: account.currency,
          amount: formatAmount(ledger.balance(address.address, chain, account.currency)),
        });
      }
    }
  }

  return {
    users,
    profiles: [personal, acme, bobPersonal].map((profile) => structuredClone(profile)),
    addresses,
    balances,
    clients: { public: publicClient, confidential },
    orders: book.list({}, () => true),
    tokens: DOCUMENTED_TOKENS,
    networks: SANDBOX_NETWORKS,
  };
};

const PAYERS: ReadonlyArray<{ firstName: string; lastName: string }> = [
  { firstName: 'Jon', lastName: 'Jonsson' },
  { firstName: 'Maria', lastName: 'Garcia' },
  { firstName: 'Anna', lastName: 'Schmidt' },
];
const COMPANIES: ReadonlyArray<string> = ['Globex GmbH', 'Initech ehf.', 'Umbrella SA'];
const REJECTIONS: ReadonlyArray<string> = ['IBAN does not match beneficiary name', 'Payment returned by the beneficiary bank'];

/** The first eight orders (four per profile) take each state once; the rest are drawn. */
const seededState = (random: Random, index: number): OrderState => {
  const cycle: ReadonlyArray<OrderState> = ['processed', 'rejected', 'pending', 'placed'];
  const draw = random.next();
  const fixed = cycle[Math.floor(index / 2)];
  if (fixed !== undefined) return fixed;
  return draw < 0.6 ? 'processed' : draw < 0.75 ? 'rejected' : draw < 0.9 ? 'pending' : 'placed';
};

/** Orders alternate between the two users' profiles, six hours apart, in every state. */
const seedOrders = (
  random: Random,
  ledger: Ledger,
  book: OrderBook,
  addresses: ReadonlyArray<MoneriumAddressFixture>,
  users: ReadonlyArray<MoneriumUserFixture>,
): void => {
  for (let i = 0; i < SEEDED_ORDERS; i++) {
    const user = users[i % users.length];
    if (user === undefined) continue;
    const own = addresses.filter((a) => a.profile === user.defaultProfile);
    const address = pick(random, own);
    const chain = pick(random, address.chains);
    const kind: OrderKind = random.next() < 0.5 ? 'issue' : 'redeem';
    const state = seededState(random, i);
    const placedAtMs = HISTORY_START + i * 6 * 3_600_000 + Math.floor(random.next() * 60) * 60_000;
    const account = ledger.account(address.address, chain, 'eur');
    const person = pick(random, PAYERS);
    const company = random.next() < 0.4 ? pick(random, COMPANIES) : undefined;
    const iban = random.next() < 0.5 ? germanIban(random) : (friendlyFormatIBAN(germanIban(random)) ?? '');
    const details =
      company !== undefined
        ? { name: company, companyName: company }
        : { name: `${person.firstName} ${person.lastName}`, firstName: person.firstName, lastName: person.lastName };
    const order: MoneriumOrder = {
      id: random.uuid(),
      profile: user.defaultProfile,
      accountId: account?.id ?? '',
      address: address.address,
      kind,
      chain,
      network: SANDBOX_NETWORKS[chain],
      amount: formatAmount(BigInt(10 + Math.floor(random.next() * 990)) * 100n),
      currency: 'eur',
      counterpart: { identifier: { standard: 'iban', iban }, details },
      ...(i % 3 === 0 ? { memo: `Invoice ${1000 + i}` } : {}),
      ...(state === 'rejected' ? { rejectedReason: pick(random, REJECTIONS) } : {}),
      txHashes: state === 'pending' || state === 'processed' ? [`0x${random.hex(32)}`] : [],
      meta: {
        state,
        placedBy: kind === 'issue' ? SYSTEM_ID : user.userId,
        placedAt: rfc3339(placedAtMs),
        ...(state === 'processed' ? { approvedAt: rfc3339(placedAtMs + 120_000) } : {}),
        ...(state === 'rejected' ? { rejectedAt: rfc3339(placedAtMs + 840_000) } : {}),
        cursor: opaque(random),
      },
    };
    book.seed(order, placedAtMs);
  }
};
