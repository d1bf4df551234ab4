export { StateStore } from './store.js';
export { WatchSet, WatchHub, tableTopic } from './watch.js';
export { allTables } from './schema.js';
export type { Backend } from './backend/types.js';
export { MemoryBackend } from './backend/memory.js';
export { LmdbBackend } from './backend/lmdb.js';
export * from './kv.js';
export type { Op } from './op.js';
