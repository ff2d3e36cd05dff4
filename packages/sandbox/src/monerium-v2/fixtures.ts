import { composeIBAN, friendlyFormatIBAN } from 'ibantools';
import { getAddress } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import type { Random } from '../context.js';
import { formatAmount, parseAmount } from '../monerium/amounts.js';
import type { MoneriumFixtures } from '../monerium/fixtures.js';
import type { Chain } from '../monerium/model.js';
import {
  PERSONAL_VERIFICATIONS,
  CORPORATE_VERIFICATIONS,
  type ProfileKind,
  type SectionState,
  timestamp,
  type V2Chain,
  type V2Currency,
  type V2Iban,
  type V2Order,
  type V2OrderState,
  type V2Profile,
  type V2Token,
} from './model.js';
import type { V2AppClient, V2CredentialsClient, World } from './world.js';

/** An EOA linked on v2 chains, with its throwaway key (the v1.3 fixture addresses, chains renamed). */
export interface MoneriumV2AddressFixture {
  readonly profile: string;
  readonly address: `0x${string}`;
  readonly privateKey: `0x${string}`;
  readonly chains: ReadonlyArray<V2Chain>;
}

/** A Safe linked to a profile: its owners' keys sign off-chain; `"0x"` means "signed on chain" (202). */
export interface MoneriumV2SafeFixture {
  readonly profile: string;
  readonly address: `0x${string}`;
  readonly chains: ReadonlyArray<V2Chain>;
  readonly threshold: number;
  readonly owners: ReadonlyArray<{ readonly address: `0x${string}`; readonly privateKey: `0x${string}` }>;
}

/** A country of `GET /countries`, risk per nationality and residency. */
export interface MoneriumV2Country {
  readonly name: string;
  readonly code: string;
  readonly nationality: 'low' | 'medium' | 'high' | 'prohibited';
  readonly residency: 'low' | 'medium' | 'high' | 'prohibited';
}

/** Everything seeded into the v2 emulator; it follows from the seed like the v1.3 fixtures. */
export interface MoneriumV2Fixtures {
  /** The v1.3 users (same ids, emails and passwords): Alice (personal, approved) and Bob (ACME, approved; a personal profile pending). */
  readonly users: ReadonlyArray<{ readonly userId: string; readonly email: string; readonly password: string; readonly name: string; readonly defaultProfile: string }>;
  /** Same ids as the v1.3 profiles, in the v2 shape. */
  readonly profiles: ReadonlyArray<V2Profile>;
  readonly addresses: ReadonlyArray<MoneriumV2AddressFixture>;
  readonly safe: MoneriumV2SafeFixture;
  readonly ibans: ReadonlyArray<V2Iban>;
  readonly balances: ReadonlyArray<{ readonly address: string; readonly chain: V2Chain; readonly currency: V2Currency; readonly amount: string }>;
  /** Seeded history, newest first. */
  readonly orders: ReadonlyArray<V2Order>;
  readonly clients: {
    /** The authorization code app (PKCE and SIWE). */
    readonly app: Readonly<V2AppClient & { privacyPolicyUrl: string; termsUrl: string }>;
    /** A Private app's client credentials: acts for ACME and Alice; may manage webhooks. */
    readonly private: Readonly<Omit<V2CredentialsClient, 'profiles' | 'defaultProfile'>>;
    /** A Whitelabel app's client credentials: onboards profiles (`POST /profiles`, …) and manages webhooks. */
    readonly whitelabel: Readonly<Omit<V2CredentialsClient, 'profiles' | 'defaultProfile'>>;
  };
  readonly tokens: ReadonlyArray<V2Token>;
  readonly countries: ReadonlyArray<MoneriumV2Country>;
}

/** v1.3 chain → the v2 sandbox chain of the same network family. */
const RENAMED: Readonly<Record<Chain, V2Chain>> = { ethereum: 'sepolia', gnosis: 'chiado', polygon: 'amoy' };

