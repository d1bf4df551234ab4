import { describe, expect, it } from 'vitest';
import { EVENT_BUFFER, MemoryBackend, StateStore, allTables, eventIndex, eventList, newEventId, type UserEvent } from './index.js';

const fire = (s: StateStore, name: string) =>
  s.apply<UserEvent>({
    type: 'event.fire',
    Event: { ID: newEventId(), Name: name, Payload: null, NodeFilter: '', ServiceFilter: '', TagFilter: '', Version: 1 },
  });

describe('user events', () => {
  it('keep the most recent 256 in Lamport order', async () => {
    const s = new StateStore(new MemoryBackend(), allTables);
    await s.open();
    for (let i = 0; i < EVENT_BUFFER + 10; i++) await fire(s, `e${i}`);
    const events = eventList(s, null);
    expect(events).toHaveLength(EVENT_BUFFER);
    expect(events[0]).toMatchObject({ Name: 'e10', LTime: 11 });
    expect(events.at(-1)).toMatchObject({ Name: `e${EVENT_BUFFER + 9}`, LTime: EVENT_BUFFER + 10 });
  });

  it('have UUID IDs whose Consul index is a safe integer that only grows', () => {
    let last = 0n;
    for (let i = 0; i < 1000; i++) {
      const id = newEventId();
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      const idx = eventIndex(id);
      expect(idx).toBeGreaterThan(last);
      expect(idx).toBeLessThanOrEqual(BigInt(Number.MAX_SAFE_INTEGER));
      last = idx;
    }
  });

  it('derive the index of any UUID as Consul does', () => {
    // The XOR of the halves 0x0123456789abcdef ^ 0x0000000000000001.
    expect(eventIndex('01234567-89ab-cdef-0000-000000000001')).toBe(0x0123456789abcdeen);
  });
});
