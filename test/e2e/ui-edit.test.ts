import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAgent, stopAllAgents, waitFor, type TestAgent } from './harness.js';
import { openBrowser, textOf } from './ui-browser.js';

/**
 * Writing through the web UI in chromium against a real agent: KV create, edit, a CAS
 * conflict, a failed save that keeps the text; intentions created, edited, seen in the
 * table and in the topology picture, deleted.
 */
let agent: TestAgent;
let browser: Awaited<ReturnType<typeof openBrowser>>;
let base = '';

const kvValue = async (key: string): Promise<string | null> => {
  const r = await agent.client.get<Uint8Array>(`/v1/kv/${key}`, { query: { raw: true }, raw: true, accept: [404] });
  return r.status === 404 ? null : Buffer.from(r.body).toString();
};

beforeAll(async () => {
  agent = await startAgent();
  base = `http://${agent.address}`;
  // web's proxy declares db as an upstream, so the web → db edge appears in the topology.
  await agent.client.put('/v1/catalog/register', { body: { Node: 'app-1', Address: '10.0.1.1', Service: { ID: 'web', Service: 'web', Port: 80 } } });
  await agent.client.put('/v1/catalog/register', {
    body: {
      Node: 'app-1',
      Address: '10.0.1.1',
      Service: { ID: 'web-sidecar-proxy', Service: 'web-sidecar-proxy', Kind: 'connect-proxy', Port: 21000, Proxy: { DestinationServiceName: 'web', Upstreams: [{ DestinationName: 'db', LocalBindPort: 9191 }] } },
    },
  });
  await agent.client.put('/v1/catalog/register', { body: { Node: 'db-1', Address: '10.0.2.1', Service: { ID: 'db', Service: 'db', Port: 5432 } } });
  browser = await openBrowser();
});
afterAll(async () => {
  await browser?.close();
  await stopAllAgents();
});

describe('Key/Value in the web UI', () => {
  it('creates a key in a folder, then edits it', async () => {
    const { page } = browser;
    await page.goto(`${base}/ui/dc1/kv/`);
    await page.getByText('There are no keys yet').waitFor();
    await page.getByRole('link', { name: 'Create' }).click();
    await page.getByLabel('Key name').fill('app/config');
    await page.getByLabel('Value', { exact: true }).fill('{"replicas":2}');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.waitForURL(/\/ui\/dc1\/kv\/app\/config\/edit$/);
    expect(await kvValue('app/config')).toBe('{"replicas":2}');
    // JSON is recognised and shown pretty-printed.
    await waitFor(async () => (await page.getByLabel('Value', { exact: true }).inputValue()).includes('\n  "replicas": 2'), { what: 'pretty JSON' });
    expect(await page.getByLabel('JSON').isChecked()).toBe(true);

    await page.getByLabel('Text').check();
    await page.getByLabel('Value', { exact: true }).fill('{"replicas":3}');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.locator('[data-outcome="saved"]').waitFor();
    expect(await kvValue('app/config')).toBe('{"replicas":3}');

    await page.getByRole('link', { name: 'app' }).click();
    await page.locator('tr[data-key="app/config"]').waitFor();
    expect(await textOf(page, 'main h1')).toBe('app');
  });

  it('reports a CAS conflict as such, keeps the text, and can overwrite on request', async () => {
    const { page } = browser;
    await agent.client.put('/v1/kv/app/limit', { rawBody: '10' });
    await page.goto(`${base}/ui/dc1/kv/app/limit/edit`);
    const value = page.getByLabel('Value', { exact: true });
    await waitFor(async () => (await value.inputValue()) === '10', { what: 'the value' });
    await value.fill('20');
    // Someone else writes the key while the form is open.
    await agent.client.put('/v1/kv/app/limit', { rawBody: '15' });
    await page.getByText('Someone else changed this key while you were editing it').waitFor();
    await page.getByRole('button', { name: 'Save' }).click();
    await page.locator('[data-outcome="conflict"]').waitFor();
    expect(await textOf(page, '[data-outcome="conflict"]')).toContain('Someone else changed this key since you opened it');
    expect(await value.inputValue()).toBe('20');
    expect(await textOf(page, '.their-version pre')).toBe('15');
    expect(await kvValue('app/limit')).toBe('15');

    await page.getByRole('button', { name: 'Overwrite with my version' }).click();
    await page.locator('[data-outcome="saved"]').waitFor();
    expect(await kvValue('app/limit')).toBe('20');
  });

  it('keeps the text when the agent refuses a save', async () => {
    const { page } = browser;
    await page.goto(`${base}/ui/dc1/kv/app/limit/edit`);
    const value = page.getByLabel('Value', { exact: true });
    await waitFor(async () => (await value.inputValue()) === '20', { what: 'the value' });
    const huge = 'x'.repeat(600 * 1024);
    await value.fill(huge);
    await page.getByRole('button', { name: 'Save' }).click();
    await page.locator('[data-outcome="error"]').waitFor();
    expect(await textOf(page, '[data-outcome="error"]')).toMatch(/^Not saved: Too large for the agent to accept\..*Your text is still here\.$/s);
    expect((await value.inputValue()).length).toBe(huge.length);
    expect(await kvValue('app/limit')).toBe('20');
  });

  it('deletes a key from its folder after a confirmation', async () => {
    const { page } = browser;
    await page.goto(`${base}/ui/dc1/kv/app/`);
    await page.getByRole('button', { name: 'Delete limit' }).click();
    await page.getByRole('button', { name: 'Yes, delete' }).click();
    await page.locator('tr[data-key="app/limit"]').waitFor({ state: 'detached' });
    expect(await kvValue('app/limit')).toBeNull();
  });

  it('deletes the open key only once the question is answered yes', async () => {
    const { page } = browser;
    await agent.client.put('/v1/kv/app/doomed', { rawBody: 'x' });
    await page.goto(`${base}/ui/dc1/kv/app/doomed/edit`);
    await page.getByRole('button', { name: 'Delete' }).click();
    await page.getByText('Delete this key?').waitFor();
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.getByRole('button', { name: 'Delete' }).waitFor();
    expect(await kvValue('app/doomed')).toBe('x');
    await page.getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('button', { name: 'Yes, delete' }).click();
    await page.waitForURL(/\/ui\/dc1\/kv\/app\/$/);
    expect(await kvValue('app/doomed')).toBeNull();
  });
});

