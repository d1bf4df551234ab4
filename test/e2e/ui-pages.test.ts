import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAgent, stopAllAgents, waitFor, type TestAgent } from './harness.js';
import { openBrowser, textOf } from './ui-browser.js';

/**
 * The web UI in Debian's chromium against a real dev agent: every page loads, services can
 * be searched and filtered, a failing check turns red live, and the keyboard gets around.
 */
let agent: TestAgent;
let browser: Awaited<ReturnType<typeof openBrowser>>;
let base = '';

beforeAll(async () => {
  agent = await startAgent();
  base = `http://${agent.address}`;
  // A service of this agent with a TTL check the test can fail through the agent API.
  await agent.client.put('/v1/agent/service/register', {
    body: { ID: 'web', Name: 'web', Port: 8080, Tags: ['frontend'], Meta: { team: 'shop' }, Check: { CheckID: 'web-ttl', Name: 'web heartbeat', TTL: '10m' } },
  });
  await agent.client.put('/v1/agent/check/pass/web-ttl', { query: { note: 'all good' } });
  await agent.client.put('/v1/catalog/register', {
    body: { Node: 'db-1', Address: '10.0.2.1', Service: { ID: 'db', Service: 'db', Port: 5432, Tags: ['postgres'] }, Check: { CheckID: 'db-tcp', Name: 'TCP 5432', Status: 'passing', ServiceID: 'db' } },
  });
  await agent.client.put('/v1/catalog/register', {
    body: { Node: 'api-1', Address: '10.0.3.1', Service: { ID: 'api', Service: 'api', Port: 9090, Tags: ['grpc'] }, Check: { CheckID: 'api-grpc', Name: 'gRPC', Status: 'warning', Output: 'slow', ServiceID: 'api' } },
  });
  await waitFor(async () => (await agent.client.get<Record<string, string[]>>('/v1/catalog/services')).body.web !== undefined, { what: 'web in the catalog' });
  browser = await openBrowser();
});
afterAll(async () => {
  await browser?.close();
  await stopAllAgents();
});

const rowNames = async (selector: string, attr: string) => browser.page.locator(selector).evaluateAll((rows, a) => rows.map((r) => r.getAttribute(a)), attr);

