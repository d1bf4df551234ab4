import { catalogTables } from './catalog/index.js';
import { kvTables } from './kv.js';
import { sessionTables } from './session.js';
import { eventTables } from './events.js';
import { configEntryTables } from './config-entries/index.js';
import { caTables } from './connect/index.js';
import { aclTables } from './acl/index.js';
import type { TableDef } from './table.js';

/** Every table the store holds; each domain module contributes its definitions here. */
export const allTables: TableDef<any>[] = [...kvTables, ...catalogTables, ...sessionTables, ...eventTables, ...configEntryTables, ...caTables, ...aclTables];
