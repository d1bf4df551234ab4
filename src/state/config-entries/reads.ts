import type { StateStore } from '../store.js';
import type { WatchSet } from '../watch.js';
import type { ConfigView } from './kinds.js';
import {
  CONFIG_ENTRIES,
  CONFIG_KIND_INDEXES,
  configEntryTopic,
  configKey,
  configKindTopic,
  type ConfigEntry,
  type KindIndexRow,
} from './types.js';

/** The modify index of a kind: the last write or delete of any entry of it (never 0). */
export function configKindIndex(store: StateStore, kind: string): number {
  return Math.max(1, store.table<KindIndexRow>(CONFIG_KIND_INDEXES).get(kind)?.Index ?? 0);
}

export function configEntryGet(store: StateStore, ws: WatchSet | null, kind: string, name: string): { index: number; entry?: ConfigEntry } {
  ws?.add(configEntryTopic(kind, name));
  const entry = store.table<ConfigEntry>(CONFIG_ENTRIES).get(configKey(kind, name));
  return entry ? { index: entry.ModifyIndex, entry } : { index: configKindIndex(store, kind) };
}

/** Every entry of a kind, by name. */
export function configEntryList(store: StateStore, ws: WatchSet | null, kind: string): { index: number; entries: ConfigEntry[] } {
  ws?.add(configKindTopic(kind));
  const entries = [...store.table<ConfigEntry>(CONFIG_ENTRIES).by('kind', kind)].sort((a, b) => (a.Name < b.Name ? -1 : a.Name > b.Name ? 1 : 0));
  return { index: configKindIndex(store, kind), entries };
}

/** A read-only view of the committed entries, for the checks a handler runs before writing. */
export function storeConfigView(store: StateStore): ConfigView {
  const table = store.table<ConfigEntry>(CONFIG_ENTRIES);
  return { get: (kind, name) => table.get(configKey(kind, name)), list: (kind) => [...table.by('kind', kind)] };
}
