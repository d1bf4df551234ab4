import { WeftError } from '../../lib/errors.js';
import { CONFIG_ENTRIES, configDeleteTxn, configKey, configSetTxn, validateMeta } from '../config-entries/index.js';
import { defineOp } from '../op.js';
import type { WriteTxn } from '../txn.js';
import { SERVICE_INTENTIONS, type IntentionAction, type IntentionPermission, type ServiceIntentionsEntry, type ServiceIntentionsInput, type SourceIntention } from './intention-types.js';
import { describeIntention, toIntention } from './intention-view.js';
import { normalizeIntentions, validateIntentions } from './intentions-kind.js';

/** What an intention write may set on its source (the body of PUT .../exact). */
export interface IntentionValue {
  Action?: IntentionAction;
  Permissions?: IntentionPermission[];
  Description?: string;
  SourceType?: string;
}

export interface IntentionUpsertOp {
  type: 'intention.upsert';
  Source: string;
  Destination: string;
  Value: IntentionValue;
  /** Only accepted when equal to the enclosing entry's Meta (Consul's rule for upserts). */
  Meta?: Record<string, string>;
  [k: string]: unknown;
}

export interface IntentionDeleteOp {
  type: 'intention.delete';
  Source: string;
  Destination: string;
  [k: string]: unknown;
}

/** A legacy (ID-based) intention as the POST and PUT /:id bodies give it; ID and times decided by the caller. */
export interface LegacyIntention extends IntentionValue {
  ID: string;
  SourceName: string;
  DestinationName: string;
  Meta?: Record<string, string>;
}

export interface IntentionLegacyCreateOp {
  type: 'intention.legacyCreate';
  Intention: LegacyIntention;
  CreatedAt: string;
  [k: string]: unknown;
}

export interface IntentionLegacyUpdateOp {
  type: 'intention.legacyUpdate';
  Intention: LegacyIntention;
  UpdatedAt: string;
  [k: string]: unknown;
}

export interface IntentionLegacyDeleteOp {
  type: 'intention.legacyDelete';
  ID: string;
  [k: string]: unknown;
}

function entryFor(tx: WriteTxn, destination: string): ServiceIntentionsEntry | undefined {
  return tx.table<ServiceIntentionsEntry>(CONFIG_ENTRIES).get(configKey(SERVICE_INTENTIONS, destination));
}

function save(tx: WriteTxn, entry: ServiceIntentionsInput): void {
  if (!entry.Sources.length) {
    configDeleteTxn(tx, SERVICE_INTENTIONS, entry.Name);
    return;
  }
  const normalized = normalizeIntentions(entry, true);
  validateIntentions(normalized);
  configSetTxn(tx, normalized);
}

function sourceFrom(name: string, v: IntentionValue): SourceIntention {
  const src: SourceIntention = { Name: name, Type: v.SourceType || 'consul', Precedence: 0 };
  if (v.Action) src.Action = v.Action;
  if (v.Permissions?.length) src.Permissions = v.Permissions;
  if (v.Description) src.Description = v.Description;
  return src;
}

function sameMeta(a: Record<string, string> | undefined, b: Record<string, string> | undefined): boolean {
  const ka = Object.keys(a ?? {});
  return ka.length === Object.keys(b ?? {}).length && ka.every((k) => a![k] === b?.[k]);
}

defineOp<IntentionUpsertOp>('intention.upsert', (tx, op) => {
  const existing = entryFor(tx, op.Destination);
  if (op.Meta && Object.keys(op.Meta).length) {
    if (!existing) throw new WeftError('BAD_REQUEST', 'Meta must not be specified');
    if (!sameMeta(existing.Meta, op.Meta)) throw new WeftError('BAD_REQUEST', 'Meta must not be specified, or should be unchanged during an update.');
  }
  const entry: ServiceIntentionsInput = existing ? { ...existing, Sources: [...existing.Sources] } : { Kind: SERVICE_INTENTIONS, Name: op.Destination, Sources: [] };
  const next = sourceFrom(op.Source, op.Value);
  const at = entry.Sources.findIndex((s) => s.Name === op.Source);
  if (at >= 0) entry.Sources[at] = next;
  else entry.Sources.push(next);
  save(tx, entry);
  return true;
});

// By-name deletes are idempotent, as in Consul.
defineOp<IntentionDeleteOp>('intention.delete', (tx, op) => {
  const existing = entryFor(tx, op.Destination);
  if (!existing?.Sources.some((s) => s.Name === op.Source)) return true;
  save(tx, { ...existing, Sources: existing.Sources.filter((s) => s.Name !== op.Source) });
  return true;
});

function legacySource(i: LegacyIntention, createdAt: string, updatedAt: string): SourceIntention {
  validateMeta(i.Meta);
  return { ...sourceFrom(i.SourceName, i), LegacyID: i.ID, LegacyMeta: { ...(i.Meta ?? {}) }, LegacyCreateTime: createdAt, LegacyUpdateTime: updatedAt };
}

function findLegacy(tx: WriteTxn, id: string): { entry: ServiceIntentionsEntry; at: number } | undefined {
  for (const entry of tx.table<ServiceIntentionsEntry>(CONFIG_ENTRIES).by('kind', SERVICE_INTENTIONS)) {
    const at = entry.Sources.findIndex((s) => s.LegacyID === id);
    if (at >= 0) return { entry, at };
  }
  return undefined;
}

defineOp<IntentionLegacyCreateOp>('intention.legacyCreate', (tx, op) => {
  const i = op.Intention;
  if (findLegacy(tx, i.ID)) throw new WeftError('INTERNAL', `intention ID ${i.ID} is already in use`);
  const existing = entryFor(tx, i.DestinationName);
  const dup = existing?.Sources.find((s) => s.Name === i.SourceName);
  if (existing && dup) throw new WeftError('BAD_REQUEST', `duplicate intention found: ${describeIntention(toIntention(existing, dup))}`);
  const entry: ServiceIntentionsInput = existing ? { ...existing, Sources: [...existing.Sources] } : { Kind: SERVICE_INTENTIONS, Name: i.DestinationName, Sources: [] };
  entry.Sources.push(legacySource(i, op.CreatedAt, op.CreatedAt));
  save(tx, entry);
  return i.ID;
});

defineOp<IntentionLegacyUpdateOp>('intention.legacyUpdate', (tx, op) => {
  const i = op.Intention;
  const found = findLegacy(tx, i.ID);
  if (!found) throw new WeftError('NOT_FOUND', `Cannot modify non-existent intention: '${i.ID}'`);
  if (found.entry.Name !== i.DestinationName) {
    throw new WeftError('BAD_REQUEST', 'Cannot modify Destination partition/namespace/name for an intention once it exists.');
  }
  const old = found.entry.Sources[found.at];
  const sources = [...found.entry.Sources];
  sources[found.at] = legacySource(i, old.LegacyCreateTime ?? op.UpdatedAt, op.UpdatedAt);
  save(tx, { ...found.entry, Sources: sources });
  return i.ID;
});

defineOp<IntentionLegacyDeleteOp>('intention.legacyDelete', (tx, op) => {
  const found = findLegacy(tx, op.ID);
  if (!found) throw new WeftError('NOT_FOUND', `Cannot delete non-existent intention: '${op.ID}'`);
  save(tx, { ...found.entry, Sources: found.entry.Sources.filter((_, j) => j !== found.at) });
  return true;
});
