import { useEffect, useState } from 'preact/hooks';
import { ApiError, currentToken, get, onDenied, setToken } from './api.js';

/**
 * The UI's view of ACLs, from `/v1/acl/token/self`: `off` (the agent answers 401, ACLs are
 * disabled), `anonymous` (no token, or one the agent does not know), `signed-in` (the token
 * resolves). The token lives in this browser's localStorage until the user logs out.
 */
export type AclState =
  | { status: 'checking' }
  | { status: 'off' }
  | { status: 'anonymous'; denied: boolean; rejected: boolean }
  | { status: 'signed-in'; accessorId: string; description: string };

interface SelfToken {
  AccessorID: string;
  Description: string;
}

type Listener = (s: AclState) => void;
let state: AclState = { status: 'checking' };
const listeners = new Set<Listener>();
/** A refusal may arrive before the token check answers; it still counts once the check says "anonymous". */
let deniedSeen = false;

onDenied(() => {
  deniedSeen = true;
  if (state.status === 'anonymous' && !state.denied) publish({ ...state, denied: true });
});

function publish(next: AclState): void {
  state = next;
  for (const l of listeners) l(state);
}

/** Asks the agent who the current token is. `rejected`: a token was sent and the agent does not know it. */
export async function checkToken(): Promise<AclState> {
  try {
    const self = (await get<SelfToken>('/v1/acl/token/self')).body;
    publish({ status: 'signed-in', accessorId: self.AccessorID, description: self.Description });
  } catch (err) {
    const status = err instanceof ApiError ? err.status : 0;
    if (status === 401) publish({ status: 'off' });
    else if (status === 403 || status === 404) publish({ status: 'anonymous', denied: deniedSeen, rejected: currentToken() !== '' });
    else publish({ status: 'anonymous', denied: deniedSeen, rejected: false });
  }
  return state;
}

/** Tries a token; keeps it only when the agent knows it. */
export async function logIn(token: string): Promise<boolean> {
  const before = currentToken();
  setToken(token.trim());
  const s = await checkToken();
  if (s.status === 'signed-in') return true;
  setToken(before);
  await checkToken();
  publish({ status: 'anonymous', denied: true, rejected: true });
  return false;
}

export function logOut(): void {
  setToken('');
  void checkToken();
}

/** The ACL state, re-rendered when it changes; a refused request shows the login screen when no token is in use. */
export function useAcl(): AclState {
  const [s, setS] = useState(state);
  useEffect(() => {
    listeners.add(setS);
    setS(state);
    if (state.status === 'checking') void checkToken();
    return () => {
      listeners.delete(setS);
    };
  }, []);
  return s;
}

/** Opens the login screen on request (the header's "Log in"). */
export function askForToken(): void {
  if (state.status === 'anonymous') publish({ ...state, denied: true });
}
