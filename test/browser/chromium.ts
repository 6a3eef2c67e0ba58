// Driving Debian's Chromium through playwright-core (which downloads no browser). The browser suite runs only
// where chromium is installed; elsewhere it prints one line saying how to enable it.
import { existsSync, mkdirSync } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext } from 'playwright-core';

/** The Chromium binary: $CHROMIUM_PATH, else Debian's /usr/bin/chromium. */
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const hasChromium = existsSync(chromiumPath);
/** Screenshots land here (git-ignored), kept as CI artifacts. */
export const artifacts = join(import.meta.dirname, 'artifacts');

if (!hasChromium) {
  console.warn(
    `browser tests skipped: no Chromium at ${chromiumPath} (install it with \`apt-get install -y chromium\`, ` +
      'as .ci/run does, or set CHROMIUM_PATH)',
  );
}

/** Starts headless Chromium with a fresh profile and the flags this machine's closed network needs. */
export async function launchChromium(): Promise<{ browser: Browser; context: BrowserContext; close(): Promise<void> }> {
  const { chromium } = await import('playwright-core');
  mkdirSync(artifacts, { recursive: true });
  const profile = mkdtempSync(join(tmpdir(), 'lmm-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    viewport: { width: 1100, height: 1400 },
  });
  const browser = context.browser() as Browser;
  return {
    browser,
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
