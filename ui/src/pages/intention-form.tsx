import { useEffect, useState } from 'preact/hooks';
import { ApiError, del, get, put } from '../api.js';
import { ConfirmDelete } from '../components/confirm-delete.js';
import { describePermission, serviceLabel } from '../components/intention-action.js';
import { ErrorNote, Loading } from '../components/error-note.js';
import { Link } from '../components/link.js';
import { PageHeader } from '../components/page-header.js';
import { KeyValues } from '../components/tag-list.js';
import { useLive } from '../live.js';
import { href, navigate } from '../router.js';
import type { Intention } from '../wire.js';

type Action = 'allow' | 'deny';

/** Names of registered services for the source/destination suggestions (a hint, so fetched once). */
function useServiceNames(): string[] {
  const [names, setNames] = useState<string[]>([]);
  useEffect(() => {
    const abort = new AbortController();
    get<Record<string, string[]>>('/v1/catalog/services', { signal: abort.signal })
      .then((a) => setNames(Object.keys(a.body).sort()))
      .catch(() => setNames([]));
    return () => abort.abort();
  }, []);
  return names;
}

/**
 * Creates or edits one intention by its names (Consul's `/v1/connect/intentions/exact`).
 * Source and destination identify it, so they are fixed once it exists. A failed save
 * keeps everything typed.
 */
export function IntentionFormPage({ dc, source: fixedSource, destination: fixedDestination }: { dc: string; source?: string; destination?: string }) {
  const editing = fixedSource !== undefined && fixedDestination !== undefined;
  const live = useLive<Intention>(editing ? '/v1/connect/intentions/exact' : null, { query: { source: fixedSource, destination: fixedDestination }, allow404: true });
  const existing = live.data;
  const names = useServiceNames();
  const [source, setSource] = useState(fixedSource ?? '');
  const [destination, setDestination] = useState(fixedDestination ?? '');
  const [action, setAction] = useState<Action>('allow');
  const [description, setDescription] = useState('');
  const [loaded, setLoaded] = useState(false);
  const [problem, setProblem] = useState<{ message: string; existing?: boolean } | null>(null);
  const [busy, setBusy] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const l7 = existing?.Permissions?.length ? existing.Permissions : null;

  // The form takes the stored values once; later changes by others do not clobber typing.
  useEffect(() => {
    if (!existing || loaded) return;
    setAction(existing.Action === 'deny' ? 'deny' : 'allow');
    setDescription(existing.Description ?? '');
    setLoaded(true);
  }, [existing, loaded]);

  const exactQuery = { source: source.trim(), destination: destination.trim() };
  const save = async (e: Event) => {
    e.preventDefault();
    if (!exactQuery.source || !exactQuery.destination) return setProblem({ message: 'Enter both a source and a destination service (or * for all services).' });
    setBusy(true);
    setProblem(null);
    try {
      if (!editing) {
        const there = await get<Intention>('/v1/connect/intentions/exact', { query: exactQuery, allow404: true });
        if (there.status !== 404) {
          setBusy(false);
          return setProblem({ message: `An intention from ${serviceLabel(exactQuery.source)} to ${serviceLabel(exactQuery.destination)} already exists, so nothing was written.`, existing: true });
        }
      }
      const body = l7 ? { SourceType: 'consul', Permissions: l7, Description: description } : { SourceType: 'consul', Action: action, Description: description };
      await put('/v1/connect/intentions/exact', { query: exactQuery, body });
      navigate(href({ page: 'intentions', dc }));
    } catch (err) {
      setProblem({ message: `Not saved: ${err instanceof ApiError ? err.message : String(err)} Your entries are still here.` });
    } finally {
      setBusy(false);
    }
  };

  const remove = async () => {
    setBusy(true);
    try {
      await del('/v1/connect/intentions/exact', { query: exactQuery });
      navigate(href({ page: 'intentions', dc }));
    } catch (err) {
      setProblem({ message: `Not deleted: ${err instanceof ApiError ? err.message : String(err)}` });
      setBusy(false);
    }
  };

  const title = editing ? `${serviceLabel(fixedSource!)} → ${serviceLabel(fixedDestination!)}` : 'New intention';
  return (
    <section>
      <PageHeader title={title} crumbs={[{ label: 'Intentions', href: href({ page: 'intentions', dc }) }]} />
      <ErrorNote message={live.error} stale={!!existing} />
      {editing && live.loading && <Loading what="the intention" />}
      {editing && live.missing && <p class="note">There is no intention from {serviceLabel(fixedSource!)} to {serviceLabel(fixedDestination!)} (any more). Saving creates it.</p>}
      {problem && (
        <div class="note note-error" role="alert">
          {problem.message}{' '}
          {problem.existing && <Link href={href({ page: 'intention', dc, source: exactQuery.source, destination: exactQuery.destination })}>Open it</Link>}
        </div>
      )}
      <form onSubmit={(e) => void save(e)} class="intention-form">
        <datalist id="service-names">
          <option value="*">All Services (*)</option>
          {names.map((n) => (
            <option key={n} value={n} />
          ))}
        </datalist>
        <div class="field">
          <label for="intention-source">Source service</label>
          <input id="intention-source" list="service-names" value={source} disabled={editing} required aria-describedby="intention-source-hint" onInput={(e) => setSource((e.currentTarget as HTMLInputElement).value)} />
          <p id="intention-source-hint" class="muted small">
            A registered service, one that does not exist yet, or * for all services.
          </p>
        </div>
        <div class="field">
          <label for="intention-destination">Destination service</label>
          <input id="intention-destination" list="service-names" value={destination} disabled={editing} required onInput={(e) => setDestination((e.currentTarget as HTMLInputElement).value)} />
        </div>
        {l7 ? (
          <div class="field">
            <p>
              This intention decides per request with {l7.length} L7 permission{l7.length === 1 ? '' : 's'} (edit them with <code>weft config write</code>):
            </p>
            <ol>
              {l7.map((p, i) => (
                <li key={i}>{describePermission(p)}</li>
              ))}
            </ol>
          </div>
        ) : (
          <fieldset class="field choice">
            <legend>Should this source connect to this destination?</legend>
            <label>
              <input type="radio" name="intention-action" value="allow" checked={action === 'allow'} onChange={() => setAction('allow')} /> Allow
            </label>
            <label>
              <input type="radio" name="intention-action" value="deny" checked={action === 'deny'} onChange={() => setAction('deny')} /> Deny
            </label>
          </fieldset>
        )}
        <div class="field">
          <label for="intention-description">Description</label>
          <textarea id="intention-description" rows={3} value={description} aria-describedby="intention-description-hint" onInput={(e) => setDescription((e.currentTarget as HTMLTextAreaElement).value)} />
          <p id="intention-description-hint" class="muted small">
            A short hint for yourself or colleagues as to why this behaviour is intended.
          </p>
        </div>
        {existing?.Meta && Object.keys(existing.Meta).length > 0 && (
          <div class="field">
            <span class="label">Meta data</span>
            <KeyValues values={existing.Meta} label="Intention meta" />
          </div>
        )}
        <div class="form-actions">
          <button type="submit" class="primary" disabled={busy}>
            {busy ? 'Saving…' : 'Save'}
          </button>
          <Link class="button" href={href({ page: 'intentions', dc })}>
            Cancel
          </Link>
          {editing && existing && <ConfirmDelete question="Delete this intention?" asking={confirmDelete} onAsking={setConfirmDelete} busy={busy} onDelete={remove} />}
        </div>
      </form>
    </section>
  );
}