/** The sandbox EURe on sepolia as the live-sandbox test saw it; the other token addresses are the sandbox's own. */
const SEPOLIA_EURE = '0x67b34b93ac295c985e856E5B8A20D83026b580Eb';

const COUNTRIES: ReadonlyArray<MoneriumV2Country> = [
  { name: 'Iceland', code: 'IS', nationality: 'low', residency: 'low' },
  { name: 'Germany', code: 'DE', nationality: 'low', residency: 'low' },
  { name: 'France', code: 'FR', nationality: 'low', residency: 'low' },
  { name: 'Estonia', code: 'EE', nationality: 'low', residency: 'low' },
  { name: 'United Kingdom', code: 'GB', nationality: 'low', residency: 'medium' },
  { name: 'United States', code: 'US', nationality: 'medium', residency: 'prohibited' },
  { name: 'Turkey', code: 'TR', nationality: 'high', residency: 'high' },
  { name: 'Iran', code: 'IR', nationality: 'prohibited', residency: 'prohibited' },
];

const digits = (random: Random, n: number): string => {
  let out = '';
  for (let i = 0; i < n; i++) out += Math.floor(random.next() * 10).toString();
  return out;
};

const freshKey = (random: Random): { address: `0x${string}`; privateKey: `0x${string}` } => {
  for (;;) {
    const privateKey: `0x${string}` = `0x${random.hex(32)}`;
    try {
      return { privateKey, address: privateKeyToAccount(privateKey).address };
    } catch {
      // Outside the secp256k1 range: draw again.
    }
  }
};

/** A space-grouped IBAN as the v2 API returns them (fact sheet §3, IBANs). */
export const newIban = (random: Random): string => {
  const iban = composeIBAN({ countryCode: 'IS', bban: digits(random, 22) });
  if (iban === null) throw new Error('could not compose an IBAN');
  return friendlyFormatIBAN(iban) ?? iban;
};

/** The sandbox's BIC for the IBANs it hands out (the real one is not in the fact sheet). */
export const SANDBOX_BIC = 'MNRMISRESBX';

/** A profile whose every section is in `state`. */
export const profileIn = (id: string, kind: ProfileKind, name: string, state: SectionState | 'created'): V2Profile => {
  const section: SectionState = state === 'created' ? 'incomplete' : state;
  const kinds = kind === 'personal' ? PERSONAL_VERIFICATIONS : CORPORATE_VERIFICATIONS;
  return {
    id,
    kind,
    name,
    state,
    details: { state: section },
    form: { state: section },
    verifications: kinds.map((k) => ({ kind: k, state: section })),
  };
};

const HISTORY_START = Date.UTC(2025, 0, 6, 9, 0, 0);
const SEEDED_ORDERS = 12;