describe('Intentions in the web UI', () => {
  it('creates a deny intention, shows it in the table and as a denied edge in the topology', async () => {
    const { page } = browser;
    await page.goto(`${base}/ui/dc1/services/web/topology`);
    await page.locator('svg.topology [data-edge="db"][data-decision="allow"]').waitFor();

    await page.goto(`${base}/ui/dc1/intentions`);
    await page.getByText('No intentions yet').waitFor();
    await page.getByRole('link', { name: 'Create' }).click();
    await page.getByLabel('Source service').fill('web');
    await page.getByLabel('Destination service').fill('db');
    await page.getByLabel('Deny').check();
    await page.getByLabel('Description').fill('Frontends never talk to the database');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.waitForURL(/\/ui\/dc1\/intentions$/);
    const row = page.locator('tr[data-intention="web->db"]');
    await row.waitFor();
    expect(await row.locator('[data-action]').getAttribute('data-action')).toBe('deny');
    expect(await textOf(page, 'tr[data-intention="web->db"] td:nth-child(4)')).toBe('Frontends never talk to the database');
    expect(await textOf(page, '.filter-tabs button[aria-pressed="false"]:has-text("Deny")')).toBe('Deny (1)');
    await page.getByRole('button', { name: /^Allow/ }).click();
    await row.waitFor({ state: 'detached' });
    await page.getByRole('button', { name: /^Deny/ }).click();
    await page.getByLabel('Search by source or destination').fill('db');
    await row.waitFor();

    await page.goto(`${base}/ui/dc1/services/web/topology`);
    await page.locator('svg.topology [data-edge="db"][data-decision="deny"]').waitFor();
    expect(await page.locator('tr[data-connection="web->db"]').getAttribute('data-decision')).toBe('deny');
  });

  it('refuses to create a second intention for the same pair, keeping the form', async () => {
    const { page } = browser;
    await page.goto(`${base}/ui/dc1/intentions/create`);
    await page.getByLabel('Source service').fill('web');
    await page.getByLabel('Destination service').fill('db');
    await page.getByLabel('Description').fill('a second try');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('An intention from web to db already exists').waitFor();
    expect(await page.getByLabel('Description').inputValue()).toBe('a second try');
  });

  it('edits and then deletes an intention, and the topology follows live', async () => {
    const { page } = browser;
    await page.goto(`${base}/ui/dc1/intentions/web/db`);
    await waitFor(async () => (await page.getByLabel('Description').inputValue()) === 'Frontends never talk to the database', { what: 'the stored description' });
    expect(await page.getByLabel('Source service').isDisabled()).toBe(true);
    await page.getByLabel('Allow').check();
    await page.getByRole('button', { name: 'Save' }).click();
    await page.waitForURL(/\/ui\/dc1\/intentions$/);
    await page.locator('tr[data-intention="web->db"] [data-action="allow"]').waitFor();

    await page.goto(`${base}/ui/dc1/services/web/topology`);
    await page.locator('svg.topology [data-edge="db"][data-decision="allow"]').waitFor();
    await agent.client.put('/v1/connect/intentions/exact', { query: { source: 'web', destination: 'db' }, body: { SourceType: 'consul', Action: 'deny' } });
    await page.locator('svg.topology [data-edge="db"][data-decision="deny"]').waitFor({ timeout: 15_000 });

    await page.goto(`${base}/ui/dc1/intentions/web/db`);
    await page.getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('button', { name: 'Yes, delete' }).click();
    await page.waitForURL(/\/ui\/dc1\/intentions$/);
    await page.getByText('No intentions yet').waitFor();
  });
});
