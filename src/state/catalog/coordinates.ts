import { defineOp } from '../op.js';
import type { StateStore } from '../store.js';
import type { TableDef } from '../table.js';
import type { WatchSet } from '../watch.js';
import { NODES, nodeKey, type NodeRow } from './types.js';
import { catalogHooks } from './write.js';

/**
 * Network coordinates (Serf's Vivaldi model: an 8-dimensional vector plus error, adjustment
 * and height). Agents, or anyone, may store them through `/v1/coordinate/update`; a node
 * with none reads as the origin coordinate every fresh Serf agent starts from.
 */
export const COORDINATES = 'coordinates';

export interface Coord {
  Vec: number[];
  Error: number;
  Adjustment: number;
  Height: number;
}

export interface CoordinateRow {
  Node: string;
  Segment: string;
  Coord: Coord;
}

export const COORD_DIMENSIONS = 8;

/** Serf's starting coordinate (`coordinate.NewCoordinate`): origin, maximum error, minimum height. */
export function originCoord(): Coord {
  return { Vec: new Array(COORD_DIMENSIONS).fill(0), Error: 1.5, Adjustment: 0, Height: 1e-5 };
}

const coordKey = (node: string, segment: string) => `${nodeKey(node)}\u0000${segment}`;

export const coordinateTable: TableDef<CoordinateRow> = {
  name: COORDINATES,
  primaryKey: (c) => coordKey(c.Node, c.Segment),
  indexes: [{ name: 'node', values: (c) => [nodeKey(c.Node)] }],
};

export interface CoordinateUpdateOp {
  type: 'coordinate.update';
  Updates: CoordinateRow[];
  [k: string]: unknown;
}

// Coordinates belong to catalog nodes: updates for unknown nodes are dropped (as Consul
// does) and a node's coordinates go with it.
defineOp<CoordinateUpdateOp>('coordinate.update', (tx, op) => {
  let stored = 0;
  for (const u of op.Updates) {
    const node = tx.table<NodeRow>(NODES).get(nodeKey(u.Node));
    if (!node) continue;
    tx.put<CoordinateRow>(COORDINATES, { Node: node.Node, Segment: u.Segment, Coord: u.Coord });
    stored++;
  }
  return stored;
});

catalogHooks.nodeDeleted.push((tx, node) => {
  for (const c of [...tx.table<CoordinateRow>(COORDINATES).by('node', nodeKey(node))]) tx.delete(COORDINATES, coordKey(c.Node, c.Segment));
});

/** Every catalog node's coordinates, by node name; nodes without any get the origin. */
export function listCoordinates(store: StateStore, ws: WatchSet | null): { index: number; coordinates: CoordinateRow[] } {
  const index = store.tableIndex(ws, COORDINATES, NODES);
  const nodes = [...store.table<NodeRow>(NODES).withPrefix('')];
  return { index, coordinates: nodes.flatMap((n) => coordinatesOf(store, n)) };
}

/** One node's coordinates (one per segment), or undefined when the node is not in the catalog. */
export function nodeCoordinates(store: StateStore, ws: WatchSet | null, node: string): { index: number; coordinates?: CoordinateRow[] } {
  const index = store.tableIndex(ws, COORDINATES, NODES);
  const row = store.table<NodeRow>(NODES).get(nodeKey(node));
  return { index, coordinates: row ? coordinatesOf(store, row) : undefined };
}

function coordinatesOf(store: StateStore, node: NodeRow): CoordinateRow[] {
  const rows = [...store.table<CoordinateRow>(COORDINATES).by('node', nodeKey(node.Node))];
  if (rows.length === 0) return [{ Node: node.Node, Segment: '', Coord: originCoord() }];
  return rows.sort((a, b) => (a.Segment < b.Segment ? -1 : 1));
}

/** The coordinate a node is measured from (its default segment); the origin when it has none. */
export function coordOf(store: StateStore, node: string): Coord {
  return store.table<CoordinateRow>(COORDINATES).get(coordKey(node, ''))?.Coord ?? originCoord();
}

/** Serf's estimated round-trip time in seconds between two coordinates (`Coordinate.DistanceTo`). */
export function coordDistance(a: Coord, b: Coord): number {
  let sum = 0;
  for (let i = 0; i < a.Vec.length; i++) sum += (a.Vec[i] - (b.Vec[i] ?? 0)) ** 2;
  const dist = Math.sqrt(sum) + a.Height + b.Height;
  const adjusted = dist + a.Adjustment + b.Adjustment;
  return adjusted > 0 ? adjusted : dist;
}
