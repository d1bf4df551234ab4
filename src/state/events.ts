import { randomBytes } from 'node:crypto';
import { uuidIndex } from '../lib/uuid-index.js';
import { defineOp } from './op.js';
import type { StateStore } from './store.js';
import type { TableDef } from './table.js';
import type { WatchSet } from './watch.js';

/**
 * User events (`consul event`). Consul gossips them and each agent keeps the last 256 it
 * accepted in memory. Weft keeps the last 256 in the replicated store instead: every server
 * and every agent that forwards to one sees the same events, and they survive a restart.
 * Each agent still applies the node/service/tag filters for itself when listing.
 */
export interface UserEvent {
  ID: string;
  Name: string;
  Payload: Uint8Array | null;
  NodeFilter: string;
  ServiceFilter: string;
  TagFilter: string;
  Version: number;
  /** Lamport time: the event's position in the cluster-wide order. */
  LTime: number;
}

export const EVENTS = 'user_events';
/** Consul's agent keeps this many recent events. */
export const EVENT_BUFFER = 256;

const ltimeKey = (ltime: number): string => String(ltime).padStart(16, '0');

export const eventTables: TableDef<any>[] = [{ name: EVENTS, primaryKey: (e: UserEvent) => ltimeKey(e.LTime), ordered: true }];

export interface EventFireOp {
  type: 'event.fire';
  Event: Omit<UserEvent, 'LTime'>;
  [k: string]: unknown;
}

defineOp<EventFireOp>('event.fire', (tx, op) => {
  const events = tx.table<UserEvent>(EVENTS);
  let last = 0;
  for (const e of events.withPrefix('')) last = e.LTime;
  const event: UserEvent = { ...op.Event, LTime: last + 1 };
  tx.put(EVENTS, event);
  const excess = events.size - EVENT_BUFFER;
  if (excess > 0) {
    const oldest = [...events.withPrefix('')].slice(0, excess);
    for (const e of oldest) tx.delete(EVENTS, ltimeKey(e.LTime));
  }
  return event;
});

/** The recent events, oldest first. */
export function eventList(store: StateStore, ws: WatchSet | null): UserEvent[] {
  store.tableIndex(ws, EVENTS);
  return [...store.table<UserEvent>(EVENTS).withPrefix('')];
}

/** The blocking index Consul derives from an event's ID (see lib/uuid-index). */
export const eventIndex = uuidIndex;

let lastIndex = 0;

/**
 * A version-4-shaped UUID whose eventIndex() is a safe integer that grows with time (the
 * clock in ms × 1024), so blocking indexes of event lists move forward instead of jumping
 * around as Consul's random ones do. The upper half is the lower half XOR that number: both
 * halves then share their top 11 bits, which keeps the UUID's variant bits valid.
 */
export function newEventId(now = Date.now()): string {
  lastIndex = Math.max(now * 1024, lastIndex + 1);
  const lowerBytes = randomBytes(8);
  lowerBytes[0] = 0x80 | (lowerBytes[0] & 0x3f); // variant nibble 8..b, mirrored into the upper half
  lowerBytes[6] = 0x40 | (lowerBytes[6] & 0x0f); // version 4
  const lower = BigInt(`0x${lowerBytes.toString('hex')}`);
  const upper = lower ^ BigInt(lastIndex);
  const hex = lowerBytes.toString('hex') + upper.toString(16).padStart(16, '0');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
