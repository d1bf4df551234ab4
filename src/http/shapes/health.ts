import type { HealthEntry } from '../../state/index.js';
import { healthCheckJson } from './check.js';
import { nodeJson } from './node.js';
import { nodeServiceJson } from './service.js';

/** Consul's CheckServiceNode JSON, one element of `/v1/health/service/:s`: Checks is `[]` when empty. */
export function healthEntryJson(e: HealthEntry): { Node: Record<string, unknown>; Service: Record<string, unknown>; Checks: Record<string, unknown>[] } {
  return { Node: nodeJson(e.Node), Service: nodeServiceJson(e.Service), Checks: e.Checks.map(healthCheckJson) };
}
