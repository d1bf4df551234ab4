import { ErrorNote, Loading } from '../components/error-note.js';
import { Link } from '../components/link.js';
import { PageHeader } from '../components/page-header.js';
import { RoutingEntryView } from '../components/routing-view.js';
import { useLive } from '../live.js';
import { href } from '../router.js';
import type { ConfigEntry } from '../wire.js';

const KINDS: { kind: string; label: string }[] = [
  { kind: 'service-defaults', label: 'Service defaults' },
  { kind: 'proxy-defaults', label: 'Proxy defaults' },
  { kind: 'service-router', label: 'Service routers' },
  { kind: 'service-splitter', label: 'Service splitters' },
  { kind: 'service-resolver', label: 'Service resolvers' },
  { kind: 'service-intentions', label: 'Service intentions' },
  { kind: 'ingress-gateway', label: 'Ingress gateways' },
  { kind: 'terminating-gateway', label: 'Terminating gateways' },
  { kind: 'mesh', label: 'Mesh' },
  { kind: 'exported-services', label: 'Exported services' },
];

function IntentionsEntryView({ entry }: { entry: ConfigEntry }) {
  const sources = (entry.Sources ?? []) as { Name: string; Action?: string; Permissions?: unknown[]; Description?: string }[];
  return (
    <div class="routing-block">
      <h3>Who may call {entry.Name}</h3>
      <ul>
        {sources.map((s) => (
          <li key={s.Name}>
            {s.Name === '*' ? 'All Services (*)' : s.Name}: <strong>{s.Permissions?.length ? `${s.Permissions.length} L7 permissions` : s.Action}</strong>
            {s.Description && <span class="muted"> — {s.Description}</span>}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** Config entries by kind; an entry in readable form where Weft knows the kind, and always as JSON. */
export function ConfigEntriesPage({ dc, kind: routeKind, name }: { dc: string; kind: string; name: string }) {
  const kind = routeKind || KINDS[0]!.kind;
  const live = useLive<ConfigEntry[]>(`/v1/config/${encodeURIComponent(kind)}`);
  const label = KINDS.find((k) => k.kind === kind)?.label ?? kind;
  const entry = name ? live.data?.find((e) => e.Name === name) : undefined;
  return (
    <section>
      <PageHeader title={name ? `${name}` : 'Config entries'} crumbs={name ? [{ label: 'Config entries', href: href({ page: 'config', dc, kind, name: '' }) }] : []} />
      <div class="split">
        <nav class="side-nav" aria-label="Config entry kinds">
          <ul>
            {KINDS.map((k) => (
              <li key={k.kind}>
                <Link href={href({ page: 'config', dc, kind: k.kind, name: '' })} aria-current={k.kind === kind ? 'page' : undefined}>
                  {k.label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <div class="split-main">
          <ErrorNote message={live.error} stale={!!live.data} />
          {live.loading && <Loading what={label.toLowerCase()} />}
          {!name && live.data && (
            <>
              <h2>{label}</h2>
              {live.data.length === 0 ? (
                <p class="empty">No {kind} entries. Write one with <code>weft config write entry.hcl</code> or <code>PUT /v1/config</code>.</p>
              ) : (
                <table class="list" aria-label={label}>
                  <thead>
                    <tr>
                      <th scope="col">Name</th>
                      <th scope="col" class="num">Modify index</th>
                    </tr>
                  </thead>
                  <tbody>
                    {live.data.map((e) => (
                      <tr key={e.Name}>
                        <th scope="row">
                          <Link href={href({ page: 'config', dc, kind, name: e.Name })}>{e.Name}</Link>
                        </th>
                        <td class="num">{e.ModifyIndex}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </>
          )}
          {name && live.data && !entry && <p class="empty">There is no {kind} entry named {name}.</p>}
          {entry && (
            <>
              <p class="muted">
                {kind} · modify index {entry.ModifyIndex}
              </p>
              <RoutingEntryView entry={entry} />
              {kind === 'service-intentions' && <IntentionsEntryView entry={entry} />}
              <h2>As JSON</h2>
              <pre class="json" tabIndex={0} aria-label={`${kind} ${name} as JSON`}>
                {JSON.stringify(entry, null, 2)}
              </pre>
            </>
          )}
        </div>
      </div>
    </section>
  );
}
