import { useState } from 'preact/hooks';
import { ActionMark, serviceLabel, verdictOf, type IntentionVerdict } from '../components/intention-action.js';
import { ErrorNote, Loading } from '../components/error-note.js';
import { Link } from '../components/link.js';
import { PageHeader } from '../components/page-header.js';
import { FilterTabs, SearchField } from '../components/search-field.js';
import { useLive } from '../live.js';
import { href, navigate } from '../router.js';
import type { Intention } from '../wire.js';

type Filter = 'all' | IntentionVerdict;

/** Who may connect to whom: source → destination with allow or deny, filtered and searched as in the seed's screen. */
export function IntentionsPage({ dc }: { dc: string }) {
  const live = useLive<Intention[]>('/v1/connect/intentions');
  const [filter, setFilter] = useState<Filter>('all');
  const [search, setSearch] = useState('');
  const all = live.data ?? [];
  const count = (f: Filter) => all.filter((i) => f === 'all' || verdictOf(i) === f).length;
  const needle = search.trim().toLowerCase();
  const shown = all.filter((i) => (filter === 'all' || verdictOf(i) === filter) && (!needle || i.SourceName.toLowerCase().includes(needle) || i.DestinationName.toLowerCase().includes(needle)));
  const options: { value: Filter; label: string; count: number }[] = [
    { value: 'all', label: 'All', count: count('all') },
    { value: 'allow', label: 'Allow', count: count('allow') },
    { value: 'deny', label: 'Deny', count: count('deny') },
  ];
  if (count('l7') > 0) options.push({ value: 'l7', label: 'L7 rules', count: count('l7') });
  const editHref = (i: Intention) => href({ page: 'intention', dc, source: i.SourceName, destination: i.DestinationName });

  return (
    <section>
      <PageHeader title="Intentions">
        <Link class="button primary" href={href({ page: 'intention-create', dc })}>
          Create
        </Link>
      </PageHeader>
      <ErrorNote message={live.error} stale={!!live.data} />
      <div class="toolbar">
        <FilterTabs label="Filter by action" value={filter} onChange={setFilter} options={options} />
        <SearchField id="intention-search" label="Search by source or destination" value={search} onInput={setSearch} />
      </div>
      {live.loading && <Loading what="intentions" />}
      {live.data && all.length === 0 && (
        <p class="empty">No intentions yet: every connection follows the default policy. Create one to allow or deny a source service calling a destination.</p>
      )}
      {shown.length > 0 && (
        <table class="list intentions" aria-label="Intentions">
          <thead>
            <tr>
              <th scope="col">Source</th>
              <th scope="col">Action</th>
              <th scope="col">Destination</th>
              <th scope="col">Description</th>
              <th scope="col" class="num">Precedence</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((i) => (
              <tr key={`${i.SourceName}->${i.DestinationName}`} class="clickable" data-intention={`${i.SourceName}->${i.DestinationName}`} onClick={(e) => (e.target as HTMLElement).closest('a') === null && navigate(editHref(i))}>
                <th scope="row">
                  <Link href={editHref(i)} aria-label={`Edit intention ${serviceLabel(i.SourceName)} to ${serviceLabel(i.DestinationName)}`}>
                    {serviceLabel(i.SourceName)}
                  </Link>
                </th>
                <td>
                  <ActionMark intention={i} />
                </td>
                <td>{serviceLabel(i.DestinationName)}</td>
                <td>{i.Description || <span class="muted">—</span>}</td>
                <td class="num">{i.Precedence}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {all.length > 0 && shown.length === 0 && <p class="empty">No intention matches.</p>}
    </section>
  );
}
