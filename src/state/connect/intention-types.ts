import type { ConfigEntry, ConfigEntryInput } from '../config-entries/index.js';

export const SERVICE_INTENTIONS = 'service-intentions';
export const WILDCARD = '*';

export type IntentionAction = 'allow' | 'deny';

export interface IntentionHTTPHeaderPermission {
  Name: string;
  Present?: boolean;
  Exact?: string;
  Prefix?: string;
  Suffix?: string;
  Regex?: string;
  Invert?: boolean;
}

export interface IntentionHTTPPermission {
  PathExact?: string;
  PathPrefix?: string;
  PathRegex?: string;
  Header?: IntentionHTTPHeaderPermission[];
  Methods?: string[];
}

export interface IntentionPermission {
  Action: IntentionAction;
  HTTP?: IntentionHTTPPermission;
}

/** One source of a service-intentions entry (Consul's SourceIntention). */
export interface SourceIntention {
  Name: string;
  Action?: IntentionAction;
  Permissions?: IntentionPermission[];
  Precedence: number;
  Type: string;
  Description?: string;
  /** Set only on intentions created through the legacy ID API. */
  LegacyID?: string;
  LegacyMeta?: Record<string, string>;
  LegacyCreateTime?: string;
  LegacyUpdateTime?: string;
}

/** The canonical storage of intentions since Consul 1.9: one entry per destination. */
export interface ServiceIntentionsInput extends ConfigEntryInput {
  Sources: SourceIntention[];
}
export type ServiceIntentionsEntry = ServiceIntentionsInput & ConfigEntry;

/** The flattened intention the /v1/connect/intentions API speaks (Consul's structs.Intention). */
export interface Intention {
  ID?: string;
  Description?: string;
  SourceNS: string;
  SourceName: string;
  DestinationNS: string;
  DestinationName: string;
  SourceType: string;
  Action?: IntentionAction;
  Permissions?: IntentionPermission[];
  Meta: Record<string, string> | null;
  Precedence: number;
  CreatedAt?: string;
  UpdatedAt?: string;
  CreateIndex: number;
  ModifyIndex: number;
}
