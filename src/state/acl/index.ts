export * from './types.js';
export * from './tables.js';
export * from './reads.js';
export * from './write.js';
export * from './ops.js';
