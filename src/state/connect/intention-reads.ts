import { WeftError } from '../../lib/errors.js';
import { configEntryList } from '../config-entries/index.js';
import type { StateStore } from '../store.js';
import type { WatchSet } from '../watch.js';
import { compareIntentions } from './intention-precedence.js';
import { SERVICE_INTENTIONS, WILDCARD, type Intention, type ServiceIntentionsEntry } from './intention-types.js';
import { intentionsOf, toIntention } from './intention-view.js';

export type MatchBy = 'source' | 'destination';

function entries(store: StateStore, ws: WatchSet | null): { index: number; entries: ServiceIntentionsEntry[] } {
  const r = configEntryList(store, ws, SERVICE_INTENTIONS);
  return { index: r.index, entries: r.entries as ServiceIntentionsEntry[] };
}

/** Every intention, flattened from the service-intentions entries, in evaluation order. */
export function intentionList(store: StateStore, ws: WatchSet | null): { index: number; intentions: Intention[] } {
  const r = entries(store, ws);
  return { index: r.index, intentions: r.entries.flatMap(intentionsOf).sort(compareIntentions) };
}

/**
 * Consul's IntentionMatch: for each name, the intentions whose source (or destination) is
 * that name or `*`, highest precedence first. The first one that also matches the other
 * side of a connection decides it.
 */
export function intentionMatch(store: StateStore, ws: WatchSet | null, by: MatchBy, names: string[]): { index: number; matches: Intention[][] } {
  const r = entries(store, ws);
  const all = r.entries.flatMap(intentionsOf);
  const side = by === 'source' ? 'SourceName' : 'DestinationName';
  const matches = names.map((name) => all.filter((i) => i[side] === name || i[side] === WILDCARD).sort(compareIntentions));
  return { index: r.index, matches };
}

export function intentionExact(store: StateStore, ws: WatchSet | null, source: string, destination: string): { index: number; intention?: Intention } {
  const r = entries(store, ws);
  const entry = r.entries.find((e) => e.Name === destination);
  const src = entry?.Sources.find((s) => s.Name === source);
  return { index: r.index, intention: entry && src ? toIntention(entry, src) : undefined };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A legacy intention by its ID; a malformed ID is a 400 as in Consul. */
export function intentionById(store: StateStore, ws: WatchSet | null, id: string): { index: number; intention?: Intention } {
  if (!UUID.test(id)) throw new WeftError('BAD_REQUEST', `invalid UUID: ${id.length === 36 ? 'uuid is improperly formatted' : 'uuid string is wrong length'}`);
  const r = entries(store, ws);
  for (const entry of r.entries) {
    const src = entry.Sources.find((s) => s.LegacyID === id);
    if (src) return { index: r.index, intention: toIntention(entry, src) };
  }
  return { index: r.index };
}
