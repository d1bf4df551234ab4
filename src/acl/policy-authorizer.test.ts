import { describe, expect, it } from 'vitest';
import { nodeIdentityRules, serviceIdentityRules } from './builtins.js';
import { parseRules } from './parse-rules.js';
import { PolicyAuthorizer, type AclResourceKind } from './policy-authorizer.js';
import type { Decision } from './rule-tree.js';

const compile = async (...texts: string[]) => PolicyAuthorizer.compile(await Promise.all(texts.map(parseRules)));
type Row = [kind: AclResourceKind, name: string, need: 'read' | 'list' | 'write', expected: Decision];

function table(authz: PolicyAuthorizer, rows: Row[]): void {
  const got = rows.map(([kind, name, need]) => [kind, name, need, authz.decide(kind, name, need)]);
  expect(got).toEqual(rows);
}

describe('rule precedence', () => {
  it('an exact rule beats any prefix rule, and the longest prefix beats shorter ones', async () => {
    const authz = await compile(`
      key_prefix "" { policy = "read" }
      key_prefix "app/" { policy = "write" }
      key_prefix "app/secret/" { policy = "deny" }
      key "app/secret/public" { policy = "read" }
      key "app/config" { policy = "read" }
    `);
    table(authz, [
      ['key', 'other', 'read', 'allow'],
      ['key', 'other', 'write', 'deny'],
      ['key', 'app/x', 'write', 'allow'],
      ['key', 'app/config', 'write', 'deny'],
      ['key', 'app/config', 'read', 'allow'],
      ['key', 'app/configs', 'write', 'allow'],
      ['key', 'app/secret/x', 'read', 'deny'],
      ['key', 'app/secret/public', 'read', 'allow'],
      ['key', 'app/secret/public', 'write', 'deny'],
      ['key', 'app/secret/', 'read', 'deny'],
      ['key', 'app/secret', 'write', 'allow'],
    ]);
  });

  it('says nothing where no rule matches, so the default policy decides', async () => {
    const authz = await compile('key_prefix "app/" { policy = "write" }');
    table(authz, [
      ['key', 'ap', 'read', 'default'],
      ['service', 'web', 'read', 'default'],
      ['operator', '', 'read', 'default'],
      ['acl', '', 'read', 'default'],
    ]);
  });

  it('lets deny win where rules from several policies meet on the same name, then write over list over read', async () => {
    const authz = await compile(
      'key_prefix "a/" { policy = "write" }\nservice "web" { policy = "read" }\noperator = "read"\nkey "l" { policy = "read" }',
      'key_prefix "a/" { policy = "deny" }\nservice "web" { policy = "write" }\noperator = "write"\nkey "l" { policy = "list" }',
    );
    table(authz, [
      ['key', 'a/b', 'read', 'deny'],
      ['service', 'web', 'write', 'allow'],
      ['operator', '', 'write', 'allow'],
      ['key', 'l', 'list', 'allow'],
      ['key', 'l', 'write', 'deny'],
    ]);
    // Within one policy, a repeated block merges the same way.
    table(await compile('service "db" { policy = "deny" }\nservice "db" { policy = "write" }'), [['service', 'db', 'read', 'deny']]);
    // An exact rule and a prefix rule on the same name are different matches: the exact one applies to that name.
    table(await compile('service "db" { policy = "write" }\nservice_prefix "db" { policy = "deny" }'), [
      ['service', 'db', 'write', 'allow'],
      ['service', 'db2', 'read', 'deny'],
    ]);
  });

  it('grants list only through key rules: read does not list, list reads and lists, write does all', async () => {
    const authz = await compile('key_prefix "r/" { policy = "read" }\nkey_prefix "l/" { policy = "list" }\nkey_prefix "w/" { policy = "write" }\nservice "s" { policy = "read" }');
    table(authz, [
      ['key', 'r/x', 'read', 'allow'],
      ['key', 'r/x', 'list', 'deny'],
      ['key', 'l/x', 'read', 'allow'],
      ['key', 'l/x', 'list', 'allow'],
      ['key', 'l/x', 'write', 'deny'],
      ['key', 'w/x', 'list', 'allow'],
      ['service', 's', 'list', 'allow'],
    ]);
  });

  it('derives intention access from service rules unless the rule sets it', async () => {
    const authz = await compile(`
      service "web" { policy = "write" }
      service "db" {
        policy = "read"
        intentions = "write"
      }
      service "gone" { policy = "deny" }
      service_prefix "api-" { policy = "read" }
    `);
    table(authz, [
      ['intention', 'web', 'read', 'allow'],
      ['intention', 'web', 'write', 'deny'],
      ['intention', 'db', 'write', 'allow'],
      ['intention', 'gone', 'read', 'deny'],
      ['intention', 'api-1', 'read', 'allow'],
      ['intention', '*', 'read', 'allow'],
      ['intention', '*', 'write', 'deny'],
    ]);
    table(await compile('service_prefix "" {\n  policy = "write"\n  intentions = "write"\n}'), [['intention', '*', 'write', 'allow']]);
  });

  it('lets mesh and peering follow operator unless they have their own rule', async () => {
    table(await compile('operator = "write"'), [
      ['mesh', '', 'write', 'allow'],
      ['peering', '', 'write', 'allow'],
      ['keyring', '', 'read', 'default'],
    ]);
    table(await compile('operator = "write"\nmesh = "read"'), [
      ['mesh', '', 'write', 'deny'],
      ['mesh', '', 'read', 'allow'],
    ]);
  });

  it('allows a prefix write (recursive delete) only when nothing under the prefix withholds write', async () => {
    const authz = await compile('key_prefix "app/" { policy = "write" }\nkey "app/locked" { policy = "read" }\nkey_prefix "other/" { policy = "write" }');
    expect(authz.keyWritePrefix('app/')).toBe('deny');
    expect(authz.keyWritePrefix('app/sub/')).toBe('allow');
    expect(authz.keyWritePrefix('other/')).toBe('allow');
    expect(authz.keyWritePrefix('none/')).toBe('default');
    expect((await compile('key_prefix "" { policy = "read" }')).keyWritePrefix('x/')).toBe('deny');
  });

  it('answers the all-services and all-nodes questions', async () => {
    const authz = await compile('service_prefix "" { policy = "read" }\nservice "secret" { policy = "deny" }\nnode_prefix "" { policy = "read" }');
    expect(authz.serviceReadAll()).toBe('deny');
    expect(authz.nodeReadAll()).toBe('allow');
    // The catch-all read rule answers "any service writable?" with no.
    expect(authz.serviceWriteAny()).toBe('deny');
    expect((await compile('node "n" { policy = "read" }')).serviceWriteAny()).toBe('default');
  });
});

describe('identities', () => {
  it('gives a service identity write on the service and its sidecar, and read on every service and node', () => {
    const authz = PolicyAuthorizer.compile([serviceIdentityRules('web')]);
    table(authz, [
      ['service', 'web', 'write', 'allow'],
      ['service', 'web-sidecar-proxy', 'write', 'allow'],
      ['service', 'web2', 'write', 'deny'],
      ['service', 'db', 'read', 'allow'],
      ['node', 'any', 'read', 'allow'],
      ['node', 'any', 'write', 'deny'],
      ['key', 'x', 'read', 'default'],
    ]);
    expect(authz.serviceReadAll()).toBe('allow');
    expect(authz.nodeReadAll()).toBe('allow');
  });

  it('gives a node identity write on the node and read on every service', () => {
    table(PolicyAuthorizer.compile([nodeIdentityRules('n1')]), [
      ['node', 'n1', 'write', 'allow'],
      ['node', 'n2', 'read', 'default'],
      ['service', 'web', 'read', 'allow'],
      ['service', 'web', 'write', 'deny'],
    ]);
  });
});
