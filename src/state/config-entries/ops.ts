import { defineOp } from '../op.js';
import { prepareConfigEntry } from './kinds.js';
import { CONFIG_ENTRIES, configKey, type ConfigEntry, type ConfigEntryInput } from './types.js';
import { configDeleteTxn, configSetTxn } from './write.js';

export interface ConfigSetOp {
  type: 'config.set';
  Entry: ConfigEntryInput;
  /** Check-and-set: 0 = only if absent; n = only if the entry's ModifyIndex is n. */
  Cas?: number;
  [k: string]: unknown;
}

export interface ConfigDeleteOp {
  type: 'config.delete';
  Kind: string;
  Name: string;
  /** Delete only if the entry's ModifyIndex is this. */
  Cas?: number;
  [k: string]: unknown;
}

defineOp<ConfigSetOp>('config.set', (tx, op) => {
  const entry = prepareConfigEntry(op.Entry);
  if (op.Cas !== undefined) {
    const existing = tx.table<ConfigEntry>(CONFIG_ENTRIES).get(configKey(entry.Kind, entry.Name));
    if (op.Cas === 0 ? existing !== undefined : existing?.ModifyIndex !== op.Cas) return false;
  }
  configSetTxn(tx, entry);
  return true;
});

defineOp<ConfigDeleteOp>('config.delete', (tx, op) => {
  if (op.Cas !== undefined) {
    const existing = tx.table<ConfigEntry>(CONFIG_ENTRIES).get(configKey(op.Kind, op.Name));
    if (existing?.ModifyIndex !== op.Cas) return false;
  }
  configDeleteTxn(tx, op.Kind, op.Name);
  return true;
});