/** Builds the v2 world from the v1.3 fixtures (same people, profiles and keys) and returns what tests may read of it. */
export const seedV2 = (random: Random, world: World, v1: MoneriumFixtures): MoneriumV2Fixtures => {
  const [personalV1, acmeV1, bobPersonalV1] = v1.profiles;
  if (personalV1 === undefined || acmeV1 === undefined || bobPersonalV1 === undefined) throw new Error('the v1.3 fixtures lack profiles');
  const profiles = [
    profileIn(personalV1.id, 'personal', personalV1.name, 'approved'),
    profileIn(acmeV1.id, 'corporate', acmeV1.name, 'approved'),
    profileIn(bobPersonalV1.id, 'personal', bobPersonalV1.name, 'pending'),
  ];
  for (const profile of profiles) world.addProfile(structuredClone(profile));
  for (const user of v1.users) {
    world.users.push({
      userId: user.userId,
      email: user.email,
      password: user.password,
      name: user.name,
      defaultProfile: user.defaultProfile,
      profiles: user.profiles.map((p) => ({ id: p.id, perms: [...p.perms] })),
    });
  }

  const addresses = v1.addresses.map((a) => ({ profile: a.profile, address: a.address, privateKey: a.privateKey, chains: a.chains.map((c) => RENAMED[c]) }));
  for (const a of addresses) {
    const by = v1.users.find((u) => u.profiles.some((p) => p.id === a.profile))?.userId ?? '';
    for (const chain of a.chains) world.link(a.profile, a.address, chain, by);
  }
  for (const b of v1.balances) world.adjust(b.address, RENAMED[b.chain], b.currency, parseAmount(b.amount) ?? 0n);

  const owners = [freshKey(random), freshKey(random)];
  const safe: MoneriumV2SafeFixture = {
    profile: personalV1.id,
    address: getAddress(`0x${random.hex(20)}`),
    chains: ['chiado'],
    threshold: 2,
    owners,
  };
  world.safes.push({ address: safe.address, owners: owners.map((o) => o.address), threshold: safe.threshold });
  world.link(safe.profile, safe.address, 'chiado', v1.users[0]?.userId ?? '');
  world.adjust(safe.address, 'chiado', 'eur', 250_000n);

  const ibans: V2Iban[] = [];
  const alice = addresses.find((a) => a.profile === personalV1.id);
  const acme = addresses.find((a) => a.profile === acmeV1.id);
  for (const [owner, profile] of [
    [alice, personalV1],
    [acme, acmeV1],
  ] as const) {
    const chain = owner?.chains[0];
    if (owner === undefined || chain === undefined) continue;
    const iban: V2Iban = { iban: newIban(random), name: profile.name, bic: SANDBOX_BIC, profile: profile.id, address: owner.address, chain, state: 'approved', emailNotifications: true };
    world.putIban(structuredClone(iban));
    ibans.push(iban);
  }

  const app = {
    clientId: random.uuid(),
    name: 'Sandbox v2 App',
    partnerId: random.uuid(),
    redirectUris: ['http://127.0.0.1/callback', 'http://localhost/callback', 'https://app.example.com/monerium/callback'],
    privacyPolicyUrl: 'https://app.example.com/privacy',
    termsUrl: 'https://app.example.com/terms',
  };
  world.apps.push(app);
  const privateApp: V2CredentialsClient = {
    clientId: random.uuid(),
    clientSecret: random.hex(32),
    name: 'ACME Private App',
    userId: random.uuid(),
    email: 'private-app@acme.example.com',
    whitelabel: false,
    defaultProfile: acmeV1.id,
    profiles: [
      { id: acmeV1.id, perms: ['read', 'write'] },
      { id: personalV1.id, perms: ['read', 'write'] },
    ],
  };
  const partnerProfile = profileIn(random.uuid(), 'corporate', 'Whitelabel Partner ehf.', 'approved');
  world.addProfile(partnerProfile);
  profiles.push(structuredClone(partnerProfile));
  const whitelabel: V2CredentialsClient = {
    clientId: random.uuid(),
    clientSecret: random.hex(32),
    name: 'Whitelabel Partner',
    userId: random.uuid(),
    email: 'partner@whitelabel.example.com',
    whitelabel: true,
    defaultProfile: partnerProfile.id,
    profiles: [{ id: partnerProfile.id, perms: ['read', 'write'] }],
  };
  world.credentialClients.push(privateApp, whitelabel);

  const tokens = seedTokens(random);
  seedOrders(random, world, addresses, [personalV1.id, acmeV1.id]);

  const balances = addresses.flatMap((a) =>
    a.chains.flatMap((chain) =>
      (['eur', 'gbp'] as const)
        .filter((currency) => world.balance(a.address, chain, currency) > 0n)
        .map((currency) => ({ address: a.address, chain, currency, amount: formatAmount(world.balance(a.address, chain, currency)) })),
    ),
  );

  const { profiles: _p, defaultProfile: _d, ...privatePublic } = privateApp;
  const { profiles: _wp, defaultProfile: _wd, ...whitelabelPublic } = whitelabel;
  return {
    users: world.users.map((u) => ({ userId: u.userId, email: u.email, password: u.password, name: u.name, defaultProfile: u.defaultProfile })),
    profiles,
    addresses,
    safe,
    ibans,
    balances,
    orders: world.allOrders(),
    clients: { app, private: privatePublic, whitelabel: whitelabelPublic },
    tokens,
    countries: COUNTRIES,
  };
};

