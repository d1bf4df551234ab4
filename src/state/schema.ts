import { catalogTables } from './catalog/index.js';
import { kvTables } from './kv.js';
import type { TableDef } from './table.js';

/** Every table the store holds; each domain module contributes its definitions here. */
export const allTables: TableDef<any>[] = [...kvTables, ...catalogTables];
