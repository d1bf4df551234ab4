/**
 * Consul's uuidToUint64 (agent/event_endpoint.go): the XOR of a UUID's two 64-bit halves.
 * An event list's blocking index is this value of its last event's ID, and `consul watch
 * -type=event` finds the new events by comparing it.
 */
export function uuidIndex(id: string): bigint {
  const hex = id.replace(/-/g, '');
  return BigInt(`0x${hex.slice(0, 16)}`) ^ BigInt(`0x${hex.slice(16, 32)}`);
}
