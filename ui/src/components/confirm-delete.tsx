/** A Delete button that asks once more before `onDelete` runs; the page holds whether it is asking. */
export function ConfirmDelete({ question, asking, onAsking, busy, onDelete }: { question: string; asking: boolean; onAsking: (asking: boolean) => void; busy: boolean; onDelete: () => Promise<void> }) {
  return asking ? (
    <span class="confirm">
      {question}{' '}
      <button type="button" class="danger" onClick={() => void onDelete()}>
        Yes, delete
      </button>
      <button type="button" onClick={() => onAsking(false)}>
        Cancel
      </button>
    </span>
  ) : (
    <button type="button" class="danger-outline" disabled={busy} onClick={() => onAsking(true)}>
      Delete
    </button>
  );
}
