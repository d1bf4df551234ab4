import { useEffect, useRef, useState } from 'preact/hooks';
import { askForToken, logOut, useAcl, type AclState } from './acl.js';
import { get, setDatacenter } from './api.js';
import { Link } from './components/link.js';
import { LoginPage } from './components/login.js';
import { ConfigEntriesPage } from './pages/config-entries.js';
import { IntentionFormPage } from './pages/intention-form.js';
import { IntentionsPage } from './pages/intentions.js';
import { KvCreatePage } from './pages/kv-create.js';
import { KvEditPage } from './pages/kv-edit.js';
import { KvListPage } from './pages/kv-list.js';
import { NodePage } from './pages/node.js';
import { NodesPage } from './pages/nodes.js';
import { ServicePage } from './pages/service.js';
import { ServicesPage } from './pages/services.js';
import { href, navigate, useRoute, type Route } from './router.js';
import type { AgentSelf } from './wire.js';

interface AgentInfo {
  datacenter: string;
  node: string;
  datacenters: string[];
}

/** Who served the page: its datacenter is the default, and the picker appears once there are several. */
function useAgentInfo(): AgentInfo | null {
  const [info, setInfo] = useState<AgentInfo | null>(null);
  useEffect(() => {
    Promise.all([get<AgentSelf>('/v1/agent/self'), get<string[]>('/v1/catalog/datacenters').catch(() => null)])
      .then(([self, dcs]) => setInfo({ datacenter: self.body.Config.Datacenter, node: self.body.Config.NodeName, datacenters: dcs?.body ?? [self.body.Config.Datacenter] }))
      .catch(() => setInfo({ datacenter: 'dc1', node: '', datacenters: [] }));
  }, []);
  return info;
}

const SECTIONS: { section: string; label: string; to: (dc: string) => Route; pages: Route['page'][] }[] = [
  { section: 'services', label: 'Services', to: (dc) => ({ page: 'services', dc }), pages: ['services', 'service'] },
  { section: 'nodes', label: 'Nodes', to: (dc) => ({ page: 'nodes', dc }), pages: ['nodes', 'node'] },
  { section: 'kv', label: 'Key/Value', to: (dc) => ({ page: 'kv', dc, folder: '' }), pages: ['kv', 'kv-edit', 'kv-create'] },
  { section: 'intentions', label: 'Intentions', to: (dc) => ({ page: 'intentions', dc }), pages: ['intentions', 'intention', 'intention-create'] },
  { section: 'config', label: 'Config entries', to: (dc) => ({ page: 'config', dc, kind: '', name: '' }), pages: ['config'] },
];

function Page({ route }: { route: Route }) {
  switch (route.page) {
    case 'services':
      return <ServicesPage dc={route.dc} />;
    case 'service':
      return <ServicePage dc={route.dc} name={route.name} tab={route.tab} />;
    case 'nodes':
      return <NodesPage dc={route.dc} />;
    case 'node':
      return <NodePage key={route.name} dc={route.dc} name={route.name} />;
    case 'kv':
      return <KvListPage key={route.folder} dc={route.dc} folder={route.folder} />;
    case 'kv-edit':
      return <KvEditPage key={route.key} dc={route.dc} kvKey={route.key} />;
    case 'kv-create':
      return <KvCreatePage dc={route.dc} folder={route.folder} />;
    case 'intentions':
      return <IntentionsPage dc={route.dc} />;
    case 'intention':
      return <IntentionFormPage key={`${route.source}->${route.destination}`} dc={route.dc} source={route.source} destination={route.destination} />;
    case 'intention-create':
      return <IntentionFormPage dc={route.dc} />;
    case 'config':
      return <ConfigEntriesPage dc={route.dc} kind={route.kind} name={route.name} />;
    case 'home':
      return <p class="muted">Loading…</p>;
    case 'not-found':
      return (
        <section>
          <h1 tabIndex={-1}>Page not found</h1>
          <p>
            Nothing lives at <code>{route.path}</code>. <Link href="/ui/">Go to the services</Link>.
          </p>
        </section>
      );
  }
}

/** Who the UI acts as, with the way to change it; nothing when the agent has no ACLs. */
function Session({ acl }: { acl: AclState }) {
  if (acl.status === 'signed-in') {
    return (
      <div class="session">
        <span class="session-name" title={`AccessorID ${acl.accessorId}`}>
          {acl.description || `Token ${acl.accessorId.slice(0, 8)}`}
        </span>
        <button
          type="button"
          class="session-button"
          onClick={() => {
            logOut();
            // Nothing the old token could see stays on screen.
            location.reload();
          }}
        >
          Log out
        </button>
      </div>
    );
  }
  if (acl.status === 'anonymous' && !acl.denied) {
    return (
      <div class="session">
        <button type="button" class="session-button" onClick={askForToken}>
          Log in
        </button>
      </div>
    );
  }
  return null;
}

export function App() {
  const route = useRoute();
  const agent = useAgentInfo();
  const acl = useAcl();
  const dc = 'dc' in route ? route.dc : (agent?.datacenter ?? '');
  setDatacenter(dc);

  useEffect(() => {
    if (route.page === 'home' && agent) navigate(href({ page: 'services', dc: agent.datacenter }), { replace: true });
  }, [route.page, agent]);

  // After a navigation, start keyboard and screen-reader users at the new page's title
  // (switching a service's tabs keeps the focus on the tabs).
  const first = useRef(true);
  const pageKey = route.page === 'service' ? `service:${route.dc}:${route.name}` : location.pathname;
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    const h1 = document.querySelector<HTMLElement>('main h1');
    (h1 ?? document.getElementById('main'))?.focus();
  }, [pageKey]);

  return (
    <>
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <header class="top">
        <Link class="brand" href={href({ page: 'services', dc })}>
          <svg viewBox="0 0 32 32" width="22" height="22" aria-hidden="true" focusable="false">
            <rect width="32" height="32" rx="6" fill="#fff" opacity="0.15" />
            <path d="M6 9h20M6 16h20M6 23h20M11 5v22M21 5v22" stroke="#fff" stroke-width="2.5" stroke-linecap="round" />
          </svg>
          Weft
        </Link>
        <nav aria-label="Main">
          <ul>
            {SECTIONS.map((s) => (
              <li key={s.section}>
                <Link href={href(s.to(dc))} aria-current={s.pages.includes(route.page) ? 'page' : undefined}>
                  {s.label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        {agent && agent.datacenters.length > 1 && (
          <div class="dc-picker">
            <label for="dc-picker">Datacenter</label>
            <select id="dc-picker" value={dc} onChange={(e) => navigate(href({ page: 'services', dc: (e.currentTarget as HTMLSelectElement).value }))}>
              {agent.datacenters.map((d) => (
                <option key={d} value={d}>
                  {d}
                </option>
              ))}
            </select>
          </div>
        )}
        {agent && agent.datacenters.length <= 1 && (
          <span class="dc-name" title="Datacenter">
            {dc}
          </span>
        )}
        <Session acl={acl} />
      </header>
      <main id="main" tabIndex={-1}>
        {acl.status === 'anonymous' && acl.denied ? <LoginPage acl={acl} onDone={() => location.reload()} /> : <Page route={route} />}
      </main>
      <footer class="foot muted small">{agent?.node ? `Served by agent ${agent.node} in ${agent.datacenter}. Pages update live.` : ''}</footer>
    </>
  );
}
