import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { formatAmount, parseAmount } from '../monerium/amounts.js';
import { uploadedFile } from '../monerium/documents.js';
import { asObject, asString } from '../monerium/payload.js';
import { ADDRESS_FORMAT } from '../monerium/signatures.js';
import { mayRead, v2CallerOf, type V2Services } from './caller.js';
import { v2Error, v2NotFound, v2Validation } from './errors.js';
import type { MoneriumV2Country } from './fixtures.js';
import { chainFromRequest, timestamp, type V2File, V2_CHAINS, type V2Token } from './model.js';
import { v2Route } from './routing.js';

/** `POST /files` limit (fact sheet §3): 5 MB; the route's body limit leaves room for the multipart envelope. */
const FILE_LIMIT = 5 * 1024 * 1024;
const FILE_TYPES = ['application/pdf', 'image/jpeg'];
const SWAP_CHAIN = 'arbitrumsepolia';
/** Sandbox swap rates (the fact sheet gives no bodies for swaps): fixed, so tests can compute the result. */
const SWAP_RATES: Readonly<Record<string, string>> = { 'usdc/eure': '0.92', 'eure/usdc': '1.08' };
const SWAP_QUOTE_TTL_MS = 60_000;

type Query = Record<string, string | string[] | undefined>;

/** Tokens, countries, files, pending signatures, swaps and the welcome route. */
export const registerV2MiscRoutes = (
  app: FastifyInstance,
  services: V2Services,
  data: { readonly tokens: ReadonlyArray<V2Token>; readonly countries: ReadonlyArray<MoneriumV2Country> },
): void => {
  const { world } = services;
  const quotes = new Map<string, { chain: string; sell: string; buy: string; sellAmount: string; buyAmount: string; expiresAt: number; accepted: boolean }>();

  v2Route(app, 'GET', '/', async () => ({ message: 'Welcome to the Monerium sandbox API v2' }), { headerOptional: true });

  // Bearer per the OpenAPI, none from SDK 4: a token is checked when sent, and not required.
  v2Route(app, 'GET', '/tokens', async (request) => {
    if (request.headers.authorization !== undefined) v2CallerOf(services, request);
    return data.tokens;
  });

  v2Route(app, 'GET', '/countries', async () => ({ countries: data.countries, total: data.countries.length }), { headerOptional: true });

  v2Route(
    app,
    'POST',
    '/files',
    async (request) => {
      const caller = v2CallerOf(services, request);
      const file = await uploadedFile(request.body);
      const errors: Record<string, string> = {};
      if (!FILE_TYPES.includes(file.type)) errors.file = 'Must be a PDF or a JPEG';
      if (file.size > FILE_LIMIT) errors.file = 'At most 5 MB';
      if (file.name.length > 100) errors.file = 'The file name must be at most 100 characters';
      if (Object.keys(errors).length > 0) throw v2Validation(errors);
      const bytes = Buffer.from(await file.arrayBuffer());
      const now = timestamp(services.clockOf(request).now());
      const stored: V2File = {
        id: world.random.uuid(),
        name: file.name,
        type: file.type,
        size: bytes.length,
        hash: createHash('sha256').update(bytes).digest('hex'),
        meta: { uploadedBy: caller.userId, createdAt: now, updatedAt: now },
      };
      world.addFile(stored);
      return stored;
    },
    { headerOptional: true, bodyLimit: FILE_LIMIT + 64 * 1024 },
  );

  v2Route(app, 'GET', '/signatures', async (request, reply) => {
    const caller = v2CallerOf(services, request);
    const query = request.query as Query;
    const errors: Record<string, string> = {};
    const one = (name: string) => {
      const value = query[name];
      if (Array.isArray(value)) errors[name] = 'Must be given once';
      return Array.isArray(value) ? undefined : value;
    };
    const [address, chainText, kind, profile] = [one('address'), one('chain'), one('kind'), one('profile')];
    const chain = chainText === undefined ? undefined : chainFromRequest(chainText);
    if (chainText !== undefined && chain === undefined) errors.chain = `Must be one of ${V2_CHAINS.join(', ')}`;
    if (kind !== undefined && kind !== 'linkAddress' && kind !== 'order') errors.kind = 'Must be linkAddress or order';
    if (Object.keys(errors).length > 0) throw v2Validation(errors);
    const pending = world
      .pendingSignatures()
      .filter(
        (p) =>
          mayRead(caller, p.profile) &&
          (address === undefined || p.signature.address.toLowerCase() === address.toLowerCase()) &&
          (chain === undefined || p.signature.chain === chain) &&
          (kind === undefined || p.signature.kind === kind) &&
          (profile === undefined || p.profile === profile),
      )
      .map((p) => p.signature);
    return reply.header('x-total-count', String(pending.length)).send({ pending, total: pending.length });
  });

  v2Route(
    app,
    'GET',
    '/swap/:chain/:sell/:buy',
    async (request) => {
      v2CallerOf(services, request);
      const params = request.params as { chain: string; sell: string; buy: string };
      const query = request.query as Query;
      const chain = chainFromRequest(params.chain);
      const pair = `${params.sell.toLowerCase()}/${params.buy.toLowerCase()}`;
      const rate = SWAP_RATES[pair];
      const amountText = typeof query.amount === 'string' ? query.amount : '1';
      const cents = parseAmount(amountText);
      const errors: Record<string, string> = {};
      if (chain !== SWAP_CHAIN) errors.chain = `The sandbox swaps on ${SWAP_CHAIN} only`;
      if (rate === undefined) errors.pair = 'The sandbox swaps USDC ↔ EURe only';
      if (cents === undefined || cents === 0n) errors.amount = 'A positive decimal amount with at most two decimals';
      if (rate === undefined || cents === undefined || Object.keys(errors).length > 0) throw v2Validation(errors);
      const buyCents = (cents * BigInt(Math.round(Number(rate) * 100))) / 100n;
      const id = world.random.uuid();
      const expiresAt = services.clockOf(request).now() + SWAP_QUOTE_TTL_MS;
      const quote = { chain: SWAP_CHAIN, sell: params.sell, buy: params.buy, sellAmount: formatAmount(cents), buyAmount: formatAmount(buyCents), expiresAt, accepted: false };
      quotes.set(id, quote);
      return { id, chain: quote.chain, sell: { token: quote.sell, amount: quote.sellAmount }, buy: { token: quote.buy, amount: quote.buyAmount }, rate, expiresAt: timestamp(expiresAt) };
    },
    { headerOptional: true },
  );

  v2Route(
    app,
    'POST',
    '/swap/accept',
    async (request) => {
      v2CallerOf(services, request);
      const body = asObject(request.body);
      const id = asString(body?.id);
      const address = asString(body?.address);
      if (id === undefined) throw v2Validation({ id: 'The id of a swap preview is required' });
      if (address !== undefined && !ADDRESS_FORMAT.test(address)) throw v2Validation({ address: 'Must be a 0x-prefixed 20-byte hex address' });
      const quote = quotes.get(id);
      if (quote === undefined) throw v2NotFound('Swap', id);
      if (quote.accepted) throw v2Error(409, `Swap ${id} was already accepted`);
      if (services.clockOf(request).now() >= quote.expiresAt) throw v2Error(400, `Swap preview ${id} has expired`);
      quote.accepted = true;
      return { id, state: 'accepted', sell: { token: quote.sell, amount: quote.sellAmount }, buy: { token: quote.buy, amount: quote.buyAmount } };
    },
    { headerOptional: true },
  );
};
