/**
 * service-resolver: which instances serve a service: named subsets (filter expressions over
 * health entries), a default subset, a redirect, failover targets, timeouts and the load
 * balancing policy. Valid for any protocol.
 */
import { compileFilter } from '../../filter/index.js';
import { bad, checkDefaultTenancy } from './common-fields.js';
import { SERVICE_RESOLVER, type FailoverTarget, type LoadBalancer, type ResolverFailover, type ServiceResolverEntry } from './entry-types.js';
import { defineConfigKind } from './kinds.js';
import { objectOf } from './schema.js';

const targetFields = { Service: 'string', ServiceSubset: 'string', Namespace: 'string', Partition: 'string', Datacenter: 'string', Peer: 'string' } as const;

const schema = objectOf({
  DefaultSubset: 'string',
  Subsets: { map: objectOf({ Filter: 'string', OnlyPassing: 'bool' }) },
  Redirect: objectOf({ ...targetFields, SamenessGroup: 'string' }),
  Failover: {
    map: objectOf({
      Service: 'string',
      ServiceSubset: 'string',
      Namespace: 'string',
      Datacenters: 'stringList',
      Targets: { list: objectOf(targetFields) },
      Policy: objectOf({ Mode: 'string', Regions: 'stringList' }),
      SamenessGroup: 'string',
    }),
  },
  ConnectTimeout: 'duration',
  RequestTimeout: 'duration',
  LoadBalancer: objectOf({
    Policy: 'string',
    RingHashConfig: objectOf({ MinimumRingSize: 'int', MaximumRingSize: 'int' }),
    LeastRequestConfig: objectOf({ ChoiceCount: 'int' }),
    HashPolicies: {
      list: objectOf({
        Field: 'string',
        FieldValue: 'string',
        CookieConfig: objectOf({ Session: 'bool', TTL: 'durationNs', Path: 'string' }),
        SourceIP: 'bool',
        Terminal: 'bool',
      }),
    },
  }),
});

export const LB_POLICIES = new Set(['', 'round_robin', 'least_request', 'ring_hash', 'maglev', 'random']);
const HASH_FIELDS = new Set(['header', 'cookie', 'query_parameter']);
const SUBSET_NAME = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;

export const isHashBased = (lb: LoadBalancer | undefined): boolean => lb?.Policy === 'ring_hash' || lb?.Policy === 'maglev';

function validateSubsets(e: ServiceResolverEntry): void {
  for (const name of Object.keys(e.Subsets ?? {}).sort()) {
    if (name === '') throw bad('Subset defined with empty name');
    if (name.length > 63 || !SUBSET_NAME.test(name)) {
      throw bad(
        `Subset ${JSON.stringify(name)} is invalid: must be 63 characters or fewer, begin or end with lower case alphanumeric characters, and contain lower case alphanumeric characters or '-' in between`,
      );
    }
    const filter = e.Subsets![name].Filter;
    if (filter) {
      try {
        compileFilter(filter);
      } catch (err) {
        throw bad(`Filter for subset ${JSON.stringify(name)} is not a valid expression: ${(err as Error).message}`);
      }
    }
  }
}

function validateRedirect(e: ServiceResolverEntry, isSubset: (s: string) => boolean): void {
  const r = e.Redirect;
  if (!r) return;
  if (Object.keys(e.Failover ?? {}).length) throw bad('Redirect and Failover cannot both be set');
  if (!r.Service && !r.ServiceSubset && !r.Datacenter) throw bad('Redirect is empty');
  if (!r.Service && r.ServiceSubset) throw bad('Redirect.ServiceSubset defined without Redirect.Service');
  if (r.ServiceSubset && r.Service === e.Name && !isSubset(r.ServiceSubset)) {
    throw bad(`Redirect.ServiceSubset ${JSON.stringify(r.ServiceSubset)} is not a valid subset of ${JSON.stringify(e.Name)}`);
  }
  // Weft: once every lookup is sent to another service, this resolver's subsets are dead config.
  if (r.Service && r.Service !== e.Name && (e.DefaultSubset || Object.keys(e.Subsets ?? {}).length)) {
    throw bad(`Redirect to service ${JSON.stringify(r.Service)} cannot be combined with Subsets or DefaultSubset: they would never be used`);
  }
}

