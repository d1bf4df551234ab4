/**
 * Config entries (Consul's /v1/config): typed documents keyed by (Kind, Name). Each kind is
 * defined once (schema, normalisation, validation) and every kind shares one table, one
 * pair of ops and one set of reads.
 */
export const CONFIG_ENTRIES = 'config-entries';
/** Per-kind modify index, bumped by deletions too, so a list's index moves when an entry goes. */
export const CONFIG_KIND_INDEXES = 'config-kind-indexes';

/** An entry as written: everything but the indexes the store assigns. */
export interface ConfigEntryInput {
  Kind: string;
  Name: string;
  Meta?: Record<string, string>;
  [field: string]: unknown;
}

export interface ConfigEntry extends ConfigEntryInput {
  CreateIndex: number;
  ModifyIndex: number;
}

export interface KindIndexRow {
  Kind: string;
  Index: number;
}

export const configKey = (kind: string, name: string): string => `${kind}\u0000${name}`;
/** Wakes readers of every entry of a kind (lists, intention matches). */
export const configKindTopic = (kind: string): string => `config:${kind}`;
/** Wakes readers of one entry. */
export const configEntryTopic = (kind: string, name: string): string => `config:${kind}\u0000${name}`;
