import { useEffect, useRef, useState } from 'preact/hooks';
import { logIn, type AclState } from '../acl.js';

/**
 * The token form: shown when the agent enforces ACLs and refused what the page asked for
 * without a (known) token. The token is kept in this browser until "Log out".
 */
export function LoginPage({ acl, onDone }: { acl: Extract<AclState, { status: 'anonymous' }>; onDone: () => void }) {
  const [token, setTokenText] = useState('');
  const [busy, setBusy] = useState(false);
  const [wrong, setWrong] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);

  const submit = async (e: Event) => {
    e.preventDefault();
    if (!token.trim()) return;
    setBusy(true);
    const ok = await logIn(token);
    setBusy(false);
    if (ok) onDone();
    else setWrong(true);
  };

  return (
    <section class="login">
      <h1 tabIndex={-1} ref={heading}>
        Log in with an ACL token
      </h1>
      <p>This agent enforces ACLs, and what you asked for needs a token. Paste the SecretID of an ACL token; it stays in this browser until you log out.</p>
      {(wrong || acl.rejected) && (
        <div class="note note-error" role="alert">
          <strong>Problem: </strong>
          {wrong ? 'The agent does not know that token (ACL not found). Check it and try again.' : 'The token this browser had is no longer known to the agent. Log in again.'}
        </div>
      )}
      <form onSubmit={submit}>
        <div class="field">
          <label for="acl-token">Token</label>
          <input
            id="acl-token"
            type="password"
            autocomplete="off"
            spellcheck={false}
            value={token}
            onInput={(e) => {
              setTokenText((e.currentTarget as HTMLInputElement).value);
              setWrong(false);
            }}
          />
        </div>
        <div class="form-actions">
          <button class="primary" type="submit" disabled={busy || !token.trim()}>
            {busy ? 'Checking…' : 'Log in'}
          </button>
        </div>
      </form>
    </section>
  );
}
