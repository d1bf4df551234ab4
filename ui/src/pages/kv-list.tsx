import { useState } from 'preact/hooks';
import { ApiError, del, encodePath } from '../api.js';
import { ErrorNote, Loading } from '../components/error-note.js';
import { Link } from '../components/link.js';
import { PageHeader, type Crumb } from '../components/page-header.js';
import { SearchField } from '../components/search-field.js';
import { parentFolders } from '../kv-value.js';
import { useLive } from '../live.js';
import { href } from '../router.js';

export function kvCrumbs(dc: string, path: string): Crumb[] {
  return [{ label: 'Key/Value', href: href({ page: 'kv', dc, folder: '' }) }, ...parentFolders(path).map((f) => ({ label: f.split('/').slice(-2)[0]!, href: href({ page: 'kv', dc, folder: f }) }))];
}

/** One folder of the KV store: its keys and sub-folders, following changes live. */
export function KvListPage({ dc, folder }: { dc: string; folder: string }) {
  const live = useLive<string[]>(`/v1/kv/${encodePath(folder)}`, { query: { keys: true, separator: '/' }, allow404: true });
  const [search, setSearch] = useState('');
  const [confirming, setConfirming] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | undefined>();
  const keys = (live.data ?? []).filter((k) => k !== folder);
  const needle = search.trim().toLowerCase();
  const shown = keys.filter((k) => !needle || k.slice(folder.length).toLowerCase().includes(needle));
  const crumbs = kvCrumbs(dc, folder).slice(0, -1);
  const title = folder ? folder.split('/').slice(-2)[0]! : 'Key/Value';

  const remove = async (key: string) => {
    setProblem(undefined);
    try {
      await del(`/v1/kv/${encodePath(key)}`, { query: { recurse: key.endsWith('/') } });
      setConfirming(null);
    } catch (err) {
      setProblem(`Could not delete ${key}. ${err instanceof ApiError ? err.message : String(err)}`);
    }
  };

  return (
    <section>
      <PageHeader title={title} crumbs={folder ? crumbs : []}>
        <Link class="button primary" href={href({ page: 'kv-create', dc, folder })}>
          Create
        </Link>
      </PageHeader>
      <ErrorNote message={live.error ?? problem} stale={!!live.data} />
      <div class="toolbar">
        <SearchField id="kv-search" label="Search this folder" value={search} onInput={setSearch} />
      </div>
      {live.loading && <Loading what="keys" />}
      {(live.missing || (live.data && keys.length === 0)) && (
        <p class="empty">{folder ? `The folder ${folder} is empty.` : 'There are no keys yet.'} Use Create to add one.</p>
      )}
      {shown.length > 0 && (
        <table class="list" aria-label={`Keys in ${folder || 'the root folder'}`}>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Type</th>
              <th scope="col" class="actions-col">
                <span class="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {shown.map((k) => {
              const isFolder = k.endsWith('/');
              const label = k.slice(folder.length);
              return (
                <tr key={k} data-key={k}>
                  <th scope="row">
                    <Link href={isFolder ? href({ page: 'kv', dc, folder: k }) : href({ page: 'kv-edit', dc, key: k })}>
                      {isFolder && (
                        <span class="folder-icon" aria-hidden="true">
                          ▸{' '}
                        </span>
                      )}
                      {label}
                    </Link>
                  </th>
                  <td>{isFolder ? 'Folder' : 'Key'}</td>
                  <td class="actions-col">
                    {confirming === k ? (
                      <span class="confirm">
                        <span>{isFolder ? 'Delete the folder and every key in it?' : 'Delete this key?'}</span>
                        <button type="button" class="danger" onClick={() => void remove(k)}>
                          Yes, delete
                        </button>
                        <button type="button" onClick={() => setConfirming(null)}>
                          Cancel
                        </button>
                      </span>
                    ) : (
                      <button type="button" class="quiet" aria-label={`Delete ${label}`} onClick={() => setConfirming(k)}>
                        Delete
                      </button>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}
