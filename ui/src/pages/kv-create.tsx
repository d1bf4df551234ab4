import { useState } from 'preact/hooks';
import { ApiError, encodePath, put } from '../api.js';
import { Link } from '../components/link.js';
import { PageHeader } from '../components/page-header.js';
import { ValueEditor, type ValueMode } from '../components/value-editor.js';
import { href, navigate } from '../router.js';
import { kvCrumbs } from './kv-list.js';

/** Creates a key (or, with a name ending in "/", a folder) inside the current folder; never overwrites one. */
export function KvCreatePage({ dc, folder }: { dc: string; folder: string }) {
  const [name, setName] = useState('');
  const [text, setText] = useState('');
  const [mode, setMode] = useState<ValueMode>('text');
  const [problem, setProblem] = useState<{ message: string; existing?: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const isFolder = name.endsWith('/');
  const key = folder + name;

  const create = async (e: Event) => {
    e.preventDefault();
    if (name.trim() === '') return setProblem({ message: 'Enter a name for the key.' });
    if (name.startsWith('/')) return setProblem({ message: 'A key name cannot start with "/".' });
    setBusy(true);
    setProblem(null);
    try {
      // cas=0: create only if absent, so an existing key is never replaced from this page.
      const ok = (await put<boolean>(`/v1/kv/${encodePath(key)}`, { query: { cas: 0 }, body: isFolder ? '' : text })).body;
      if (ok) navigate(isFolder ? href({ page: 'kv', dc, folder: key }) : href({ page: 'kv-edit', dc, key }), { replace: true });
      else setProblem({ message: `A key named ${key} already exists, so nothing was written.`, existing: key });
    } catch (err) {
      setProblem({ message: `Not created: ${err instanceof ApiError ? err.message : String(err)} Your text is still here.` });
    } finally {
      setBusy(false);
    }
  };

  return (
    <section>
      <PageHeader title="New key" crumbs={kvCrumbs(dc, folder)} />
      {problem && (
        <div class="note note-error" role="alert">
          {problem.message}
          {problem.existing && (
            <>
              {' '}
              <Link href={href({ page: 'kv-edit', dc, key: problem.existing })}>Open it</Link>
            </>
          )}
        </div>
      )}
      <form onSubmit={(e) => void create(e)}>
        <div class="field">
          <label for="kv-name">Key name</label>
          <div class="prefixed">
            {folder && <span class="prefix">{folder}</span>}
            <input id="kv-name" value={name} required autocomplete="off" aria-describedby="kv-name-hint" onInput={(e) => setName((e.currentTarget as HTMLInputElement).value)} />
          </div>
          <p id="kv-name-hint" class="muted small">
            End the name with “/” to create a folder. Slashes inside the name create nested folders.
          </p>
        </div>
        {!isFolder && <ValueEditor id="kv-value" value={text} mode={mode} onInput={setText} onMode={setMode} />}
        <div class="form-actions">
          <button type="submit" class="primary" disabled={busy}>
            {busy ? 'Saving…' : isFolder ? 'Create folder' : 'Save'}
          </button>
          <Link class="button" href={href({ page: 'kv', dc, folder })}>
            Cancel
          </Link>
        </div>
      </form>
    </section>
  );
}
