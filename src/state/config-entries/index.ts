import './service-defaults-kind.js';
import './proxy-defaults-kind.js';
import './service-router-kind.js';
import './service-splitter-kind.js';
import './service-resolver-kind.js';
import './ops.js';

export * from './types.js';
export { configEntryTables } from './table.js';
export {
  defineConfigKind,
  defineConfigGraphCheck,
  configKindDef,
  decodeConfigEntry,
  prepareConfigEntry,
  validateMeta,
  META_KEY_MAX,
  META_MAX_PAIRS,
  META_VALUE_MAX,
  type ConfigKindDef,
  type ConfigGraphCheck,
  type ConfigView,
} from './kinds.js';
export { decodeObject, objectOf, type FieldType, type ObjectSchema } from './schema.js';
export { configSetTxn, configDeleteTxn } from './write.js';
export type { ConfigSetOp, ConfigDeleteOp } from './ops.js';
export { configEntryGet, configEntryList, configKindIndex, storeConfigView } from './reads.js';
export * from './entry-types.js';
export { HTTP_METHODS, RETRY_CONDITIONS } from './service-router-kind.js';
export { normalizeWeight, scaleWeight } from './service-splitter-kind.js';
export { LB_POLICIES, isHashBased } from './service-resolver-kind.js';
export { serviceProtocol, isHttpLike, PROTOCOLS, SERVICE_DEFAULTS, PROXY_DEFAULTS, PROXY_DEFAULTS_NAME, type Protocol } from './protocol.js';
