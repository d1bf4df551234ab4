import type { CheckDefinition } from '../../checks/index.js';
import type { CheckRow, HealthStatus } from '../../state/index.js';

export const NODE_MAINTENANCE_ID = '_node_maintenance';
export const SERVICE_MAINTENANCE_PREFIX = '_service_maintenance:';

const DEFAULT_NODE_REASON = 'Maintenance mode is enabled for this node, but no reason was provided. This is a default message.';
const DEFAULT_SERVICE_REASON = 'Maintenance mode is enabled for this service, but no reason was provided. This is a default message.';

/**
 * The catalog row of a check run from `def`. Node, ServiceName and ServiceTags are filled by
 * the local state; `prev` carries an existing check's status and output over a re-registration,
 * as Consul does, so re-registering a healthy service does not flap it to critical.
 */
export function checkRowFor(def: CheckDefinition, prev?: { Status: HealthStatus; Output: string }): CheckRow {
  const interval = def.definition.Interval;
  const timeout = def.definition.Timeout;
  return {
    Node: '',
    CheckID: def.id,
    Name: def.name,
    Status: prev?.Status ?? def.initialStatus,
    Notes: def.notes,
    Output: prev?.Output ?? '',
    ServiceID: def.serviceId ?? '',
    ServiceName: '',
    ServiceTags: [],
    Type: def.type,
    Interval: typeof interval === 'string' ? interval : '',
    Timeout: typeof timeout === 'string' ? timeout : '',
    ExposedPort: 0,
    Definition: def.definition,
    CreateIndex: 0,
    ModifyIndex: 0,
  };
}

function maintenanceRow(id: string, name: string, notes: string, serviceId: string): CheckRow {
  return {
    Node: '',
    CheckID: id,
    Name: name,
    Status: 'critical',
    Notes: notes,
    Output: '',
    ServiceID: serviceId,
    ServiceName: '',
    ServiceTags: [],
    Type: 'maintenance',
    Interval: '',
    Timeout: '',
    ExposedPort: 0,
    Definition: {},
    CreateIndex: 0,
    ModifyIndex: 0,
  };
}

/** Consul's `_node_maintenance` check: critical, the reason in Notes. */
export const nodeMaintenanceRow = (reason: string): CheckRow =>
  maintenanceRow(NODE_MAINTENANCE_ID, 'Node Maintenance Mode', reason || DEFAULT_NODE_REASON, '');

export const serviceMaintenanceId = (serviceId: string): string => SERVICE_MAINTENANCE_PREFIX + serviceId;

/** Consul's `_service_maintenance:<id>` check. */
export const serviceMaintenanceRow = (serviceId: string, reason: string): CheckRow =>
  maintenanceRow(serviceMaintenanceId(serviceId), 'Service Maintenance Mode', reason || DEFAULT_SERVICE_REASON, serviceId);
