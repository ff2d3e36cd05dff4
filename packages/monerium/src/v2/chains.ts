import * as E from 'fp-ts/lib/Either.js';
import * as t from 'io-ts/lib/index.js';
import { type GatewayError, invalidInput } from '@paygate/core';

/**
 * v2 names a blockchain with one `chain` name (v1.3 used `chain` + `network`). Each production
 * chain has a sandbox (testnet) twin; the EVM chain ids are what a SIWE message's `Chain ID`
 * carries. Fact sheet §1: the OpenAPI `Chain` enum, plus scroll (SDK, llms.txt) and camino (SDK).
 */
export const CHAINS = {
  ethereum: { sandbox: 'sepolia', id: 1, sandboxId: 11155111 },
  gnosis: { sandbox: 'chiado', id: 100, sandboxId: 10200 },
  polygon: { sandbox: 'amoy', id: 137, sandboxId: 80002 },
  arbitrum: { sandbox: 'arbitrumsepolia', id: 42161, sandboxId: 421614 },
  linea: { sandbox: 'lineasepolia', id: 59144, sandboxId: 59141 },
  base: { sandbox: 'basesepolia', id: 8453, sandboxId: 84532 },
  scroll: { sandbox: 'scrollsepolia', id: 534352, sandboxId: 534351 },
  camino: { sandbox: 'columbus', id: 500, sandboxId: 501 },
  // Cosmos: no EVM chain id. The sandbox said `noble` before 2025-07-17.
  noble: { sandbox: 'grand', id: undefined, sandboxId: undefined },
} as const satisfies Record<string, { sandbox: string; id: number | undefined; sandboxId: number | undefined }>;

export type ProductionChain = keyof typeof CHAINS;
export type SandboxChain = (typeof CHAINS)[ProductionChain]['sandbox'];
/** A chain name Monerium documents, production or sandbox. */
export type Chain = ProductionChain | SandboxChain;

const PRODUCTION = new Set<string>(Object.keys(CHAINS));
const SANDBOX = new Map<string, ProductionChain>(
  (Object.entries(CHAINS) as Array<[ProductionChain, (typeof CHAINS)[ProductionChain]]>).map(([name, c]) => [c.sandbox, name]),
);

/** Which API the client talks to: production chain names there, testnet names in the sandbox. */
export type ChainEnvironment = 'production' | 'sandbox';

/** A production chain name (`ethereum`, `gnosis`, …). */
export const isProductionChain = (name: string): name is ProductionChain => PRODUCTION.has(name);
/** A sandbox (testnet) chain name (`sepolia`, `chiado`, …). */
export const isSandboxChain = (name: string): name is SandboxChain => SANDBOX.has(name);
/** Any chain name Monerium documents, production or sandbox. */
export const isKnownChain = (name: string): name is Chain => isProductionChain(name) || isSandboxChain(name);

/** `ethereum` → `sepolia`, `sepolia` → `sepolia`; undefined for a name we do not know. */
export const sandboxChainOf = (name: string): SandboxChain | undefined =>
  isProductionChain(name) ? CHAINS[name].sandbox : isSandboxChain(name) ? name : undefined;

/** `sepolia` → `ethereum`, `ethereum` → `ethereum`; undefined for a name we do not know. */
export const productionChainOf = (name: string): ProductionChain | undefined =>
  isProductionChain(name) ? name : SANDBOX.get(name);

/** The EVM chain id of a chain name (production or sandbox); undefined for noble/grand or unknown names. */
export const chainIdOf = (name: string): number | undefined => {
  const production = productionChainOf(name);
  if (production === undefined) return undefined;
  return isProductionChain(name) ? CHAINS[production].id : CHAINS[production].sandboxId;
};

/**
 * The name to send for `chain` in `environment`. The SDK rewrites production names to testnet
 * names in the sandbox and whether the sandbox accepts production names is unknown (§8), so we
 * do the same: either name is accepted from the caller, the environment's name is sent. A
 * testnet name is refused in production (it would be a different chain there).
 */
export const chainFor = (name: unknown, environment: ChainEnvironment, field = 'chain'): E.Either<GatewayError, Chain> => {
  if (typeof name !== 'string' || !isKnownChain(name)) {
    return E.left(invalidInput(field, `must be a Monerium chain name (${[...PRODUCTION].join(', ')} or their testnets)`));
  }
  if (environment === 'sandbox') return E.right(sandboxChainOf(name) ?? name);
  return isProductionChain(name) ? E.right(name) : E.left(invalidInput(field, `"${name}" is a testnet; use a production chain name`));
};

/**
 * Chain names as Monerium returns them. Decoded leniently: a chain added after this release is
 * kept as the string it is rather than failing the whole response.
 */
export const ChainNameCodec = t.string;
