import { ErrorNote, Loading } from '../components/error-note.js';
import { Link } from '../components/link.js';
import { RouterView, ResolverView, SplitterView } from '../components/routing-view.js';
import { useLive, type Live } from '../live.js';
import { href } from '../router.js';
import type { ConfigEntry } from '../wire.js';

/** How requests to the service are routed, split and resolved, from its L7 config entries. */
export function RoutingTab({ dc, name }: { dc: string; name: string }) {
  const router = useLive<ConfigEntry[]>('/v1/config/service-router');
  const splitter = useLive<ConfigEntry[]>('/v1/config/service-splitter');
  const resolver = useLive<ConfigEntry[]>('/v1/config/service-resolver');
  const all = [router, splitter, resolver];
  // A 400 on a kind means this agent does not know that kind yet: no entries of it can exist.
  const unknownKind = (l: Live<ConfigEntry[]>) => l.errorStatus === 400;
  const pick = (l: Live<ConfigEntry[]>) => l.data?.find((e) => e.Name === name);
  const r = pick(router);
  const s = pick(splitter);
  const v = pick(resolver);
  const error = all.find((l) => l.error && !unknownKind(l))?.error;
  const loaded = all.every((l) => l.data || unknownKind(l));
  return (
    <div>
      <ErrorNote message={error} stale={!!loaded} />
      {!loaded && !error && <Loading what="routing config" />}
      {loaded && !r && !s && !v && (
        <p class="empty" data-routing="none">
          No routing config for {name}: requests go straight to its healthy instances. Add a service-router, service-splitter or service-resolver entry
          to route, split or fail over traffic.
        </p>
      )}
      {r && <RouterView entry={r} />}
      {s && <SplitterView entry={s} />}
      {v && <ResolverView entry={v} />}
      {(r || s || v) && (
        <p class="muted">
          The full entries are under <Link href={href({ page: 'config', dc, kind: 'service-router', name: '' })}>Config entries</Link>.
        </p>
      )}
    </div>
  );
}
