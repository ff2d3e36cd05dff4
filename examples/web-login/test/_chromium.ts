import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';

/**
 * CHROMIUM_PATH, else `chromium` on PATH (the Debian package, which the root test command's
 * scripts/system-deps.mjs installs); playwright-core drives it, nothing is downloaded.
 */
const EXECUTABLE =
  process.env.CHROMIUM_PATH ??
  (process.env.PATH ?? '')
    .split(delimiter)
    .map((dir) => join(dir, 'chromium'))
    .find((path) => existsSync(path)) ??
  '/usr/bin/chromium';

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface Browser {
  readonly context: BrowserContext;
  close(): Promise<void>;
}

/** A headless Chromium with a fresh profile in a temporary directory, removed on close. */
export const launchChromium = async (): Promise<Browser> => {
  const userDataDir = await mkdtemp(join(tmpdir(), 'web-login-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, { executablePath: EXECUTABLE, headless: true, args: ARGS });
  context.setDefaultTimeout(15_000);
  return {
    context,
    close: async () => {
      await context.close();
      await rm(userDataDir, { recursive: true, force: true });
    },
  };
};
