import { createMoneyNsEmulator } from '../src/moneyns/index.js';
import { startProvider, testPlatformKeyPair } from './_provider-harness.js';

/** The MoneyNS emulator under /moneyns with the test platform key pair; the session ttl only when a test sets it. */
export const startMoneyNs = (sessionTtlSeconds?: number) =>
  startProvider('/moneyns', (ctx) =>
    createMoneyNsEmulator(ctx, {
      platformKeyPair: testPlatformKeyPair(),
      ...(sessionTtlSeconds === undefined ? {} : { sessionTtlSeconds }),
    }),
  );

export type MoneyNsEmulator = Awaited<ReturnType<typeof startMoneyNs>>;
