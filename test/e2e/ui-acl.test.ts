import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../../src/api/index.js';
import { removeDir, startAgent, stopAllAgents, tempDir, type TestAgent } from './harness.js';
import { openBrowser, textOf } from './ui-browser.js';

/**
 * The web UI against an agent with default_policy = "deny": it asks for a token when the
 * agent refuses what a page needs, remembers the token in this browser, says who is logged
 * in, and forgets the token on "Log out".
 */
const ROOT = '6b1c2d9e-52f1-4b8a-9d3e-0f1a2b3c4d5e';
let agent: TestAgent;
let root: ApiClient;
let dir: string;
let viewer = '';
let browser: Awaited<ReturnType<typeof openBrowser>>;
let base = '';

beforeAll(async () => {
  dir = tempDir();
  const config = join(dir, 'acl.hcl');
  writeFileSync(config, `acl {\n  enabled = true\n  default_policy = "deny"\n  tokens {\n    initial_management = "${ROOT}"\n  }\n}\n`);
  agent = await startAgent({ args: ['-config-file', config] });
  base = `http://${agent.address}`;
  root = new ApiClient({ address: agent.address, token: ROOT });
  await root.put('/v1/catalog/register', { body: { Node: 'db-1', Address: '10.0.2.1', Service: { ID: 'db', Service: 'db', Port: 5432 } } });
  await root.put('/v1/kv/app/config', { rawBody: 'secret' });
  const policy = (await root.put<{ ID: string }>('/v1/acl/policy', { body: { Name: 'viewer', Rules: 'service_prefix "" {\n  policy = "read"\n}\nnode_prefix "" {\n  policy = "read"\n}\n' } })).body;
  viewer = (await root.put<{ SecretID: string }>('/v1/acl/token', { body: { Description: 'catalog viewer', Policies: [{ ID: policy.ID }] } })).body.SecretID;
  browser = await openBrowser();
});

afterAll(async () => {
  await browser?.close();
  root?.close();
  await stopAllAgents();
  removeDir(dir);
});

const storedToken = () => browser.page.evaluate(() => localStorage.getItem('weft:token'));

describe('the web UI with ACLs', () => {
  it('asks for a token when the agent refuses the page, and says so when the token is unknown', async () => {
    const { page } = browser;
    await page.goto(`${base}/ui/dc1/services`);
    await page.getByRole('heading', { name: 'Log in with an ACL token' }).waitFor();
    await page.getByLabel('Token').fill('3f0e6a55-0000-4000-8000-000000000000');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByText('The agent does not know that token (ACL not found)').waitFor();
    expect(await storedToken()).toBeNull();
  });

  it('logs in with a known token, shows what it may read, and keeps it for the next visit', async () => {
    const { page } = browser;
    await page.getByLabel('Token').fill(viewer);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.locator('tr[data-service="db"]').waitFor();
    expect(await textOf(page, '.session-name')).toBe('catalog viewer');
    expect(await storedToken()).toBe(viewer);

    const again = await browser.context.newPage();
    try {
      await again.goto(`${base}/ui/dc1/nodes`);
      await again.locator('text=db-1').first().waitFor();
      expect(await again.locator('.session-name').textContent()).toBe('catalog viewer');
    } finally {
      await again.close();
    }
  });

  it('shows a refusal, not the login screen, where the logged-in token may not read', async () => {
    const { page } = browser;
    // Lists are filtered silently (the key list is simply empty); reading the key itself is refused.
    await page.goto(`${base}/ui/dc1/kv/`);
    await page.getByText('There are no keys yet').waitFor();
    await page.goto(`${base}/ui/dc1/kv/app/config/edit`);
    await page.locator('.note-error').waitFor();
    expect(await textOf(page, '.note-error')).toContain('Permission denied');
    expect(await page.getByRole('heading', { name: 'Log in with an ACL token' }).count()).toBe(0);
  });

  it('forgets the token on log out', async () => {
    const { page } = browser;
    await page.goto(`${base}/ui/dc1/services`);
    await page.locator('tr[data-service="db"]').waitFor();
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByRole('heading', { name: 'Log in with an ACL token' }).waitFor();
    expect(await storedToken()).toBeNull();
  });
});
