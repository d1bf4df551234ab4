/** KV values travel base64-encoded in JSON; the UI edits them as UTF-8 text. */

export type Decoded = { kind: 'text'; text: string } | { kind: 'binary'; bytes: number };

export function decodeValue(b64: string | null): Decoded {
  if (!b64) return { kind: 'text', text: '' };
  const raw = atob(b64);
  const bytes = Uint8Array.from(raw, (c) => c.charCodeAt(0));
  try {
    return { kind: 'text', text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
  } catch {
    return { kind: 'binary', bytes: bytes.length };
  }
}

/** The text pretty-printed when it is JSON; null when it is not. */
export function prettyJson(text: string): string | null {
  if (!/^\s*[[{"\-0-9tfn]/.test(text)) return null;
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return null;
  }
}

/** Why the text is not JSON, in the parser's words, or null when it is. */
export function jsonProblem(text: string): string | null {
  try {
    JSON.parse(text);
    return null;
  } catch (err) {
    return (err as Error).message;
  }
}

/** The parts of a key path for breadcrumbs: "a/b/c" → ["a/", "a/b/"]. */
export function parentFolders(path: string): string[] {
  const parts = path.split('/').filter(Boolean);
  const last = path.endsWith('/') ? parts.length : parts.length - 1;
  const out: string[] = [];
  for (let i = 1; i <= last; i++) out.push(`${parts.slice(0, i).join('/')}/`);
  return out;
}
