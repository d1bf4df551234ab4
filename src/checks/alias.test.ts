import { describe, expect, it } from 'vitest';
import { aliasStatus, CheckRunner, parseCheckDefinition, type AliasedCheck, type AliasSource, type CheckStatus, type CheckUpdate } from './index.js';

const chk = (over: Partial<AliasedCheck>): AliasedCheck => ({ Node: 'n1', CheckID: 'c', Name: 'c', Status: 'passing', Output: '', ServiceID: '', ...over });

describe('aliasStatus (Consul\'s verdict over the target\'s checks)', () => {
  const target = { serviceId: 'web' };
  const exists = () => true;

  it('is passing when the service and node checks pass', () => {
    expect(aliasStatus([chk({ ServiceID: 'web' }), chk({ CheckID: 'serfHealth' })], target, exists)).toEqual({ status: 'passing', output: 'All checks passing.' });
  });

  it('counts the node\'s own checks and ignores other services\' checks', () => {
    expect(aliasStatus([chk({ ServiceID: 'web' }), chk({ ServiceID: 'db', Status: 'critical' })], target, exists).status).toBe('passing');
    expect(aliasStatus([chk({ ServiceID: 'web' }), chk({ Name: 'node disk', Status: 'warning', Output: '91%' })], target, exists)).toEqual({
      status: 'warning',
      output: 'Aliased check "node disk" failing: 91%',
    });
  });

  it('lets critical win over warning', () => {
    const checks = [chk({ ServiceID: 'web', Name: 'a', Status: 'warning' }), chk({ ServiceID: 'web', Name: 'b', Status: 'critical', Output: 'down' }), chk({ ServiceID: 'web' })];
    expect(aliasStatus(checks, target, exists)).toEqual({ status: 'critical', output: 'Aliased check "b" failing: down' });
  });

  it('only looks at the aliased node when one is named', () => {
    expect(aliasStatus([chk({ Node: 'other', ServiceID: 'web', Status: 'critical' }), chk({ Node: 'N1', ServiceID: 'web' })], { node: 'n1', serviceId: 'web' }, exists).status).toBe('passing');
  });

  it('is passing for an existing service without checks, critical for a missing one', () => {
    expect(aliasStatus([], target, exists)).toEqual({ status: 'passing', output: 'No checks found.' });
    expect(aliasStatus([], { node: 'n2', serviceId: 'web' }, () => false)).toEqual({ status: 'critical', output: 'Service web could not be found on node n2' });
  });
});

/** The AliasSource contract implemented over an in-memory list of checks, as the agent does over its local state. */
class LocalChecks implements AliasSource {
  checks: AliasedCheck[] = [];
  private subs = new Set<() => void>();

  subscribe(target: { node?: string; serviceId?: string }, onStatus: (s: CheckStatus, o: string) => void): () => void {
    const push = () => {
      const r = aliasStatus(this.checks, target, () => true);
      onStatus(r.status, r.output);
    };
    this.subs.add(push);
    push();
    return () => this.subs.delete(push);
  }

  set(checks: AliasedCheck[]): void {
    this.checks = checks;
    for (const s of this.subs) s();
  }

  get subscribers(): number {
    return this.subs.size;
  }
}

describe('alias check runner', () => {
  it('mirrors its source until stopped', () => {
    const source = new LocalChecks();
    source.checks = [chk({ ServiceID: 'web' })];
    const updates: CheckUpdate[] = [];
    const runner = new CheckRunner(parseCheckDefinition({ Name: 'web-alias', AliasService: 'web' }), {
      onUpdate: (u) => updates.push(u),
      aliasSource: source,
      scriptChecksEnabled: false,
    });
    runner.start();
    expect(updates).toEqual([{ id: 'web-alias', status: 'passing', output: 'All checks passing.' }]);

    source.set([chk({ ServiceID: 'web', Name: 'http', Status: 'critical', Output: 'HTTP GET ...: 503' })]);
    expect(updates[1]).toEqual({ id: 'web-alias', status: 'critical', output: 'Aliased check "http" failing: HTTP GET ...: 503' });

    runner.stop();
    expect(source.subscribers).toBe(0);
    source.set([chk({ ServiceID: 'web' })]);
    expect(updates).toHaveLength(2);
  });

  it('cannot be built without a source', () => {
    expect(() => new CheckRunner(parseCheckDefinition({ Name: 'a', AliasNode: 'n1' }), { onUpdate: () => {}, scriptChecksEnabled: false })).toThrow(
      'alias check "a" needs an alias source',
    );
  });
});
