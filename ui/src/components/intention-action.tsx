import type { Intention } from '../wire.js';

/** `*` is every service, as the seed's screen writes it. */
export function serviceLabel(name: string): string {
  return name === '*' ? 'All Services (*)' : name;
}

export type IntentionVerdict = 'allow' | 'deny' | 'l7';

export function verdictOf(i: Intention): IntentionVerdict {
  return i.Permissions?.length ? 'l7' : i.Action === 'deny' ? 'deny' : 'allow';
}

/** Allow or deny as an icon and a word; L7 intentions decide per request. */
export function ActionMark({ intention }: { intention: Intention }) {
  const v = verdictOf(intention);
  if (v === 'l7') return <span class="action action-l7">⇄ L7 rules ({intention.Permissions!.length})</span>;
  return v === 'allow' ? (
    <span class="action action-allow" data-action="allow">
      <span aria-hidden="true">→ </span>allow
    </span>
  ) : (
    <span class="action action-deny" data-action="deny">
      <span aria-hidden="true">⊘ </span>deny
    </span>
  );
}

/** One L7 permission in words: "allow GET, POST on paths starting /admin". */
export function describePermission(p: NonNullable<Intention['Permissions']>[number]): string {
  const h = p.HTTP ?? {};
  const parts: string[] = [];
  if (h.Methods?.length) parts.push(h.Methods.join(', '));
  if (h.PathExact) parts.push(`path ${h.PathExact}`);
  if (h.PathPrefix) parts.push(`paths starting ${h.PathPrefix}`);
  if (h.PathRegex) parts.push(`paths matching /${h.PathRegex}/`);
  for (const hd of h.Header ?? []) parts.push(`header ${hd.Name}`);
  return `${p.Action} ${parts.length ? parts.join(' on ') : 'every request'}`;
}