function validateFailoverTarget(t: FailoverTarget, prefix: string, e: ServiceResolverEntry, isSubset: (s: string) => boolean): void {
  if (t.ServiceSubset && (!t.Service || t.Service === e.Name) && !isSubset(t.ServiceSubset)) {
    throw bad(`${prefix}ServiceSubset ${JSON.stringify(t.ServiceSubset)} is not a valid subset of ${JSON.stringify(e.Name)}`);
  }
}

function validateFailover(e: ServiceResolverEntry, isSubset: (s: string) => boolean): void {
  const failovers = e.Failover ?? {};
  for (const subset of Object.keys(failovers).sort()) {
    const f: ResolverFailover = failovers[subset];
    const prefix = `Bad Failover[${JSON.stringify(subset)}]: `;
    if (subset !== '*' && !isSubset(subset)) throw bad(`${prefix}not a valid subset subset`);
    if (!f.Service && !f.ServiceSubset && !f.Datacenters?.length && !f.Targets?.length) {
      throw bad(`${prefix}one of Service, ServiceSubset, Namespace, Targets, or Datacenters is required`);
    }
    const mode = f.Policy?.Mode ?? '';
    if (mode !== '' && mode !== 'default' && mode !== 'order-by-locality') throw bad(`${prefix}Policy must be one of '', 'default', or 'order-by-locality'`);
    if (f.ServiceSubset && (!f.Service || f.Service === e.Name) && !isSubset(f.ServiceSubset)) {
      throw bad(`${prefix}ServiceSubset ${JSON.stringify(f.ServiceSubset)} is not a valid subset of ${JSON.stringify(f.Service || e.Name)}`);
    }
    if (f.Datacenters?.length && f.Targets?.length) throw bad(`${prefix}Targets cannot be set with Datacenters`);
    if (f.ServiceSubset && f.Targets?.length) throw bad(`${prefix}Targets cannot be set with ServiceSubset`);
    if (f.Service && f.Targets?.length) throw bad(`${prefix}Targets cannot be set with Service`);
    (f.Targets ?? []).forEach((t, i) => validateFailoverTarget(t, `Bad Failover[${JSON.stringify(subset)}].Targets[${i}]: `, e, isSubset));
    if ((f.Datacenters ?? []).some((dc) => dc === '')) throw bad(`Bad Failover[${JSON.stringify(subset)}].Datacenters: found empty datacenter`);
  }
}

