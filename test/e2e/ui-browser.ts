import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { removeDir, tempDir } from './harness.js';

/** Debian's chromium, installed by scripts/test.sh. */
export const CHROMIUM = '/usr/bin/chromium';

const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export interface Browser {
  page: Page;
  context: BrowserContext;
  /** Closes the browser and removes its profile. */
  close(): Promise<void>;
}

/**
 * A headless chromium with a fresh profile, sized like a 1366×768 laptop. Failed requests
 * and page errors are collected so a test can assert the UI stayed clean.
 */
export async function openBrowser(): Promise<Browser & { pageErrors: string[] }> {
  const profile = tempDir('weft-chromium-');
  const context = await chromium.launchPersistentContext(join(profile, 'profile'), {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
    viewport: { width: 1366, height: 768 },
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const pageErrors: string[] = [];
  page.on('pageerror', (err) => pageErrors.push(String(err)));
  return {
    page,
    context,
    pageErrors,
    async close() {
      await context.close();
      removeDir(profile);
    },
  };
}

/** The trimmed text of the first element matching `selector` once it exists. */
export async function textOf(page: Page, selector: string): Promise<string> {
  return ((await page.locator(selector).first().textContent()) ?? '').trim();
}
