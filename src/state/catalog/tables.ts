import type { TableDef } from '../table.js';
import { coordinateTable } from './coordinates.js';
import { CHECKS, INDEXES, NODES, SERVICES, checkKey, nodeKey, serviceKey, type CheckRow, type NodeRow, type ServiceRow } from './types.js';

export interface IndexRow {
  Key: string;
  Value: number;
}

/** The service a row makes reachable through Connect: a proxy's destination, or a native service itself. */
export function connectTarget(s: ServiceRow): string | null {
  if (s.Kind === 'connect-proxy' && s.Proxy.DestinationServiceName) return s.Proxy.DestinationServiceName.toLowerCase();
  if (s.Connect?.Native) return s.Service.toLowerCase();
  return null;
}

export const catalogTables: TableDef<any>[] = [
  {
    name: NODES,
    primaryKey: (n: NodeRow) => nodeKey(n.Node),
    ordered: true,
    indexes: [{ name: 'id', values: (n: NodeRow) => (n.ID ? [n.ID.toLowerCase()] : []) }],
  },
  {
    name: SERVICES,
    primaryKey: (s: ServiceRow) => serviceKey(s.Node, s.ID),
    indexes: [
      { name: 'node', values: (s: ServiceRow) => [nodeKey(s.Node)] },
      { name: 'service', values: (s: ServiceRow) => [s.Service.toLowerCase()] },
      { name: 'kind', values: (s: ServiceRow) => [s.Kind] },
      {
        name: 'connect',
        values: (s: ServiceRow) => {
          const t = connectTarget(s);
          return t ? [t] : [];
        },
      },
    ],
  },
  {
    name: CHECKS,
    primaryKey: (c: CheckRow) => checkKey(c.Node, c.CheckID),
    indexes: [
      { name: 'node', values: (c: CheckRow) => [nodeKey(c.Node)] },
      { name: 'service', values: (c: CheckRow) => (c.ServiceName ? [c.ServiceName.toLowerCase()] : []) },
      { name: 'node_service', values: (c: CheckRow) => [`${nodeKey(c.Node)}\u0000${c.ServiceID}`] },
      { name: 'status', values: (c: CheckRow) => [c.Status] },
    ],
  },
  { name: INDEXES, primaryKey: (r: IndexRow) => r.Key },
  coordinateTable,
];
