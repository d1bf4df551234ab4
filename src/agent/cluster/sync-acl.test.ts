import pino from 'pino';
import { describe, expect, it } from 'vitest';
import type { RuntimeConfig } from '../../config/index.js';
import { MemoryBackend, StateStore, allTables, nodeChecks, nodeServices, type CheckInput, type NodeInput, type ServiceInput } from '../../state/index.js';
import { consulService } from './catalog-entries.js';
import { applyNodeSync } from './catalog-sync.js';
import { vetNodeSync, type Allows } from './sync-acl.js';

const log = pino({ level: 'silent' });
const node: NodeInput = { ID: '', Node: 'n1', Address: '10.0.0.1', Datacenter: 'dc1', TaggedAddresses: {}, Meta: {} };
const base = consulService({ ports: { server: 8300 } } as RuntimeConfig);
const service = (id: string, port = 80): ServiceInput => ({ ...base, ID: id, Service: id, Port: port, Meta: {} });
const check = (id: string, serviceId: string): CheckInput => ({
  CheckID: id,
  Name: id,
  Status: 'passing',
  Notes: '',
  Output: '',
  ServiceID: serviceId,
  Type: 'ttl',
  Interval: '',
  Timeout: '',
  ExposedPort: 0,
  Definition: {},
});

/** Tokens named after what they may write: `agent` the node, `web` the web service. */
const allows: Allows = (token, resource) => {
  if (resource.kind === 'node') return token === 'agent';
  if (resource.kind === 'service') return token === resource.name || token === 'all';
  return false;
};

async function store(): Promise<StateStore> {
  const s = new StateStore(new MemoryBackend(), allTables);
  await s.open();
  return s;
}

const ids = (s: StateStore) => nodeServices(s, null, 'n1').services.map((x) => `${x.ID}:${x.Port}`);

describe('vetNodeSync', () => {
  it('writes each service with the token it was registered with, and leaves out the ones it may not write', async () => {
    const s = await store();
    const req = {
      Node: node,
      Services: [service('web'), service('db')],
      Checks: [check('web-ttl', 'web'), check('db-ttl', 'db')],
      Tokens: { Services: { web: 'web', db: 'web' }, Checks: {} },
    };
    await applyNodeSync(s, vetNodeSync(req, 'agent', allows, s, log));
    expect(ids(s)).toEqual(['web:80']);
    expect(nodeChecks(s, null, 'n1').checks.map((c) => c.CheckID)).toEqual(['web-ttl']);
  });

  it('keeps what the catalog has when a change is refused, and still applies the allowed ones', async () => {
    const s = await store();
    await applyNodeSync(s, { Node: node, Services: [service('web'), service('db')], Checks: [] });
    const req = { Node: node, Services: [service('web', 81), service('db', 5433)], Checks: [], Tokens: { Services: { web: 'web', db: 'web' }, Checks: {} } };
    await applyNodeSync(s, vetNodeSync(req, 'agent', allows, s, log));
    expect(ids(s)).toEqual(['db:80', 'web:81']);
  });

  it("lets the agent's token remove services, as node:write allows", async () => {
    const s = await store();
    await applyNodeSync(s, { Node: node, Services: [service('web'), service('db')], Checks: [] });
    await applyNodeSync(s, vetNodeSync({ Node: node, Services: [service('web')], Checks: [], Tokens: { Services: {}, Checks: {} } }, 'agent', allows, s, log));
    expect(ids(s)).toEqual(['web:80']);
  });

  it('falls back to the agent token for registrations made without one', async () => {
    const s = await store();
    await applyNodeSync(s, vetNodeSync({ Node: node, Services: [service('web')], Checks: [] }, 'all', allows, s, log));
    expect(ids(s)).toEqual(['web:80']);
  });
});