describe('web UI pages', () => {
  it('redirects / to the services of the agent’s datacenter', async () => {
    const { page } = browser;
    await page.goto(`${base}/`);
    await page.waitForURL(/\/ui\/dc1\/services$/);
    await page.locator('tr[data-service="web"]').waitFor();
    expect(await textOf(page, 'main h1')).toContain('Services');
    expect(await page.title()).toBe('Services · Weft');
  });

  it('lists services with health, then searches and filters them', async () => {
    const { page } = browser;
    await page.goto(`${base}/ui/dc1/services`);
    await page.locator('tr[data-service="api"]').waitFor();
    expect(await rowNames('tbody tr[data-service]', 'data-service')).toEqual(['api', 'consul', 'db', 'web']);
    expect(await page.locator('tr[data-service="api"] .badge').getAttribute('data-status')).toBe('warning');
    expect(await textOf(page, 'tr[data-service="web"] .health-counts')).toBe('2 passing');

    await page.getByLabel('Search services').fill('db');
    await waitFor(async () => JSON.stringify(await rowNames('tbody tr[data-service]', 'data-service')) === '["db"]', { what: 'search to narrow the list' });
    await page.getByLabel('Search services').fill('');
    await page.getByRole('button', { name: /^Warning/ }).click();
    await waitFor(async () => JSON.stringify(await rowNames('tbody tr[data-service]', 'data-service')) === '["api"]', { what: 'the health filter' });
    await page.getByRole('button', { name: /^All/ }).click();
    await page.getByLabel('Filter by tag').selectOption('postgres');
    await waitFor(async () => JSON.stringify(await rowNames('tbody tr[data-service]', 'data-service')) === '["db"]', { what: 'the tag filter' });
  });

  it('turns a failing check red on the open service page, without a reload', async () => {
    const { page } = browser;
    await page.goto(`${base}/ui/dc1/services/web/instances`);
    const check = page.locator('[data-instance="web"] tr[data-check="web-ttl"]');
    await check.waitFor();
    expect(await check.getAttribute('data-status')).toBe('passing');
    expect(await textOf(page, '[data-instance="web"] tr[data-check="web-ttl"] pre')).toBe('all good');
    await page.evaluate(() => ((window as unknown as { stillHere: boolean }).stillHere = true));

    await agent.client.put('/v1/agent/check/fail/web-ttl', { query: { note: 'heartbeat missed' } });
    await page.locator('[data-instance="web"] tr[data-check="web-ttl"][data-status="critical"]').waitFor({ timeout: 15_000 });
    expect(await textOf(page, '[data-instance="web"] tr[data-check="web-ttl"] pre')).toBe('heartbeat missed');
    expect(await page.locator('[data-instance="web"] .card-head .badge').getAttribute('data-status')).toBe('critical');
    expect(await page.evaluate(() => (window as unknown as { stillHere?: boolean }).stillHere)).toBe(true);

    // The list follows too, through client-side navigation.
    await page.getByRole('link', { name: 'Services', exact: true }).first().click();
    await page.locator('tr[data-service="web"] .badge[data-status="critical"]').waitFor();
    await agent.client.put('/v1/agent/check/pass/web-ttl', { query: { note: 'back' } });
    await page.locator('tr[data-service="web"] .badge[data-status="passing"]').waitFor({ timeout: 15_000 });
    expect(await page.evaluate(() => (window as unknown as { stillHere?: boolean }).stillHere)).toBe(true);
  });

  it('shows nodes and a node with its checks and services', async () => {
    const { page } = browser;
    await page.goto(`${base}/ui/dc1/nodes`);
    await page.locator('tr[data-node="db-1"]').waitFor();
    await page.getByRole('link', { name: 'db-1' }).click();
    await page.waitForURL(/\/ui\/dc1\/nodes\/db-1$/);
    await page.locator('tr[data-check="db-tcp"]').waitFor();
    expect(await textOf(page, 'main h1')).toContain('db-1');
    expect(await page.locator('table[aria-label="Services on this node"] a', { hasText: 'db' }).count()).toBe(1);
    await page.goto(`${base}/ui/dc1/nodes/nowhere`);
    await page.getByText('There is no node named nowhere').waitFor();
  });

  it('loads every page without a script error', async () => {
    const { page, pageErrors } = browser;
    const pages: [string, string][] = [
      ['/ui/dc1/services/db/topology', 'db'],
      ['/ui/dc1/services/db/routing', 'db'],
      ['/ui/dc1/kv/', 'Key/Value'],
      ['/ui/dc1/intentions', 'Intentions'],
      ['/ui/dc1/config/service-defaults', 'Config entries'],
      ['/ui/dc1/intentions/create', 'New intention'],
      ['/ui/dc1/kv/create', 'New key'],
    ];
    for (const [path, title] of pages) {
      await page.goto(`${base}${path}`);
      await page.locator('main h1', { hasText: title }).waitFor();
      await page.locator('[role="status"]', { hasText: 'Loading' }).waitFor({ state: 'detached' });
      expect(await page.locator('.note-error').count(), `${path} shows an error`).toBe(0);
    }
    await page.goto(`${base}/ui/dc1/services/db/routing`);
    await page.locator('[data-routing="none"]').waitFor();
    await page.goto(`${base}/ui/dc1/no-such-page`);
    await page.locator('main h1', { hasText: 'Page not found' }).waitFor();
    expect(pageErrors).toEqual([]);
  });

  it('gets around by keyboard: skip link, visible focus, focus on the new page title', async () => {
    const { page } = browser;
    await page.goto(`${base}/ui/dc1/services`);
    await page.locator('tr[data-service="web"]').waitFor();
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent?.trim())).toBe('Skip to content');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent?.trim())).toBe('Nodes');
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle);
    expect(outline).toBe('solid');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/ui\/dc1\/nodes$/);
    await waitFor(() => page.evaluate(() => document.activeElement?.tagName === 'H1' && document.activeElement.textContent?.startsWith('Nodes')), { what: 'focus on the Nodes title' });
  });
});
