import type { TableDef } from '../table.js';
import { CONFIG_ENTRIES, CONFIG_KIND_INDEXES, configKey, type ConfigEntry, type KindIndexRow } from './types.js';

export const configEntryTables: TableDef<any>[] = [
  {
    name: CONFIG_ENTRIES,
    primaryKey: (e: ConfigEntry) => configKey(e.Kind, e.Name),
    indexes: [{ name: 'kind', values: (e: ConfigEntry) => [e.Kind] }],
  },
  { name: CONFIG_KIND_INDEXES, primaryKey: (r: KindIndexRow) => r.Kind },
];
