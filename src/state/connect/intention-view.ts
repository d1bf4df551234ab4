import { SERVICE_INTENTIONS, type Intention, type ServiceIntentionsEntry, type SourceIntention } from './intention-types.js';

/** One source of an entry as the flattened intention of the legacy API (Consul's ToIntention). */
export function toIntention(entry: ServiceIntentionsEntry, src: SourceIntention): Intention {
  // Built in Consul's field order; only the legacy API gives an intention an ID and timestamps.
  const legacy = Boolean(src.LegacyID);
  const out: Partial<Intention> = {};
  if (legacy) out.ID = src.LegacyID;
  if (src.Description) out.Description = src.Description;
  Object.assign(out, { SourceNS: 'default', SourceName: src.Name, DestinationNS: 'default', DestinationName: entry.Name, SourceType: src.Type });
  if (src.Action) out.Action = src.Action;
  if (src.Permissions?.length) out.Permissions = src.Permissions;
  out.Meta = legacy ? (src.LegacyMeta ?? {}) : (entry.Meta ?? null);
  out.Precedence = src.Precedence;
  if (legacy) {
    out.CreatedAt = src.LegacyCreateTime;
    out.UpdatedAt = src.LegacyUpdateTime;
  }
  out.CreateIndex = entry.CreateIndex;
  out.ModifyIndex = entry.ModifyIndex;
  return out as Intention;
}

export function intentionsOf(entry: ServiceIntentionsEntry): Intention[] {
  return entry.Sources.map((s) => toIntention(entry, s));
}

export function isIntentionsEntry(e: { Kind: string }): e is ServiceIntentionsEntry {
  return e.Kind === SERVICE_INTENTIONS;
}

/**
 * Consul's Intention.String(), used in authorize reasons and CLI output:
 * `default/web => default/db (Precedence: 9, Action: ALLOW)`.
 */
export function describeIntention(i: Intention): string {
  const detail = i.Permissions?.length ? `Permissions: ${i.Permissions.length}` : `Action: ${(i.Action ?? '').toUpperCase()}`;
  const id = i.ID ? `ID: ${i.ID}, ` : '';
  return `${i.SourceNS}/${i.SourceName} => ${i.DestinationNS}/${i.DestinationName} (${id}Precedence: ${i.Precedence}, ${detail})`;
}