function validateLoadBalancer(lb: LoadBalancer | undefined): void {
  if (!lb) return;
  const policy = lb.Policy ?? '';
  if (!LB_POLICIES.has(policy)) throw bad(`Bad LoadBalancer policy: ${JSON.stringify(policy)} is not supported`);
  if (policy !== 'ring_hash' && lb.RingHashConfig) {
    throw bad(`Bad LoadBalancer configuration. RingHashConfig specified for incompatible load balancing policy ${JSON.stringify(policy)}`);
  }
  if (policy !== 'least_request' && lb.LeastRequestConfig) {
    throw bad(`Bad LoadBalancer configuration. LeastRequestConfig specified for incompatible load balancing policy ${JSON.stringify(policy)}`);
  }
  if (!isHashBased(lb) && lb.HashPolicies?.length) throw bad(`Bad LoadBalancer configuration: HashPolicies specified for non-hash-based Policy: ${JSON.stringify(policy)}`);
  const ring = lb.RingHashConfig;
  if (ring && (ring.MinimumRingSize ?? 0) < 0) throw bad('Bad LoadBalancer configuration: RingHashConfig.MinimumRingSize cannot be negative');
  if (ring && (ring.MaximumRingSize ?? 0) < 0) throw bad('Bad LoadBalancer configuration: RingHashConfig.MaximumRingSize cannot be negative');
  if ((lb.LeastRequestConfig?.ChoiceCount ?? 0) < 0) throw bad('Bad LoadBalancer configuration: LeastRequestConfig.ChoiceCount cannot be negative');
  (lb.HashPolicies ?? []).forEach((hp, i) => {
    const p = `Bad LoadBalancer HashPolicy[${i}]: `;
    if (hp.Field && !HASH_FIELDS.has(hp.Field)) throw bad(`${p}${JSON.stringify(hp.Field)} is not a supported field`);
    if (hp.SourceIP && hp.Field) throw bad(`${p}A single hash policy cannot hash both a source address and a ${JSON.stringify(hp.Field)}`);
    if (hp.SourceIP && hp.FieldValue) throw bad(`${p}A FieldValue cannot be specified when hashing SourceIP`);
    if (hp.Field && !hp.FieldValue) throw bad(`${p}Field ${JSON.stringify(hp.Field)} was specified without a FieldValue`);
    if (hp.FieldValue && !hp.Field) throw bad(`${p}FieldValue requires a Field to apply to`);
    if (hp.CookieConfig) {
      if (hp.Field !== 'cookie') throw bad(`${p}cookie_config provided for ${JSON.stringify(hp.Field ?? '')}`);
      if (hp.CookieConfig.Session && hp.CookieConfig.TTL) throw bad(`${p}a session cookie cannot have an associated TTL`);
      if ((hp.CookieConfig.TTL ?? 0) < 0) throw bad(`${p}CookieConfig.TTL cannot be negative`);
    }
  });
}

export function validateResolver(e: ServiceResolverEntry): void {
  validateSubsets(e);
  const isSubset = (s: string): boolean => Object.hasOwn(e.Subsets ?? {}, s);
  if (e.DefaultSubset && !isSubset(e.DefaultSubset)) throw bad(`DefaultSubset ${JSON.stringify(e.DefaultSubset)} is not a valid subset`);
  validateRedirect(e, isSubset);
  validateFailover(e, isSubset);
  if (e.ConnectTimeout?.startsWith('-')) throw bad(`Bad ConnectTimeout '${e.ConnectTimeout}', must be >= 0`);
  if (e.RequestTimeout?.startsWith('-')) throw bad(`Bad RequestTimeout '${e.RequestTimeout}', must be >= 0`);
  validateLoadBalancer(e.LoadBalancer);
}

function dropDefaultTenancy<T extends { Namespace?: string; Partition?: string }>(v: T): T {
  const { Namespace: _ns, Partition: _p, ...rest } = v;
  return rest as T;
}

defineConfigKind({
  kind: SERVICE_RESOLVER,
  schema,
  normalize: (raw) => {
    const e = raw as ServiceResolverEntry;
    // Tenancy is checked before the default namespace and partition are dropped.
    if (e.Redirect) checkDefaultTenancy('Redirect', e.Redirect);
    const failover = e.Failover
      ? Object.fromEntries(
          Object.entries(e.Failover).map(([k, f]) => {
            checkDefaultTenancy(`Failover[${JSON.stringify(k)}]`, f);
            (f.Targets ?? []).forEach((t, i) => checkDefaultTenancy(`Failover[${JSON.stringify(k)}].Targets[${i}]`, t));
            return [k, { ...dropDefaultTenancy(f), ...(f.Targets ? { Targets: f.Targets.map(dropDefaultTenancy) } : {}) }];
          }),
        )
      : undefined;
    return { ...e, ...(e.Redirect ? { Redirect: dropDefaultTenancy(e.Redirect) } : {}), ...(failover ? { Failover: failover } : {}) };
  },
  validate: (e) => validateResolver(e as ServiceResolverEntry),
});
