import type { Balance, Payment, PaymentsGateway } from '@paygate/core';
import * as E from 'fp-ts/lib/Either.js';
import { createMoneriumClient, moneriumGateway, type Order, signerFromViemAccount } from '@paygate/monerium';
import { completeAuthorizationHeadless, type Sandbox } from '@paygate/sandbox';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { step, unwrap } from './run.js';
import { heading, table } from './table.js';

// Any loopback port is accepted for a registered loopback redirect URI (RFC 8252 §7.3).
const REDIRECT_URI = 'http://127.0.0.1:8123/callback';
const BENEFICIARY_IBAN = 'GR16 0110 1250 0000 0001 2300 695';

export const balancesTable = (balances: ReadonlyArray<Balance>): string =>
  table(
    ['account', 'chain', 'currency', 'amount'],
    balances.map((b) => [b.account ?? '-', b.chain ?? '-', b.currency, b.amount]),
  );

export const paymentsTable = (payments: ReadonlyArray<Payment>): string =>
  table(
    ['id', 'status', 'direction', 'amount', 'created'],
    payments.map((p) => [p.id, p.status, p.direction ?? '-', `${p.amount.amount} ${p.amount.currency}`, p.createdAt]),
  );

/** Subscribes, prints each matching event as it comes, and resolves once `count` arrived. */
const collectEvents = (
  gateway: PaymentsGateway<Order>,
  accept: (order: Order) => boolean,
  count: number,
  log: (line: string) => void,
  timeoutMs: number,
): { live: Promise<void>; ready: Promise<ReadonlyArray<Order>>; stop: () => Promise<void> } => {
  const seen: Order[] = [];
  const started = Date.now();
  let timer: NodeJS.Timeout | undefined;
  let settle: (result: E.Either<Error, ReadonlyArray<Order>>) => void = () => undefined;
  const ready = new Promise<ReadonlyArray<Order>>((resolve, reject) => {
    settle = (result) => (E.isRight(result) ? resolve(result.right) : reject(result.left));
  });
  timer = setTimeout(() => settle(E.left(new Error(`waited ${timeoutMs} ms for ${count} order events, got ${seen.length}`))), timeoutMs);
  let onLive: () => void = () => undefined;
  const live = new Promise<void>((resolve) => {
    onLive = resolve;
  });
  const subscription = unwrap(
    'watch orders',
    gateway.watch((event) => {
      const order = event.payment.raw;
      if (!accept(order)) return;
      seen.push(order);
      log(`  … ${((Date.now() - started) / 1000).toFixed(1)}s  ${order.kind} order ${order.id.slice(0, 8)} is ${order.meta.state}`);
      if (seen.length >= count) {
        clearTimeout(timer);
        settle(E.right(seen));
      }
    }, { onLive: () => onLive() }),
  );
  return {
    live,
    ready,
    stop: async () => {
      clearTimeout(timer);
      timer = undefined;
      await subscription.unsubscribe();
    },
  };
};

/**
 * Monerium: a user signs in with PKCE (the sandbox's consent page, driven headless), the app
 * reads balances and orders, links a freshly generated address, receives e-money on it, and
 * redeems part of it to an IBAN with an order signed by that throwaway key.
 */
export const moneriumDemo = async (sandbox: Sandbox, log: (line: string) => void): Promise<void> => {
  const fixtures = sandbox.fixtures.monerium;
  const user = fixtures.users[0];
  if (user === undefined) throw new Error('the sandbox has no Monerium user');
  log(heading('Monerium'));

  const client = unwrap(
    'Monerium client',
    createMoneriumClient({
      environment: { baseUrl: sandbox.urls.monerium },
      auth: { kind: 'authorization_code', clientId: fixtures.clients.public.clientId, redirectUri: REDIRECT_URI, scope: 'orders:read orders:write' },
    }),
  );
  const pending = unwrap('authorization URL', client.authorizationUrl());
  const callback = await completeAuthorizationHeadless(pending.url, { email: user.email, password: user.password, redirectUri: REDIRECT_URI });
  const session = await step('sign in (PKCE)', client.finishAuthorization(callback, pending));
  log(`signed in as ${user.email} (profile ${session.profile ?? user.defaultProfile})`);

  const account = privateKeyToAccount(generatePrivateKey());
  const signer = signerFromViemAccount(account);
  const chain = 'gnosis';
  const network = fixtures.networks[chain];
  await step('link a throwaway address', client.linkAddress(user.defaultProfile, { chain, network, signer }));
  log(`linked throwaway address ${account.address} on ${chain}/${network}`);

  const gateway = moneriumGateway(client, { signer, address: account.address, chain, network, profile: user.defaultProfile });

  log('\nwaiting for an incoming SEPA payment of 100 EUR to that address:');
  const ours = (kind: Order['kind']) => (order: Order) => order.kind === kind && order.address.toLowerCase() === account.address.toLowerCase();
  const incoming = collectEvents(gateway, ours('issue'), 3, log, 20_000);
  await incoming.live;
  sandbox.admin.monerium.placeIssueOrder({ profile: user.defaultProfile, address: account.address, amount: '100', currency: 'eur', chain });
  await incoming.ready;
  await incoming.stop();

  log('\nbalances:');
  log(balancesTable(await step('balances', gateway.balances())));
  const page = await step('payments', gateway.payments({ limit: 5 }));
  log('\nlatest payments:');
  log(paymentsTable(page.items));

  log(`\nredeeming 25 EUR to ${BENEFICIARY_IBAN}, signed by ${account.address}:`);
  const outgoing = collectEvents(gateway, ours('redeem'), 3, log, 20_000);
  await outgoing.live;
  const order = await step(
    'place redeem order',
    gateway.pay({ amount: '25', currency: 'EUR', to: { kind: 'iban', iban: BENEFICIARY_IBAN, name: 'Demo Beneficiary' }, memo: 'paygate demo' }),
  );
  const states = (await outgoing.ready).filter((o) => o.id === order.id).map((o) => o.meta.state);
  await outgoing.stop();
  log(`order ${order.id} went ${states.join(' → ')}`);
  if (states.join(',') !== 'placed,pending,processed') throw new Error(`unexpected order states: ${states.join(', ')}`);
};
