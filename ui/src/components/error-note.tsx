/** An API failure in plain words, announced to screen readers as it appears. */
export function ErrorNote({ message, stale }: { message?: string; stale?: boolean }) {
  if (!message) return null;
  return (
    <div class="note note-error" role="alert">
      <strong>Problem: </strong>
      {message}
      {stale && <span> What you see may be out of date; the page keeps trying.</span>}
    </div>
  );
}

export function Loading({ what }: { what: string }) {
  return (
    <p class="muted" role="status">
      Loading {what}…
    </p>
  );
}
