import './intentions-kind.js';
import './intention-ops.js';

export * from './intention-types.js';
export { intentionPrecedence, compareIntentions } from './intention-precedence.js';
export { toIntention, intentionsOf, describeIntention } from './intention-view.js';
export { permissionSchema, validatePermissions, normalizeIntentions, validateIntentions } from './intentions-kind.js';
export { intentionList, intentionMatch, intentionExact, intentionById, type MatchBy } from './intention-reads.js';
export type {
  IntentionValue,
  LegacyIntention,
  IntentionUpsertOp,
  IntentionDeleteOp,
  IntentionLegacyCreateOp,
  IntentionLegacyUpdateOp,
  IntentionLegacyDeleteOp,
} from './intention-ops.js';
export * from './ca-types.js';
export { caTables, type CAConfigInput, type CAInitializeOp, type CASetConfigOp, type CAPruneRootsOp } from './ca-ops.js';
export { caRoots, caConfig, caActiveSigner, type CARootsView } from './ca-reads.js';
