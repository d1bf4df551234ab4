import { describe, expect, it } from 'vitest';
import { decodeConfigEntry } from '../../../state/index.js';
import { EntryInputError, parseEntry } from './entry-source.js';
import { hcl1ToHcl2 } from './hcl1-blocks.js';

/** The service-router of Consul's discovery-chain API docs, in Consul's HCL 1 block style. */
const routerHcl = `
kind = "service-router"
name = "web"
routes = [
  {
    match {
      http {
        path_prefix = "/admin"
      }
    }
    destination {
      service         = "admin"
      prefix_rewrite  = "/"
      request_timeout = "15s"
    }
  },
  {
    match {
      http {
        header = [
          {
            name  = "x-debug"
            exact = "1"
          },
        ]
      }
    }
    destination {
      service                  = "web"
      service_subset           = "canary"
      num_retries              = 5
      retry_on_connect_failure = true
      retry_on_status_codes    = [401, 409]
    }
  },
]
`;

describe('reading config entry files', () => {
  it('rewrites HCL 1 blocks inside values and leaves strings, comments and heredocs alone', () => {
    expect(hcl1ToHcl2('a = [{ m { x = "{ y {" } }]')).toBe('a = [{ m = { x = "{ y {" } }]');
    expect(hcl1ToHcl2('# b {\nblock "l" { inner { v = 1 } }')).toBe('# b {\nblock "l" { inner { v = 1 } }');
    expect(hcl1ToHcl2('o = { "*" { d = 1 } }\nt = <<EOT\nq { }\nEOT\n')).toBe('o = { "*" = { d = 1 } }\nt = <<EOT\nq { }\nEOT\n');
  });

  it('parses the router of Consul docs into the entry the API stores', async () => {
    const raw = await parseEntry(routerHcl, 'web.hcl');
    expect(raw).toMatchObject({ kind: 'service-router', name: 'web' });
    expect(decodeConfigEntry(raw.body)).toEqual({
      Kind: 'service-router',
      Name: 'web',
      Routes: [
        { Match: { HTTP: { PathPrefix: '/admin' } }, Destination: { Service: 'admin', PrefixRewrite: '/', RequestTimeout: '15s' } },
        {
          Match: { HTTP: { Header: [{ Name: 'x-debug', Exact: '1' }] } },
          Destination: { Service: 'web', ServiceSubset: 'canary', NumRetries: 5, RetryOnConnectFailure: true, RetryOnStatusCodes: [401, 409] },
        },
      ],
    });
  });

  it('parses HCL maps of subsets and failover, block or attribute style, and JSON', async () => {
    const hcl = `
Kind           = "service-resolver"
Name           = "web"
DefaultSubset  = "v1"
ConnectTimeout = "3s"
subsets {
  v1 { filter = "Service.Meta.version == v1" }
  v2 {
    filter       = "Service.Meta.version == v2"
    only_passing = true
  }
}
Failover = {
  "*" = { Datacenters = ["dc2"] }
}
`;
    const raw = await parseEntry(hcl, 'r.hcl');
    expect(decodeConfigEntry(raw.body)).toEqual({
      Kind: 'service-resolver',
      Name: 'web',
      DefaultSubset: 'v1',
      ConnectTimeout: '3s',
      Subsets: { v1: { Filter: 'Service.Meta.version == v1' }, v2: { Filter: 'Service.Meta.version == v2', OnlyPassing: true } },
      Failover: { '*': { Datacenters: ['dc2'] } },
    });
    const json = await parseEntry('{"Kind":"service-defaults","Name":"web","Protocol":"http"}', 'x.json');
    expect(json).toEqual({ body: { Kind: 'service-defaults', Name: 'web', Protocol: 'http' }, kind: 'service-defaults', name: 'web' });
  });

  it('reports syntax errors and a missing kind', async () => {
    await expect(parseEntry('kind = "service-defaults"\nname = ', 'bad.hcl')).rejects.toThrow(/^Failed to decode config entry input: bad\.hcl:2/);
    await expect(parseEntry('{"Name": "web"', 'bad.json')).rejects.toThrow(EntryInputError);
    await expect(parseEntry('name = "web"', 'x.hcl')).rejects.toThrow('Payload does not contain a kind/Kind key at the top level');
  });
});
