import { useEffect, useState } from 'preact/hooks';
import { ApiError, del, encodePath, put } from '../api.js';
import { ConfirmDelete } from '../components/confirm-delete.js';
import { ErrorNote, Loading } from '../components/error-note.js';
import { PageHeader } from '../components/page-header.js';
import { ValueEditor, type ValueMode } from '../components/value-editor.js';
import { decodeValue, prettyJson } from '../kv-value.js';
import { useLive } from '../live.js';
import { href, navigate } from '../router.js';
import type { KVPair } from '../wire.js';
import { kvCrumbs } from './kv-list.js';

type Outcome = { kind: 'saved' | 'conflict' | 'error'; message: string } | null;

/** The value as the editor shows it in a mode: JSON pretty-printed when it parses. */
function shown(entry: KVPair | null, mode: ValueMode): string {
  const d = decodeValue(entry?.Value ?? null);
  if (d.kind === 'binary') return '';
  return mode === 'json' ? (prettyJson(d.text) ?? d.text) : d.text;
}

function initialMode(entry: KVPair | null): ValueMode {
  const d = decodeValue(entry?.Value ?? null);
  return d.kind === 'text' && /^\s*[[{]/.test(d.text) && prettyJson(d.text) !== null ? 'json' : 'text';
}

/**
 * Edits one key. Saves use `?cas=<ModifyIndex of the version being edited>`, so a change
 * made meanwhile by someone else is never overwritten silently: the save answers false
 * and the page says so, keeping the text typed. While the text is untouched the editor
 * follows the key live.
 */
export function KvEditPage({ dc, kvKey: key }: { dc: string; kvKey: string }) {
  const live = useLive<KVPair[]>(`/v1/kv/${encodePath(key)}`, { allow404: true });
  const latest = live.data?.[0] ?? null;
  const [base, setBase] = useState<KVPair | null | undefined>(undefined);
  const [mode, setMode] = useState<ValueMode>('text');
  const [text, setText] = useState('');
  const [baseText, setBaseText] = useState('');
  const [outcome, setOutcome] = useState<Outcome>(null);
  const [busy, setBusy] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const dirty = text !== baseText;
  const ready = !live.loading && (live.data !== undefined || live.missing);

  const adopt = (entry: KVPair | null, m: ValueMode = mode) => {
    setBase(entry);
    setText(shown(entry, m));
    setBaseText(shown(entry, m));
  };

  useEffect(() => {
    if (!ready) return;
    if (base === undefined) {
      const m = initialMode(latest);
      setMode(m);
      adopt(latest, m);
    } else if (!dirty && !busy && (latest?.ModifyIndex ?? 0) !== (base?.ModifyIndex ?? 0)) adopt(latest);
  }, [ready, latest?.ModifyIndex, live.missing, dirty, busy]);

  useEffect(() => {
    if (!dirty) return;
    const warn = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [dirty]);

  const switchMode = (m: ValueMode) => {
    setMode(m);
    if (!dirty) adopt(base ?? null, m);
    else if (m === 'json') setText(prettyJson(text) ?? text);
  };

  const save = async (cas: number) => {
    setBusy(true);
    setOutcome(null);
    try {
      const ok = (await put<boolean>(`/v1/kv/${encodePath(key)}`, { query: { cas }, body: text })).body;
      if (ok) {
        setBaseText(text);
        setOutcome({ kind: 'saved', message: `Saved ${key}.` });
      } else {
        setOutcome({
          kind: 'conflict',
          message: 'Someone else changed this key since you opened it, so your version was not saved. Your text is still here: compare it with theirs, then overwrite or take theirs.',
        });
      }
    } catch (err) {
      setOutcome({ kind: 'error', message: `Not saved: ${err instanceof ApiError ? err.message : String(err)} Your text is still here.` });
    } finally {
      setBusy(false);
    }
  };

  const remove = async () => {
    setBusy(true);
    try {
      const ok = (await del<boolean>(`/v1/kv/${encodePath(key)}`, { query: { cas: base?.ModifyIndex ?? 0 } })).body;
      if (ok) navigate(href({ page: 'kv', dc, folder: key.slice(0, key.lastIndexOf('/') + 1) }));
      else setOutcome({ kind: 'conflict', message: 'Someone else changed this key since you opened it, so it was not deleted. Look at the current value first.' });
    } catch (err) {
      setOutcome({ kind: 'error', message: `Not deleted: ${err instanceof ApiError ? err.message : String(err)}` });
    } finally {
      setBusy(false);
      setConfirmDelete(false);
    }
  };

  const binary = decodeValue(base?.Value ?? null);
  const changedMeanwhile = base !== undefined && dirty && !busy && (latest?.ModifyIndex ?? 0) !== (base?.ModifyIndex ?? 0);
  return (
    <section>
      <PageHeader title={key.slice(key.lastIndexOf('/') + 1)} crumbs={kvCrumbs(dc, key)} />
      <p class="muted">
        Key <code>{key}</code>
        {base && ` · modify index ${base.ModifyIndex}`}
        {base?.Session && ` · locked by session ${base.Session}`}
      </p>
      <ErrorNote message={live.error} stale={!!live.data} />
      {!ready && <Loading what="the key" />}
      {ready && base === null && !dirty && <p class="note">This key does not exist (any more). Saving creates it.</p>}
      {changedMeanwhile && (
        <div class="note note-warning" role="status">
          {latest ? 'Someone else changed this key while you were editing it.' : 'Someone else deleted this key while you were editing it.'} Saving now will be refused unless you overwrite.
        </div>
      )}
      {outcome && (
        <div class={`note note-${outcome.kind === 'saved' ? 'ok' : outcome.kind === 'conflict' ? 'warning' : 'error'}`} role={outcome.kind === 'saved' ? 'status' : 'alert'} data-outcome={outcome.kind}>
          {outcome.message}
          {outcome.kind === 'conflict' && (
            <div class="note-actions">
              <button type="button" class="danger" disabled={busy} onClick={() => void save(latest?.ModifyIndex ?? 0)}>
                Overwrite with my version
              </button>
              <button type="button" disabled={busy} onClick={() => (adopt(latest), setOutcome(null))}>
                Discard mine, take theirs
              </button>
            </div>
          )}
        </div>
      )}
      {outcome?.kind === 'conflict' && latest && (
        <details class="their-version" open>
          <summary>Their version (modify index {latest.ModifyIndex})</summary>
          <pre>{shown(latest, mode)}</pre>
        </details>
      )}
      {binary.kind === 'binary' ? (
        <p class="note">This value is binary ({binary.bytes} bytes) and cannot be edited as text here. Use <code>weft kv get -base64 {key}</code>.</p>
      ) : (
        ready && (
          <form
            onSubmit={(e) => {
              e.preventDefault();
              void save(base?.ModifyIndex ?? 0);
            }}
          >
            <ValueEditor id="kv-value" value={text} mode={mode} onInput={setText} onMode={switchMode} />
            <div class="form-actions">
              <button type="submit" class="primary" disabled={busy || (!dirty && base !== null)}>
                {busy ? 'Saving…' : 'Save'}
              </button>
              <button type="button" disabled={!dirty || busy} onClick={() => adopt(latest)}>
                Revert
              </button>
              {base && <ConfirmDelete question="Delete this key?" asking={confirmDelete} onAsking={setConfirmDelete} busy={busy} onDelete={remove} />}
            </div>
          </form>
        )
      )}
    </section>
  );
}
