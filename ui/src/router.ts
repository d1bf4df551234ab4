import { useEffect, useState } from 'preact/hooks';

/**
 * Client-side routes, shaped like Consul's UI URLs (`/ui/dc1/services/web/instances`,
 * `/ui/dc1/kv/app/config/edit`) so bookmarks carry over. The agent answers every such
 * path with index.html.
 */
export type ServiceTab = 'instances' | 'topology' | 'routing';

export type Route =
  | { page: 'home' }
  | { page: 'services'; dc: string }
  | { page: 'service'; dc: string; name: string; tab: ServiceTab }
  | { page: 'nodes'; dc: string }
  | { page: 'node'; dc: string; name: string }
  /** A folder: '' is the root, others end with '/'. */
  | { page: 'kv'; dc: string; folder: string }
  | { page: 'kv-edit'; dc: string; key: string }
  | { page: 'kv-create'; dc: string; folder: string }
  | { page: 'intentions'; dc: string }
  | { page: 'intention'; dc: string; source: string; destination: string }
  | { page: 'intention-create'; dc: string }
  | { page: 'config'; dc: string; kind: string; name: string }
  | { page: 'not-found'; path: string };

const BASE = '/ui/';
const TABS: ServiceTab[] = ['instances', 'topology', 'routing'];

const dec = (s: string): string => {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
};
const enc = (s: string): string => s.split('/').map(encodeURIComponent).join('/');

export function parseRoute(pathname: string): Route {
  if (!pathname.startsWith(BASE)) return { page: 'not-found', path: pathname };
  const rest = pathname.slice(BASE.length);
  if (rest === '') return { page: 'home' };
  const [dcRaw = '', section = '', ...tail] = rest.split('/');
  const dc = dec(dcRaw);
  const parts = tail.map(dec);
  switch (section) {
    case '':
    case 'services':
      if (!parts[0]) return { page: 'services', dc };
      return { page: 'service', dc, name: parts[0], tab: TABS.includes(parts[1] as ServiceTab) ? (parts[1] as ServiceTab) : 'instances' };
    case 'nodes':
      return parts[0] ? { page: 'node', dc, name: parts[0] } : { page: 'nodes', dc };
    case 'kv': {
      const path = parts.join('/');
      if (path.endsWith('/edit') && path.length > '/edit'.length) return { page: 'kv-edit', dc, key: path.slice(0, -'/edit'.length) };
      if (path === 'create' || path.endsWith('/create')) return { page: 'kv-create', dc, folder: path.slice(0, -'create'.length) };
      return { page: 'kv', dc, folder: path === '' || path.endsWith('/') ? path : `${path}/` };
    }
    case 'intentions':
      if (parts[0] === 'create') return { page: 'intention-create', dc };
      if (parts[0] && parts[1]) return { page: 'intention', dc, source: parts[0], destination: parts[1] };
      return { page: 'intentions', dc };
    case 'config':
      return { page: 'config', dc, kind: parts[0] ?? '', name: parts[1] ?? '' };
    default:
      return { page: 'not-found', path: pathname };
  }
}

/** The URL of a page; `href({page:'service', ...})` and parseRoute are inverses. */
export function href(r: Route): string {
  const d = 'dc' in r ? `${BASE}${encodeURIComponent(r.dc)}` : BASE.slice(0, -1);
  switch (r.page) {
    case 'home':
      return BASE;
    case 'services':
      return `${d}/services`;
    case 'service':
      return `${d}/services/${encodeURIComponent(r.name)}/${r.tab}`;
    case 'nodes':
      return `${d}/nodes`;
    case 'node':
      return `${d}/nodes/${encodeURIComponent(r.name)}`;
    case 'kv':
      return `${d}/kv/${enc(r.folder)}`;
    case 'kv-edit':
      return `${d}/kv/${enc(r.key)}/edit`;
    case 'kv-create':
      return `${d}/kv/${enc(r.folder)}create`;
    case 'intentions':
      return `${d}/intentions`;
    case 'intention':
      return `${d}/intentions/${encodeURIComponent(r.source)}/${encodeURIComponent(r.destination)}`;
    case 'intention-create':
      return `${d}/intentions/create`;
    case 'config':
      return `${d}/config${r.kind ? `/${encodeURIComponent(r.kind)}` : ''}${r.name ? `/${encodeURIComponent(r.name)}` : ''}`;
    case 'not-found':
      return r.path;
  }
}

const listeners = new Set<() => void>();
window.addEventListener('popstate', () => listeners.forEach((l) => l()));

export function navigate(to: string, opts: { replace?: boolean } = {}): void {
  if (to === location.pathname + location.search) return;
  if (opts.replace) history.replaceState(null, '', to);
  else history.pushState(null, '', to);
  listeners.forEach((l) => l());
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.pathname));
  useEffect(() => {
    const update = () => setRoute(parseRoute(location.pathname));
    listeners.add(update);
    return () => void listeners.delete(update);
  }, []);
  return route;
}
