import type { WriteTxn } from '../txn.js';
import { runGraphChecks, type ConfigView } from './kinds.js';
import {
  CONFIG_ENTRIES,
  CONFIG_KIND_INDEXES,
  configEntryTopic,
  configKey,
  configKindTopic,
  type ConfigEntry,
  type ConfigEntryInput,
  type KindIndexRow,
} from './types.js';

function touch(tx: WriteTxn, kind: string, name: string): void {
  tx.put<KindIndexRow>(CONFIG_KIND_INDEXES, { Kind: kind, Index: tx.index });
  tx.touch(configKindTopic(kind));
  tx.touch(configEntryTopic(kind, name));
}

/**
 * Stores an already prepared entry and runs the cross-entry checks with it in place; a
 * failing check throws and the op's changes roll back. Other ops (intentions) compose it.
 */
export function configSetTxn(tx: WriteTxn, entry: ConfigEntryInput): ConfigEntry {
  const existing = tx.table<ConfigEntry>(CONFIG_ENTRIES).get(configKey(entry.Kind, entry.Name));
  const row: ConfigEntry = { ...entry, CreateIndex: existing?.CreateIndex ?? tx.index, ModifyIndex: tx.index };
  tx.put(CONFIG_ENTRIES, row);
  touch(tx, entry.Kind, entry.Name);
  runGraphChecks(txView(tx), { kind: entry.Kind, name: entry.Name });
  return row;
}

export function configDeleteTxn(tx: WriteTxn, kind: string, name: string): boolean {
  if (!tx.delete<ConfigEntry>(CONFIG_ENTRIES, configKey(kind, name))) return false;
  touch(tx, kind, name);
  runGraphChecks(txView(tx), { kind, name });
  return true;
}

export function txView(tx: WriteTxn): ConfigView {
  const table = tx.table<ConfigEntry>(CONFIG_ENTRIES);
  return {
    get: (kind, name) => table.get(configKey(kind, name)),
    list: (kind) => [...table.by('kind', kind)],
  };
}
