import { describe, expect, it } from 'vitest';
import { BUILTIN_POLICIES, nodeIdentityRules, nodeIdentityRulesText, serviceIdentityRules, serviceIdentityRulesText } from './builtins.js';
import { parseRules } from './parse-rules.js';
import type { PolicyRules } from './rules.js';

const sorted = (r: PolicyRules) => ({
  global: r.global,
  segments: [...r.segments].sort((a, b) => `${a.kind}${a.prefix}${a.name}`.localeCompare(`${b.kind}${b.prefix}${b.name}`)),
});

const HCL = `
acl = "read"
operator = "write"
key_prefix "app/" {
  policy = "list"
}
key "app/secret" {
  policy = "deny"
}
service "web" {
  policy = "write"
  intentions = "read"
}
service_prefix "" {
  policy = "read"
}
node_prefix "" { policy = "read" }
`;

const JSON_RULES = JSON.stringify({
  acl: 'read',
  operator: 'write',
  key_prefix: { 'app/': { policy: 'list' } },
  key: { 'app/secret': { policy: 'deny' } },
  service: { web: { policy: 'write', intentions: 'read' } },
  service_prefix: { '': { policy: 'read' } },
  node_prefix: { '': { policy: 'read' } },
});

describe('parseRules', () => {
  it('reads every rule form from HCL', async () => {
    const rules = await parseRules(HCL);
    expect(rules.global).toEqual({ acl: 'read', operator: 'write' });
    expect(sorted(rules).segments).toEqual([
      { kind: 'key', name: 'app/secret', prefix: false, policy: 'deny' },
      { kind: 'key', name: 'app/', prefix: true, policy: 'list' },
      { kind: 'node', name: '', prefix: true, policy: 'read' },
      { kind: 'service', name: 'web', prefix: false, policy: 'write', intentions: 'read' },
      { kind: 'service', name: '', prefix: true, policy: 'read' },
    ]);
  });

  it('reads the same rules from JSON, as objects or lists of objects', async () => {
    expect(sorted(await parseRules(JSON_RULES))).toEqual(sorted(await parseRules(HCL)));
    const listed = await parseRules(JSON.stringify({ key_prefix: [{ 'a/': { policy: 'read' } }, { 'b/': [{ policy: 'write' }] }] }));
    expect(listed.segments).toEqual([
      { kind: 'key', name: 'a/', prefix: true, policy: 'read' },
      { kind: 'key', name: 'b/', prefix: true, policy: 'write' },
    ]);
  });

  it('keeps repeated blocks for the merge to settle', async () => {
    const rules = await parseRules('key "k" {\n  policy = "write"\n}\nkey "k" {\n  policy = "deny"\n}\n');
    expect(rules.segments.map((r) => r.policy)).toEqual(['write', 'deny']);
  });

  it('takes empty text, and an empty global value, as no rules', async () => {
    expect(await parseRules('  \n')).toEqual({ segments: [], global: {} });
    expect(await parseRules('operator = ""')).toEqual({ segments: [], global: {} });
  });

  it('parses the builtin and identity rule texts to the rules Weft compiles', async () => {
    for (const p of BUILTIN_POLICIES) expect(sorted(await parseRules(p.Rules))).toEqual(sorted(p.Parsed));
    expect(sorted(await parseRules(serviceIdentityRulesText('web')))).toEqual(sorted(serviceIdentityRules('web')));
    expect(sorted(await parseRules(nodeIdentityRulesText('n1')))).toEqual(sorted(nodeIdentityRules('n1')));
  });

  const refusals: [string, string, RegExp][] = [
    ['an HCL syntax error', 'key "a" {\n  policy = \n}', /^Failed to parse ACL rules: line 2, column \d+: Invalid expression/],
    ['a JSON syntax error', '{\n  "key": {\n    "a": { "policy": "read" },\n  }\n}', /^Failed to parse ACL rules: line 4, column 3: trailing comma/],
    ['a policy value that is no access level', 'node "x" {\n  policy = "read"\n}\nkey_prefix "foo/" {\n  policy = "nope"\n}', /^Invalid key_prefix policy at line 5: "nope" in key_prefix "foo\/" is not "read", "list", "write" or "deny"$/],
    ['list outside keys', '\n\nservice "web" {\n  policy = "list"\n}', /^Invalid service policy at line 4: "list" in service "web" is not "read", "write" or "deny"$/],
    ['an invalid intentions level', 'service "web" {\n  policy = "read"\n  intentions = "all"\n}', /^Invalid service intentions policy at line 3:/],
    ['an unknown rule type', 'key "a" { policy = "read" }\nkeys "b" { policy = "read" }', /^Unknown ACL rule type "keys" at line 2$/],
    ['an unknown field', 'agent "n1" {\n  policy = "read"\n  intentions = "read"\n}', /^Invalid agent rule at line 3: unknown field "intentions" in agent "n1"$/],
    ['a bare word', 'operator = read', /^Invalid ACL rules at line 1: read must be quoted \("read"\)$/],
    ['a block without a policy', 'event "deploy" {\n}', /^Invalid event policy at line 1: event "deploy" has no policy/],
    ['an invalid global value', 'acl = "read"\nmesh = "list"', /^Invalid mesh policy at line 2: "list" is not "read", "write" or "deny"$/],
    ['enterprise namespaces', 'namespace "team" {\n  key_prefix "" { policy = "read" }\n}', /^Invalid namespace rule at line 1: namespaces and partitions are Consul Enterprise features/],
    ['a named rule written as a value', 'key = "read"', /^Invalid key rule at line 1: key takes named blocks/],
    ['a global written as a block', 'keyring {\n}', /^Invalid keyring policy at line 1:/],
  ];
  for (const [what, text, message] of refusals) {
    it(`refuses ${what} with the line and the reason`, async () => {
      const err = await parseRules(text).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'BAD_REQUEST' });
      expect((err as Error).message).toMatch(message);
    });
  }
});
