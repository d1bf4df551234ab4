import { StatusBadge, type Health } from './status.js';
import type { Check } from '../wire.js';

/** Every check with its status, kind and latest output; node-level checks are marked as such. */
export function ChecksTable({ checks, caption }: { checks: readonly Check[]; caption: string }) {
  if (checks.length === 0) return <p class="muted">No checks.</p>;
  return (
    <table class="checks">
      <caption class="visually-hidden">{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Check</th>
          <th scope="col">Status</th>
          <th scope="col">Type</th>
          <th scope="col">Output</th>
        </tr>
      </thead>
      <tbody>
        {checks.map((c) => (
          <tr key={`${c.Node}/${c.CheckID}`} data-check={c.CheckID} data-status={c.Status}>
            <th scope="row">
              {c.Name || c.CheckID}
              {!c.ServiceID && <span class="pill">node</span>}
              <div class="muted small">{c.CheckID}</div>
            </th>
            <td>
              <StatusBadge status={c.Status as Health} />
            </td>
            <td>{c.Type || (c.CheckID === 'serfHealth' ? 'serf' : '—')}</td>
            <td>{c.Output ? <pre class="output">{c.Output}</pre> : <span class="muted">no output</span>}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
