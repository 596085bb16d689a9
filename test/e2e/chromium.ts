// The system Chromium the browser tests drive with playwright-core: its path, whether it is installed (the tests
// skip with a message otherwise) and one headless launch for every browser test.
import { existsSync } from 'node:fs';
import type { Browser } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);

/** Warn once per test file when Chromium is missing (its tests are skipped). */
export function warnIfNoChromium(testName: string): void {
  if (!hasChromium)
    console.warn(`${testName} test skipped: ${CHROMIUM} is missing (apt-get install -y chromium)`);
}

/** Headless Chromium without sandbox, GPU or background traffic (the tests must not reach the network). */
export async function launchChromium(): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  });
}