const seedTokens = (random: Random): V2Token[] => {
  const tokens: V2Token[] = [];
  const evm: ReadonlyArray<V2Chain> = ['sepolia', 'chiado', 'amoy', 'arbitrumsepolia', 'lineasepolia', 'basesepolia'];
  for (const chain of evm) {
    for (const [currency, symbol] of [
      ['eur', 'EURe'],
      ['gbp', 'GBPe'],
      ['usd', 'USDe'],
      ['isk', 'ISKe'],
    ] as const) {
      const address = chain === 'sepolia' && currency === 'eur' ? SEPOLIA_EURE : getAddress(`0x${random.hex(20)}`);
      tokens.push({ currency, ticker: currency.toUpperCase(), symbol, chain, address, decimals: '18' });
    }
  }
  return tokens;
};

const PEOPLE: ReadonlyArray<{ firstName: string; lastName: string; country: string }> = [
  { firstName: 'Jon', lastName: 'Jonsson', country: 'IS' },
  { firstName: 'Maria', lastName: 'Garcia', country: 'ES' },
  { firstName: 'Anna', lastName: 'Schmidt', country: 'DE' },
];

const germanIban = (random: Random): string => composeIBAN({ countryCode: 'DE', bban: digits(random, 18) }) ?? '';

/** Redeems (SEPA and cross-chain) and issues, in every state, alternating between Alice and ACME. */
const seedOrders = (random: Random, world: World, addresses: ReadonlyArray<MoneriumV2AddressFixture>, owners: ReadonlyArray<string>): void => {
  const states: ReadonlyArray<V2OrderState> = ['processed', 'rejected', 'pending', 'placed'];
  for (let i = 0; i < SEEDED_ORDERS; i++) {
    const profile = owners[i % owners.length] ?? '';
    const own = addresses.filter((a) => a.profile === profile);
    const source = own[i % own.length];
    const chain = source?.chains[0];
    if (source === undefined || chain === undefined) continue;
    const state = states[Math.floor(i / 2) % states.length] ?? 'processed';
    const placedAtMs = HISTORY_START + i * 6 * 3_600_000;
    const person = PEOPLE[i % PEOPLE.length] ?? { firstName: 'Jon', lastName: 'Jonsson', country: 'IS' };
    const amount = formatAmount(BigInt(10 + Math.floor(random.next() * 990)) * 100n);
    const variant = i % 3;
    const target = addresses.find((a) => a.address !== source.address);
    const counterpart: V2Order['counterpart'] =
      variant === 0
        ? { identifier: { standard: 'iban', iban: germanIban(random) }, details: { firstName: person.firstName, lastName: person.lastName, country: person.country } }
        : variant === 1 && target !== undefined
          ? { identifier: { standard: 'chain', address: target.address, chain: target.chains[0] ?? chain }, details: {} }
          : { identifier: { standard: 'iban', iban: germanIban(random) }, details: { name: `${person.firstName} ${person.lastName}` } };
    const kind: V2Order['kind'] = variant === 2 ? 'issue' : 'redeem';
    const order: V2Order = {
      id: random.uuid(),
      kind,
      profile,
      address: source.address,
      chain,
      currency: 'eur',
      amount,
      counterpart,
      memo: i % 4 === 0 ? `Invoice ${2000 + i}` : 'Powered by Monerium',
      ...(i % 4 === 0 ? { referenceNumber: `RF${2000 + i}` } : {}),
      state,
      meta: {
        placedAt: timestamp(placedAtMs),
        ...(state === 'processed' ? { processedAt: timestamp(placedAtMs + 120_000) } : {}),
        ...(state === 'rejected' ? { rejectedReason: 'Payment returned by the beneficiary bank' } : {}),
        ...(state === 'pending' || state === 'processed' ? { txHashes: [`0x${random.hex(32)}`] } : {}),
      },
    };
    world.seedOrder(order, placedAtMs);
  }
};
