import { jsonProblem } from '../kv-value.js';

export type ValueMode = 'text' | 'json';

/**
 * A KV value as text, or as JSON (pretty-printed, checked as you type). The textarea is
 * what gets saved, byte for byte.
 */
export function ValueEditor({ id, value, mode, onInput, onMode, disabled }: { id: string; value: string; mode: ValueMode; onInput: (v: string) => void; onMode: (m: ValueMode) => void; disabled?: boolean }) {
  const problem = mode === 'json' && value.trim() !== '' ? jsonProblem(value) : null;
  return (
    <div class="field value-editor">
      <div class="value-head">
        <label for={id}>Value</label>
        <fieldset class="segmented">
          <legend class="visually-hidden">Show the value as</legend>
          {(['text', 'json'] as ValueMode[]).map((m) => (
            <label key={m}>
              <input type="radio" name={`${id}-mode`} value={m} checked={mode === m} onChange={() => onMode(m)} />
              {m === 'text' ? 'Text' : 'JSON'}
            </label>
          ))}
        </fieldset>
      </div>
      <textarea
        id={id}
        class={mode === 'json' ? 'code' : undefined}
        rows={14}
        spellcheck={mode === 'text'}
        value={value}
        disabled={disabled}
        aria-describedby={`${id}-status`}
        aria-invalid={problem ? true : undefined}
        onInput={(e) => onInput((e.currentTarget as HTMLTextAreaElement).value)}
      />
      <p id={`${id}-status`} class={problem ? 'field-problem' : 'muted small'} aria-live="polite">
        {mode === 'json' ? (problem ? `Not valid JSON: ${problem}` : value.trim() === '' ? 'Empty.' : 'Valid JSON.') : `${new TextEncoder().encode(value).length} bytes`}
      </p>
    </div>
  );
}
