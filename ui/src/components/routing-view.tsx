import type { ConfigEntry } from '../wire.js';

/** Routing config entries (service-router, -splitter, -resolver) in sentences instead of JSON. */

type Obj = Record<string, any>;

function headerRule(h: Obj, what: string): string {
  const not = h.Invert ? 'not ' : '';
  if (h.Present) return `${what} ${h.Name} is ${not}present`;
  if (h.Exact !== undefined) return `${what} ${h.Name} ${not}equals “${h.Exact}”`;
  if (h.Prefix !== undefined) return `${what} ${h.Name} ${not}starts with “${h.Prefix}”`;
  if (h.Suffix !== undefined) return `${what} ${h.Name} ${not}ends with “${h.Suffix}”`;
  if (h.Regex !== undefined) return `${what} ${h.Name} ${not}matches /${h.Regex}/`;
  return `${what} ${h.Name}`;
}

export function describeMatch(match: Obj | undefined): string {
  const http = match?.HTTP as Obj | undefined;
  if (!http) return 'Any request';
  const parts: string[] = [];
  if (http.PathExact) parts.push(`path is ${http.PathExact}`);
  if (http.PathPrefix) parts.push(`path starts with ${http.PathPrefix}`);
  if (http.PathRegex) parts.push(`path matches /${http.PathRegex}/`);
  for (const h of (http.Header ?? []) as Obj[]) parts.push(headerRule(h, 'header'));
  for (const q of (http.QueryParam ?? []) as Obj[]) parts.push(headerRule(q, 'query parameter'));
  if (http.Methods?.length) parts.push(`method is ${(http.Methods as string[]).join(' or ')}`);
  if (parts.length === 0) return 'Any request';
  const text = parts.join(' and ');
  return text[0]!.toUpperCase() + text.slice(1);
}

function target(t: Obj | undefined, fallback: string): string {
  const svc = t?.Service || fallback;
  const bits = [`service ${svc}`];
  if (t?.ServiceSubset) bits.unshift(`subset ${t.ServiceSubset} of`);
  if (t?.Datacenter) bits.push(`in ${t.Datacenter}`);
  if (t?.Peer) bits.push(`from peer ${t.Peer}`);
  return bits.join(' ');
}

export function describeDestination(d: Obj | undefined, service: string): string {
  const extras: string[] = [];
  if (d?.PrefixRewrite) extras.push(`path prefix rewritten to ${d.PrefixRewrite}`);
  if (d?.RequestTimeout) extras.push(`timeout ${d.RequestTimeout}`);
  if (d?.IdleTimeout) extras.push(`idle timeout ${d.IdleTimeout}`);
  if (d?.NumRetries) extras.push(`${d.NumRetries} retries`);
  if (d?.RetryOnConnectFailure) extras.push('retry on connect failure');
  if (d?.RetryOnStatusCodes?.length) extras.push(`retry on status ${(d.RetryOnStatusCodes as number[]).join(', ')}`);
  return target(d, service) + (extras.length ? ` (${extras.join(', ')})` : '');
}

export function RouterView({ entry }: { entry: ConfigEntry }) {
  const routes = (entry.Routes ?? []) as Obj[];
  return (
    <div class="routing-block" data-kind="service-router">
      <h3>Router: the first matching route wins</h3>
      <ol class="routes">
        {routes.map((r, i) => (
          <li key={i}>
            <span class="match">{describeMatch(r.Match)}</span> <span aria-hidden="true">→</span>
            <span class="visually-hidden">goes to</span> <span class="dest">{describeDestination(r.Destination, entry.Name)}</span>
          </li>
        ))}
        <li class="muted">
          Anything else <span aria-hidden="true">→</span>
          <span class="visually-hidden">goes to</span> service {entry.Name} (through its splitter and resolver)
        </li>
      </ol>
    </div>
  );
}

export function SplitterView({ entry }: { entry: ConfigEntry }) {
  const splits = (entry.Splits ?? []) as Obj[];
  let x = 0;
  return (
    <div class="routing-block" data-kind="service-splitter">
      <h3>Splitter: traffic shares</h3>
      <svg class="split-bar" viewBox="0 0 100 6" preserveAspectRatio="none" aria-hidden="true" focusable="false">
        {splits.map((s, i) => {
          const r = <rect x={x} y="0" width={Number(s.Weight) || 0} height="6" class={`split-${i % 4}`} />;
          x += Number(s.Weight) || 0;
          return r;
        })}
      </svg>
      <ul class="splits">
        {splits.map((s, i) => (
          <li key={i}>
            <span class={`swatch split-${i % 4}`} aria-hidden="true" />
            <strong>{Number(s.Weight)}%</strong> → {target(s, entry.Name)}
          </li>
        ))}
      </ul>
    </div>
  );
}

export function ResolverView({ entry }: { entry: ConfigEntry }) {
  const subsets = Object.entries((entry.Subsets ?? {}) as Record<string, Obj>);
  const failover = Object.entries((entry.Failover ?? {}) as Record<string, Obj>);
  const redirect = entry.Redirect as Obj | undefined;
  const lb = entry.LoadBalancer as Obj | undefined;
  return (
    <div class="routing-block" data-kind="service-resolver">
      <h3>Resolver: which instances serve a request</h3>
      <ul>
        {redirect && <li>All requests are redirected to {target(redirect, entry.Name)}.</li>}
        {entry.DefaultSubset && <li>Default subset: {String(entry.DefaultSubset)}</li>}
        {subsets.map(([name, s]) => (
          <li key={name}>
            Subset <strong>{name}</strong>: instances where <code>{s.Filter || 'any'}</code>
            {s.OnlyPassing ? ', passing checks only' : ''}
          </li>
        ))}
        {failover.map(([subset, f]) => (
          <li key={subset}>
            Failover for {subset === '*' ? 'every subset' : `subset ${subset}`}:{' '}
            {[...(f.Targets ?? []).map((t: Obj) => target(t, entry.Name)), ...(f.Datacenters ?? []).map((dc: string) => `datacenter ${dc}`), ...(f.Service ? [target(f, entry.Name)] : [])].join(', then ')}
          </li>
        ))}
        {entry.ConnectTimeout && <li>Connect timeout: {String(entry.ConnectTimeout)}</li>}
        {entry.RequestTimeout && <li>Request timeout: {String(entry.RequestTimeout)}</li>}
        {lb?.Policy && (
          <li>
            Load balancing: {lb.Policy}
            {lb.HashPolicies?.length ? ` (hash on ${(lb.HashPolicies as Obj[]).map((h) => (h.SourceIP ? 'source IP' : `${h.Field} ${h.FieldValue ?? ''}`.trim())).join(', ')})` : ''}
          </li>
        )}
        {!redirect && !entry.DefaultSubset && subsets.length === 0 && failover.length === 0 && !lb?.Policy && <li>Defaults only: any healthy instance.</li>}
      </ul>
    </div>
  );
}

export const ROUTING_KINDS = ['service-router', 'service-splitter', 'service-resolver'] as const;

export function RoutingEntryView({ entry }: { entry: ConfigEntry }) {
  if (entry.Kind === 'service-router') return <RouterView entry={entry} />;
  if (entry.Kind === 'service-splitter') return <SplitterView entry={entry} />;
  if (entry.Kind === 'service-resolver') return <ResolverView entry={entry} />;
  return null;
}
